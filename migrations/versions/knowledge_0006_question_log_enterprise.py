"""question log: the unit of an enterprise asker, for the unit's own question history

Revision ID: knowledge_0006
Revises: knowledge_0005
Create Date: 2026-12-01 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "knowledge_0006"
down_revision: str | Sequence[str] | None = "knowledge_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No foreign key: the knowledge branch does not depend on the order of the core branch's
    # migrations, and a unit removed from the registry keeps its old questions in the log.
    with op.batch_alter_table("question_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("enterprise_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_question_log_enterprise_id", ["enterprise_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("question_log", schema=None) as batch_op:
        batch_op.drop_index("ix_question_log_enterprise_id")
        batch_op.drop_column("enterprise_id")
