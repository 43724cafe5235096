"""The items of a part of a policy document, when a question asks for them by the part's name.

"支撑保障包括哪些？" asks for the titled items of 五、做好支撑保障 (（九）强化监督落实 …
（十二）规范第三方服务市场), which no paragraph of the document says together: each item's title
is only the heading of its own paragraph. A question asking for the parts of something (包括哪些,
分了哪几项) whose words match a part's title better than any item's title is answered with that
part's outline, built from the passages' section paths (no passage of its own: the index and its
statistics stay as the document's text made them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.index import KnowledgeIndex
from knowledge.normalize import bigrams, fold
from knowledge.rerank import visible_to

# 包括哪些？ 分了哪几项重点工作？ 包含哪几块内容？ what something holds, asked as its parts and
# nothing more particular (安排了哪些交流形式 asks for forms, 分为哪几个层级 for levels; 审的时候
# 盯哪几块内容 for what a review looks at)
PARTS_ASKED = re.compile(
    r"(包括|包含|分为|分成|分了|有|涵盖|安排了?)(哪些|哪几|几)(个|项|块|大块)?"
    r"(部分|方面|内容|重点工作|工作|任务|项|块)?(?=[？?。，,！!呢啊吗呀]|$)"
)
# How much of a part's title the question must say (its character pairs): 部门联动 says 2 of the
# 6 pairs of 强化部门间联动; 保障 alone (1 of 5 of 做好支撑保障) names no part
MIN_TITLE_SHARE = 0.3
_NUMBERING = re.compile(
    r"^\s*([一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)])\s*"
)


@dataclass(frozen=True)
class Outline:
    """A part of a document and its titled items, each with the first passage under it."""

    title: str  # the document's
    part: str  # 五、做好支撑保障
    items: tuple[str, ...]  # （九）强化监督落实, …
    passages: tuple[int, ...]  # the first passage of each item (``index.passages``)
    # the character pairs of the part's and each item's title, without their numbers and without
    # the pairs of the document's own title (排污许可 says which document, not which part)
    part_pairs: frozenset[str]
    item_pairs: tuple[frozenset[str], ...]


def document_outlines(index: KnowledgeIndex) -> list[Outline]:
    """Every part of the knowledge base's texts (not articles, not table rows) that holds two or
    more titled items; worked out once per snapshot."""
    if index.outlines is None:
        index.outlines = _outlines(index)
    return index.outlines


def _outlines(index: KnowledgeIndex) -> list[Outline]:
    found: dict[tuple[str, str], dict[str, int]] = {}
    for number, passage in enumerate(index.passages):
        if passage.article or passage.measure is not None or " > " not in (passage.section or ""):
            continue
        part, item = passage.section.split(" > ")[:2]
        found.setdefault((passage.title, part), {}).setdefault(item, number)
    return [
        Outline(
            title,
            part,
            tuple(items),
            tuple(items.values()),
            _heading_pairs(part, title),
            tuple(_heading_pairs(item, title) for item in items),
        )
        for (title, part), items in found.items()
        if len(items) >= 2
    ]


def asked_outline(
    index: KnowledgeIndex, question: str, region: tuple[str | None, str | None] = (None, None)
) -> Outline | None:
    """The part whose items the question asks for (``question`` folded), if one: it asks for
    parts, and says more of that part's title than of any item's. Only the documents an asker
    in ``region`` sees are read (a province's own plan answers only its askers)."""
    if not PARTS_ASKED.search(question):
        return None
    asked = _pairs(question)
    best, best_share, item_share = None, 0.0, 0.0
    for outline in document_outlines(index):
        if not visible_to(index.passages[outline.passages[0]], region):
            continue
        share = _share(outline.part_pairs, asked)
        if share > best_share:
            best, best_share = outline, share
        item_share = max(item_share, *(_share(pairs, asked) for pairs in outline.item_pairs))
    if best is None or best_share < MIN_TITLE_SHARE or best_share <= item_share:
        return None
    return best


def _heading_pairs(heading: str, document: str) -> frozenset[str]:
    return frozenset(_pairs(_NUMBERING.sub("", heading)) - _pairs(document))


def _share(heading: frozenset[str], asked: set[str]) -> float:
    """How much of a heading's pairs the question says."""
    return len(heading & asked) / len(heading) if heading else 0.0


def _pairs(text: str) -> set[str]:
    return set(bigrams(fold(text)))
