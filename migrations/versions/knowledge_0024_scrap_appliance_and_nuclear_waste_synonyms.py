"""everyday names of scrapped appliances and of radioactive waste

Revision ID: knowledge_0024
Revises: knowledge_0023
Create Date: 2026-12-04 16:45:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0024"
down_revision: str | Sequence[str] | None = "knowledge_0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As 旧家电 and 旧电视 in knowledge_0016: people name the appliance they scrap (旧冰箱, 旧电脑) or
# say 电子垃圾, the rules write 废弃电器电子产品 and 电子废物; and people say 核废料 or 放废 where
# the rules write 放射性废物.
EVERYDAY = [
    ("旧冰箱", "废弃电器电子产品 电子废物 冰箱"),
    ("旧洗衣机", "废弃电器电子产品 电子废物 洗衣机"),
    ("旧空调", "废弃电器电子产品 电子废物 空调"),
    ("旧电脑", "废弃电器电子产品 电子废物 电脑"),
    ("旧手机", "废弃电器电子产品 电子废物 手机"),
    ("电子垃圾", "废弃电器电子产品 电子废物"),
    ("核废料", "放射性废物"),
    ("放废", "放射性废物"),
]


def upgrade() -> None:
    add_synonyms(EVERYDAY)


def downgrade() -> None:
    remove_synonyms(EVERYDAY)
