"""reminder deliveries

Revision ID: courses_0009
Revises: courses_0008
Create Date: 2026-12-01 20:28:44.440171
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = 'courses_0009'
down_revision: str | Sequence[str] | None = 'courses_0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # reminder lists mailed to admins, one per admin and month
    op.create_table('reminder_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('region', sa.String(length=80), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('as_of_on', sa.Date(), nullable=False),
    sa.Column('sent_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_reminder_delivery_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_delivery')),
    sa.UniqueConstraint('user_id', 'period', 'channel', name=op.f('uq_reminder_delivery_user_id_period_channel'))
    )
    with op.batch_alter_table('reminder_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_delivery_sent_at'), ['sent_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reminder_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_delivery_sent_at'))

    op.drop_table('reminder_delivery')
