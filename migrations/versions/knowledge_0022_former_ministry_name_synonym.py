"""国家环境保护总局, the ministry's name in the rules of 1998–2008, as today's 生态环境部

Revision ID: knowledge_0022
Revises: knowledge_0021
Create Date: 2026-12-04 14:50:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0022"
down_revision: str | Sequence[str] | None = "knowledge_0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Rules made between 1998 and 2008 and still in force name the ministry 国家环境保护总局; people
# call it 部里 or 生态环境部, which the synonyms already read as 生态环境部. Read the old name as the
# new one, in the rules and in questions alike. (环境保护部, 2008–2018, is left alone: it is also
# the start of every 环境保护部门.)
FORMER_NAMES = [("国家环境保护总局", "生态环境部")]


def upgrade() -> None:
    add_synonyms(FORMER_NAMES)


def downgrade() -> None:
    remove_synonyms(FORMER_NAMES)
