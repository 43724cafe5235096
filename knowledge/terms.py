"""Words, tokens and word weights shared by indexing, ranking and curation grouping.

Kept apart from ``knowledge.index`` and ``knowledge.retrieval`` so that both (and
``knowledge.grouping``) can use them without importing each other.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path

from knowledge.normalize import bigrams, is_cjk

# Words that make a sentence a question but carry no content; removed before measuring coverage.
QUESTION_WORDS = sorted(
    {
        "什么时候",
        "什么样",
        "啥样",
        "什么",
        "怎么样",
        "怎么办",
        # 厂关了证咋办, 信用管理搞不搞: asking what to do, or whether, in everyday words
        "咋办",
        "咋整",
        "咋弄",
        "怎么弄",
        "怎么整",
        "搞不搞",
        "弄不弄",
        "做不做",
        "干不干",
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
        # 多少天之内: the span asked, not a topic
        "之内",
        "以内",
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
        # demonstratives of a colloquial question: 水污染这块, 这种情况, 这方面 carry no topic
        "这块",
        "那块",
        "这一块",
        "这方面",
        "这边",
        "那边",
        "这种",
        "那种",
        "这类",
        "这样",
        "这么",
        # 归哪个部门管, 归谁管: who is asked, not a topic word
        "归",
        "这",
        "那",
        "到底",
        "当初",
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


# ---- tokenisation --------------------------------------------------------------------------

_jieba_lock = threading.Lock()
_jieba_ready = False


def _jieba():
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return jieba


def word_frequency(word: str) -> int:
    """How often jieba's dictionary counted ``word`` in its corpus (0: a word it does not know)."""
    return _jieba().dt.FREQ.get(word, 0)


def words(prepared: str) -> list[str]:
    """jieba words of a prepared text (spaces and one-character latin particles dropped)."""
    if len(prepared) <= 200:  # questions: the same text is cut for ranking, coverage and FAQ
        return list(_cached_words(prepared))
    return _cut(prepared)


def _cut(prepared: str) -> list[str]:
    return [w for w in _jieba().lcut(prepared) if w.strip() and (len(w) > 1 or not w.isascii())]


@lru_cache(maxsize=8192)
def _cached_words(prepared: str) -> tuple[str, ...]:
    return tuple(_cut(prepared))


def tokens(prepared: str, cut: list[str] | tuple[str, ...] | None = None) -> list[str]:
    """The BM25 vocabulary: character bigrams plus jieba words of two or more characters.

    Bigrams survive typos and unknown terms (压实属地责认); words give whole terms a boost, so a
    passage holding 执法监管 beats one that merely has 执法 and 监管 apart; single characters
    (weighted by their own low IDF) break ties for short colloquial questions. Words and characters
    are prefixed so that the word 排污 and the bigram 排污 stay separate statistics. ``cut``: the
    text's ``words``, when the caller has them already.
    """
    out = bigrams(prepared)
    out.extend("w:" + w for w in (words(prepared) if cut is None else cut) if len(w) >= 2)
    out.extend("u:" + ch for ch in prepared if is_cjk(ch))
    return out
