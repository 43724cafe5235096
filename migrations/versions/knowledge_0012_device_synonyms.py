"""everyday names of devices: GPS → 卫星定位, 日光灯 → 荧光灯

Revision ID: knowledge_0012
Revises: knowledge_0011
Create Date: 2026-12-03 12:58:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0012"
down_revision: str | Sequence[str] | None = "knowledge_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A haulier says GPS where a regulation writes 卫星定位装置, an office says 日光灯管 where the rules on
# hazardous waste write 废弃荧光灯管. A Latin word no document writes is otherwise taken for a
# subject the knowledge base does not cover (``knowledge.intent.named_subjects``).
DEVICE_TERMS = [
    ("gps", "卫星定位"),
    ("日光灯", "荧光灯"),
]


def upgrade() -> None:
    add_synonyms(DEVICE_TERMS)


def downgrade() -> None:
    remove_synonyms(DEVICE_TERMS)
