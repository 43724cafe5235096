"""Everyday words for environmental groups, lawsuits, bribes, replies, press exposure and good
laboratory practice, as the rules write them

Revision ID: knowledge_0017
Revises: knowledge_0016
Create Date: 2026-12-03 23:15:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0017"
down_revision: str | Sequence[str] | None = "knowledge_0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An environmental NGO is what the rules call a 社会组织 (支持…环保社会组织依法提起环境公益诉讼); a
# 官司 is a 诉讼. A favour bought with 送礼 or 行贿, or through 托关系, is the 贿赂 and the
# 不正当手段 of the penalty articles (以欺骗、贿赂等不正当手段取得). A 回话 to the public's
# comments is the 反馈 or 答复 a rule promises; a newspaper's 曝光 is 舆论监督. GLP, as laboratories
# call it, is 良好实验室管理 (应当符合国际通行的良好实验室管理要求). To 弄坏 or 砸坏 a monitoring
# station is to 损毁 it. An official who 乱用权力 and 收好处 is one who 滥用职权 and 收受 what he
# should not; a copy 抄给 an office is 抄送 to it. Experts drawn by 抽签 are 随机抽取; whoever 递话
# or 说情 to an expert 干预 his review.
EVERYDAY = [
    ("ngo", "社会组织"),
    ("官司", "诉讼"),
    ("送礼", "贿赂"),
    ("行贿", "贿赂"),
    ("托关系", "不正当手段"),
    ("回话", "反馈 答复"),
    ("曝光", "舆论监督"),
    ("glp", "良好实验室管理"),
    ("弄坏", "损毁"),
    ("砸坏", "损毁"),
    ("乱用权力", "滥用职权"),
    ("乱用职权", "滥用职权"),
    ("收好处", "收受 贿赂"),
    ("拿好处", "收受 贿赂"),
    ("抄给", "抄送"),
    ("抽签", "随机抽取"),
    ("递话", "干预"),
    ("说情", "干预"),
]


def upgrade() -> None:
    add_synonyms(EVERYDAY)


def downgrade() -> None:
    remove_synonyms(EVERYDAY)
