"""coverage archive: month-end figures frozen the first time they are computed

Revision ID: courses_0006
Revises: courses_0005
Create Date: 2026-12-01 16:51:12.844300
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "courses_0006"
down_revision: str | Sequence[str] | None = "courses_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coverage_archive",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month_on", sa.Date(), nullable=False),
        sa.Column("province", sa.String(length=32), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.Column("key_units", sa.Integer(), nullable=False),
        sa.Column("covered", sa.Integer(), nullable=False),
        sa.Column("covered_class", sa.Integer(), nullable=False),
        sa.Column("covered_import", sa.Integer(), nullable=False),
        sa.Column("covered_platform", sa.Integer(), nullable=False),
        sa.Column("archived_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("archived_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_archive")),
        sa.UniqueConstraint(
            "month_on", "province", "city", name=op.f("uq_coverage_archive_month_on_province_city")
        ),
    )


def downgrade() -> None:
    op.drop_table("coverage_archive")
