"""shorthand of the carbon market and of enforcement measures: CCER, CEA, 碳市场, 限产, 解封, 查扣;
名单 for 名录

Revision ID: knowledge_0014
Revises: knowledge_0013
Create Date: 2026-12-03 17:20:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0014"
down_revision: str | Sequence[str] | None = "knowledge_0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Units trading emissions say CCER for the certified voluntary reductions (国家核证自愿减排量) and
# CEA, 碳配额 for the allowances (碳排放配额), which rules write out; 碳市场 is the trading market
# (碳排放权交易市场) and a 控排企业 a unit under it (重点排放单位). Of enforcement: a 限产 is an
# order to restrict production (限制生产), 解封 lifts a seal (解除查封) and 查扣 is 查封、扣押.
# People call the 名录 a rule draws up (重点排放单位名录, 重点排污单位名录) its 名单; the documents'
# own 名单 are read as 名录 too, so a question about a 黑名单 still finds it.
SHORTHAND = [
    ("ccer", "国家核证自愿减排量"),
    ("cea", "碳排放配额"),
    ("碳配额", "碳排放配额"),
    ("碳市场", "碳排放权交易市场"),
    ("控排企业", "重点排放单位"),
    ("限产", "限制生产"),
    ("解封", "解除查封"),
    ("查扣", "查封 扣押"),
    ("名单", "名录"),
]


def upgrade() -> None:
    add_synonyms(SHORTHAND)


def downgrade() -> None:
    remove_synonyms(SHORTHAND)
