"""比武 for a contest, 代办公司 and 技术公司 for a technical institution

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

# From plan4_tune and plan6_tune, read in session 44 (bench/qa_sets/README.md): bureaus call a
# skills contest a 技能比武 (审核比武多久搞一次) where the plan writes 审核技能竞赛 and 知识竞赛;
# firms call the consultancy that fills in their permit a 代办公司, 代办机构 or 技术公司 (找了家代办
# 公司帮弄许可证…这种代办机构到底管不管) where the plan and the permit regulation write 技术机构
# (规范技术机构管理; 第三方技术机构). Nothing linked the words: no passage holds them.
EVERYDAY_WORDS = [
    ("比武", "竞赛"),
    ("代办公司", "技术机构"),
    ("代办机构", "技术机构"),
    ("技术公司", "技术机构"),
]


def upgrade() -> None:
    add_synonyms(EVERYDAY_WORDS)


def downgrade() -> None:
    remove_synonyms(EVERYDAY_WORDS)
