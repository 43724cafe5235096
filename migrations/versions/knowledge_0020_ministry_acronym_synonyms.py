"""MEE, the ministry's English initials, as the rules name it

Revision ID: knowledge_0020
Revises: knowledge_0019
Create Date: 2026-12-04 11:35:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0020"
down_revision: str | Sequence[str] | None = "knowledge_0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Trade and consultants write MEE for the Ministry of Ecology and Environment (生态环境部) and MEP for
# the Ministry of Environmental Protection it replaced in 2018 (环境保护部, named by the older rules).
SHORTHAND = [
    ("mee", "生态环境部"),
    ("mep", "环境保护部"),
]


def upgrade() -> None:
    add_synonyms(SHORTHAND)


def downgrade() -> None:
    remove_synonyms(SHORTHAND)
