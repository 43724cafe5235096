"""Composing the reply: which passage or FAQ entry answers, what to quote of it, what it cites.

- A FAQ entry answers when its match is strong and no passage answers the question better; its
  basis (依据：《排污许可管理条例》第十四条, 行动计划措施33) is resolved to the passages it names,
  and only those are shown as its sources.
- A passage is quoted whole when short; otherwise the 款 (paragraph, with its list items) that
  answers, and within a long 款 the sentence — chosen by the words of the question and by the kind
  of answer it asks for (``knowledge.intent``: a duration, days, a fine, who, a deadline …).
- Every quote names the document and the article or measure it comes from.
- A refusal cites nothing and offers questions the knowledge base can answer.
"""

from __future__ import annotations

import re

from knowledge import texts
from knowledge.index import KnowledgeIndex, Passage
from knowledge.intent import INTENTS, Intent, answer_fit
from knowledge.normalize import bigrams, fold, normalize_text
from knowledge.outlines import Outline
from knowledge.rerank import opens_a_legal_text
from knowledge.retrieval import (
    TIME_ASKED,
    Hit,
    Params,
    Retrieval,
    coverage,
    measure_of_the_same_item,
    query_units,
)
from knowledge.schemas import Source

QUOTE_WHOLE_CHARS = 150
# an article of several 款 is quoted whole only when very short; else the 款 that answers
QUOTE_WHOLE_BLOCKS_CHARS = 80
# weight of "has the shape of the answer asked for" against the question's words in a sentence
INTENT_WEIGHT = 0.6
_SENTENCE_END = re.compile(r"(?<=[。；！？])")
_ITEM = re.compile(r"^[（(][零〇一二三四五六七八九十百]+[）)]|^\d{1,2}[.．、](?!\d)")
_MEASURE_REF = re.compile(r"措施\s*(\d{1,3})")
_ARTICLE_REF = re.compile(r"第[零〇一二三四五六七八九十百千0-9]+条")
_TITLE_REF = re.compile(r"《([^》]{2,80})》")
_PART_REF = re.compile(r"第([一二三四五六七八九十]+)部分(?:（([一二三四五六七八九十]+)）)?")


def source_of(passage: Passage, score: float) -> Source:
    """A passage as an answer cites it."""
    return Source(
        title=passage.title,
        section=passage.section,
        article=passage.article,
        measure=passage.measure,
        deadline=passage.deadline,
        departments=passage.departments,
        text=passage.text,
        score=round(score, 4),
    )


def compose(
    index: KnowledgeIndex, found: Retrieval, params: Params
) -> tuple[bool, str, list[Source], list[str], int | None]:
    """(answered, reply, sources, suggestions, faq_id) for a retrieval."""
    faq = found.faq
    if found.faq_answers and faq is not None and faq.faq_id in index.faqs:
        card = index.faqs[faq.faq_id]
        reply = card.answer
        if card.basis and card.basis not in reply:
            reply = f"{reply}\n{texts.BASIS.format(basis=card.basis)}"
        return True, reply, basis_sources(index, card.basis), [], card.faq_id
    if found.answered and found.hits:
        sources = [source_of(h.passage, h.score) for h in cited_hits(found.hits)]
        reply = quote(index, found) if found.outline is None else outline_reply(found.outline)
        return True, reply, sources, [], None
    # A refusal cites nothing: the closest passages did not answer, and quoting them would
    # suggest they did. The suggestions point the asker at what the knowledge base does hold.
    if found.absent:
        refusal = texts.REFUSAL_ABSENT.format(references="、".join(found.absent))
        return False, refusal, [], suggestions(index, found), None
    if found.unknown_subjects:
        refusal = texts.REFUSAL_UNKNOWN_SUBJECT.format(subjects="、".join(found.unknown_subjects))
        return False, refusal, [], suggestions(index, found), None
    return False, texts.REFUSAL, [], suggestions(index, found), None


# How far (in standard deviations of the fused score) a passage of another document may stand
# below the third source and still take its place
OTHER_DOCUMENT_MARGIN = 0.5


def cited_hits(hits: list[Hit], limit: int = 3) -> list[Hit]:
    """The passages cited: the best ``limit`` distinct articles, the last place going to another
    document's passage when the best ones all come from one document and it scores nearly as
    well. A regulation often restates its law (建设项目环境保护管理条例 第七条 and 环境影响评价法
    第十六条 both sort projects into 报告书/报告表/登记表); the asker should see both, not a third
    article of the same law."""
    distinct = _distinct(hits)
    cited = distinct[:limit]
    if len(cited) < limit or len({h.passage.title for h in cited}) > 1:
        return cited
    other = next((h for h in distinct[limit:] if h.passage.title != cited[0].passage.title), None)
    if other is not None and cited[-1].score - other.score <= OTHER_DOCUMENT_MARGIN:
        cited[-1] = other
    return cited


def _distinct(hits: list[Hit]) -> list[Hit]:
    """Hits without a second piece of the same article (a long article is cut at its 款)."""
    seen: set[tuple] = set()
    out = []
    for hit in hits:
        p = hit.passage
        key = (p.title, p.article) if p.article else (p.chunk_id,)
        if key not in seen:
            seen.add(key)
            out.append(hit)
    return out


def basis_sources(index: KnowledgeIndex, basis: str) -> list[Source]:
    """The passages a FAQ entry's basis names: 措施33 of the plan, 《…条例》第十四条 …

    A basis naming nothing ingested yields no sources: nothing is shown as a basis that is not.
    """
    out: list[Source] = []
    for number in _MEASURE_REF.findall(basis or ""):
        i = index.by_measure.get(int(number))
        if i is not None:
            out.append(source_of(index.passages[i], 1.0))
    for part, sub in _PART_REF.findall(basis or ""):
        for passage in index.passages:
            section = passage.section or ""
            if section.startswith(f"{part}、") and (not sub or f"（{sub}）" in section):
                out.append(source_of(passage, 1.0))
                break
    articles = _ARTICLE_REF.findall(basis or "")
    if articles:
        titles = [fold(t) for t in _TITLE_REF.findall(basis)]
        for passage in index.passages:
            if passage.article not in articles:
                continue
            title = fold(passage.title)
            if titles and not any(t in title or title in t for t in titles):
                continue
            out.append(source_of(passage, 1.0))
    seen: set[tuple] = set()
    unique = []
    for source in out:
        key = (source.title, source.article, source.measure, source.text)
        if key not in seen:
            seen.add(key)
            unique.append(source)
    return unique[:3]


def outline_reply(outline: Outline) -> str:
    """A part's items, one a line (its paragraphs are the sources)."""
    return texts.OUTLINE.format(
        title=outline.title,
        part=outline.part,
        count=len(outline.items),
        items="\n".join(outline.items),
    )


def quote(index: KnowledgeIndex, found: Retrieval) -> str:
    """Quote the best passage: whole when short, else the 款 or sentence that answers."""
    p = found.hits[0].passage
    # the citation names the article: the quote starts with its text, not its number again
    text = excerpt(index, found, p)
    if p.article:
        text = _without_label(text, p.article)
    reply = texts.QUOTE.format(where=p.citation(), text=text)
    row = p if p.measure is not None else _row_giving_the_time(found)
    if row is not p and row is not None:
        reply += "\n" + texts.ITS_MEASURE.format(where=row.citation(), text=row.text)
    if row is not None and (row.deadline or row.departments):
        reply += "\n" + texts.MEASURE_FACTS.format(
            deadline=row.deadline or texts.UNKNOWN, departments=row.departments or texts.UNKNOWN
        )
    return reply


# a paragraph that gives a date itself (2022年底前全面完成限期整改) answers "by when" on its own
_DEADLINE = next(intent for intent in INTENTS if intent.name == "deadline")


def _row_giving_the_time(found: Retrieval) -> Passage | None:
    """信用公示模块几时上线: a plan's paragraph says what is to be done, the measure table's row
    of the same item says by when (完成时限). When the time is asked, the paragraph stands first
    and gives no date, the row of the same item among the other cited passages is quoted after
    it (only a cited one: a quote shows nothing the sources do not)."""
    if _DEADLINE.answers.search(found.hits[0].passage.text):
        return None
    if not any(i.name in TIME_ASKED for i in found.asked_intents):
        return None
    row = measure_of_the_same_item(cited_hits(found.hits), dated=True)
    return row.passage if row is not None else None


def _without_label(text: str, article: str) -> str:
    """The quote without the article or clause number it starts with (第十四条, 4.2.6): every
    passage of an article starts with it; a later 款 quoted alone does not, and keeps its own
    words even when they begin 第二十条规定的…"""
    if text.startswith(article):
        return text[len(article) :].lstrip(" \u3000") or text
    return text


class _SentenceScorer:
    """How well a piece of text answers the question: its words as typed and as expanded by the
    synonyms, adjacent characters as typed, and the shape of the answer asked for."""

    def __init__(self, index: KnowledgeIndex, found: Retrieval, context: str | None) -> None:
        self.index = index
        # Words of the section heading (``context``) chose the passage; they say nothing about
        # which of its sentences answers.
        heading = index.prepare(context or "").replace(" ", "")
        self.expanded = [u for u in query_units(found.prepared) if u[0] not in heading]
        asked = normalize_text(found.question)
        self.as_asked = [u for u in query_units(asked) if u[0] not in heading]
        self.pairs = {b for b in bigrams(asked) if len(b) == 2}
        self.intents: list[Intent] = found.asked_intents

    def __call__(self, text: str) -> float:
        plain, prepared = self.index.forms_of_piece(text)
        return (
            coverage(self.index, self.as_asked, plain)
            + coverage(self.index, self.expanded, prepared)
            + 0.5 * sum(b in plain for b in self.pairs) / max(len(self.pairs), 1)
            + INTENT_WEIGHT * answer_fit(self.intents, text)
        )


def excerpt(index: KnowledgeIndex, found: Retrieval, passage: Passage) -> str:
    """The part of the passage that answers, marked …… where text was left out."""
    text = passage.text
    blocks = _blocks(text)
    if len(text) <= (QUOTE_WHOLE_BLOCKS_CHARS if len(blocks) > 1 else QUOTE_WHOLE_CHARS):
        return text
    # In a law's opening lines the title recurs (关于修改〈…〉的决定): the line that answers is the
    # one with what was asked (通过, 公布), not the one repeating the name the question gave.
    context = passage.title if opens_a_legal_text(index, passage) else passage.section
    score = _SentenceScorer(index, found, context)
    if len(blocks) > 1:
        best = max(range(len(blocks)), key=lambda i: (score(blocks[i]), -i))
        block = blocks[best]
        if len(block) <= QUOTE_WHOLE_CHARS:
            return _mark(block, best > 0, best < len(blocks) - 1)
        quoted, before, after = _best_sentences(block, score)
        return _mark(quoted, before or best > 0, after or best < len(blocks) - 1)
    quoted, before, after = _best_sentences(text, score)
    return _mark(quoted, before, after)


def _blocks(text: str) -> list[str]:
    """The 款 of an article: each paragraph with the list items (项, 目) that follow it."""
    blocks: list[str] = []
    for line in text.split("\n"):
        if blocks and _ITEM.match(line):
            blocks[-1] += "\n" + line
        elif line.strip():
            blocks.append(line)
    return blocks


def _best_sentences(text: str, score: _SentenceScorer) -> tuple[str, bool, bool]:
    """The sentence that answers best (with its neighbour when short), and whether text was
    left out before and after it."""
    sentences = [s for s in _SENTENCE_END.split(text.replace("\n", "")) if s.strip()]
    if len(sentences) < 2:
        return text, False, False
    scores = [score(s) for s in sentences]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    first, last = best, best
    if len(sentences[best]) < 60 and best + 1 < len(sentences):
        last += 1
    quoted = "".join(sentences[first : last + 1])
    return quoted, first > 0, last < len(sentences) - 1


def _mark(quoted: str, before: bool, after: bool) -> str:
    return ("……" if before else "") + quoted + ("……" if after else "")


SUGGEST_MIN_FAQ = 0.3
SUGGEST_MIN_COVERAGE = 0.1


def suggestions(index: KnowledgeIndex, found: Retrieval) -> list[str]:
    """Up to three questions the asker may have meant, each answerable if asked as it stands:
    the closest FAQ questions, then the headings or measures of passages that share some of the
    question's content; failing those, the closest passages anyway (what the base does hold)."""
    out: list[str] = []
    for match in found.faq_candidates:
        if match.strength >= SUGGEST_MIN_FAQ and match.faq_id in index.faqs:
            out.append(index.faqs[match.faq_id].question)
        if len(out) >= 3:
            return out
    related = [h for h in found.hits if h.coverage >= SUGGEST_MIN_COVERAGE]
    for hit in related or found.hits:
        if len(out) >= 3:
            break
        label = _suggestion_for(hit.passage)
        if label and label not in out:
            out.append(label)
    return out


def _suggestion_for(p: Passage) -> str | None:
    if p.article:
        return texts.SUGGEST_ARTICLE.format(title=p.title, article=p.article)
    if p.measure is not None:
        return texts.SUGGEST_MEASURE.format(measure=p.measure, text=_short(p.text))
    if p.section:
        heading = re.sub(r"^[（(][^）)]+[）)]|^[一二三四五六七八九十]+、", "", p.heading)
        return texts.SUGGEST_SECTION.format(section=heading)
    return None


def _short(text: str, limit: int = 24) -> str:
    first = re.split(r"[，。,；;]", text, maxsplit=1)[0]
    return first if len(first) <= limit else first[:limit] + "…"
