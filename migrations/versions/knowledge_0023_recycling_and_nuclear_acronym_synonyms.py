"""more acronyms of the trade: recycling, greenhouse gases, the ministries, nuclear operation

Revision ID: knowledge_0023
Revises: knowledge_0022
Create Date: 2026-12-04 16:40:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0023"
down_revision: str | Sequence[str] | None = "knowledge_0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As ODS and LDAR in knowledge_0010: staff type the Latin abbreviation, the statutes write the
# Chinese name, and a Latin word no document writes is taken for a subject the knowledge base does
# not cover (``knowledge.intent.named_subjects``), so the question was refused. Tried and left out:
# COD, BOD and SDS — an instrument's calibration or a data sheet's chapters are near misses that
# their being unknown refused, and as 化学需氧量 or 安全技术说明书 they were answered.
ACRONYMS = [
    ("weee", "废弃电器电子产品"),  # waste electrical and electronic equipment
    ("epr", "生产者责任延伸"),  # extended producer responsibility
    ("rohs", "有害物质限制使用"),
    ("ghg", "温室气体"),
    ("sepa", "国家环境保护总局"),  # the ministry's English initials of 1998–2008
    ("nnsa", "国家核安全局"),
    ("ro", "操纵员"),  # a reactor operator's licence
    ("sro", "高级操纵员"),
]


def upgrade() -> None:
    add_synonyms(ACRONYMS)


def downgrade() -> None:
    remove_synonyms(ACRONYMS)
