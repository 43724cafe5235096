"""电瓶车 for an electric bicycle

Revision ID: knowledge_0030
Revises: knowledge_0029
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0030"
down_revision: str | Sequence[str] | None = "knowledge_0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# From fresh_ministry_tune, read in session 46 (bench/qa_sets/README.md): people call an electric
# bicycle a 电瓶车 (旧电池能装电瓶车吗) where rules write 电动自行车 (不得将废旧动力电池…用于电动
# 自行车). Nothing linked the words: the vectors put the question just below the threshold.
EVERYDAY_WORDS = [("电瓶车", "电动自行车")]


def upgrade() -> None:
    add_synonyms(EVERYDAY_WORDS)


def downgrade() -> None:
    remove_synonyms(EVERYDAY_WORDS)
