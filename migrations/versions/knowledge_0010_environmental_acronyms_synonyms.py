"""environmental acronyms: the Latin abbreviations people type → the statutes' Chinese names

Revision ID: knowledge_0010
Revises: knowledge_0009
Create Date: 2026-12-03 09:45:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0010"
down_revision: str | Sequence[str] | None = "knowledge_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As VOCs, NOx and CEMS in knowledge_0004 and 0007: staff say ODS and HCFC, statutes write the
# Chinese names, and a Latin word no document writes is otherwise taken for a subject the
# knowledge base does not cover (``knowledge.intent.named_subjects``). No document we hold writes
# these letters. PCB alone is left out: it is also a circuit board, an industry of its own.
ACRONYMS = [
    ("ods", "消耗臭氧层物质"),  # ozone-depleting substances
    ("cfcs", "全氯氟烃"),
    ("cfc", "全氯氟烃"),
    ("hcfcs", "含氢氯氟烃"),
    ("hcfc", "含氢氯氟烃"),
    ("hfcs", "氢氟碳化物"),
    ("hfc", "氢氟碳化物"),
    ("pops", "持久性有机污染物"),
    ("pcbs", "多氯联苯"),
    ("ldar", "泄漏检测与修复"),  # leak detection and repair
    ("eia", "环境影响评价"),
]


def upgrade() -> None:
    add_synonyms(ACRONYMS)


def downgrade() -> None:
    remove_synonyms(ACRONYMS)
