"""环评批复 and 转给 in the words of the permit regulation

Revision ID: knowledge_0031
Revises: knowledge_0030
Create Date: 2026-12-07 08:30:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms, retarget_synonyms

revision: str = "knowledge_0031"
down_revision: str | Sequence[str] | None = "knowledge_0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# From permitreg_tune, read in session 47 (bench/qa_sets/README.md), on 《排污许可管理条例》:
# - 没有环评批复，能领排污证吗 asks 第十一条 (依法取得建设项目环境影响报告书（表）批准文件). The
#   old wording kept only the EIA law's 审批决定 / 审批意见, which 第十二条 (作出审批决定 on the
#   permit) holds too, and dropped 环评 itself: a permit rule calls the paper a 批准文件.
# - 把他们的排污证转给我们用 asks 第二十六条 (禁止…转让排污许可证): rules write 转让 for handing
#   a licence over, people write 转给. 转给 also forwards a case to another office (转给市里), so
#   the word stays beside 转让 rather than being replaced by it.
CHANGES = [
    ("环评批复", "审批决定 审批意见", "环境影响 批准文件 审批决定 审批意见"),
]
EVERYDAY_WORDS = [("转给", "转给 转让")]


def upgrade() -> None:
    retarget_synonyms(CHANGES)
    add_synonyms(EVERYDAY_WORDS)


def downgrade() -> None:
    remove_synonyms(EVERYDAY_WORDS)
    retarget_synonyms([(term, new, old) for term, old, new in CHANGES])
