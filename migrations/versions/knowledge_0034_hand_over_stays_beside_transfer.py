"""转给 beside 转让 in databases that ran the first wording of knowledge_0031

Revision ID: knowledge_0034
Revises: knowledge_0033
Create Date: 2026-12-07 12:10:00
"""

from collections.abc import Sequence

from migrations.synonyms import retarget_synonyms

revision: str = "knowledge_0034"
down_revision: str | Sequence[str] | None = "knowledge_0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# knowledge_0031 first replaced 转给 by 转让; 645444d changed that revision in place to keep 转给
# beside 转让 (转给市里 forwards a case to another office). A database upgraded through the first
# wording never ran the second: it is retargeted here. A fresh one already holds it (no change),
# and an admin's own wording stays (``retarget_synonyms``).
CHANGES = [("转给", "转让", "转给 转让")]


def upgrade() -> None:
    retarget_synonyms(CHANGES)


def downgrade() -> None:
    retarget_synonyms([(term, new, old) for term, old, new in CHANGES])
