"""Documents a question names that the knowledge base does not hold.

"GB 8978第一类污染物有哪些" or "HJ 819里废气的监测频次" asks about one standard: when no
ingested text carries its number, the closest passages (a law's general duty to monitor) do not
answer it, however many words they share with the question. The same holds for a title in
book-title marks (《…》) that appears in no document or passage. Such a question is refused with
the reference named, so the asker knows what the knowledge base lacks; once a bureau ingests
the standard, its number is found and the question is answered as usual.
"""

from __future__ import annotations

import re

from knowledge.index import KnowledgeIndex
from knowledge.normalize import fold

# GB 8978, GB/T 16157, HJ 2.2, HJ 819—2017, GBZ 2.1, DB44/ 27 (a province's local standard)
_STANDARD = re.compile(r"(?<![a-z])(gbz|gb|hj|db\d{2})\s*/?\s*t?\s*(\d+(?:\.\d+)*)")
_TITLE = re.compile(r"《([^《》]{2,60})》")
_SPACES = re.compile(r"\s+")
_CACHE_KEY = "\x00references"


def absent_references(index: KnowledgeIndex, question: str) -> list[str]:
    """The standards (by number) and 《titles》 named in ``question`` that no ingested
    document, passage or FAQ entry contains, as the asker wrote them."""
    folded = fold(question)
    named = [
        (match.group(0).strip().upper(), _compact(match.group(1) + match.group(2)))
        for match in _STANDARD.finditer(folded)
    ]
    named += [(f"《{m.group(1)}》", _compact(m.group(1))) for m in _TITLE.finditer(folded)]
    corpus = _compact_corpus(index)
    return [label for label, key in dict(named).items() if key and key not in corpus]


def _compact(text: str) -> str:
    """Folded, without spaces or the "/T" of recommended standards (GB/T 16157 → gb16157)."""
    return _SPACES.sub("", fold(text)).replace("/t", "").replace("/", "")


def _compact_corpus(index: KnowledgeIndex) -> str:
    """Every title, passage and FAQ text of the snapshot in compact form (built once)."""
    cached = index.text_cache.get(_CACHE_KEY)
    if cached is None:
        parts = {passage.title for passage in index.passages}
        parts.update(passage.text for passage in index.passages)
        parts.update(f"{c.question}\n{c.answer}\n{c.basis}" for c in index.faqs.values())
        cached = index.text_cache[_CACHE_KEY] = "\n".join(_compact(part) for part in parts)
    return cached
