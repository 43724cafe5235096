"""the environmental protection tax as people call it: 环保税 → 环境保护税

Revision ID: knowledge_0011
Revises: knowledge_0010
Create Date: 2026-12-03 11:55:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0011"
down_revision: str | Sequence[str] | None = "knowledge_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As 排污证 for 排污许可证 (knowledge_0001): the tax that replaced the discharge fee in 2018 is
# 环保税 to every accountant and 环境保护税 in the law. 税务局 is left as typed: read as the law's
# 税务机关 it would turn 电子税务局, the filing website, into an authority the law speaks of.
TAX_TERMS = [("环保税", "环境保护税")]


def upgrade() -> None:
    add_synonyms(TAX_TERMS)


def downgrade() -> None:
    remove_synonyms(TAX_TERMS)
