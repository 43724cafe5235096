"""everyday words for a closed unit, the published FAQ and the army

Revision ID: knowledge_0028
Revises: knowledge_0027
Create Date: 2026-12-06 20:45:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0028"
down_revision: str | Sequence[str] | None = "knowledge_0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# From the read sets of session 42 (plan3, plan5 and batch 17's 环境影响评价法 set;
# bench/qa_sets/README.md): askers say a works 关门了 or 倒闭了 where the plan and the rules write
# 关闭 (对于已关闭的排污单位…注销其排污许可证; 关闭门窗), 常见问答 for the plan's 常见问题解答, and
# 部队 where laws write 军队 and 军事设施 (军事设施建设项目的环境影响评价办法). Nothing linked the
# words: the passage answering held none of them.
EVERYDAY_WORDS = [
    ("关门", "关闭"),
    ("倒闭", "关闭"),
    ("常见问答", "常见问题解答"),
    ("部队", "军队 军事"),
]


def upgrade() -> None:
    add_synonyms(EVERYDAY_WORDS)


def downgrade() -> None:
    remove_synonyms(EVERYDAY_WORDS)
