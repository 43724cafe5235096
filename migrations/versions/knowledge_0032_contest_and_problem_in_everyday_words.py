"""比赛 and 毛病, the everyday words for 竞赛 and 问题

Revision ID: knowledge_0032
Revises: knowledge_0031
Create Date: 2026-12-07 09:30:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0032"
down_revision: str | Sequence[str] | None = "knowledge_0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# From plan9_tune, read in session 48 (bench/qa_sets/README.md): staff ask whether there is a 比赛
# where the plan writes 知识竞赛、技能竞赛 (比武 was already read as 竞赛), and call what an
# inspection turns up 毛病 where rules write 问题 (执法监管中发现的问题). Both words stay beside
# the rules' word: 毛病 of a machine is a fault, not always a 问题 a rule names.
EVERYDAY_WORDS = [("比赛", "比赛 竞赛"), ("毛病", "毛病 问题")]


def upgrade() -> None:
    add_synonyms(EVERYDAY_WORDS)


def downgrade() -> None:
    remove_synonyms(EVERYDAY_WORDS)
