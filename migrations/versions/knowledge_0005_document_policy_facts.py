"""document policy facts: issuing body, document number, date and in force / draft / repealed

Revision ID: knowledge_0005
Revises: knowledge_0004
Create Date: 2026-12-01 20:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "knowledge_0005"
down_revision: str | Sequence[str] | None = "knowledge_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("knowledge_document", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("issuing_body", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("doc_number", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("issued_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "policy_status", sa.String(length=16), server_default="in_force", nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("knowledge_document", schema=None) as batch_op:
        batch_op.drop_column("policy_status")
        batch_op.drop_column("issued_on")
        batch_op.drop_column("doc_number")
        batch_op.drop_column("issuing_body")
