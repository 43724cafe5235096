"""the bureaus by the short names on their door signs: 城管局, 市监局, 国土局 …

Revision ID: knowledge_0026
Revises: knowledge_0025
Create Date: 2026-12-06 09:40:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0026"
down_revision: str | Sequence[str] | None = "knowledge_0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As 住建局 in knowledge_0007: askers name a bureau by the short form on its door sign, rules
# by the department's duty, and where the two share no word (城管局 and 城市管理部门, 市监局 and
# 市场监督管理部门) nothing linked them: the question matched no department. Each is given the
# words the rules write (国土资源 before 2018, 自然资源 since). Tried and left out: 卫健委 (卫生
# 健康, 卫生) and 林草局 (林业, 草原) — on the 176 tuning sets four questions naming them lost
# their article (卫健委和环保局各管哪一摊; why was not looked into); and door names that share
# their words with the rule's (林业局, 农业农村局, 交通局, 气象局 …) spelt out as 林业主管部门 and
# so on: six questions better, fourteen worse.
BUREAUS = [
    ("国土局", "国土资源 自然资源"),
    ("规自委", "规划 自然资源"),
    ("市监局", "市场监督管理"),
    ("城管局", "城市管理"),
    ("安监局", "安全生产监督管理 应急管理"),
    ("工信局", "工业和信息化"),
]


def upgrade() -> None:
    add_synonyms(BUREAUS)


def downgrade() -> None:
    remove_synonyms(BUREAUS)
