"""比武 for a contest

Revision ID: knowledge_0029
Revises: knowledge_0028
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0029"
down_revision: str | Sequence[str] | None = "knowledge_0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# From plan4_tune, read in session 44 (bench/qa_sets/README.md): bureaus call a skills contest a
# 技能比武 (审核比武多久搞一次) where the plan writes 审核技能竞赛 and 知识竞赛. Nothing linked the
# words: no passage holds 比武.
EVERYDAY_WORDS = [("比武", "竞赛")]


def upgrade() -> None:
    add_synonyms(EVERYDAY_WORDS)


def downgrade() -> None:
    remove_synonyms(EVERYDAY_WORDS)
