"""Which words of an article the everyday words of a question stand for, learned from questions.

People ask in their words and rules answer in theirs: 处置场啥时候就得关掉，装满了算不算 is
answered by "有下列情形之一的，应当依法办理关闭手续 … 处置的放射性废物已经达到设计容量".
Neither BM25 (关掉 is not 关闭) nor the bundled multilingual encoder bridges that well. The
tuning sets hold thousands of such pairs — a question and the article that answers it — over many
rules, and the same bridges recur from rule to rule (啥时候 → 施行, 日起; 罚多少 → 罚款; 多久 →
之日起, 工作日内; 关掉 → 关闭). A link from a question word to a passage word is kept when the
word is in the right article markedly more often than chance would put it there (log of observed
over expected) and that is seen in questions of several rules, not one: a rule's own vocabulary
is no bridge to another rule.

A passage's ``reach`` of a question is what the links add for the question's words the passage
does not hold itself: for each, its strongest link to a word of the passage. The ranking model
(``knowledge.ranking``) reads it as one more feature; ``bench/fit_ranking.py`` learns the links
(``knowledge/data/term_links.json.gz``, gzip-compressed JSON) together with the model's weights.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

LINKS_PATH = Path(__file__).parent / "data" / "term_links.json.gz"
# a link is kept when this many questions show it, from question sets of this many rules
MIN_QUESTIONS = 3
MIN_SETS = 3
# article numbers and bare numbers name a place in one rule, not a wording
_NO_BRIDGE = re.compile(r"^第[一二三四五六七八九十百零〇0-9]+[条款项章节]$|^[0-9.]+$")


@dataclass(frozen=True)
class TermLinks:
    """Question word → {passage word: strength (log of observed over expected, > 0)}."""

    links: dict[str, dict[str, float]]

    def reach(self, question_words: Iterable[str], passage_words: frozenset[str]) -> float:
        """Per word of the question, the strongest link of those the passage lacks to a word of
        the passage (0 for a word it holds, or with no link to it)."""
        return self.reach_each(question_words, [passage_words])[0]

    def reach_each(
        self, question_words: Iterable[str], passages: Iterable[frozenset[str]]
    ) -> list[float]:
        """``reach`` of one question for each passage's words (``reach_numbered`` over the
        passages' words numbered here: the fit's lists have no index that numbered them)."""
        vocabulary: dict[str, int] = {}
        rows = [number_words(words, vocabulary) for words in passages]
        return list(self.reach_numbered(question_words, vocabulary, rows))

    def numbered(self, word: str, vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """A question word's links as (numbers of the passage words in ``vocabulary``,
        strengths), dropping words no passage has."""
        pairs = [
            (number, strength)
            for target, strength in self.links.get(word, {}).items()
            if (number := vocabulary.get(target)) is not None
        ]
        numbers = np.array([n for n, _ in pairs], dtype=np.int64)
        return numbers, np.array([s for _, s in pairs], dtype=float)

    def number_every_word(
        self, vocabulary: dict[str, int], numbered: dict[str, tuple[np.ndarray, np.ndarray]]
    ) -> None:
        """Fill ``numbered`` (see ``reach_numbered``) for every question word with links, ahead
        of the questions that would each number their new words."""
        for word in self.links:
            if word not in numbered:
                numbered[word] = self.numbered(word, vocabulary)

    def reach_numbered(
        self,
        question_words: Iterable[str],
        vocabulary: dict[str, int],
        rows: list[np.ndarray],
        numbered: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
    ) -> np.ndarray:
        """``reach_each`` for passages whose words are numbered (``vocabulary``; ``rows``: each
        passage's word numbers): the strongest link of each question word to any word of each
        passage is one gather over all the passages' numbers, not a set intersection per word
        and passage. ``numbered``: the words' ``numbered`` links kept from earlier questions over
        the same vocabulary (filled in here)."""
        question_words = tuple(question_words)
        linked = [word for word in question_words if word in self.links]
        if not linked or not rows:
            return np.zeros(len(rows))
        numbered = {} if numbered is None else numbered
        # one column more, always 0: what a passage without words reads
        empty = len(vocabulary)
        strengths = np.zeros((len(linked), empty + 1))
        for j, word in enumerate(linked):
            if word not in numbered:
                numbered[word] = self.numbered(word, vocabulary)
            numbers, values = numbered[word]
            strengths[j, numbers] = values
        rows = [row if len(row) else np.array([empty]) for row in rows]
        starts = np.cumsum([0] + [len(row) for row in rows[:-1]])
        every = np.concatenate(rows)
        best = np.maximum.reduceat(strengths[:, every], starts, axis=1)
        # a question word the passage holds itself needs no link (-1: a word no passage has)
        own = np.array([vocabulary.get(word, -1) for word in linked])
        best[np.logical_or.reduceat(every[None, :] == own[:, None], starts, axis=1)] = 0.0
        # added word by word, as a sum over the question's words reads (numpy's pairwise sum
        # of a long column can differ in the last bit)
        total = np.zeros(len(rows))
        for row in best:
            total += row
        return total / len(question_words)

    def to_json(self) -> dict:
        """The links as stored, strongest first."""
        return {
            word: dict(sorted(((w, round(s, 3)) for w, s in linked.items()), key=_strongest_first))
            for word, linked in sorted(self.links.items())
        }

    @classmethod
    def from_json(cls, data: dict) -> TermLinks:
        return cls({word: dict(linked) for word, linked in data.items()})


def number_words(words: Iterable[str], vocabulary: dict[str, int]) -> np.ndarray:
    """``words`` as numbers, a new word getting the next number of ``vocabulary``."""
    return np.fromiter((vocabulary.setdefault(w, len(vocabulary)) for w in words), np.int64)


def _strongest_first(link: tuple[str, float]) -> tuple[float, str]:
    return -link[1], link[0]


@dataclass(frozen=True)
class Example:
    """A question with an article that answers it: the set it comes from (one per rule), the
    question's words and the words of the right passages."""

    set_name: str
    question_words: frozenset[str]
    answer_words: frozenset[str]


def learn(examples: Iterable[Example], passages: list[frozenset[str]]) -> TermLinks:
    """Links from the examples' questions to their answers' words, against how many of
    ``passages`` (the words of every passage the sets were asked over) hold each word."""
    examples = list(examples)
    holding = Counter(word for words in passages for word in words)
    asked = Counter(word for ex in examples for word in ex.question_words)
    together: Counter[tuple[str, str]] = Counter()
    sets: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for ex in examples:
        for word in ex.question_words - ex.answer_words:
            for answer_word in ex.answer_words:
                if not _NO_BRIDGE.match(answer_word):
                    together[word, answer_word] += 1
                    sets[word, answer_word].add(ex.set_name)
    links: defaultdict[str, dict[str, float]] = defaultdict(dict)
    for (word, answer_word), seen in together.items():
        if seen < MIN_QUESTIONS or len(sets[word, answer_word]) < MIN_SETS:
            continue
        expected = asked[word] * holding[answer_word] / max(len(passages), 1)
        strength = math.log((seen + 0.5) / (expected + 0.5))
        if strength > 0:
            links[word][answer_word] = strength
    return TermLinks(dict(links))


@lru_cache(maxsize=1)
def load_links(path: Path = LINKS_PATH) -> TermLinks:
    """The links shipped with the code."""
    return TermLinks.from_json(json.loads(gzip.decompress(path.read_bytes()).decode("utf-8")))
