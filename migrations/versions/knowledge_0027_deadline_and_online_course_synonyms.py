"""everyday words for a permit about to expire, a year's end and an online course

Revision ID: knowledge_0027
Revises: knowledge_0026
Create Date: 2026-12-06 18:50:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0027"
down_revision: str | Sequence[str] | None = "knowledge_0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# From the plan sets of session 41 (plan2, plan3; bench/qa_sets/README.md): askers say a permit is
# 快到期 or 即将到期 where the plan writes 临期 (临期提醒功能, 临期排污许可证清单), 年末 where
# every plan and law writes 年底 (2023年底前), and 网课 for what the plan calls its 培训云讲堂 and
# 培训小视频. Nothing linked the words: the passage answering held none of them. 到期 is kept
# beside 临期, since rules write 有效期届满 and 到期 too.
EVERYDAY_WORDS = [
    ("快到期", "临期 到期 届满"),
    ("即将到期", "临期 到期 届满"),
    ("马上到期", "临期 到期 届满"),
    ("年末", "年底"),
    ("网课", "网上培训 云讲堂 培训小视频"),
]


def upgrade() -> None:
    add_synonyms(EVERYDAY_WORDS)


def downgrade() -> None:
    remove_synonyms(EVERYDAY_WORDS)
