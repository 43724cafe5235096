"""Old household appliances are the 废弃电器电子产品 the rules name; to throw someone out of a
hearing is to 责令退场

Revision ID: knowledge_0016
Revises: knowledge_0015
Create Date: 2026-12-03 20:45:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0016"
down_revision: str | Sequence[str] | None = "knowledge_0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Dismantlers and their customers speak of 废家电, 旧家电, 旧电视 and 旧电器; the rules on their
# licences write 废弃电器电子产品 (禁止无废弃电器电子产品处理资格证书…处理废弃电器电子产品), the rules
# on their pollution 电子废物 (拆解、利用、处置电子废物).
# A chair who may 撵出去 or 赶出去 a heckler is one who may 责令其退场.
EVERYDAY = [
    ("废家电", "废弃电器电子产品 电子废物"),
    ("旧家电", "废弃电器电子产品 电子废物"),
    ("旧电视", "废弃电器电子产品 电子废物 电视机"),
    ("旧电器", "废弃电器电子产品 电子废物"),
    ("撵出去", "责令 退场"),
    ("赶出去", "责令 退场"),
]


def upgrade() -> None:
    add_synonyms(EVERYDAY)


def downgrade() -> None:
    remove_synonyms(EVERYDAY)
