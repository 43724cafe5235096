"""water and farm vocabulary synonyms: everyday words → the statutes' wording

Revision ID: knowledge_0009
Revises: knowledge_0008
Create Date: 2026-12-03 07:00:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0009"
down_revision: str | Sequence[str] | None = "knowledge_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in knowledge_0007 and 0008: the canonical wording is the statutes' own (《地下水管理条例》,
# 《畜禽规模养殖污染防治条例》 and the water law write 灌溉, 节水, 取水, 计量设施), and no term
# occurs in the plan, the laws or the regulations we calibrate on. Farmers and well drillers say
# 浇地, 抽水 and 打井.
WATER_VOCABULARY = [
    ("浇地", "灌溉"),  # irrigate fields
    ("省水", "节水"),  # save water
    ("抽水", "取水"),  # pump water
    ("抽地下水", "取用地下水"),  # pump groundwater
    ("水表", "计量设施"),  # water meter
    ("打井", "钻井 取水工程"),  # drill a well
]


def upgrade() -> None:
    add_synonyms(WATER_VOCABULARY)


def downgrade() -> None:
    remove_synonyms(WATER_VOCABULARY)
