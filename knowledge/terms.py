"""Words and word weights shared by indexing, ranking and curation grouping.

Kept apart from ``knowledge.index`` and ``knowledge.retrieval`` so that both (and
``knowledge.grouping``) can use them without importing each other.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

# Words that make a sentence a question but carry no content; removed before measuring coverage.
QUESTION_WORDS = sorted(
    {
        "什么时候",
        "什么",
        "怎么样",
        "怎么办",
        "怎么",
        "怎样",
        "如何",
        "哪些",
        "哪个",
        "哪一级",
        "哪一",
        "哪里",
        "哪儿",
        "哪",
        "多少",
        "多久",
        "几个",
        "几号",
        "几天",
        "几",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "是否",
        "是不是",
        "会不会",
        "能不能",
        "可不可以",
        "有没有",
        "要不要",
        "需不需要",
        "请问",
        "请",
        "一下",
        "我们",
        "我",
        "你们",
        "你",
        "您",
        "他们",
        "的",
        "了",
        "在",
        "是",
        "有",
        "要",
        "需要",
        "应该",
        "可以",
        "能",
        "会",
        "谁",
        "由谁",
        "给谁",
        "时候",
        "干嘛",
        "干啥",
        "啥",
        "咋",
        "说",
        "是指",
        "指",
        "意思",
        "一般",
        "具体",
        "还有",
        "除了",
        "以后",
        "之后",
        "期间",
        "里",
        "上面",
        "下来",
        "为什么",
        "为啥",
        "目的",
        "和",
        "与",
        "及",
        "或",
        "都",
        "也",
        "就",
        "还",
        "对",
        "被",
        "把",
        "让",
        "这个",
        "那个",
        "这",
        "那",
        "到底",
        "现在",
        "目前",
        "关于",
        "相关",
    },
    key=len,
    reverse=True,
)


@lru_cache(maxsize=1)
def general_idf() -> dict[str, float]:
    """IDF of words in general Chinese text (jieba's table): function words low, terms high."""
    import jieba.analyse

    path = Path(jieba.analyse.__file__).parent / "idf.txt"
    table: dict[str, float] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 2:
                table[parts[0]] = float(parts[1])
    return table
