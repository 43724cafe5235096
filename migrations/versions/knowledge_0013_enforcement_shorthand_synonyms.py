"""shorthand of enforcement and construction: 首违不罚, 业主单位, 规上企业

Revision ID: knowledge_0013
Revises: knowledge_0012
Create Date: 2026-12-03 14:10:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0013"
down_revision: str | Sequence[str] | None = "knowledge_0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Everyone says 首违不罚 for the rule that a first breach with slight harm, put right at once, may go
# unpunished (初次违法…可以不予行政处罚); a project's owner is its 业主单位 where rules write 建设单位;
# a 规上企业 is one 规模以上 (规上 alone would rewrite 法规上).
SHORTHAND = [
    ("首违不罚", "初次违法 不予行政处罚"),
    ("业主单位", "建设单位"),
    ("规上企业", "规模以上企业"),
]


def upgrade() -> None:
    add_synonyms(SHORTHAND)


def downgrade() -> None:
    remove_synonyms(SHORTHAND)
