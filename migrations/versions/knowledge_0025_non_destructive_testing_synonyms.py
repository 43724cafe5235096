"""non-destructive testing as the trade types it: NDT

Revision ID: knowledge_0025
Revises: knowledge_0024
Create Date: 2026-12-06 07:20:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0025"
down_revision: str | Sequence[str] | None = "knowledge_0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As WEEE and NNSA in knowledge_0023: staff type NDT (NDT三级, NDT活动), the nuclear equipment
# rules write 无损检验 and the special equipment rules 无损检测. Tried and left out: 探伤 as
# 无损检验 — the radiation rules write 探伤 for radiography (γ探伤源库, 探伤机), and two of their
# questions lost their article to the nuclear equipment rules.
TESTING = [
    ("ndt", "无损检验 无损检测"),  # non-destructive testing
]


def upgrade() -> None:
    add_synonyms(TESTING)


def downgrade() -> None:
    remove_synonyms(TESTING)
