"""车主 and 4S店, the everyday words for a vehicle's owner and dealer

Revision ID: knowledge_0033
Revises: knowledge_0032
Create Date: 2026-12-07 10:45:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0033"
down_revision: str | Sequence[str] | None = "knowledge_0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# From fresh_s49c_tune (机动车排放召回管理规定), read in session 49 (bench/qa_sets/README.md):
# owners of cars say 车主 and dealers 4S店 where the rules on vehicles (the recall rule, 大气污染防治法's
# chapter on motor vehicles) write 机动车所有人 and 机动车经营者 (销售、维修). The everyday word stays
# beside the rules' word. 车企 was tried as 机动车生产者 and dropped: the rule on traction batteries
# writes 汽车生产企业, and two of its questions lost their article (sweep of the tuning sets).
EVERYDAY_WORDS = [
    ("车主", "车主 机动车所有人"),
    ("4s店", "4s店 机动车经营者"),
]


def upgrade() -> None:
    add_synonyms(EVERYDAY_WORDS)


def downgrade() -> None:
    remove_synonyms(EVERYDAY_WORDS)
