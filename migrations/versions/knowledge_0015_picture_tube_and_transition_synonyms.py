"""CRT, the picture tube of old televisions and monitors, is the 阴极射线管 rules name; a
standard's 缓冲期 is its 过渡期

Revision ID: knowledge_0015
Revises: knowledge_0014
Create Date: 2026-12-03 17:40:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0015"
down_revision: str | Sequence[str] | None = "knowledge_0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Recyclers call the picture tube of a scrapped television by its English initials; rules on
# electronic waste write 阴极射线管 (破碎的阴极射线管应当贮存在有盖的容器内). The time before a new
# standard binds is everyone's 缓冲期 and the rules' 过渡期 (应当留出适当的实施过渡期).
SHORTHAND = [("crt", "阴极射线管"), ("缓冲期", "过渡期")]


def upgrade() -> None:
    add_synonyms(SHORTHAND)


def downgrade() -> None:
    remove_synonyms(SHORTHAND)
