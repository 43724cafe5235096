"""noise, neighbourhood and no-permit vocabulary synonyms: everyday words → the statutes' wording

Revision ID: knowledge_0008
Revises: knowledge_0007
Create Date: 2026-12-03 01:00:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0008"
down_revision: str | Sequence[str] | None = "knowledge_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in knowledge_0007: each canonical wording is the statute's own (here 《中华人民共和国噪声污染
# 防治法》, which bureaus ingest beside the permit texts), and no term occurs in the plan, the four
# laws or the regulations we calibrate on. People say 噪音 and 隔音; the law writes 噪声 and 隔声.
NOISE_VOCABULARY = [
    ("噪音", "噪声"),  # noise
    ("隔音", "隔声"),  # sound insulation
    ("半夜", "夜间"),  # at night
    ("交房", "交付使用"),  # hand over a flat
    ("炸街", "改装的机动车 轰鸣"),  # street racing with modified exhausts
    ("广场舞", "公共场所 娱乐 健身"),  # square dancing
    ("报警", "公安机关"),  # call the police
    ("油烟机", "油烟净化器"),  # kitchen extractor
    ("一把手", "主要负责人"),  # head of a body
    # without a permit: the laws write 未(依法)取得排污许可证
    ("没有排污许可证", "未取得排污许可证 未依法取得排污许可证"),
    ("没有许可证", "未取得许可证 未依法取得许可证"),
    ("没证", "未取得许可证 未依法取得许可证"),
    ("没办证", "未取得许可证 未依法取得许可证"),
]


def upgrade() -> None:
    add_synonyms(NOISE_VOCABULARY)


def downgrade() -> None:
    remove_synonyms(NOISE_VOCABULARY)
