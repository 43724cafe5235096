"""legal vocabulary synonyms: what enterprise staff type → the wording of laws and regulations

Revision ID: knowledge_0004
Revises: knowledge_0003
Create Date: 2026-12-01 17:10:00
"""

from collections.abc import Sequence

from alembic import op

from migrations.synonyms import add_synonyms

revision: str = "knowledge_0004"
down_revision: str | Sequence[str] | None = "knowledge_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here; admins edit the dictionary afterwards on the synonyms page. Multi-character terms
# only: a one-character replacement (卖, 罚) would rewrite unrelated words.
LEGAL_VOCABULARY = [
    ("固废", "固体废物"),
    ("危废", "危险废物"),
    ("在线监测", "自动监测"),
    ("在线监控", "自动监测"),
    ("vocs", "挥发性有机物"),
    ("voc", "挥发性有机物"),
    ("nox", "氮氧化物"),
    ("so2", "二氧化硫"),
    ("三同时", "同时设计 同时施工 同时投产使用"),
    ("洋垃圾", "境外固体废物"),
    ("偷排", "逃避监管的方式排放"),
    ("废气", "大气污染物"),
    ("环境保护主管部门", "生态环境主管部门"),
    ("环保设施", "污染防治设施"),
    ("治污设施", "污染防治设施"),
    ("处罚", "罚款"),
    ("罚钱", "罚款"),
    ("没批", "未经批准"),
    ("未批先建", "未依法报批 擅自开工建设"),
    ("不批", "不予批准"),
    ("乱倒", "擅自倾倒"),
    ("乱扔", "随意倾倒 抛撒 堆放"),
    ("乱排", "违法排放"),
    ("尾气", "排气污染物"),
    ("到期", "届满"),
]


def upgrade() -> None:
    add_synonyms(LEGAL_VOCABULARY)


def downgrade() -> None:
    terms = ", ".join(f"'{term}'" for term, _ in LEGAL_VOCABULARY)
    op.execute(f"DELETE FROM synonym WHERE term IN ({terms})")
