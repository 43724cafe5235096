"""Hybrid ranking, FAQ matching and the decision to answer or refuse.

Ranking: BM25 (character bigrams + jieba words) and dense cosine similarity are each standardised
over the passages (z-scores), then mixed with weight ``alpha``; a passage must win on both kinds of
evidence to stay on top, which is what lifts hit@1 above either ranker alone.

Refusal: out-of-scope questions often share words with the plan (许可, 排放, 工作), so no single score
separates them. We combine three signals into a confidence between 0 and 1:

- coverage: the share of the question's content (its bigrams weighted by IDF, after dropping
  question words such as 什么/怎么/多少) that the best passage contains; a question about 氨氮浓度
  or 工作日 leaves its rarest bigrams uncovered;
- the fused score of the best passage (how far above the crowd it stands);
- the margin to the second passage.

The weights and the threshold are calibrated on ``../shared/eval/dev_qa.jsonl`` (see
``bench/qa_bench.py``), with no rule about any particular question.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from knowledge.index import KnowledgeIndex, Passage, tokens
from knowledge.normalize import bigrams

MODES = ("hybrid", "bm25", "dense")

# Words that make a sentence a question but carry no content; removed before measuring coverage.
QUESTION_WORDS = sorted(
    {
        "什么时候", "什么", "怎么样", "怎么办", "怎么", "怎样", "如何", "哪些", "哪个", "哪一级", "哪一",
        "哪里", "哪儿", "哪", "多少", "多久", "几个", "几号", "几天", "几", "吗", "呢", "吧", "啊", "呀",
        "是否", "是不是", "会不会", "能不能", "可不可以", "有没有", "要不要", "需不需要", "请问", "请",
        "一下", "我们", "我", "你们", "你", "您", "他们", "的", "了", "在", "是", "有", "要", "需要",
        "应该", "可以", "能", "会", "谁", "由谁", "给谁", "时候", "干嘛", "干啥", "啥", "咋", "说",
        "是指", "指", "意思", "一般", "具体", "还有", "除了", "以后", "之后", "期间", "里", "上面",
        "下来", "为什么", "为啥", "目的", "和", "与", "及", "或", "都", "也", "就", "还", "对",
        "被", "把", "让", "这个", "那个", "这", "那", "到底", "现在", "目前", "关于", "相关",
    },
    key=len,
    reverse=True,
)
_QUESTION_RE = re.compile("|".join(re.escape(w) for w in QUESTION_WORDS))


@dataclass
class Params:
    """Tunable knobs of ranking and refusal (defaults calibrated on the dev set)."""

    alpha: float = 0.5  # weight of BM25 against dense in the fusion
    answer_threshold: float = 0.42  # confidence below this: refuse
    faq_threshold: float = 0.72  # FAQ match strength needed to answer with the FAQ entry
    w_coverage: float = 0.55
    w_fused: float = 0.35
    w_margin: float = 0.10


DEFAULT_PARAMS = Params()


@dataclass
class Hit:
    """One ranked passage with its scores."""

    passage: Passage
    score: float  # fused, standardised
    bm25: float
    dense: float
    coverage: float


@dataclass
class FaqMatch:
    """The best FAQ entry for the question and how strongly it matches."""

    faq_id: int
    phrasing: str
    strength: float


@dataclass
class Retrieval:
    """Everything the answering step needs."""

    prepared: str
    hits: list[Hit]
    confidence: float
    answered: bool
    faq: FaqMatch | None = None
    features: dict[str, float] = field(default_factory=dict)


def content_of(prepared: str) -> str:
    """The question with its question words removed (spaces mark where they were)."""
    return _QUESTION_RE.sub(" ", prepared)


def _zscore(values: np.ndarray) -> np.ndarray:
    if len(values) == 0:
        return values
    std = float(values.std())
    if std < 1e-9:
        return np.zeros_like(values)
    return (values - float(values.mean())) / std


def _coverage(index: KnowledgeIndex, query_grams: list[str], passage_prepared: str) -> float:
    if not query_grams:
        return 0.0
    present = set(bigrams(passage_prepared))
    bm25 = index.passage_index.bm25
    total = covered = 0.0
    for gram in set(query_grams):
        weight = bm25.idf(gram)
        total += weight
        if gram in present:
            covered += weight
    return covered / total if total else 0.0


def _squash(x: float, centre: float, scale: float) -> float:
    return 1.0 / (1.0 + math.exp(-(x - centre) / scale))


def retrieve(
    index: KnowledgeIndex,
    question: str,
    *,
    k: int = 5,
    mode: str = "hybrid",
    params: Params = DEFAULT_PARAMS,
) -> Retrieval:
    """Rank the passages for a question, match the FAQ, and decide whether to answer."""
    prepared = index.prepare(question)
    query_tokens = tokens(prepared)
    content = content_of(prepared)
    query_grams = bigrams(content)
    need_dense = mode in ("hybrid", "dense") and index.embedder is not None
    vector = index.embed_query(prepared) if need_dense and (len(index.passages) or len(index.faq_items)) else None

    faq = _match_faq(index, query_tokens, query_grams, vector, mode) if index.faq_items else None

    n = len(index.passages)
    if n == 0:
        return Retrieval(prepared, [], 0.0, bool(faq and faq.strength >= params.faq_threshold), faq)
    bm25 = index.passage_index.bm25.scores(query_tokens)
    dense = index.passage_index.dense_scores(vector) if vector is not None else np.zeros(n, np.float32)
    if mode == "bm25" or vector is None:
        fused = _zscore(bm25)
    elif mode == "dense":
        fused = _zscore(dense)
    else:
        fused = params.alpha * _zscore(bm25) + (1 - params.alpha) * _zscore(dense)
    order = np.argsort(-fused, kind="stable")[: max(k, 2)]
    hits = [
        Hit(
            passage=index.passages[i],
            score=float(fused[i]),
            bm25=float(bm25[i]),
            dense=float(dense[i]),
            coverage=_coverage(index, query_grams, index.passage_index.prepared[i]),
        )
        for i in order
    ]
    top = hits[0]
    margin = top.score - hits[1].score if len(hits) > 1 else top.score
    features = {"coverage": top.coverage, "fused": top.score, "margin": margin}
    confidence = (
        params.w_coverage * top.coverage
        + params.w_fused * _squash(top.score, 2.0, 0.6)
        + params.w_margin * _squash(margin, 0.5, 0.3)
    )
    if not query_grams:  # nothing but question words: there is nothing to look up
        confidence = 0.0
    answered = confidence >= params.answer_threshold
    if faq is not None and faq.strength >= params.faq_threshold:
        answered = True
        confidence = max(confidence, faq.strength)
    return Retrieval(prepared, hits[:k], float(min(max(confidence, 0.0), 1.0)), answered, faq, features)


def _match_faq(
    index: KnowledgeIndex,
    query_tokens: list[str],
    query_grams: list[str],
    vector: np.ndarray | None,
    mode: str,
) -> FaqMatch | None:
    """The best phrasing: bigram overlap both ways (F1 over content bigrams) mixed with cosine."""
    collection = index.faq_index
    bm25 = collection.bm25.scores(query_tokens)
    dense = collection.dense_scores(vector) if vector is not None else None
    candidates = set(np.argsort(-bm25)[:10].tolist())
    if dense is not None:
        candidates |= set(np.argsort(-dense)[:10].tolist())
    query_set = set(query_grams)
    best: FaqMatch | None = None
    for i in candidates:
        phrase_set = set(bigrams(content_of(collection.prepared[i])))
        if query_set and phrase_set:
            common = len(query_set & phrase_set)
            precision, recall = common / len(query_set), common / len(phrase_set)
            overlap = 2 * precision * recall / (precision + recall) if common else 0.0
        else:
            overlap = 0.0
        if dense is not None and mode != "bm25":
            strength = 0.5 * overlap + 0.5 * max(float(dense[i]), 0.0)
            if mode == "dense":
                strength = max(float(dense[i]), 0.0)
        else:
            strength = overlap
        if best is None or strength > best.strength:
            item = index.faq_items[i]
            best = FaqMatch(item.faq_id, item.text, strength)
    return best
