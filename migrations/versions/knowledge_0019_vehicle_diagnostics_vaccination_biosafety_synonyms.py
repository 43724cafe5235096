"""OBD, getting vaccinated and biosafety levels (BSL-2, P3) as the rules write them

Revision ID: knowledge_0019
Revises: knowledge_0018
Create Date: 2026-12-04 10:55:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0019"
down_revision: str | Sequence[str] | None = "knowledge_0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A car's OBD is its 车载诊断系统 (车载诊断系统报警后…未及时维修). Staff handling medical waste
# 打疫苗: the rules have them 免疫接种. Laboratories call the biosafety levels BSL-1 … BSL-4 or
# P1 … P4; the rules write 一级 … 四级 (将实验室分为一级、二级、三级和四级).
_LEVELS = {"1": "一级", "2": "二级", "3": "三级", "4": "四级"}
SHORTHAND = [
    ("obd", "车载诊断系统"),
    ("打疫苗", "免疫接种"),
    ("接种疫苗", "免疫接种"),
    *[(f"bsl-{n}", f"{level}实验室") for n, level in _LEVELS.items()],
    *[(f"bsl{n}", f"{level}实验室") for n, level in _LEVELS.items()],
    *[(f"p{n}实验室", f"{level}实验室") for n, level in _LEVELS.items()],
]


def upgrade() -> None:
    add_synonyms(SHORTHAND)


def downgrade() -> None:
    remove_synonyms(SHORTHAND)
