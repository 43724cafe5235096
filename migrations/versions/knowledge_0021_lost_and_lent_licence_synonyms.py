"""A licence lost or lent, in the words people use (弄丢了, 借给) and those of the rules

Revision ID: knowledge_0021
Revises: knowledge_0020
Create Date: 2026-12-04 14:10:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0021"
down_revision: str | Sequence[str] | None = "knowledge_0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A permit holder says its licence 丢了 or was 弄丢, and asks whether it may 借给 another firm; the
# rules write 遗失 (the licence, the enforcement card) or 丢失 (a radioactive source), and 出借 or
# 转借. Both wordings of the rules are searched.
EVERYDAY_WORDS = [
    ("弄丢", "遗失 丢失"),
    ("搞丢", "遗失 丢失"),
    ("丢了", "遗失 丢失"),
    ("借给", "出借 转借"),
]


def upgrade() -> None:
    add_synonyms(EVERYDAY_WORDS)


def downgrade() -> None:
    remove_synonyms(EVERYDAY_WORDS)
