"""documents managed like data, articles, regional FAQ, conversations

Revision ID: knowledge_0003
Revises: knowledge_0002
Create Date: 2026-12-01 16:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'knowledge_0003'
down_revision: str | Sequence[str] | None = 'knowledge_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('faq_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('city', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_faq_entry_province'), ['province'], unique=False)

    with op.batch_alter_table('knowledge_chunk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('article', sa.String(length=32), nullable=True))

    with op.batch_alter_table('knowledge_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_sha256', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=False, server_default='active'))
        batch_op.add_column(sa.Column('province', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('city', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_knowledge_document_content_sha256'), ['content_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_document_province'), ['province'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_document_status'), ['status'], unique=False)

    with op.batch_alter_table('question_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conversation', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_question_log_conversation'), ['conversation'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('question_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_log_conversation'))
        batch_op.drop_column('conversation')

    with op.batch_alter_table('knowledge_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_document_status'))
        batch_op.drop_index(batch_op.f('ix_knowledge_document_province'))
        batch_op.drop_index(batch_op.f('ix_knowledge_document_content_sha256'))
        batch_op.drop_column('city')
        batch_op.drop_column('province')
        batch_op.drop_column('status')
        batch_op.drop_column('content_sha256')

    with op.batch_alter_table('knowledge_chunk', schema=None) as batch_op:
        batch_op.drop_column('article')

    with op.batch_alter_table('faq_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_faq_entry_province'))
        batch_op.drop_column('city')
        batch_op.drop_column('province')

