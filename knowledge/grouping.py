"""Group similar user questions so an admin curates each topic once.

Questions are compared on character bigrams of their content (question words and fillers such
as 请问/怎么/什么时候 removed), weighted by inverse document frequency over the questions being
grouped plus a background of domain text (the FAQ), so words every permit question shares
(排污、许可) count little and the topic words (延续、执行报告、培训) decide. Clustering is greedy
"leader" clustering: the most frequent wording founds a group and each later wording joins the
group whose centroid it is most similar to, above the threshold, or founds a new one. Unlike
single-link union-find this cannot chain unrelated questions together through a series of near
neighbours.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from knowledge.normalize import bigrams, normalize_text
from knowledge.terms import QUESTION_WORDS

DEFAULT_THRESHOLD = 0.4

# Words that carry the form of a question or a greeting, not its topic: the answering engine's
# question words plus the polite openings users type. Longest first, so 什么时候 goes before 什么.
# Single characters only from a safe list: 有/在/是 also live inside topic words (有效期, 现在).
_SAFE_SINGLE = set("吗 呢 吧 啊 呀 么 的 了 啥 咋 几 谁 哪 我 你 您 请".split())
_FILLERS = sorted(
    {w for w in QUESTION_WORDS if len(w) > 1 or w in _SAFE_SINGLE}
    | set("你好 您好 麻烦 想问 咨询 老师 谢谢 多长时间 怎么弄 咋办".split())
    | _SAFE_SINGLE,
    key=len,
    reverse=True,
)
_FILLER_RE = re.compile("|".join(map(re.escape, _FILLERS)))


def content_text(text: str) -> str:
    """The topic words: normalised like queries (half-width, simplified, lower case, no
    punctuation), question words and greetings removed.

    Removed parts become spaces so no bigram bridges the gap they leave.
    """
    return _FILLER_RE.sub(" ", normalize_text(text))


def question_terms(text: str) -> set[str]:
    """Character bigrams of the Chinese content (a lone character counts as itself), latin words
    and numbers whole (COD, 2024)."""
    return set(bigrams(content_text(text)))


class TermWeights:
    """Inverse document frequency of bigrams over a corpus of questions."""

    def __init__(self, documents: Iterable[set[str]]) -> None:
        counts: Counter[str] = Counter()
        total = 0
        for terms in documents:
            counts.update(terms)
            total += 1
        self._df = counts
        self._n = total

    def idf(self, term: str) -> float:
        """Smoothed IDF; unseen terms weigh most."""
        return math.log((self._n + 1) / (self._df.get(term, 0) + 1)) + 1.0

    def vector(self, terms: set[str]) -> dict[str, float]:
        """A unit-length TF-IDF vector (each bigram counted once)."""
        weights = {t: self.idf(t) for t in terms}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {t: w / norm for t, w in weights.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit vectors stored as dicts."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


@dataclass(frozen=True)
class PendingQuestion:
    """One logged question waiting for an admin: unanswered, or answered but voted unhelpful."""

    log_id: int
    text: str
    province: str | None = None
    city: str | None = None
    asked_at: dt.datetime | None = None
    reason: str = "unanswered"  # "unanswered" | "unhelpful"
    # The text compared for similarity; the knowledge engine's normalised form when there is one
    # (synonyms applied, 法人 → 法定代表人), otherwise the question itself.
    match_text: str = ""
    # What the asker was told, for questions answered but voted unhelpful.
    answer: str = ""

    @property
    def region(self) -> str:
        """Where it was asked, e.g. 江苏省苏州市, or 未知地区."""
        if not self.province:
            return "未知地区"
        if not self.city or self.city == self.province:
            return self.province
        return f"{self.province}{self.city}"


@dataclass
class QuestionGroup:
    """Questions on one topic, represented by its most frequent wording."""

    representative: str
    items: list[PendingQuestion] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def log_ids(self) -> list[int]:
        return sorted(item.log_id for item in self.items)

    @property
    def phrasings(self) -> list[tuple[str, int]]:
        """Distinct wordings with how often each was asked, most frequent first."""
        counts = Counter(item.text.strip() for item in self.items)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    @property
    def regions(self) -> list[tuple[str, int]]:
        """Regions the questions came from with their counts, most frequent first."""
        counts = Counter(item.region for item in self.items)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    @property
    def unanswered(self) -> int:
        return sum(1 for item in self.items if item.reason == "unanswered")

    @property
    def unhelpful(self) -> int:
        return sum(1 for item in self.items if item.reason == "unhelpful")

    @property
    def unhelpful_answers(self) -> list[tuple[str, str]]:
        """(question, answer given) for the distinct answers voted unhelpful, newest first."""
        seen: dict[str, str] = {}
        for item in self.items:
            if item.reason == "unhelpful" and item.answer and item.answer not in seen:
                seen[item.answer] = item.text
        return [(question, answer) for answer, question in seen.items()]

    @property
    def last_asked_at(self) -> dt.datetime | None:
        times = [item.asked_at for item in self.items if item.asked_at is not None]
        return max(times) if times else None


def group_questions(
    questions: Sequence[PendingQuestion],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    background: Iterable[str] = (),
) -> list[QuestionGroup]:
    """Group similar questions; groups ranked by size, then by the latest question.

    Args:
        questions: the questions to group; identical wordings always share a group.
        threshold: minimum TF-IDF cosine of a wording to its group's centroid.
        background: more domain questions (e.g. FAQ questions) to learn the term weights from.
    """
    if not questions:
        return []
    by_key: dict[str, list[PendingQuestion]] = defaultdict(list)
    for question in questions:
        key = content_text(question.match_text or question.text)
        by_key[" ".join(key.split()) or question.text.strip()].append(question)
    terms = {key: question_terms(key) for key in by_key}
    weights = TermWeights([*terms.values(), *(question_terms(t) for t in background)])
    vectors = {key: weights.vector(t) for key, t in terms.items()}

    def latest(items: list[PendingQuestion]) -> dt.datetime:
        times = [i.asked_at for i in items if i.asked_at is not None]
        return max(times) if times else _EPOCH

    # Most asked first, so leaders are the common wordings; ties broken for a stable result.
    order = sorted(by_key, key=lambda k: (-len(by_key[k]), -latest(by_key[k]).timestamp(), k))
    # Two passes of the same clustering: wordings into groups, then groups whose centroids are
    # alike merged, so the result depends less on which wording happened to come first.
    first = _leader_clusters([vectors[key] for key in order], threshold)
    merged = _leader_clusters([centroid for centroid, _ in first], threshold)
    clusters = [[order[i] for g in groups_ for i in first[g][1]] for _, groups_ in merged]

    groups = []
    for keys in clusters:
        items = [q for key in keys for q in by_key[key]]
        items.sort(key=lambda q: q.asked_at or _EPOCH, reverse=True)
        representative = Counter(q.text.strip() for q in by_key[keys[0]]).most_common(1)[0][0]
        groups.append(QuestionGroup(representative=representative, items=items))
    groups.sort(key=lambda g: (-g.count, -(g.last_asked_at or _EPOCH).timestamp()))
    return groups


_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


def _leader_clusters(
    vectors: list[dict[str, float]], threshold: float
) -> list[tuple[dict[str, float], list[int]]]:
    """Greedy clustering of vectors in the given order: (unit centroid, member indexes) per cluster.

    Each vector joins the cluster whose centroid it is most similar to, if at least
    ``threshold``, else founds a new one. Candidate clusters come from an inverted index on
    terms, so only clusters sharing a term are scored.
    """
    sums: list[dict[str, float]] = []
    squares: list[float] = []  # kept up to date term by term: recomputing it was quadratic
    norms: list[float] = []
    members: list[list[int]] = []
    postings: dict[str, list[int]] = defaultdict(list)
    for position, vector in enumerate(vectors):
        dots: dict[int, float] = defaultdict(float)
        for term, weight in vector.items():
            for index in postings.get(term, ()):
                dots[index] += weight * sums[index][term]
        best_index, best_score = None, threshold
        for index in sorted(dots):
            score = dots[index] / norms[index]
            if score >= best_score and (best_index is None or score > best_score):
                best_index, best_score = index, score
        if best_index is None:
            best_index = len(sums)
            sums.append({})
            squares.append(0.0)
            norms.append(1.0)
            members.append([])
        members[best_index].append(position)
        total = sums[best_index]
        for term, weight in vector.items():
            before = total.get(term)
            if before is None:
                before = 0.0
                postings[term].append(best_index)
            total[term] = before + weight
            squares[best_index] += weight * (2 * before + weight)
        norms[best_index] = math.sqrt(max(squares[best_index], 0.0)) or 1.0
    return [
        ({t: w / norm for t, w in total.items()}, group)
        for total, norm, group in zip(sums, norms, members, strict=True)
    ]


def similarity(a: str, b: str, *, background: Iterable[str] = ()) -> float:
    """TF-IDF cosine of two questions, weights learnt from the pair and ``background``."""
    ta, tb = question_terms(a), question_terms(b)
    weights = TermWeights([ta, tb, *(question_terms(t) for t in background)])
    return cosine(weights.vector(ta), weights.vector(tb))
