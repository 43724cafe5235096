"""CCER as the rules write it in both carbon-market rules; PDD, VVB; PCB named with the equipment
or waste it is in

Revision ID: knowledge_0018
Revises: knowledge_0017
Create Date: 2026-12-04 10:40:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms, retarget_synonyms

revision: str = "knowledge_0018"
down_revision: str | Sequence[str] | None = "knowledge_0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The 2021 trading rule writes 国家核证自愿减排量, the 2023 voluntary-reduction rule only
# 核证自愿减排量: the shorter wording is held by both.
RETARGETED = [("ccer", "国家核证自愿减排量", "核证自愿减排量")]

# A project's PDD is its 项目设计文件 and the VVB that validates it an 审定与核查机构. PCB alone is
# also a printed circuit board, an industry of its own (knowledge_0010), so it is read as 多氯联苯
# only next to the capacitors, transformers, oil and waste that hold it.
SHORTHAND = [
    ("pdd", "项目设计文件"),
    ("vvb", "审定与核查机构"),
    ("含pcb", "含多氯联苯"),
    ("废pcb", "废多氯联苯"),
    ("pcb电容", "多氯联苯电容"),
    ("pcb变压器", "多氯联苯变压器"),
    ("pcb电力", "多氯联苯电力"),
    ("pcb油", "多氯联苯油"),
    ("pcb废", "多氯联苯废"),
    ("pcb危废", "多氯联苯危废"),
    ("pcb污染", "多氯联苯污染"),
]


def upgrade() -> None:
    retarget_synonyms(RETARGETED)
    add_synonyms(SHORTHAND)


def downgrade() -> None:
    remove_synonyms(SHORTHAND)
    retarget_synonyms([(term, new, old) for term, old, new in RETARGETED])
