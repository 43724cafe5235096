"""The in-memory search index: BM25 over normalised text and dense vectors in faiss.

A ``KnowledgeIndex`` is an immutable snapshot of the passages (chunks of ingested documents),
the active FAQ phrasings and the synonym dictionary, built from the database. The
``IndexManager`` keeps one per process and swaps it when the database's index version changes
(``knowledge_index_state``), so every worker picks up an ingest or a FAQ edit on its next request
without a restart. Dense vectors are the only costly part; they are cached on disk under
``DATA_DIR/index/<embedder>/`` keyed by a hash of the text, so a rebuild embeds only new texts and
a restarted process embeds nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import faiss
import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.db import utcnow
from knowledge.bm25 import BM25
from knowledge.embedder import Embedder
from knowledge.models import (
    DOCUMENT_ACTIVE,
    FAQ_ACTIVE,
    Chunk,
    Document,
    FaqEntry,
    IndexState,
    Synonym,
)
from knowledge.normalize import SynonymMap, fold, normalize_text, prepare
from knowledge.term_links import number_words
from knowledge.terms import general_idf, tokens, words

if TYPE_CHECKING:  # outlines are built from a snapshot's passages
    from knowledge.outlines import Outline

logger = logging.getLogger(__name__)

Tokenizer = Callable[[str], list[str]]


# ---- the snapshot -------------------------------------------------------------------------


DENSE_CHARS = 256


def dense_text_for(section: str | None, text: str) -> str:
    """What the embedder reads of a passage: its last heading and the start of its text."""
    heading = section.split(" > ")[-1] if section else ""
    return (f"{heading}。{text}" if heading else text)[:DENSE_CHARS]


# A long passage is also read in overlapping windows beyond its start, each under its heading:
# the sentence encoder averages over its input, so the item of a penalty article's list that a
# question is about (（五）未按照规定设置大气污染物排放口的) must be read on its own.
DENSE_OVERLAP = 64


def dense_texts_for(section: str | None, text: str) -> list[str]:
    """What the embedder reads of a passage, piece by piece: the start (``dense_text_for``)
    and, for a long passage, windows of the rest (overlapping by ``DENSE_OVERLAP`` characters)."""
    first = dense_text_for(section, text)
    heading = section.split(" > ")[-1] if section else ""
    lead = f"{heading}。" if heading else ""
    body = DENSE_CHARS - len(lead)
    if len(text) <= body or body <= 2 * DENSE_OVERLAP:
        return [first]
    step = body - DENSE_OVERLAP
    return [first] + [
        lead + text[start : start + body]
        for start in range(body - DENSE_OVERLAP, len(text) - DENSE_OVERLAP, step)
    ]


@dataclass(frozen=True)
class Passage:
    """A chunk as the index sees it."""

    chunk_id: int
    title: str
    section: str | None
    measure: int | None
    deadline: str | None
    departments: str | None
    text: str
    article: str | None = None
    # the region of a regional document (local rules): only askers there see its passages
    province: str | None = None
    city: str | None = None

    @property
    def heading(self) -> str:
        """The last heading of its section path (（七）强化执法正面清单管理…), "" without one: a
        plan's body and its measure table name an item alike, though they number parts apart."""
        return self.section.split(" > ")[-1] if self.section else ""

    def index_text(self) -> str:
        """What BM25 reads: the section path, the measure number, the text (which starts with
        its article number in a legal text)."""
        parts = []
        if self.section:
            parts.append(self.section)
        if self.measure is not None:
            parts.append(f"措施{self.measure}")
        parts.append(self.text)
        return "。".join(parts)

    def citation(self) -> str:
        """Where the passage sits, as people cite it: 《…条例》第十四条, or the measure, or the
        heading."""
        where = f"《{self.title}》"
        if self.article:
            return where + self.article
        if self.measure is not None:
            return where + f"具体工作措施第{self.measure}条"
        return where + self.heading

    def dense_text(self) -> str:
        """What the embedder reads first: the last section heading and the start of the text.

        Capped at ``DENSE_CHARS``: the sentence encoder averages over its input, so a long
        passage is read in further windows as well (``dense_texts_for``); the passage scores
        its best window.
        """
        return dense_text_for(self.section, self.text)


@dataclass(frozen=True)
class FaqItem:
    """One phrasing of an active FAQ entry (the question itself is one of them)."""

    faq_id: int
    text: str


@dataclass(frozen=True)
class FaqCard:
    """What an answer needs from a FAQ entry."""

    faq_id: int
    question: str
    answer: str
    basis: str
    tags: str
    province: str | None = None
    city: str | None = None


# the most entries a per-snapshot cache keyed by question words keeps
CACHED_WORDS = 50_000
# … and one keyed by whole texts (questions, pieces of passages: up to 500 characters each)
CACHED_TEXTS = 4096


def members(bits: int) -> list[int]:
    """The numbers of the set bits of ``bits`` (item sets are kept as the bits of an int)."""
    found = []
    while bits:
        low = bits & -bits
        found.append(low.bit_length() - 1)
        bits ^= low
    return found


@dataclass
class Collection:
    """Texts searchable by BM25 and by dense vectors."""

    prepared: list[str]
    token_lists: list[list[str]]
    bm25: BM25
    vectors: faiss.Index | None
    _matrix: np.ndarray | None = None
    # first vector of each item when an item has several (a long passage, piece by piece): an
    # item scores its best piece; None: one vector per item
    starts: np.ndarray | None = None
    # each item's jieba words (``knowledge.term_links`` reads a passage's), cut with its tokens
    word_sets: list[frozenset[str]] = field(default_factory=list)

    # character (pair) → the items holding it, as the bits of an int: built on first use
    _holders: dict[str, int] | None = None
    # every item's words as numbers (word → number, and each item's numbers): built on first use
    _word_numbers: tuple[dict[str, int], list[np.ndarray]] | None = None
    # the links object and its question words' links over these numbers (``linked_numbers``)
    _linked_numbers: tuple[object, dict] | None = None

    def __len__(self) -> int:
        return len(self.prepared)

    def word_numbers(self) -> tuple[dict[str, int], list[np.ndarray]]:
        """The items' words numbered: word → number, and each item's words as an array of
        numbers (``knowledge.term_links`` looks up many items' words at once by them)."""
        if self._word_numbers is None:
            vocabulary: dict[str, int] = {}
            rows = [number_words(item, vocabulary) for item in self.word_sets]
            self._word_numbers = vocabulary, rows
        return self._word_numbers

    def linked_numbers(self, links: object) -> dict:
        """Where ``TermLinks.reach_numbered`` keeps each question word's links over these items'
        word numbers: numbered once per snapshot, not per question; started afresh when the
        links are another object (reloaded)."""
        if self._linked_numbers is None or self._linked_numbers[0] is not links:
            self._linked_numbers = links, {}
        return self._linked_numbers[1]

    def containing(self, text: str) -> list[int]:
        """Numbers of the items whose prepared text contains ``text``, in order."""
        return members(self.containing_bits(text))

    def containing_bits(self, text: str) -> int:
        """The items whose prepared text contains ``text``, as the bits of an int (bit i: item i).

        Every new word of every question asks this (how rare it is, which documents use it): the
        items holding each of its character pairs are intersected, and only those left are read.
        """
        holders = self._holders if self._holders is not None else self._build_holders()
        keys = [text] if len(text) == 1 else [text[i : i + 2] for i in range(len(text) - 1)]
        bits = -1
        for key in keys:
            bits &= holders.get(key, 0)
            if not bits:
                return 0
        if bits == -1 or len(text) <= 2:  # an empty text; or the pair itself: nothing to check
            return max(bits, 0)
        exact, rest = 0, bits
        while rest:
            low = rest & -rest
            if text in self.prepared[low.bit_length() - 1]:
                exact |= low
            rest ^= low
        return exact

    def _build_holders(self) -> dict[str, int]:
        holders: dict[str, int] = {}
        for i, item in enumerate(self.prepared):
            bit = 1 << i
            for key in {*item, *(item[j : j + 2] for j in range(len(item) - 1))}:
                holders[key] = holders.get(key, 0) | bit
        self._holders = holders
        return holders

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of the query with every item (items are unit vectors).

        Fusion needs every item's score, not a top-k: a flat inner product over the faiss
        index's own storage, without the k-selection of ``search``.
        """
        return self.dense_best_and_first(query_vector)[0]

    def dense_best_and_first(self, query_vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cosine similarity of each item's best vector, and of its first (the start of a long
        passage, as ``dense_text_for`` reads it)."""
        if self.vectors is None or self.vectors.ntotal == 0:
            zeros = np.zeros(len(self), dtype=np.float32)
            return zeros, zeros
        scores = self._vector_matrix() @ np.asarray(query_vector, dtype=np.float32)
        if self.starts is None:
            return scores, scores
        return np.maximum.reduceat(scores, self.starts), scores[self.starts]

    def _vector_matrix(self) -> np.ndarray:
        if self._matrix is None:
            self._matrix = faiss.rev_swig_ptr(
                self.vectors.get_xb(), self.vectors.ntotal * self.vectors.d
            )
            self._matrix = np.asarray(self._matrix, dtype=np.float32).reshape(
                self.vectors.ntotal, -1
            )
        return self._matrix

    def windows_of(self, item: int) -> np.ndarray:
        """The vectors of item ``item``'s pieces (one unless it is long)."""
        matrix = self._vector_matrix()
        if self.starts is None:
            return matrix[item : item + 1]
        end = self.starts[item + 1] if item + 1 < len(self.starts) else len(matrix)
        return matrix[self.starts[item] : end]

    def best_window_scores(self, query_vector: np.ndarray, items: np.ndarray) -> np.ndarray:
        """Each of ``items``' best similarity with ``query_vector`` over its pieces."""
        return best_of_windows((self.windows_of(int(i)) for i in items), query_vector)


def best_of_windows(windows: Iterable[np.ndarray], query_vector: np.ndarray) -> np.ndarray:
    """For each item's piece vectors, the best similarity with ``query_vector``."""
    vector = np.asarray(query_vector, dtype=np.float32)
    return np.array([float((rows @ vector).max()) for rows in windows])


class QueryCache:
    """Vectors of recent questions: people ask the same things, and embedding is the slow step."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> np.ndarray | None:
        """The cached vector, marked as recently used."""
        with self._lock:
            vector = self._items.get(key)
            if vector is not None:
                self._items.move_to_end(key)
            return vector

    def put(self, key: str, vector: np.ndarray) -> None:
        """Remember a vector, forgetting the least recently used beyond ``size``."""
        with self._lock:
            self._items[key] = vector
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (the benchmark times uncached questions)."""
        with self._lock:
            self._items.clear()


@dataclass
class KnowledgeIndex:
    """An immutable snapshot of everything searchable, for one index version."""

    token: str
    version: int
    synonyms: SynonymMap
    passages: list[Passage]
    passage_index: Collection
    faq_items: list[FaqItem]
    faq_index: Collection
    faqs: dict[int, FaqCard]
    embedder: Embedder | None
    built_seconds: float = 0.0
    by_measure: dict[int, int] = field(default_factory=dict)
    # per-word caches below hold at most ``CACHED_WORDS`` entries (questions bring new words)
    rarity_cache: dict[str, float] = field(default_factory=dict)
    # texts derived from the whole snapshot once, on first use (see knowledge.references)
    text_cache: dict[str, str] = field(default_factory=dict)
    # chunk id → its passage with the short title in front, prepared, without spaces (what the
    # refusal features read of a best passage); filled on first use, at most one per passage
    titled_texts: dict[int, str] = field(default_factory=dict)
    faq_units: dict[int, list[tuple[str, float]]] = field(default_factory=dict)
    query_cache: QueryCache | None = None
    # document title → the short name people type (中华人民共和国大气污染防治法 → 大气污染防治法)
    short_titles: dict[str, str] = field(default_factory=dict)
    # indexes of passages of regional documents (empty when every document is national)
    regional: list[int] = field(default_factory=list)
    # document title → the names a question may use for it (大气污染防治法, 大气法 …), prepared
    title_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # content word → how its passages spread over the documents (``knowledge.rerank``), cached
    spread_cache: dict[str, dict[str, float]] = field(default_factory=dict)
    # passage number → the terms it defines (本法所称X，是指 …), prepared; found on first use
    defined_terms: dict[int, tuple[str, ...]] | None = None
    # document title → its passages as the bits of an int (``Collection.containing_bits``)
    document_bits: dict[str, int] | None = None
    # a plan's table row (passage number) → the body paragraph it repeats; found on first use
    row_paragraphs: dict[int, int] | None = None
    # the parts of the texts with titled items (``knowledge.outlines``); found on first use
    outlines: list[Outline] | None = None
    # titles of the documents written in articles (laws, regulations); found on first use
    legal_titles: frozenset[str] | None = None
    # (document title, article) → passages that punish breaking it by number (违反本办法第十八条
    # 规定的…); found on first use (``knowledge.rerank.penalties_citing``)
    penalties_citing: dict[tuple[str, str], tuple[int, ...]] | None = None
    # penalty passage → the passages of the duties it punishes by number (the other way round)
    duties_cited: dict[int, tuple[int, ...]] | None = None
    # abbreviation typed → the passages' longer form of it, "" for none (``knowledge.typos``)
    abbreviation_cache: dict[str, str] = field(default_factory=dict)
    # what the ranking model reads of each passage that no question changes (its length, its
    # chapter: ``knowledge.retrieval``), built on first use
    passage_traits: dict[str, np.ndarray] | None = None
    # document title → its passages' numbers as an array (``knowledge.rerank.document_members``:
    # the bits of ``document_bits`` unpacked), built on first use
    document_members: dict[str, np.ndarray] | None = None
    # toneless pinyin → the passages' most frequent word with that sound (``knowledge.typos``)
    typo_sounds: dict[str, str] | None = None
    # a piece of a passage (a 款, a sentence) → its folded and its prepared form without spaces,
    # as the quote's scorer reads it (``knowledge.answers``): the same pieces are scored for
    # every question they answer
    piece_forms: dict[str, tuple[str, str]] = field(default_factory=dict)
    # text → prepared (``prepare``), for the last ``CACHED_TEXTS`` texts
    prepared_texts: dict[str, str] = field(default_factory=dict)

    def prepare(self, text: str) -> str:
        """Normalise a text with this snapshot's synonyms (remembered for the last
        ``CACHED_TEXTS`` texts: several steps prepare a question's text, each on its own)."""
        prepared = self.prepared_texts.get(text)
        if prepared is None:
            prepared = prepare(text, self.synonyms)
            if len(self.prepared_texts) >= CACHED_TEXTS:
                self.prepared_texts.clear()
            self.prepared_texts[text] = prepared
        return prepared

    def forms_of_piece(self, text: str) -> tuple[str, str]:
        """A piece of a passage folded (``normalize_text``) and prepared, both without spaces;
        kept for the snapshot (at most ``CACHED_WORDS`` pieces)."""
        forms = self.piece_forms.get(text)
        if forms is None:
            forms = normalize_text(text).replace(" ", ""), self.prepare(text).replace(" ", "")
            if len(self.piece_forms) < CACHED_WORDS:
                self.piece_forms[text] = forms
        return forms

    def embed_query(self, prepared: str) -> np.ndarray | None:
        """The query vector (remembered for repeated questions), or None without a dense part."""
        if self.embedder is None:
            return None
        if self.query_cache is None:
            return self.embedder.encode([prepared])[0]
        vector = self.query_cache.get(prepared)
        if vector is None:
            vector = self.embedder.encode([prepared])[0]
            self.query_cache.put(prepared, vector)
        return vector


# ---- building -----------------------------------------------------------------------------


def _hash(embedder_name: str, text: str) -> str:
    return hashlib.sha1(f"{embedder_name}\x00{text}".encode()).hexdigest()


class VectorCache:
    """Vectors of texts already embedded, on disk per embedder so restarts embed nothing."""

    def __init__(self, folder: Path, embedder: Embedder) -> None:
        self.folder = folder
        self.embedder = embedder
        self.path = folder / "vectors.npz"
        self._lock = threading.Lock()
        self._loaded = False
        self._mtime: float | None = None
        self._vectors: dict[str, np.ndarray] = {}

    def _load(self, *, refresh: bool = False) -> None:
        """Read the file once, and again when another process has written it since."""
        if self._loaded and not refresh:
            return
        self._loaded = True
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            return
        if mtime == self._mtime:
            return
        self._mtime = mtime
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, matrix = data["keys"], data["vectors"]
            if matrix.ndim == 2 and matrix.shape[1] == self.embedder.dim:
                for i, key in enumerate(keys):
                    self._vectors.setdefault(str(key), matrix[i])
        except (OSError, ValueError, KeyError):  # a torn or foreign file: re-embed
            logger.warning("ignoring unreadable vector cache %s", self.path)

    def vectors_for(self, texts: list[str], progress: bool = False) -> tuple[np.ndarray, int]:
        """Unit vectors for the texts, embedding only the new ones; returns (matrix, new count)."""
        with self._lock:
            self._load()
            keys = [_hash(self.embedder.name, t) for t in texts]
            if any(k not in self._vectors for k in keys):
                self._load(refresh=True)  # another worker may have embedded them already
            missing = sorted(
                {k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}.items()
            )
            if missing:
                new = _encode_with_progress(self.embedder, [t for _, t in missing], progress)
                for (key, _), vector in zip(missing, new, strict=True):
                    self._vectors[key] = vector
                self._save()
            if not keys:
                return np.zeros((0, self.embedder.dim), dtype=np.float32), 0
            return np.vstack([self._vectors[k] for k in keys]).astype(np.float32), len(missing)

    def _save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._vectors.keys()))
        matrix = np.vstack(list(self._vectors.values())).astype(np.float32)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".npz")
        os.close(fd)
        try:
            np.savez(tmp, keys=keys, vectors=matrix)
            os.replace(tmp, self.path)  # atomic: other processes see the old or the new file
            self._mtime = self.path.stat().st_mtime
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _encode_with_progress(embedder: Embedder, texts: list[str], progress: bool) -> np.ndarray:
    if not progress or len(texts) < 200:
        return embedder.encode(texts)
    from tqdm import tqdm

    rows = []
    for start in tqdm(range(0, len(texts), 64), desc="向量化", unit="批"):
        rows.append(embedder.encode(texts[start : start + 64]))
    return np.vstack(rows)


def _collection(
    prepared: list[str],
    dense_texts: list[str] | list[list[str]],
    cache: VectorCache | None,
    progress: bool,
) -> tuple[Collection, int]:
    cuts = [words(p) for p in prepared]
    token_lists = [tokens(p, cut) for p, cut in zip(prepared, cuts, strict=True)]
    # interned: a word is one string however many passages hold it
    word_sets = [frozenset(map(sys.intern, cut)) for cut in cuts]
    vectors = None
    starts = None
    new = 0
    if dense_texts and isinstance(dense_texts[0], list):
        sizes = [len(texts) for texts in dense_texts]
        if any(size != 1 for size in sizes):
            starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        dense_texts = [t for texts in dense_texts for t in texts]
    if cache is not None:
        matrix, new = cache.vectors_for(dense_texts, progress)
        vectors = faiss.IndexFlatIP(cache.embedder.dim)
        if len(matrix):
            vectors.add(matrix)
    bm25 = BM25(token_lists)
    return Collection(prepared, token_lists, bm25, vectors, starts=starts, word_sets=word_sets), new


def short_title(title: str) -> str:
    """How people name a document: without 中华人民共和国, a bracketed year or 《》, folded."""
    short = re.sub(r"[（(][^）)]*[）)]", "", fold(title))
    short = short.replace("中华人民共和国", "").strip("《》 ")
    return short if len(short) >= 4 else fold(title)


def title_aliases(title: str, synonyms: SynonymMap) -> tuple[str, ...]:
    """Names a question may use for a document, in prepared form without spaces: the short
    title and its abbreviations (大气污染防治法 → 大气法, 固体废物污染环境防治法 → 固体废物法, which
    the synonyms turn 固废法 into; 环境保护法 → 环保法; 建设项目环境保护管理条例 →
    建设项目环保条例)."""
    short = short_title(title)
    names = {short}
    for tail in ("污染环境防治法", "污染防治法", "环境防治法"):
        if short.endswith(tail) and len(short) > len(tail) + 1:
            names.add(short[: -len(tail)] + "法")
    # 环境保护 is said 环保 (环保法), and a 管理条例 is called a 条例 (建设项目环保条例)
    for name in list(names):
        names.add(name.replace("环境保护", "环保"))
    for name in list(names):
        if name.endswith("管理条例") and len(name) > 6:
            names.add(name[: -len("管理条例")] + "条例")
    return tuple(
        sorted({prepare(n, synonyms).replace(" ", "") for n in names if n}, key=len, reverse=True)
    )


def load_synonyms(session: Session) -> SynonymMap:
    """The synonym dictionary as stored."""
    rows = session.execute(select(Synonym.term, Synonym.canonical)).all()
    return SynonymMap([(r.term, r.canonical) for r in rows])


def build_index(
    session: Session,
    *,
    token: str,
    version: int,
    embedder: Embedder | None,
    cache: VectorCache | None,
    progress: bool = False,
) -> KnowledgeIndex:
    """Read passages, FAQ and synonyms from the database and build a snapshot."""
    started = time.perf_counter()
    general_idf()  # loaded once per process, here rather than on the first question
    synonyms = load_synonyms(session)
    rows = session.execute(
        select(Chunk, Document.title, Document.province, Document.city)
        .join(Document, Chunk.document_id == Document.id)
        .where(Document.status == DOCUMENT_ACTIVE)  # disabled documents are kept, not searched
        .order_by(Document.id, Chunk.ordinal)
    ).all()
    passages = [
        Passage(
            c.id,
            title,
            c.section,
            c.measure,
            c.deadline,
            c.departments,
            c.text,
            c.article,
            province,
            city,
        )
        for c, title, province, city in rows
    ]
    entries = session.scalars(
        select(FaqEntry)
        .where(FaqEntry.status == FAQ_ACTIVE)
        .options(selectinload(FaqEntry.phrasings))
        .order_by(FaqEntry.id)
    ).all()
    faqs = {
        e.id: FaqCard(e.id, e.question, e.answer, e.basis, e.tags, e.province, e.city)
        for e in entries
    }
    faq_items: list[FaqItem] = []
    for entry in entries:
        seen = set()
        for text in [entry.question, *(p.text for p in entry.phrasings)]:
            if text and text not in seen:
                seen.add(text)
                faq_items.append(FaqItem(entry.id, text))

    passage_prepared = [prepare(p.index_text(), synonyms) for p in passages]
    passage_dense = [dense_texts_for(p.section, p.text) for p in passages]  # best window counts
    passage_index, new_p = _collection(passage_prepared, passage_dense, cache, progress)
    passage_index.word_numbers()  # the term links read them: with the snapshot, not a question
    faq_prepared = [prepare(i.text, synonyms) for i in faq_items]
    faq_index, new_f = _collection(faq_prepared, [i.text for i in faq_items], cache, progress)

    by_measure: dict[int, int] = {}
    for i, p in enumerate(passages):
        if p.measure is not None:
            by_measure.setdefault(p.measure, i)
    index = KnowledgeIndex(
        token=token,
        version=version,
        synonyms=synonyms,
        passages=passages,
        passage_index=passage_index,
        faq_items=faq_items,
        faq_index=faq_index,
        faqs=faqs,
        embedder=embedder,
        built_seconds=time.perf_counter() - started,
        by_measure=by_measure,
        short_titles={p.title: short_title(p.title) for p in passages},
        regional=[i for i, p in enumerate(passages) if p.province is not None],
        title_aliases={p.title: title_aliases(p.title, synonyms) for p in passages},
    )
    logger.info(
        "knowledge index v%s: %d passages, %d FAQ phrasings, %d new vectors, %.2fs",
        version,
        len(passages),
        len(faq_items),
        new_p + new_f,
        index.built_seconds,
    )
    return index


# ---- versions -----------------------------------------------------------------------------

STATE_ID = 1


# Built once: every question reads the state, and building the statement cost as much as running it.
_READ_STATE = select(IndexState.version, IndexState.token).where(IndexState.id == STATE_ID)


def read_state(session: Session) -> tuple[int, str]:
    """(version, token) of the index the database content corresponds to."""
    row = session.execute(_READ_STATE).first()
    if row is None:
        return 0, "initial"
    return row.version, row.token


def bump_version(session: Session) -> int:
    """Mark the index as stale for every process (call inside the transaction that changed it)."""
    state = session.get(IndexState, STATE_ID)
    token = os.urandom(12).hex()
    if state is None:
        state = IndexState(id=STATE_ID, version=1, token=token, updated_at=utcnow())
        session.add(state)
    else:
        state.version += 1
        state.token = token
        state.updated_at = utcnow()
    session.flush()
    return state.version


def refresh_index(session: Session) -> int:
    """Mark the index stale after FAQ, synonym or document changes; commits; returns the version."""
    version = bump_version(session)
    session.commit()
    return version


class IndexManager:
    """Holds this process's current snapshot; rebuilds it when the database version moves on."""

    def __init__(
        self,
        data_dir: Path,
        embedder_factory: Callable[[], Embedder | None],
        keep: int = 8,
    ) -> None:
        self.data_dir = data_dir
        self._embedder_factory = embedder_factory
        self._embedder: Embedder | None = None
        self._embedder_loaded = False
        self._cache: VectorCache | None = None
        self._snapshots: dict[str, KnowledgeIndex] = {}
        self._order: list[str] = []
        self._keep = keep
        self._lock = threading.RLock()
        self.builds = 0
        self.query_cache = QueryCache()

    @property
    def embedder(self) -> Embedder | None:
        """The embedder, loaded on first use; None (BM25 only) if it cannot be loaded.

        A wrong PERMITHUB_EMBEDDING_MODEL must not stop the bot from answering: the error is
        logged loudly and questions are ranked by BM25 alone until the setting is fixed.
        """
        with self._lock:
            if not self._embedder_loaded:
                try:
                    self._embedder = self._embedder_factory()
                except Exception:
                    logger.exception("embedding model failed to load; answering with BM25 only")
                    self._embedder = None
                self._embedder_loaded = True
                if self._embedder is not None:
                    slug = "".join(
                        c if c.isalnum() or c in "-_" else "_" for c in self._embedder.name
                    )
                    self._cache = VectorCache(self.data_dir / "index" / slug, self._embedder)
            return self._embedder

    def current(self, session: Session, *, progress: bool = False) -> KnowledgeIndex:
        """The snapshot for the database's current version (one small query when unchanged)."""
        version, token = read_state(session)
        snapshot = self._snapshots.get(token)
        if snapshot is not None:
            return snapshot
        with self._lock:
            snapshot = self._snapshots.get(token)
            if snapshot is None:
                embedder = self.embedder
                snapshot = build_index(
                    session,
                    token=token,
                    version=version,
                    embedder=embedder,
                    cache=self._cache,
                    progress=progress,
                )
                snapshot.query_cache = self.query_cache
                self.builds += 1
                self._snapshots[token] = snapshot
                self._order.append(token)
                while len(self._order) > self._keep:
                    self._snapshots.pop(self._order.pop(0), None)
            return snapshot

    def prewarm(self, texts: list[str], *, progress: bool = False) -> int:
        """Embed passages ahead of storing them, outside any database transaction, so the
        rebuild after the ingest (in every process) finds their vectors cached; returns how many
        were new."""
        if self.embedder is None or self._cache is None or not texts:
            return 0
        return self._cache.vectors_for(texts, progress)[1]

    def clear(self) -> None:
        """Forget the snapshots (the vector cache on disk stays)."""
        with self._lock:
            self._snapshots.clear()
            self._order.clear()
