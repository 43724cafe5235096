"""Hybrid ranking, FAQ matching and the decision to answer or refuse.

Ranking: BM25 (character bigrams + jieba words + characters) and dense cosine similarity are each
standardised over the passages (z-scores), then mixed with weight ``alpha`` (0.55 for BM25).
Among the best few, a passage shaped like the answer asked for (a number of days, a fine, a
deadline — ``knowledge.intent``) is lifted by ``w_intent``; a question naming a document
(大气污染防治法, 大气法) or an article (第十四条) prefers it. Last, once whether to answer is
decided, ``knowledge.ranking`` reorders the best twenty when the best is an article: a linear model
fitted across the rule-by-rule tuning sets moves each article by what was measured of it (its
length, its answer's shape, what each step added), so a long sibling stops outranking the short
article that answers. When the best is no article (the plan's measures and paragraphs), a model of
the same shape fitted on the questions about the plan reorders the passages that are none.

Refusal: out-of-scope questions often share words with the documents (许可, 排放, 锅炉), so no
single score separates them. ``knowledge.refusal`` combines features of the best passages:

- coverage: the weighted share of the question's content words found in the best passage (and in
  the best of three). Content words are jieba words minus question words (什么/怎么/多少 …) and
  intent words (截止/搞完/罚多少 say what kind of answer is wanted, not what about); each weighs
  its rarity in general Chinese (jieba's IDF table) times its rarity among our passages;
- the fused score of the best passage, its margin over the second, its dense similarity, and the
  share of the question's tokens it matches at all (BM25 against its ceiling);
- the heaviest content word the passage lacks, and whether it names the kind of number or
  contact asked for (几天 → 三十日; 多少毫克, 值班电话 → nothing: a near miss);
- how far the passage reaches the question's words it lacks by the links learned from questions
  (``knowledge.term_links``: 关掉 → 关闭; an everyday question the passage answers is bridged);

Rules stand above the model: a question asking for a concrete value (a phone number, a web
address, an amount in a unit, a price, a calendar year, how to sign up, a brand) is refused when
the best passage gives none (``CONCRETE_INTENTS``); so is a question about a licence, a place's
list, a grade or an assessment other than the environmental one that the knowledge base never
names (取水许可证, 郑州禁燃区, 国六, 安评 where no rule writes 安全评价: ``_unknown_subjects``,
named in the refusal), or the period or fee of a licence the best passage does not name
(安全生产许可证有效期 answered by the 排污许可证's: ``_answers_for_another_licence``), what
became of a particular firm (某公司…是否已获批复) or what a list holds (名录里有哪些企业) when no
document is that list, a question whose words the best passages almost entirely lack
(``COVERAGE_FLOOR``, ``LEXICAL_FLOOR``), however long it is, and one that no passage comes near in
meaning while its words are thinly covered (``DENSE_FLOOR``: 年假折算工资 beside a waste law).

A FAQ entry answers on its own strength (``faq_threshold``) unless a passage answers clearly
better, and only when its answer has the shape asked for. Homophone typos are corrected first
(``knowledge.typos``).

The model is fitted on our tuning sets, each of about 100 rules loaded with the plan and the plan
with two laws and the FAQ pack (``bench/calibrate_refusal.py --rule-by-rule``), never on one
document, on the questions none of the rules above decides (``Retrieval.ruled``), with no rule
about any question.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from knowledge.embedder import USE_MULTILINGUAL
from knowledge.index import CACHED_WORDS, KnowledgeIndex, Passage, members
from knowledge.intent import (
    INTENT_WORDS,
    LIST_WORDS,
    NEAR_MISS_INTENTS,
    PURPOSE,
    Intent,
    answer_fit,
    asked_part,
    asks_a_party_s_record,
    asks_purpose,
    asks_what_a_list_holds,
    assessment_forms,
    detect,
    field_forms,
    is_acronym,
    lists_named,
    named_subjects,
    of_another_field,
)
from knowledge.normalize import abbreviates, fold, is_cjk, normalize_text
from knowledge.outlines import Outline, asked_outline, document_outlines
from knowledge.query_adapter import load_adapter as load_query_adapter
from knowledge.query_adapter import standardised
from knowledge.ranking import CANDIDATES, RankingModel
from knowledge.ranking import load_model as load_ranking_model
from knowledge.ranking import load_policy_model as load_policy_ranking_model
from knowledge.references import absent_references, compact_corpus, compact_titles
from knowledge.refusal import load_model
from knowledge.rerank import (
    RERANK_DEPTH,
    asks_only_when_in_force,
    defined_terms,
    defining_passage,
    document_lift,
    document_members,
    duties_cited,
    enters_into_force,
    follow_to_penalty,
    general_provision_asked,
    grants_the_report_asked,
    hide_other_regions,
    legal_titles,
    lower_the_appendix,
    lower_the_definitions,
    lower_the_opening,
    named_documents,
    names_one_document,
    names_only,
    paragraph_of_row,
    passages_of_documents,
    penalty_citing,
    points_at_the_document_only,
    prefer_answer_shape,
    prefer_applicability,
    prefer_definition,
    prefer_entry_into_force,
    prefer_general_provision,
    prefer_liability_as_asked,
    prefer_local_document,
    prefer_named_document,
    prefer_payer_stated,
    prefer_report_right,
    prefer_subject_document,
    prefer_the_specific_text,
    visible_to,
)
from knowledge.term_links import load_links as load_term_links
from knowledge.terms import QUESTION_WORDS, general_idf, tokens, words
from knowledge.typos import (
    abbreviation_expansions,
    apply_corrections,
    licence_expansions,
    sound_table,
    sounds_like,
    typo_corrections,
)
from knowledge.wording import load_wording

MODES = ("hybrid", "bm25", "dense")

_QUESTION_SET = frozenset(QUESTION_WORDS)


@dataclass
class Params:
    """Tunable knobs of ranking and refusal (defaults calibrated on the dev set)."""

    alpha: float = 0.55  # weight of BM25 against dense in the fusion
    # confidence (the refusal model's probability, ``knowledge.refusal``) below this: refuse
    answer_threshold: float = field(default_factory=lambda: load_model().threshold)
    faq_threshold: float = 0.72  # FAQ match strength needed to answer with the FAQ entry
    # A FAQ entry answers only if no passage answers clearly better: its strength must reach the
    # passage confidence minus this margin (a curated answer may win a near tie, never a clear loss)
    faq_yield: float = 0.10
    # lift (in standard deviations of the fused score) for a passage shaped like the answer asked
    # for (a duration, days, a fine, who, a deadline …), among the best ``RERANK_DEPTH``
    w_intent: float = 1.0
    # lift for passages of a document the question names, and for the article it names: a named
    # law outweighs the subject lift of another law's words (大气法对危险废物焚烧 → the air law;
    # 环保法对生活垃圾分类有要求吗 → its 第三十八条, not the solid-waste law's fuller article)
    w_document: float = 5.0
    w_article: float = 3.0
    # a penalty question follows the duty it matched to the article that punishes it
    w_penalty: float = 0.01
    # lift for articles of the penalties chapter when a penalty is asked about (lowered otherwise)
    w_liability: float = 0.5
    # lowered further when the question asks what to do (该怎么办): it wants the duty
    w_duty: float = 1.5
    # the opening lines of a law (title, promulgation) lowered unless a date, number or who is asked
    w_opening: float = 2.0
    # lift for the share of the question's content words a passage contains
    w_coverage_rank: float = 2.0
    # lift for passages of the document the question's words belong to (``prefer_subject_document``)
    w_subject: float = 2.0
    # Skip the dense model when BM25's winner leads by this many standard deviations (None: never).
    # Off: the refusal model reads the dense similarity of the best passage.
    dense_skip_margin: float | None = None
    # how far below the best a passage giving the concrete value asked for may stand and still
    # answer first (``_shaped_first``)
    w_shape_swap: float = 0.5
    # lift for passages where the question's neighbouring words stand close together too
    w_proximity: float = 0.5
    # the text of the place the question names (在浙江 → 浙江省大气污染防治条例)
    w_place: float = 1.0
    # a list of definitions lowered when the question asks no meaning (``lower_the_definitions``)
    w_definitions: float = 1.0
    # how far below a law's first article an article of a text applying the law may stand and
    # still answer first (``prefer_the_specific_text``). 3 since session 40: a rule asked beside
    # the plan, 大气法 and 水法, its article right first 13 / 0 more often over the tuning sets and
    # 14 / 0 over batches 10–13 than at 2; what it costs is the law's own article asked beside a
    # regulation made under it (laws_tune beside two regulations: 5 of 153 worse, two of them
    # answered by an article on another matter) and beside many local rules (all 187 documents:
    # 16 better, 42 worse of 5,837); 4 and 8 cost more there (``bench/HISTORY.md``)
    w_specific: float = 3.0


DEFAULT_PARAMS = Params()


@dataclass
class Hit:
    """One ranked passage with its scores."""

    passage: Passage
    score: float  # fused, standardised
    bm25: float
    dense: float
    coverage: float
    number: int | None = None  # its place in the index (``index.passages``)


@dataclass
class FaqMatch:
    """The best FAQ entry for the question and how strongly it matches."""

    faq_id: int
    phrasing: str
    strength: float


@dataclass
class Retrieval:
    """Everything the answering step needs."""

    question: str
    prepared: str
    hits: list[Hit]
    confidence: float
    answered: bool
    faq: FaqMatch | None = None
    features: dict[str, float] = field(default_factory=dict)
    # the closest FAQ entries, best first (one phrasing each), for "您是不是想问"
    faq_candidates: list[FaqMatch] = field(default_factory=list)
    # the FAQ entry answers (strong match, no passage answers better)
    faq_answers: bool = False
    # what the asker typed in this turn (``question`` adds the previous turn for a follow-up)
    asked: str = ""
    # standards and 《titles》 the question names that the knowledge base does not hold
    absent: list[str] = field(default_factory=list)
    # licences, places or other assessments it names that no document names (取水许可证, 安评)
    unknown_subjects: list[str] = field(default_factory=list)
    # the passages a ranking model reordered (their numbers, best fused score first) and what
    # it read of each, before its lift (``bench/fit_ranking.py`` and
    # ``bench/fit_policy_ranking.py`` fit on them); None when none moves anything
    # (``ranking_moves``)
    reordered: tuple[np.ndarray, dict[str, np.ndarray]] | None = None
    # the passage whether to answer was judged on (the best by the order the refusal model was
    # fitted with; ``bench/calibrate_refusal.py`` reads it), None without passages
    judged: int | None = None
    # a rule of this module, not the refusal model, set the confidence (a definition asked, a
    # licence no document names …): the model is fitted on the other questions
    ruled: bool = False
    # the part of a document whose items are asked for (``knowledge.outlines``), answered by them
    outline: Outline | None = None

    @cached_property
    def asked_intents(self) -> list[Intent]:
        """The kinds of answer the turn asks for, read from what was typed (the quote's)."""
        return detect(fold(self.asked or self.question))


def content_of(prepared: str) -> str:
    """The question with its question words removed (spaces mark where they were)."""
    return " ".join(w for w in words(prepared) if w.strip() and w not in _QUESTION_SET)


# General IDF below this carries no content (由 3.6, 做 4.0, 还是 4.0); unknown words count as rare.
IDF_FLOOR = 4.0
IDF_UNKNOWN = 10.0
# In a quantity question (多少个工作日, 多少钱) the passage must name what is counted.
_QUANTIFIERS = ("多少", "几", "多久", "多长", "多大", "多高")
_MEASURE_WORDS = set("个项天次年月日号元块吨人家条种位张份")
# 这套办法, 这部条例, 那份报告, 哪一部, 哪天起: a demonstrative or 哪 and its measure word point
# at a thing or a day or ask which, naming none (哪类, 哪种 ask for a kind, which the answer names:
# 分类)
_POINTING = re.compile(r"^[这那哪]一?[套部份项条本个位家张天年月日号]$")


_BEFORE_COUNTS_AS = frozenset({"啥", "什么", "才", "也", "就", "还", "都", "不"})


def query_units(prepared: str) -> list[tuple[str, float]]:
    """The question's content words with weights: rare in general Chinese = important.

    jieba words not in ``QUESTION_WORDS``; a word jieba does not know (a typo such as 责认, or a
    fusion such as 要建) falls apart into its characters. The word right after a quantifier
    (多少个 **工作日**) weighs double: it is what the asker wants counted.
    """
    return list(_query_units(prepared))


# Kept per text, like its jieba words (``knowledge.terms.words``): one question's are read by the
# ranking, the FAQ match and the quote, three or four times per question.
@lru_cache(maxsize=8192)
def _query_units(prepared: str) -> tuple[tuple[str, float], ...]:
    table = general_idf()
    units: dict[str, float] = {}
    emphasis = which = False
    previous = ""
    for word in words(prepared):
        if not word.strip():
            continue
        # 啥算新化学物质, 什么才算: 算 asks what a thing counts as (怎么算 asks how to reckon it)
        counts_as = word == "算" and previous in _BEFORE_COUNTS_AS
        previous = word
        if counts_as:
            continue
        if word in _QUANTIFIERS or any(word.startswith(q) for q in _QUANTIFIERS):
            emphasis = True
            continue
        # 哪天/哪年施行: jieba cuts 哪 from its measure word, which would read as a topic word
        # (and may keep the measure word with what follows: 哪 + 天起)
        after_which, which = which, word == "哪"
        if after_which and len(word) > 1 and word[0] in _MEASURE_WORDS:
            word = word[1:]
        if word in _QUESTION_SET or word in INTENT_WORDS:
            continue
        if ((emphasis or after_which) and word in _MEASURE_WORDS) or _POINTING.match(word):
            continue
        pieces = (
            [word]
            if (word in table or word.isascii())
            else [ch for ch in word if ch not in _QUESTION_SET]
        )
        for piece in pieces:
            idf = table.get(piece, IDF_UNKNOWN)
            weight = max(0.0, idf - IDF_FLOOR) * (2.0 if emphasis else 1.0)
            if weight > 0:
                units[piece] = max(units.get(piece, 0.0), weight)
        emphasis = False
    return tuple(units.items())


# Pieces that start or end a colloquial chunk jieba keeps whole (被查, 哪些项目, 厂里, 报上去, 罚过,
# 公开出来, 批下来, 升级成) and that carry no content of their own.
_EDGE_PREFIXES = tuple(
    sorted({*QUESTION_WORDS, "不能", "不", "某", "先", "再", "没"}, key=len, reverse=True)
)
_EDGE_SUFFIXES = (
    "出来",
    "下来",
    "回来",
    "上去",
    "进去",
    "出去",
    "起来",
    "下去",
    "一下",
    "里",
    "上",
    "个",
    "过",
    "着",
    "得",
    "好",
    "到",
    "来",
    "去",
    "了",
    "些",
    "成",
)


def strip_function_edges(
    index: KnowledgeIndex, units: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    """A word no passage holds that is a content word plus a function piece (被查, 哪些项目,
    厂里) counts as its content word: as a whole it is rare in general Chinese, so it would
    weigh as a term the documents lack and make an answerable question look out of scope."""
    table = general_idf()
    out: dict[str, float] = {}
    for unit, weight in units:
        if not index.passage_index.containing_bits(unit):
            core = _held_core(index, unit)
            if core is not None:
                unit, weight = core, max(0.0, table.get(core, IDF_UNKNOWN) - IDF_FLOOR)
        if weight > 0:
            out[unit] = max(out.get(unit, 0.0), weight)
    return list(out.items())


def _held_core(index: KnowledgeIndex, word: str) -> str | None:
    """The first part of ``word`` left by taking function pieces off its edges that a passage
    holds, or None."""
    while (word := _without_edge(word)) is not None:
        if index.passage_index.containing_bits(word):
            return word
    return None


def _without_edge(word: str) -> str | None:
    for prefix in _EDGE_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix):
            return word[len(prefix) :]
    for suffix in _EDGE_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return None


def join_held_neighbours(
    index: KnowledgeIndex, prepared: str, units: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    """新化学物质 and 举报件 are terms of their rules, though jieba cuts off 新 (a word too common
    in general Chinese to count) and 件: a content word is asked together with a common word
    before it, and a single character after a content word together with that word, when the
    passages write them together (the definition of 新化学物质 is not that of 化学物质, nor
    举报件 that of 件). The content word before a single character stays asked on its own too:
    生态环境 + 局 is still about 生态环境 where a rule writes 生态环境主管部门."""
    weights = dict(units)
    pieces = words(prepared)
    joined: dict[str, str] = {}
    for before, word in zip(pieces, pieces[1:], strict=False):
        if word not in weights:
            continue
        leads = _may_lead(before, weights)
        suffix = before in weights and len(word) == 1 and is_cjk(word)
        if (leads or suffix) and index.passage_index.containing_bits(before + word):
            joined[word] = before + word
    if not joined:
        return units
    out: dict[str, float] = {}
    for unit, weight in units:
        term = joined.get(unit, unit)
        out[term] = max(out.get(term, 0.0), weight)
    return list(out.items())


def _may_lead(word: str, weights: dict[str, float]) -> bool:
    """A common word that may open a term (新, 大): no unit, question word or intent word."""
    if word in weights or word in _QUESTION_SET or word in INTENT_WORDS:
        return False
    return len(word) <= 2 and all(is_cjk(c) for c in word)


def weigh_as_typed(
    index: KnowledgeIndex, question: str, units: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    """Words the synonym dictionary put in weigh no more than the word the asker typed.

    公司 (a common word: no content) becomes 排污单位, whose 排污 is rare in general Chinese: the
    question would seem to be about discharging. A word of a substituted wording that the question
    does not also hold as typed weighs at most as the typed term (环评 → 环境影响评价 keeps its
    weight: 环评 is rare too)."""
    pairs, rest = index.synonyms.substitutions(normalize_text(question))
    if not pairs or not units:
        return units
    table = general_idf()
    caps: dict[str, float] = {}
    for term, canonical in pairs:
        weight = max(0.0, table.get(term, IDF_UNKNOWN) - IDF_FLOOR)
        for word in words(canonical):
            caps[word] = max(caps.get(word, 0.0), weight)
    as_typed = set(words(rest))
    out = []
    for unit, weight in units:
        if unit in caps and unit not in as_typed:
            weight = min(weight, caps[unit])
        if weight > 0:
            out.append((unit, weight))
    return out


def _zscore(values: np.ndarray) -> np.ndarray:
    if len(values) == 0:
        return values
    std = float(values.std())
    if std < 1e-9:
        return np.zeros_like(values)
    return (values - float(values.mean())) / std


def _corpus_rarity(index: KnowledgeIndex, unit: str) -> float:
    """How rare ``unit`` is among the passages, 0 (in all) … 1 (in none); cached per snapshot."""
    cache = index.rarity_cache
    value = cache.get(unit)
    if value is None:
        n = len(index.passages)
        df = index.passage_index.containing_bits(unit).bit_count()
        value = math.log(1 + (n - df + 0.5) / (df + 0.5)) / math.log(1 + (n + 0.5) / 0.5)
        if len(cache) < CACHED_WORDS:
            cache[unit] = value
    return value


def coverage(index: KnowledgeIndex, units: list[tuple[str, float]], passage_prepared: str) -> float:
    """Weighted share of the question's content words found in a passage.

    Weight = general rarity × rarity among our passages: 排污许可证 is a rare word in Chinese but
    in nearly every passage, so it proves little; a missing 工作日 or 氨氮 proves a lot.
    """
    total = covered = 0.0
    for unit, weight in units:
        w = weight * _corpus_rarity(index, unit)
        total += w
        if unit in passage_prepared:
            covered += w
    return covered / total if total > 0 else 0.0


_FOLLOW_UP_START = ("那", "它", "这个", "其", "还有", "另外", "此外")
FOLLOW_UP_MAX_CHARS = 20


def is_follow_up(index: KnowledgeIndex, question: str) -> bool:
    """A short question that leans on the previous turn: "那它的截止时间呢", "罚款呢"."""
    text = question.strip()
    if len(text) > FOLLOW_UP_MAX_CHARS:
        return False
    if not query_units(index.prepare(text)):
        return True  # nothing to look up on its own
    return text.startswith(_FOLLOW_UP_START) or text.rstrip("？?。 ").endswith("呢")


@dataclass
class _Query:
    """A question as looked up: the words, tokens and intents every step reads."""

    asked: str  # as typed in this turn
    question: str  # with the previous turn, for a follow-up
    prepared: str  # normalised, synonyms applied, typos corrected
    tokens: list[str]
    units: list[tuple[str, float]]
    intents: list
    folded: str  # the typed question folded (width, script)
    corrected: str  # folded, with misspelt terms as the documents write them (技术归范 → 技术规范)
    # licences and places it names, each as the words naming it (取水 + 许可证, 郑州)
    subjects: list[tuple[str, ...]] = field(default_factory=list)
    # passage number → how much of the question it covers, for the passages asked about so far
    # (the hits and the ranking model's candidates overlap)
    coverages: dict[int, float] = field(default_factory=dict)


def _read_question(index: KnowledgeIndex, question: str, previous: str | None) -> _Query:
    asked = question
    if previous and is_follow_up(index, question):
        question = f"{previous.strip()}，{question.strip()}"
    prepared = index.prepare(question)
    # 在线监册 → 在线监测: a misspelt term is looked up as the word the documents use
    # … and an abbreviation (风景区, 村委会) as the longer form they write (风景名胜区, 村民委员会)
    corrections = {
        **_levels_asked(prepared),
        **abbreviation_expansions(index, prepared),
        **licence_expansions(index, prepared),
        **typo_corrections(index, prepared),
    }
    prepared = apply_corrections(prepared, corrections)
    folded = fold(asked)
    corrected = apply_corrections(folded, corrections)
    units = strip_function_edges(index, query_units(prepared))
    return _Query(
        asked=asked,
        question=question,
        prepared=prepared,
        tokens=tokens(prepared),
        units=weigh_the_asking(
            index,
            question,
            weigh_as_typed(index, question, join_held_neighbours(index, prepared, units)),
        ),
        intents=detect(corrected),
        folded=folded,
        corrected=corrected,
        # as corrected: 排物许可证 is the 排污许可证 mistyped, not a licence no document names
        subjects=[s for s in named_subjects(corrected) if not _spelt_out_here(index, s, prepared)],
    )


# 质控体系分为哪几个层级: how many levels, which rules write as 三级 (分为几级), never as 层级;
# 由哪些层级的部门负责 asks which departments and keeps its words
_LEVELS_ASKED = re.compile(r"(几|哪几|多少)个?(层级|级别|层次)(?!的)")


def _levels_asked(prepared: str) -> dict[str, str]:
    """几个层级 read as 几级: the count of levels asked, not a topic word no passage holds."""
    return {m.group(0): "几级" for m in _LEVELS_ASKED.finditer(prepared)}


# the share of its weight a word keeps when it stands only in the story of a long question
STORY_WEIGHT = 0.5


def weigh_the_asking(
    index: KnowledgeIndex, question: str, units: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    """In a question of several sentences, the words of the sentences that ask weigh more than
    the story before them (我们公司在保护区边上有座小水电站，运营快十年了…有没有义务配合他们？):
    the story's words are matched by every long article of the topic."""
    asked = asked_part(question)
    if asked == question or not units:
        return units
    asking = index.prepare(asked).replace(" ", "")
    return [(u, w if u in asking else w * STORY_WEIGHT) for u, w in units]


def _spelt_out_here(index: KnowledgeIndex, words_: tuple[str, ...], prepared: str) -> bool:
    """A word the synonyms spell out as the rules do only where the question puts it (含PCB的电容器
    → 含多氯联苯的电容器, PCB alone being also a circuit board; 打疫苗 → 免疫接种): it names what
    the words around it say, not a subject of its own."""
    if len(words_) != 1:
        return False
    if words_[0].isascii():
        word = re.compile(f"(?<![a-z0-9]){re.escape(words_[0].lower())}(?![a-z0-9])")
        return bool(word.search(index.prepare(words_[0]))) and not word.search(prepared)
    return words_[0] in index.prepare(words_[0]) and words_[0] not in prepared


def retrieve(
    index: KnowledgeIndex,
    question: str,
    *,
    k: int = 5,
    mode: str = "hybrid",
    params: Params = DEFAULT_PARAMS,
    province: str | None = None,
    city: str | None = None,
    previous: str | None = None,
) -> Retrieval:
    """Rank the passages for a question, match the FAQ, and decide whether to answer.

    ``province``/``city`` say which regional FAQ entries the asker sees (national ones always);
    ``previous`` is the question of the previous turn of the same conversation: a follow-up is
    looked up together with it.
    """
    q = _read_question(index, question, previous)
    n = len(index.passages)
    bm25 = index.passage_index.bm25.scores(q.tokens) if n else np.zeros(0, np.float32)
    visible = (province, city)
    z_bm25 = _zscore(bm25)
    vector, candidates = _embed_and_match_faq(index, q, z_bm25, mode, params, visible)
    faq = candidates[0] if candidates else None
    faq_ok = (
        faq is not None and faq.strength >= params.faq_threshold and _faq_has_shape(index, q, faq)
    )
    if n == 0:
        confidence = faq.strength if faq_ok else 0.0
        return Retrieval(
            q.question,
            q.prepared,
            [],
            confidence,
            faq_ok,
            faq,
            faq_candidates=candidates,
            faq_answers=faq_ok,
            asked=q.asked,
        )
    # ranking reads a long passage's best window; the refusal model the start of each passage,
    # as it was fitted (a long article has more windows, so its best one is higher by chance)
    dense, dense_start = (
        index.passage_index.dense_best_and_first(vector)
        if vector is not None
        else (np.zeros(n, np.float32), np.zeros(n, np.float32))
    )
    z_dense = _zscore(dense) if vector is not None else None
    fused, unfitted, added = _rank(index, q, z_bm25, z_dense, mode, params, visible)
    order, hits = _answering_order(index, q, fused, k, params, bm25, dense)
    z_dense_start = _zscore(dense_start)
    features = _refusal_features(
        index, q, hits, order, unfitted, dense_start, z_dense_start, vector is not None
    )
    features.update(_standing_in_its_document(index, order, fused - unfitted, dense_start))
    if vector is not None:  # not a feature of the model: a floor (``_shares_almost_nothing``)
        features["dense_max"] = float(dense.max())
    penalty = _penalty_of_duty(index, q, hits[0].passage)
    if penalty is not None:
        # whether the question is answered is whether its duty was found: the penalty article
        # shares only the article number with it, so its shape is all it adds
        features["shape"] = _answer_shape(q.intents, _answer_text(index.passages[penalty]))
    answering = index.passages[penalty] if penalty is not None else None
    confidence, ruled, absent, unknown = _confidence(index, q, hits[0], features, params, answering)
    judged = hits[0].number
    reordered = None
    if mode == "hybrid" and z_dense is not None:
        # whether to answer is decided on the order the refusal model was fitted with; which
        # passage answers first, on the ranking model's
        # … and only when it may move something: the features cost half a millisecond
        best = np.argsort(-fused, kind="stable")[:CANDIDATES]
        known = _candidate_traits(index, best, added)
        encoder = index.embedder.name if index.embedder is not None else None
        if ranking_moves(known, encoder):
            table = _candidate_table(index, q, best, fused, z_bm25, z_dense, z_dense_start, vector)
            reordered = best, {**known, **table}
            fused = fused + _ranking_lift(fused, *reordered, encoder)
            # a question that names a document or a place has chosen its text already
            if not (added["named_document"].any() or added["local_document"].any()):
                fused = prefer_the_specific_text(index, best, fused, params.w_specific)
            _, hits = _answering_order(index, q, fused, k, params, bm25, dense)
    hits = _measure_for_whom_and_by_when(q, hits)
    judged_with_penalty = penalty is not None
    if penalty is None and _asks_an_amount(q) and _moved_within(index, hits, judged):
        # the ranking model put a duty's article first (不让执法的人进 → 配合检查) where a penalty
        # article was judged: the article punishing that duty by number gives the amount asked.
        # Only when an amount is asked: the model's duty is the answer to "平台有啥责任"
        penalty = _penalty_of_duty(index, q, hits[0].passage)
    if penalty is None:
        penalty = _penalty_of_the_duty_asked(index, q, hits)
    if penalty is not None:
        rest = [hit for hit in hits if hit.number != penalty]
        hits = [_hit(index, q, penalty, fused, bm25, dense), *rest]
    if (
        not judged_with_penalty
        and ruled
        and confidence < params.answer_threshold
        and _moved_within(index, hits, judged)
    ):
        # A rule held the answer back for what the judged passage lacks (物业没管好垃圾分类会被罚
        # 多少钱: the duty's article gives no amount), and the ranking model has put another
        # article of the same document first (the penalty, with the amount): the rules read the
        # passage that is shown.
        confidence, ruled, absent, unknown = _confidence(index, q, hits[0], features, params)
    outline = asked_outline(index, q.corrected, visible)
    if outline is not None:
        # 支撑保障包括哪些: the part's items answer, each cited by the paragraph under it
        items = [_hit(index, q, i, fused, bm25, dense) for i in outline.passages]
        hits = [*items, *(hit for hit in hits if hit.number not in outline.passages)]
        confidence, ruled = max(confidence, OUTLINE_CONFIDENCE), True
    answered = confidence >= params.answer_threshold
    # A curated answer must not hide a passage that answers clearly better.
    faq_answers = faq_ok and (
        not answered
        or (
            faq.strength >= confidence - params.faq_yield
            and not _passage_answers_better(index, q.intents, hits[0].passage, faq)
        )
    )
    if faq_answers:
        answered = True
        confidence = max(confidence, faq.strength)
    return Retrieval(
        q.question,
        q.prepared,
        hits[:k],
        float(min(max(confidence, 0.0), 1.0)),
        answered,
        faq,
        features,
        faq_candidates=candidates,
        faq_answers=faq_answers,
        asked=q.asked,
        absent=absent,
        unknown_subjects=unknown,
        reordered=reordered,
        judged=judged,
        ruled=ruled,
        outline=outline,
    )


def _answering_order(
    index: KnowledgeIndex,
    q: _Query,
    fused: np.ndarray,
    k: int,
    params: Params,
    bm25: np.ndarray,
    dense: np.ndarray,
) -> tuple[np.ndarray, list[Hit]]:
    """The best passages by fused score, then by the shape of the answer asked for (a value
    given, a purpose stated), and their hits."""
    order = np.argsort(-fused, kind="stable")[: max(k, 2)]
    order = _said_in_full(index, q, _shaped_first(index, q, order, fused, params))
    return order, [_hit(index, q, i, fused, bm25, dense) for i in order]


# How much more of the question the duties one penalty punishes must cover than those of the
# penalty first, for it to take first place
DUTY_COVERAGE_MARGIN = 0.25
# how sure an answer listing a part's items is: the question named the part and asked for its
# items (``knowledge.outlines``)
OUTLINE_CONFIDENCE = 0.9


def _penalty_of_the_duty_asked(index: KnowledgeIndex, q: _Query, hits: list[Hit]) -> int | None:
    """ "工地没设围挡，罚多少钱": a local rule's penalty articles name the duties they punish only
    by number (违反本条例第八条第三款、第九条……规定的), so the first may be another duty's penalty
    that shares the question's everyday words (工地). Among the first three, the penalty of the
    same text whose duties, read with it, hold far more of the question answers first."""
    if len(hits) < 2 or not _asks_an_amount(q) or not _BREACH_ASKED.search(q.corrected):
        return None
    cited = duties_cited(index)
    first = hits[0]
    if first.number not in cited:
        return None

    def reach(hit: Hit) -> float:
        pieces = [hit.number, *cited.get(hit.number, ())]
        text = "".join(index.passage_index.prepared[i] for i in pieces).replace(" ", "")
        return coverage(index, q.units, text)

    rivals = [h for h in hits[1:3] if h.number in cited and h.passage.title == first.passage.title]
    if not rivals:
        return None
    # each rival's reach worked out once; on a tie the one ranked higher
    best_reach, best = max(((reach(h), h.number) for h in rivals), key=lambda pair: pair[0])
    return best if best_reach >= reach(first) + DUTY_COVERAGE_MARGIN else None


def _asks_an_amount(q: _Query) -> bool:
    """罚多少, 罚多少钱: the question asks how much a fine is."""
    names = {i.name for i in q.intents}
    return "amount" in names or {"fine", "quantity"} <= names


def _moved_within(index: KnowledgeIndex, hits: list[Hit], judged: int) -> bool:
    """Whether the ranking model put first another passage of the judged passage's document.
    Not one of another document: the refusal model was fitted on the judged passage's standing,
    and another document's article may answer another matter (没填联单罚多少 → 大气法's fine for
    refusing an inspection)."""
    shown = hits[0]
    return shown.number != judged and shown.passage.title == index.passages[judged].title


def _embed_and_match_faq(
    index: KnowledgeIndex,
    q: _Query,
    z_bm25: np.ndarray,
    mode: str,
    params: Params,
    visible: tuple[str | None, str | None],
) -> tuple[np.ndarray | None, list[FaqMatch]]:
    """The question's vector (None when the dense half is off or not needed) and the FAQ
    entries it matches, strongest first."""
    has_items = bool(index.passages) or bool(index.faq_items)
    need_dense = (
        mode in ("hybrid", "dense") and index.embedder is not None and has_items and q.units
    )
    candidates: list[FaqMatch] = []
    may_skip_dense = params.dense_skip_margin is not None and mode == "hybrid"
    if index.faq_items and (may_skip_dense or not need_dense):
        candidates = _match_faq(index, q.prepared, q.tokens, None, "bm25", visible)
    if need_dense and may_skip_dense and _lexically_decided(z_bm25, candidates, params):
        need_dense = False
    vector = index.embed_query(q.prepared) if need_dense else None
    if index.faq_items and vector is not None:
        candidates = _match_faq(index, q.prepared, q.tokens, vector, mode, visible)
    return vector, candidates


def _rank(
    index: KnowledgeIndex,
    q: _Query,
    z_bm25: np.ndarray,
    z_dense: np.ndarray | None,
    mode: str,
    params: Params,
    visible: tuple[str | None, str | None],
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Fused scores after every ranking adjustment; the part of them the refusal model was not
    fitted with (``unfitted``: the document prior, the coverage lift above its fitted weight),
    which its features leave out; and what each adjustment added (the ranking model reads it)."""
    if mode == "bm25" or z_dense is None:
        fused = z_bm25
    elif mode == "dense":
        fused = z_dense
    else:
        fused = params.alpha * z_bm25 + (1 - params.alpha) * z_dense
    intents, units, prepared = q.intents, q.units, q.prepared
    fused = hide_other_regions(index, fused, visible)
    steps = _Steps(fused)
    fused = steps.add("answer_shape", prefer_answer_shape(index, intents, fused, params.w_intent))
    fused = steps.add(
        "liability",
        prefer_liability_as_asked(
            index, intents, fused, params.w_liability, q.folded, params.w_duty
        ),
    )
    named = named_documents(index, q.question)
    fused = steps.add(
        "named_document",
        prefer_named_document(index, q.question, fused, params.w_document, params.w_article, named),
    )
    fused = steps.add(
        "opening", lower_the_opening(index, q.folded, intents, fused, params.w_opening)
    )
    before_subject = fused
    fused = steps.add(
        "subject_document", prefer_subject_document(index, units, fused, params.w_subject)
    )
    fused = steps.add(
        "local_document", prefer_local_document(index, q.question, fused, params.w_place)
    )
    unfitted = fused - before_subject + _named_lift_unfitted(index, named, params)
    fused = steps.add("definition", prefer_definition(index, intents, prepared, units, fused))
    fused = steps.add("entry_into_force", prefer_entry_into_force(index, intents, units, fused))
    fused = steps.add("report_right", prefer_report_right(index, intents, fused))
    fused = steps.add("payer", prefer_payer_stated(index, intents, fused))
    fused = steps.add(
        "general_provision", prefer_general_provision(index, q.question, units, fused)
    )
    fused = steps.add("applicability", prefer_applicability(index, q.question, fused))
    fused = steps.add(
        "penalty", follow_to_penalty(index, intents, prepared, fused, params.w_penalty)
    )
    before_covering = fused
    fused = steps.add("covering", _prefer_covering(index, units, fused, params))
    if params.w_coverage_rank > 0:
        share = max(params.w_coverage_rank - COVERAGE_AS_FITTED, 0.0) / params.w_coverage_rank
        unfitted = unfitted + share * (fused - before_covering)
    before_close = fused
    fused = steps.add("close_words", _prefer_close_words(index, units, fused, params.w_proximity))
    unfitted = unfitted + (fused - before_close)
    # an appended form as much as the opening lines, but last: it holds nearly every word of the
    # rule, and the lifts for covering the question's words would raise it again
    fused = steps.add(
        "appendix", lower_the_appendix(index, units, intents, fused, params.w_opening)
    )
    fused = steps.add(
        "definitions_list",
        lower_the_definitions(index, intents, prepared, fused, params.w_definitions),
    )
    return fused, unfitted, steps.added


class _Steps:
    """What each ranking step added to the fused scores."""

    def __init__(self, fused: np.ndarray) -> None:
        self._fused = fused
        self.added: dict[str, np.ndarray] = {}

    def add(self, name: str, fused: np.ndarray) -> np.ndarray:
        self.added[name] = fused - self._fused
        self._fused = fused
        return fused


# steps that lift the article answering a kind of question they recognise (what a term means,
# whom the rule covers, when it takes effect, who may report, who pays, what it is for): their
# pick stands, the ranking model never saw enough of them to overrule it
_RECOGNISED_BY = (
    "definition",
    "applicability",
    "entry_into_force",
    "report_right",
    "payer",
    "general_provision",
)
# chapters whose articles questions ask about in their own way (the ranking model reads them)
_CHAPTERS = {
    "general_chapter": ("总则",),
    "liability_chapter": ("法律责任", "罚则"),
    "supplementary_chapter": ("附则",),
}


def _candidate_traits(
    index: KnowledgeIndex, order: np.ndarray, added: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """What is known of the candidates ``order`` before any feature is computed: their traits
    (which are articles, length, chapter), what each step added to them, and whether a rule has
    recognised the kind of question asked — enough to tell whether the model moves anything
    (``ranking.moves``)."""
    known = {name: values[order] for name, values in _passage_traits(index).items()}
    for name, values in added.items():
        known[f"step_{name}"] = values[order]
    settled = any(known[f"step_{name}"].max() > 0 for name in _RECOGNISED_BY)
    known["settled"] = np.array([float(settled)])
    return known


def _candidate_table(
    index: KnowledgeIndex,
    q: _Query,
    order: np.ndarray,
    fused: np.ndarray,
    z_bm25: np.ndarray,
    z_dense: np.ndarray,
    z_dense_first: np.ndarray,
    vector: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """What the ranking model reads of the candidates ``order``, by feature name, besides what
    ``_candidate_traits`` knew of them."""
    passages = [index.passages[i] for i in order]
    best_title = passages[0].title
    titles = [p.title for p in passages]
    bm25_top, dense_top = z_bm25[order], z_dense[order]
    return {
        "fused": fused[order],  # not a feature: the offset the model's lift is added to
        "bm25_z": bm25_top,
        "dense_z": dense_top,
        "dense_first_z": z_dense_first[order],
        "coverage": np.array([_passage_coverage(index, q, i) for i in order]),
        "reciprocal_rank": 1.0 / np.arange(1, len(order) + 1),
        "bm25_reciprocal_rank": 1.0 / (1 + (bm25_top[None, :] > bm25_top[:, None]).sum(1)),
        "dense_reciprocal_rank": 1.0 / (1 + (dense_top[None, :] > dense_top[:, None]).sum(1)),
        "same_document_as_best": np.array([t == best_title for t in titles], dtype=float),
        "document_share": np.array([titles.count(t) / len(titles) for t in titles]),
        "answer_shape": np.array([_answer_shape(q.intents, _answer_text(p)) for p in passages]),
        "lacks_concrete_answer": np.array(
            [_lacks_concrete_answer(q.intents, p) for p in passages], dtype=float
        ),
        "term_links": _term_links(index, q, order),
        "deadline_stated": _deadline_stated(q.intents, passages),
        **_adapted_dense(index, vector, order),
    }


# the kinds of question a measure's 完成时限 answers
TIME_ASKED = frozenset({"when", "deadline", "date", "month"})
# 正面清单这事谁负责, 由哪些部门负责实施, 省厅市局哪级负责: who answers for it, which is what a
# plan's measure table lists (责任部门); 我们局里负责发证审批的同志… names a duty, asks no one
_RESPONSIBLE_ASKED = re.compile(
    r"(谁|哪[^，。；？?！!]{0,4})来?负责|负责[^，。；？?！!]{0,3}(是谁|是哪|哪)"
)


def _measure_for_whom_and_by_when(q: _Query, hits: list[Hit]) -> list[Hit]:
    """严格把关许可证质量这活，是省里还是市里干？要在哪个月之前搞完？ asks who and by when: a
    plan's paragraph says what is to be done, its measure's row says by whom and by when
    (责任部门, 完成时限). When both are asked and a paragraph stands first, the measure of the
    same item among the next two goes first (in the read plan sets, 3 of the 7 such questions
    had only the measure right, none only the paragraph). So it does when who is *responsible*
    is asked (谁负责): the row's 责任部门 is that answer, where a paragraph may name only who acts
    (in the read plan sets, 5 of 5 such questions had only the measure right)."""
    names = {i.name for i in q.intents}
    if "who" not in names or len(hits) < 2:
        return hits
    time_asked = bool(names & TIME_ASKED)
    if not time_asked and not _RESPONSIBLE_ASKED.search(q.folded):
        return hits
    measure = measure_of_the_same_item(hits[:3], dated=time_asked, departments=True)
    return hits if measure is None else [measure, *(h for h in hits if h is not measure)]


def measure_of_the_same_item(
    hits: list[Hit], *, dated: bool, departments: bool = False
) -> Hit | None:
    """When a plan's paragraph stands first in ``hits``, the first of the others that is the
    measure table's row of the same item (（十二）…: same document, same heading), with a
    完成时限 when ``dated``, with 责任部门 when ``departments``; else None."""
    first = hits[0].passage if hits else None
    if first is None or first.article is not None or first.measure is not None:
        return None
    return next(
        (
            hit
            for hit in hits[1:]
            if hit.passage.measure is not None
            and hit.passage.title == first.title
            and hit.passage.heading == first.heading
            and (hit.passage.deadline or not dated)
            and (hit.passage.departments or not departments)
        ),
        None,
    )


def _deadline_stated(intents: list, passages: list[Passage]) -> np.ndarray:
    """1 for each of the plan's measures whose 完成时限 answers the time a question asks (法人培训
    啥时候必须搞完 → 2024年12月), 0 for the rest: a paragraph of the plan may name a year (三年内)
    without saying by when its work is due."""
    asked = any(i.name in TIME_ASKED for i in intents)
    return np.array([asked and p.deadline is not None for p in passages], dtype=float)


def _adapted_dense(
    index: KnowledgeIndex, vector: np.ndarray | None, order: np.ndarray
) -> dict[str, np.ndarray]:
    """The candidates' similarity with the question's vector mapped toward answering articles
    (``knowledge.query_adapter``), as z-scores among them; nothing when the map was not fitted
    for this encoder (the ranking model then reads the feature's mean: no lift)."""
    if vector is None or index.embedder is None:
        return {}
    adapter = load_query_adapter(index.embedder.name, len(vector))
    if adapter is None:
        return {}
    scores = index.passage_index.best_window_scores(adapter.adapt(vector), order)
    return {"adapted_dense_z": standardised(scores)}


def _term_links(index: KnowledgeIndex, q: _Query, order: np.ndarray) -> np.ndarray:
    """Each candidate's reach of the question by the links learned from questions."""
    collection, links = index.passage_index, load_term_links()
    vocabulary, rows = collection.word_numbers()
    return links.reach_numbered(
        words(q.prepared),
        vocabulary,
        [rows[i] for i in order],
        collection.linked_numbers(links),
    )


def _reach(index: KnowledgeIndex, q: _Query, number: int) -> float:
    """How far passage ``number`` reaches the question's words it lacks by the links learned from
    questions (关掉 → 关闭: ``knowledge.term_links``)."""
    return float(_term_links(index, q, np.array([number]))[0])


def warm_snapshot(index: KnowledgeIndex) -> None:
    """Work out now what a snapshot otherwise works out for the first question that needs it,
    and load the models every question reads: after a start, the first question took a quarter
    to half a second longer than the next ones (the typo sounds, the wording model, the table
    of character pairs behind ``containing_bits``)."""
    for collection in (index.passage_index, index.faq_index):
        collection.containing_bits("")  # builds the table of character pairs
    sound_table(index)
    links, collection = load_term_links(), index.passage_index
    links.number_every_word(collection.word_numbers()[0], collection.linked_numbers(links))
    for passage in index.passages:
        _titled_text(index, passage)
    for item in range(len(index.faq_items)):
        _faq_units(index, item)
    _passage_traits(index)
    duties_cited(index)  # and the penalties citing each article
    passages_of_documents(index)
    document_members(index)
    defined_terms(index)
    legal_titles(index)
    paragraph_of_row(index, -1)  # every row's paragraph
    document_outlines(index)
    compact_corpus(index)
    compact_titles(index)
    load_model()
    load_wording()
    load_ranking_model()
    load_policy_ranking_model()
    if index.embedder is not None:
        load_query_adapter(index.embedder.name, index.embedder.dim)


def _passage_traits(index: KnowledgeIndex) -> dict[str, np.ndarray]:
    """What the ranking models read of every passage that no question changes: its length, its
    chapter, whether it is one of the plan's measures; and whether it is an article (not a
    feature: it says which model moves it). Once per snapshot."""
    if index.passage_traits is None:
        passages = index.passages
        traits = {
            "log_length": np.log1p([len(p.text) for p in passages]),
            "article": np.array([p.article is not None for p in passages], dtype=float),
            "measure": np.array([p.measure is not None for p in passages], dtype=float),
        }
        for name, words_ in _CHAPTERS.items():
            traits[name] = np.array(
                [any(w in (p.section or "") for w in words_) for p in passages], dtype=float
            )
        index.passage_traits = traits
    return index.passage_traits


def _ranking_model(table: dict[str, np.ndarray], encoder: str | None) -> RankingModel | None:
    """The ranking model for a list of candidates: the articles' when the best is an article, the
    plan's (texts without articles) when it is none — only with the encoder it was fitted on: it
    leans on the similarities, which mean something else under an operator's own model; None
    once a rule has recognised the kind of question."""
    if table["settled"][0]:
        return None
    if table["article"][0]:
        return load_ranking_model()
    model = load_policy_ranking_model()
    return model if model.encoder in (None, encoder) else None


def ranking_moves(known: dict[str, np.ndarray], encoder: str | None) -> bool:
    """Whether a ranking model moves anything among the candidates ``known``."""
    model = _ranking_model(known, encoder)
    return model is not None and model.moves(known)


def _ranking_lift(
    fused: np.ndarray, order: np.ndarray, table: dict[str, np.ndarray], encoder: str | None
) -> np.ndarray:
    """The ranking model's lift of each passage: the best few of the kind it moves, nothing
    else."""
    lift = np.zeros_like(fused)
    model = _ranking_model(table, encoder)
    if model is not None:
        lift[order] = model.lift(table)
    return lift


def _hit(
    index: KnowledgeIndex,
    q: _Query,
    i: int,
    fused: np.ndarray,
    bm25: np.ndarray,
    dense: np.ndarray,
) -> Hit:
    passage = index.passages[i]
    return Hit(
        passage=passage,
        number=i,
        score=float(fused[i]),
        bm25=float(bm25[i]),
        dense=float(dense[i]),
        coverage=_passage_coverage(index, q, i),
    )


def _passage_coverage(index: KnowledgeIndex, q: _Query, i: int) -> float:
    """How much of the question passage ``i`` covers, the document's name counting as written in
    each of its passages; once per passage and question."""
    if i not in q.coverages:
        title = index.short_titles.get(index.passages[i].title, "")
        q.coverages[i] = coverage(index, q.units, title + index.passage_index.prepared[i])
    return q.coverages[i]


def _refusal_features(
    index: KnowledgeIndex,
    q: _Query,
    hits: list[Hit],
    order: np.ndarray,
    unfitted: np.ndarray,
    dense_start: np.ndarray,
    z_dense_start: np.ndarray,
    has_vector: bool,
) -> dict[str, float]:
    """What the refusal model reads of the best passages (``knowledge.refusal``)."""
    top = hits[0]
    sure = [h.score - float(unfitted[i]) for h, i in zip(hits[:2], order, strict=False)]
    features = {
        "coverage": top.coverage,
        "fused": sure[0],
        "margin": sure[0] - sure[1] if len(sure) > 1 else sure[0],
        "dense": float(dense_start[order[0]]),
        "dense_z": float(z_dense_start[order[0]]) if has_vector else 0.0,
        "coverage3": max(h.coverage for h in hits[:3]),
        "lexical": _lexical_share(index, q.tokens, top.bm25),
        "units": math.log1p(len(q.units)),
        "missing": _heaviest_missing(index, q.units, top),
        # does the passage have the shape of the answer asked for (a number of days, 万元 …)?
        "shape": _answer_shape(q.intents, _answer_text(top.passage)),
        # how far it reaches the words it lacks (关掉 → 关闭): everyday wording of a question the
        # passage answers is bridged by links learned from questions, a near miss's rarely
        "term_links": _reach(index, q, top.number),
    }
    wording = load_wording()
    if wording is not None and not _asks_for_what_the_passage_names(q.prepared, top.passage):
        # how it asks: statistics, a named party's record, another city's practice are what
        # near misses ask and rules never give (``knowledge.wording``)
        features["wording"] = wording.odds(q.asked)
    if len(index.passages) < MIN_PASSAGES_FOR_SPREAD:
        # how far the best passage stands out means nothing among a handful: leave it to the
        # model's average (``RefusalModel`` reads a missing feature as its mean)
        for name in ("fused", "margin", "dense_z"):
            features.pop(name)
    return features


# 有没有抖音号可以关注, 有没有比赛可以报: whether a thing exists, the thing being what follows
_EXISTENCE_ASKED = re.compile(
    r"(?:有没有|有无|是否有)(?:什么|啥|甚么|现成的?|官方的?)?"
    r"([\u4e00-\u9fffA-Za-z0-9 ]{1,16}?)(?:可以|可供|能|供|吗|呢|$)"
)


def _asks_for_what_the_passage_names(prepared: str, passage: Passage) -> bool:
    """The question asks whether a thing exists (有没有排污许可的公众号可以关注) and the passage, a
    measure or paragraph of a plan, names that thing (利用排污许可微信公众号、抖音账号等多途径宣传):
    how it asks is then no sign of a near miss. Near misses ask so for what no rule gives (有没有
    推荐的厂家, 有没有补贴), a thing the passage does not name; the thing is the last word of two or
    more characters asked for. A plan announces things (a channel, a contest, a class) whose being
    there is the answer; an article of a rule that names the thing does not make a near miss
    answerable (有没有限行的区域和时段规定 against an article on 规定: the sweep of session 48)."""
    if passage.article is not None:
        return False
    found = _EXISTENCE_ASKED.search(prepared)
    if found is None:
        return False
    thing = [w for w in words(found.group(1).strip()) if len(w) >= 2]
    return bool(thing) and thing[-1] in passage.text


def _standing_in_its_document(
    index: KnowledgeIndex, order: np.ndarray, sure: np.ndarray, dense_start: np.ndarray
) -> dict[str, float]:
    """How far the best passage stands out among the passages of its own document: its fused
    score and dense similarity in standard deviations above their mean there, and its lead over
    the next passage of the document among the best few (0 when none is).

    Among all passages it stands out further the more unrelated documents are loaded beside its
    own: for a near miss on a rule's topic (退耕还林补助到底补几年) the rule's article stands 1.7
    standard deviations of dense similarity above the mean with the plan, 3.0 with two laws
    loaded too, and the refusal model answered it at 0.996 (session 38). Among its own document's
    passages the same question stands as far whatever else is loaded (its fused score nearly so:
    BM25 weighs words by all passages)."""
    top = int(order[0])
    title = index.passages[top].title
    mine = document_members(index)[title]
    if len(mine) < MIN_PASSAGES_FOR_SPREAD:
        return {}
    # both rows at once: a mean and a spread per call cost more than the arithmetic
    here = np.vstack((sure[mine], dense_start[mine]))
    mean, spread = here.mean(axis=1), here.std(axis=1)
    spread[spread == 0] = 1.0
    second = next((i for i in order[1:] if index.passages[i].title == title), None)
    lead = float(sure[top] - sure[second]) if second is not None else 0.0
    return {
        "fused_doc": float((sure[top] - mean[0]) / spread[0]),
        "margin_doc": lead / float(spread[0]),
        "dense_z_doc": float((dense_start[top] - mean[1]) / spread[1]),
    }


def _confidence(
    index: KnowledgeIndex,
    q: _Query,
    top: Hit,
    features: dict[str, float],
    params: Params,
    answering: Passage | None = None,
) -> tuple[float, bool, list[str], list[str]]:
    """The refusal model's confidence, held below the threshold where no passage can answer;
    whether a rule, not the model, set it; the standards or documents the question names that
    the knowledge base lacks; and the licences, places or assessments it names that no document
    names. ``answering`` is the article punishing the breach of the best passage's duty, which
    answers in its place (``_penalty_of_duty``): it is the one to give the amount asked."""
    confidence = model_confidence = load_model().confidence(features)
    ruled = False
    in_force_asked = _is_the_entry_into_force_asked(index, q, top)
    defines_it = _defines_what_is_asked(index, q, top)
    if (
        defines_it
        or _states_the_general_provision_asked(index, q, top)
        or _says_all_and_what_is_asked(q, top)
        or (in_force_asked and names_one_document(index, q.intents, q.units, top.passage.title))
    ):
        confidence, ruled = max(confidence, DEFINED_CONFIDENCE), True
    if not q.units:  # nothing but question words: there is nothing to look up
        confidence, ruled = 0.0, True
    absent = absent_references(index, q.corrected)
    if absent:  # it asks about a standard or document the knowledge base does not hold
        confidence, ruled = min(confidence, params.answer_threshold / 2), True
    unknown = _unknown_subjects(index, q.subjects)
    if _sure_despite_an_unwritten_acronym(index, model_confidence, unknown):
        unknown = []
    if (
        _lacks_concrete_answer(q.intents, answering or top.passage)
        or unknown
        or _answers_for_another_licence(index, q, top)
        or _answers_another_field(index, q, top)
        or asks_a_party_s_record(q.folded)  # its record: laws say who keeps records, not theirs
        or _asks_a_list_not_held(index, q.folded)
        # 俺一个老百姓有权去告它吗: the article granting the right shares no words with the
        # pollution told, yet answers
        or (
            _shares_almost_nothing(index, features)
            and not grants_the_report_asked(q.intents, top.passage)
            and not _stands_out_with_what_is_asked(q, features, top)
            and not in_force_asked
            # 老听人说…额外性…啥意思，听着好玄乎: the definition answers, whatever else is said
            and not defines_it
            # 乱贴牛皮癣小广告 → 张贴: the model, reading everything else, is all but sure
            and not _sure_despite_few_words(index, model_confidence, features)
        )
    ):
        confidence, ruled = min(confidence, params.answer_threshold / 2), True
    return confidence, ruled, absent, unknown


MIN_PASSAGES_FOR_SPREAD = 20
# "土壤污染具体指什么" with the article saying "本法所称土壤污染，是指" first: the answer is there,
# however short the question (the model holds a two-word question for a near miss)
DEFINED_CONFIDENCE = 0.7


def _says_all_and_what_is_asked(q: _Query, top: Hit) -> bool:
    """环境日是哪天 → "每年6月5日为环境日": the passage holds every word of the question and the
    kind of value it asks for (a date, a number of days …); a short question the model would
    doubt for its shortness."""
    return top.coverage >= FULL_COVERAGE and _gives_the_value_asked(q, top)


def _is_the_entry_into_force_asked(index: KnowledgeIndex, q: _Query, top: Hit) -> bool:
    """这办法啥时候生效 → "本办法自2021年2月1日起施行": the closing article shares no word with a
    question that names only the document, yet is its answer."""
    return enters_into_force(top.passage) and asks_only_when_in_force(
        index, q.intents, q.units, top.passage.title
    )


def _stands_out_with_what_is_asked(q: _Query, features: dict[str, float], top: Hit) -> bool:
    """到货后几天内要在系统里确认接收 → "在接受之日起五个工作日内通过信息系统确认接受": the
    best passage stands far above the rest, shares some of the question's words and gives the
    kind of value asked for, however differently it words the rest (运抵, 接受)."""
    return (
        features.get("margin", 0.0) >= CLEAR_MARGIN
        and top.coverage >= SOME_COVERAGE  # 清蒸鲈鱼要蒸几分钟 shares nothing with a law
        and _gives_the_value_asked(q, top)
    )


def _gives_the_value_asked(q: _Query, top: Hit) -> bool:
    """The question asks for a value or a time and the passage gives that kind of thing."""
    asked = [i for i in q.intents if i.name in _VALUE_OR_TIME_INTENTS]
    return bool(asked) and answer_fit(asked, _answer_text(top.passage)) == 1


def _sure_despite_few_words(
    index: KnowledgeIndex, model_confidence: float, features: dict[str, float]
) -> bool:
    """The model is all but sure though the best passages share few of the question's words
    (乱贴牛皮癣小广告 → 张贴), in a knowledge base of a few documents, near those it was
    calibrated on (one to three: the plan, with one rule or with two laws and the FAQ pack).
    Among a hundred documents the best of many chance matches of an off-topic question
    (手机充电发烫) draws the same confidence; and a question sharing no word at all
    (明天北京会不会下雨) is off the topic however sure it is."""
    return features["coverage3"] > 0 and _sure_in_a_small_base(index, model_confidence)


def _sure_in_a_small_base(index: KnowledgeIndex, model_confidence: float) -> bool:
    """The model, reading everything else, is all but sure, in a knowledge base no larger than
    those it was calibrated on and the benchmarks ask (``FEW_DOCUMENTS``)."""
    return model_confidence >= SURE_DESPITE_FEW_WORDS and len(index.short_titles) <= FEW_DOCUMENTS


def _sure_despite_an_unwritten_acronym(
    index: KnowledgeIndex, model_confidence: float, unknown: list[str]
) -> bool:
    """The only subjects no document names are latin acronyms (NDT公司出假检测报告会罚多少,
    MSDS和安全标签咋办) the rules write out in Chinese (无损检验, 安全技术说明书), and the
    model, reading everything else, is all but sure, in a small knowledge base (as
    ``_sure_despite_few_words``). Over the tuning sets such questions at 0.85 or more are in
    scope, 12 of 13 (the other asks whether a tanker must carry GPS); ESG, KTV or iPhone asked
    off the topic sit below 0.5."""
    return (
        bool(unknown)
        and all(is_acronym(subject) for subject in unknown)
        and _sure_in_a_small_base(index, model_confidence)
    )


FULL_COVERAGE = 0.999
# the model's confidence above which few shared words do not refuse (``_shares_almost_nothing``),
# and the most documents a knowledge base may hold for it: the model was calibrated on one to
# three, and six takes in the small bases the benchmarks ask (the plan, two or four laws, a rule).
# Over the tuning sets (the plan and one rule each, 9,651 questions), where few words are shared
# and the model gives 0.85–0.97, 11 of 12 questions are in scope (又干又刮大风，听说连家里烧火做饭
# 都要管 → 森林防火条例第二十八条) and the twelfth (工伤咋认定, 0.87) is refused as of another
# field; the off-topic ones refused for few shared words alone sit below 0.73 (羽绒服能不能
# 扔洗衣机 0.72, 明天会不会下雨 0.70). By session 34's models the first figure was 18 of 18,
# 工伤咋认定 at 0.82. Session 49's refit gives 羽绒服能不能扔洗衣机 0.86 beside a rule on pesticides
# and the laws, and it is answered; 0.9 refused it, and 4–5 questions in scope more per column of
# the tuning sweep (NDT, EMC: acronyms the rules spell out), so the threshold stayed.
SURE_DESPITE_FEW_WORDS = 0.85
FEW_DOCUMENTS = 6
# standard deviations of the fused score by which the best passage leads the second
CLEAR_MARGIN = 2.0
SOME_COVERAGE = 0.15


def _defines_what_is_asked(index: KnowledgeIndex, q: _Query, top: Hit) -> bool:
    defining = defining_passage(index, q.intents, q.prepared, q.units)
    return defining is not None and top.number == defining


def _states_the_general_provision_asked(index: KnowledgeIndex, q: _Query, top: Hit) -> bool:
    """开征环保税图的是啥 → 第一条 (为了…制定本法): the question asks the purpose, scope or
    supervising authority of the one document it names and nothing else, and the best passage
    states it (水污染归哪个部门监管 names the water law and a province's water rules alike)."""
    stating = general_provision_asked(index, q.question, q.units, top.passage.title)
    return (
        stating is not None
        and top.number == stating
        and (
            names_only(index, q.units, top.passage.title)
            or points_at_the_document_only(index, q.question, q.units)
        )
    )


# the weight of the coverage lift (``Params.w_coverage_rank``) the refusal model was fitted with
COVERAGE_AS_FITTED = 1.0
# the named document's lift the refusal model was fitted with: naming a law makes none of its
# articles a better answer, so its features leave out what ranking adds beyond this
DOCUMENT_AS_FITTED = 0.5


def _named_lift_unfitted(index: KnowledgeIndex, named: set[str], params: Params) -> np.ndarray:
    return document_lift(index, named, max(params.w_document - DOCUMENT_AS_FITTED, 0.0))


def _lexical_share(index: KnowledgeIndex, query_tokens: list[str], score: float) -> float:
    """The best passage's BM25 score against what the question's tokens could score at most
    (each token's IDF × the saturation ceiling): how much of the question is matched at all."""
    bm25 = index.passage_index.bm25
    ceiling = sum(bm25.idf(t) for t in set(query_tokens)) * (bm25.k1 + 1)
    return float(score) / ceiling if ceiling > 0 else 0.0


_NEAR_MISSES = frozenset(intent.name for intent in NEAR_MISS_INTENTS)
SHAPED_INTENTS = (
    frozenset({"days", "duration", "quantity", "value", "fee", "contact", "frequency", "date"})
    | _NEAR_MISSES
)
# … and the kinds a time is asked in (什么时候, 截止, 何时起), whose answers are dates too
_VALUE_OR_TIME_INTENTS = SHAPED_INTENTS | {"when", "deadline", "start"}


def _answer_shape(intents: list, text: str) -> float:
    """1 when the text names the kind of thing asked for (几天 → 三十日, 多少米 → 500米, 多久
    一次 → 每年, 什么时候 → 2022年底前 or the measure's 完成时限) or nothing of the kind was asked;
    0 when it was asked for and the text has none of it."""
    shaped = [i for i in intents if i.name in SHAPED_INTENTS]
    if not shaped:
        return 1.0
    return answer_fit(shaped, text)


# Kinds of answer that are a concrete value: a number of days, an amount in a unit, a limit, a fee,
# a phone number or web address, a calendar date. A passage that gives none of them does not answer
# "网址是多少" or "多少万吨", however well it matches the topic; durations and frequencies are left
# to the model, as laws word them in many ways (定期, 按照规定的频次).
# A sign-up procedure, a brand, how to undo a slip in a form, an account's name, a venue
# (``NEAR_MISS_INTENTS``) are concrete too: a passage on the same topic that does not say them
# (排污许可培训 without 报名) is a near miss.
# A threshold the question states (不到10吨, 每三年) must be stated by the passage to be confirmed.
# Who pays (差旅费由谁出) is answered only by a passage that says who bears the cost.
CONCRETE_INTENTS = (
    frozenset(
        {"days", "quantity", "value", "fee", "contact", "date", "month", "threshold", "payer"}
    )
    | _NEAR_MISSES
)


def _shaped_first(
    index: KnowledgeIndex, q: _Query, order: np.ndarray, fused: np.ndarray, params: Params
) -> np.ndarray:
    """When the best passage gives none of the concrete values asked for (罚多少钱 → a duty
    article) and one of the next two, nearly as good, does (its penalty article), that one
    answers first: otherwise the question would be refused although the answer is at hand."""
    if params.w_shape_swap <= 0 or len(order) < 2:
        return order
    if not _lacks_concrete_answer(q.intents, index.passages[order[0]]):
        return order
    for rank in (1, 2)[: len(order) - 1]:
        i = order[rank]
        if fused[order[0]] - fused[i] > params.w_shape_swap:
            break
        if not _lacks_concrete_answer(q.intents, index.passages[i]):
            return np.concatenate([[i], np.delete(order, rank)])
    return order


def _said_in_full(index: KnowledgeIndex, q: _Query, order: np.ndarray) -> np.ndarray:
    """Asked why (副本为啥要简化), a plan's table row yields first place to the body paragraph it
    repeats when that paragraph says what the work is for and the row does not."""
    if len(order) == 0 or not asks_purpose(q.corrected):
        return order
    paragraph = paragraph_of_row(index, int(order[0]))
    if paragraph is None or answer_fit([PURPOSE], index.passages[paragraph].text) <= answer_fit(
        [PURPOSE], index.passages[int(order[0])].text
    ):
        return order
    return np.array([paragraph, *(i for i in order if i != paragraph)][: len(order)])


def _penalty_of_duty(index: KnowledgeIndex, q: _Query, best: Passage) -> int | None:
    """ "记录簿没建会怎么处理": the best passage sets the duty (建立经营情况记录簿) and names no
    penalty; the article punishing its breach names it only by number (违反本办法第十八条规定的，
    …): that article answers, the duty's after it."""
    fine = next((i for i in q.intents if i.name == "fine"), None)
    if fine is None or not _BREACH_ASKED.search(q.corrected):
        return None
    if fine.answers.search(_answer_text(best)):
        return None
    return penalty_citing(index, best)


# what follows a breach, said outright (许可证该怎么处理 asks what to do with the licence)
_BREACH_ASKED = re.compile(r"罚|处罚|后果|会(怎|咋|如何)|查到|查出|被查|追究|吊销|吊证|责任")


def _lacks_concrete_answer(intents: list, passage: Passage) -> bool:
    """The question asks for a concrete value and the passage gives none of the kinds asked."""
    concrete = [i for i in intents if i.name in CONCRETE_INTENTS]
    return bool(concrete) and answer_fit(concrete, _answer_text(passage)) == 0


def _answers_another_field(index: KnowledgeIndex, q: _Query, top: Hit) -> bool:
    """身份证丢了在哪补办, 试用期最长能约定多久, asked of a knowledge base one of whose hundred
    rules names 身份证 or 试用期 in passing: the thing of another field of law or life the question
    names (``intent.of_another_field``; not one its own words spell out, 打疫苗 → 免疫接种) must be
    named by the document of the best passage too, or that passage answers something else."""
    fields = [subject for subject in q.subjects if of_another_field(subject)]
    if not fields:
        return False
    title = top.passage.title
    document = passages_of_documents(index).get(title, 0)
    return not all(
        any(
            _names(index, (form,), within=document, title=title)
            for form in (field[0], *field_forms(field[0]))
        )
        for field in fields
    )


def _unknown_subjects(index: KnowledgeIndex, subjects: list[tuple[str, ...]]) -> list[str]:
    """The licences, places or assessments the question names (取水许可证, 郑州, 安评) that no
    passage or title of the knowledge base names: it asks about what the documents do not cover."""
    return ["".join(words_) for words_ in subjects if not _names_as_typed_or_meant(index, words_)]


def _names_as_typed_or_meant(index: KnowledgeIndex, words_: tuple[str, ...]) -> bool:
    """Some document names the subject, or would but for a slip of the input method in its first
    word (去水许可证 for 取水许可证: 去水 is a word jieba knows, so no typo was corrected)."""
    if _names(index, words_):
        return True
    # 安评 is named where a rule writes 安全评价, 房东 where it writes 出租人
    forms = (*assessment_forms(words_[0]), *field_forms(words_[0])) if len(words_) == 1 else ()
    if any(_names(index, (form,)) for form in forms):
        return True
    # 进口许可证 is the 进出口许可证 a rule names for both directions
    trade = tuple(re.sub("^(进|出)口", "进出口", w) for w in words_)
    if trade != words_ and _names(index, trade):
        return True
    meant = sounds_like(index, words_[0]) if len(words_[0]) >= 2 else None
    if meant is not None and _names(index, (meant, *words_[1:])):
        return True
    return _issued_under_a_rule_titled_so(index, words_)


def _issued_under_a_rule_titled_so(index: KnowledgeIndex, words_: tuple[str, ...]) -> bool:
    """辐射安全许可证 is the 许可证 of 《放射性同位素与射线装置安全和防护条例》: a document whose
    title holds the licence's qualifier and whose text issues a 许可证 names it, though it never
    writes the name people call it by."""
    if len(words_) != 2 or words_[1] not in LICENCE_WORDS:
        return False
    licence = index.passage_index.containing_bits(words_[1])
    return any(
        words_[0] in title and bits & licence
        for title, bits in passages_of_documents(index).items()
    )


def _asks_a_list_not_held(index: KnowledgeIndex, question: str) -> bool:
    """The entries of a list (名录里有哪些企业) when no document of the knowledge base is a list
    and none is the rule of the list named: laws and plans say who draws a list up, not what it
    lists; the rule of a list (《环境监管重点单位名录管理办法》) says which kinds of units it holds
    (重点单位名录包括哪些单位), and says nothing of another list it names (分类管理名录)."""
    if not asks_what_a_list_holds(question):
        return False
    titles = list(index.short_titles)
    named = [name for name in lists_named(question) if len(name) > 2]
    # a list the knowledge base holds answers, unless the question names another one: with the
    # 分类管理名录 loaded, 重点排污单位名录里都有哪些企业 is still a list nobody gave us
    lists = [title for title in titles if _A_LIST.search(title)]
    if lists and (not named or any(abbreviates(n, title) for n in named for title in lists)):
        return False
    return not any(abbreviates(name, title) for name in named for title in titles)


# a document that is itself a list: 《国家危险废物名录（2025年版）》, not a rule about one
_A_LIST = re.compile(f"({'|'.join(LIST_WORDS)})(（[^）]*）|\\([^)]*\\))?$")


# How far apart the words naming one thing may stand in a passage: 从事…危险废物经营活动的单位，
# 应当…申请取得许可证 names a 经营许可证; 施工 in one sentence and 许可证 three sentences on
# name no 施工许可证.
NAMING_SPAN = 24


def _names(
    index: KnowledgeIndex, words_: tuple[str, ...], *, within: int = -1, title: str | None = None
) -> bool:
    """Whether one passage, or one document title, of the knowledge base names the thing: holds
    all ``words_``, in order and close together (only the passages of ``within``, a bit set, and
    the title ``title`` when given)."""
    titles = index.short_titles if title is None else [title]
    if any(all(w in name for w in words_) for name in titles):
        return True
    prepared = _prepared_words(index, words_)
    holders = within
    for word in prepared:
        holders &= index.passage_index.containing_bits(word)
    if holders <= 0 or len(prepared) == 1:
        return holders > 0
    near = _naming(prepared)
    texts = index.passage_index.prepared
    return any(near.search(texts[i].replace(" ", "")) for i in members(holders))


def _prepared_words(index: KnowledgeIndex, words_: tuple[str, ...]) -> list[str]:
    return [index.prepare(word).replace(" ", "") for word in words_]


def _naming(prepared_words: list[str]) -> re.Pattern[str]:
    """The words in order, each within ``NAMING_SPAN`` characters of the one before."""
    return re.compile(f".{{0,{NAMING_SPAN}}}".join(re.escape(w) for w in prepared_words))


# What a licence's own rules give (多少个工作日, 有效期多久, 提前多久, 收多少钱): the period or the
# fee of one licence is no answer for another (排污许可证 有效期五年 ≠ 安全生产许可证).
LICENCE_VALUE_INTENTS = frozenset(
    {"days", "duration", "deadline", "fee", "quantity", "amount", "value", "date"}
)
LICENCE_WORDS = ("许可证", "执照", "牌照")
LICENCE_TIME_INTENTS = frozenset({"days", "duration", "deadline", "date"})


def _answers_for_another_licence(index: KnowledgeIndex, q: _Query, top: Hit) -> bool:
    """The question asks a period, a time limit or a fee of a licence it names, and the best
    passage does not name that licence: what it gives belongs to another one."""
    licences = [
        _prepared_words(index, words_) for words_ in q.subjects if words_[-1] in LICENCE_WORDS
    ]
    asked = [i for i in q.intents if i.name in LICENCE_VALUE_INTENTS]
    if not licences or not asked:
        return False
    text = index.passage_index.prepared[top.number].replace(" ", "")
    if any(_naming(named).search(text) or _names_its_regime(named, text) for named in licences):
        return False
    # 遗失许可证的…公告期为三十日 in 《放射性固体废物贮存和处置许可管理办法》 gives the period of
    # the 处置许可证 asked about: its rule's own licence, and a period is there (a sum of money
    # there is as likely a registered capital as the fee asked)
    return not (
        all(i.name in LICENCE_TIME_INTENTS for i in asked)
        and answer_fit(asked, _answer_text(top.passage)) == 1
        and any(_licence_of_the_rule(index, named, text, top.passage) for named in licences)
    )


def _names_its_regime(named: list[str], text: str) -> bool:
    """The passage names the permit system the licence belongs to (排污许可 for 排污许可证):
    "出台排污许可技术机构管理文件" answers "…代办排污许可证…文件啥时候出台", about that system."""
    if len(named) < 2 or not named[-1].endswith("许可证"):
        return False
    return _naming_its_system(named).search(text) is not None


def _naming_its_system(named: list[str]) -> re.Pattern[str]:
    """The licence's words without its 证: 排污许可 for 排污许可证, the system it belongs to."""
    return _naming([*named[:-1], named[-1].removesuffix("证")])


def _licence_of_the_rule(
    index: KnowledgeIndex, named: list[str], text: str, passage: Passage
) -> bool:
    """The passage says just 许可证 in a rule whose title names the licence asked about
    (``named``: the licence's prepared words)."""
    if len(named) < 2 or named[-1] not in text:
        return False
    title = index.prepare(passage.title).replace(" ", "")
    return _naming_its_system(named).search(title) is not None


def _answer_text(passage: Passage) -> str:
    """What a passage says, with a measure's 完成时限 (an answer to "when")."""
    return f"{passage.text} {passage.deadline or ''}"


# Below both floors the best passages share almost nothing with the question (a holiday trip, a
# shop licence): however long the question, there is nothing to answer from. No in-scope question
# of our sets comes near both (their lowest: coverage 0.04 with 0.04 of the tokens matched).
COVERAGE_FLOOR = 0.03
LEXICAL_FLOOR = 0.04


# Nothing near in meaning and little in words: no passage's best window comes within this cosine
# of the question, and the best passages cover under ``THIN_COVERAGE`` of its weighted words (年假
# 折算工资, 三亚的酒店, 养老保险缴费基数). Cosines are the embedder's own: the floor is set for the
# bundled USE model only. On our tuning sets, nine documents loaded, the answerable questions below
# that coverage start at 0.35 (0.33 with three documents) and such off-topic ones sit at 0.16–0.30.
DENSE_FLOOR = {USE_MULTILINGUAL: 0.30}
THIN_COVERAGE = 0.25


def _shares_almost_nothing(index: KnowledgeIndex, features: dict[str, float]) -> bool:
    if features["coverage3"] < COVERAGE_FLOOR and features["lexical"] < LEXICAL_FLOOR:
        return True
    floor = DENSE_FLOOR.get(index.embedder.name) if index.embedder is not None else None
    return (
        floor is not None
        and "dense_max" in features
        and features["dense_max"] < floor
        and features["coverage3"] < THIN_COVERAGE
    )


def _faq_has_shape(index: KnowledgeIndex, q: _Query, faq: FaqMatch) -> bool:
    """A FAQ entry on the right topic still does not answer "网址是多少" or "奖金有多少" when its
    answer names no web address or amount: the shape test passages face, applied to the entry."""
    card = index.faqs.get(faq.faq_id)
    if card is None:
        return True
    # nor does it answer about a licence or place that neither it nor the documents name
    entry = f"{faq.phrasing} {card.answer}"
    unnamed = [words_ for words_ in q.subjects if not all(w in entry for w in words_)]
    if _unknown_subjects(index, unnamed):
        return False
    return _answer_shape(q.intents, card.answer) > 0


def _passage_answers_better(index: KnowledgeIndex, intents: list, passage: Passage, faq) -> bool:
    """The passage has the shape of the answer asked for (万元 for a fine, 日 for days) and the
    FAQ entry's answer has not: a curated "we cannot say" must not hide a regulation that says."""
    card = index.faqs.get(faq.faq_id)
    if not intents or card is None:
        return False
    return answer_fit(intents, passage.text) > answer_fit(intents, card.answer)


def _titled_text(index: KnowledgeIndex, passage: Passage) -> str:
    """The passage with its document's short title in front, prepared, without spaces; the same
    best passages come up again and again: prepared once per snapshot."""
    prepared = index.titled_texts.get(passage.chunk_id)
    if prepared is None:
        text = index.short_titles.get(passage.title, "") + passage.text
        prepared = index.titled_texts[passage.chunk_id] = index.prepare(text).replace(" ", "")
    return prepared


def _heaviest_missing(index: KnowledgeIndex, units: list[tuple[str, float]], top: Hit) -> float:
    """Share of the question's weight carried by its heaviest word that the passage lacks."""
    prepared = _titled_text(index, top.passage)
    weights = [(u, w * _corpus_rarity(index, u)) for u, w in units]
    total = sum(w for _, w in weights)
    missing = [w for u, w in weights if u not in prepared]
    return max(missing, default=0.0) / total if total > 0 else 0.0


def _prefer_covering(
    index: KnowledgeIndex, units: list[tuple[str, float]], fused: np.ndarray, params: Params
) -> np.ndarray:
    """Among the best few, lift passages that contain more of the question's weighted content
    words (BM25 counts every shared bigram alike; coverage weighs 氨氮 above 单位)."""
    if params.w_coverage_rank <= 0 or not units or len(fused) == 0:
        return fused
    fused = fused.copy()
    for i in np.argsort(-fused, kind="stable")[:RERANK_DEPTH]:
        title = index.short_titles.get(index.passages[i].title, "")
        fused[i] += params.w_coverage_rank * coverage(
            index, units, title + index.passage_index.prepared[i]
        )
    return fused


PROXIMITY_GAP = 4  # characters allowed between two words the question puts side by side


def proximity(units: list[tuple[str, float]], passage_prepared: str) -> float:
    """Weighted share of the question's neighbouring content-word pairs that stand close together
    in the passage too (水源 保护区 … 设 排污口 in "饮用水水源保护区内，禁止设置排污口", not in an
    article that only says 保护区 and 排污口 apart)."""
    total = close = 0.0
    for (first, w1), (second, w2) in zip(units, units[1:], strict=False):
        weight = min(w1, w2)
        total += weight
        start = passage_prepared.find(first)
        while start >= 0:
            after = start + len(first)
            if second in passage_prepared[after : after + PROXIMITY_GAP + len(second)]:
                close += weight
                break
            start = passage_prepared.find(first, after)
    return close / total if total > 0 else 0.0


def _prefer_close_words(
    index: KnowledgeIndex, units: list[tuple[str, float]], fused: np.ndarray, weight: float
) -> np.ndarray:
    if weight <= 0 or len(units) < 2 or len(fused) == 0:
        return fused
    fused = fused.copy()
    for i in np.argsort(-fused, kind="stable")[:RERANK_DEPTH]:
        fused[i] += weight * proximity(units, index.passage_index.prepared[i])
    return fused


def _lexically_decided(z_bm25: np.ndarray, faq: list[FaqMatch], params: Params) -> bool:
    """True when the dense vector cannot change the outcome, so embedding the question can wait.

    Passages: BM25's best stands this far (``dense_skip_margin`` standard deviations) above the
    second; on the dev and our own held-out questions the fused ranking never differed then.
    FAQ: even a perfect cosine (weight 0.4) could not lift the best word overlap to the threshold.
    """
    if params.dense_skip_margin is None:
        return False
    if len(z_bm25) >= 2:
        first, second = np.partition(-z_bm25, 1)[:2]
        if (second - first) < params.dense_skip_margin:
            return False
    best_overlap = faq[0].strength if faq else 0.0
    return 0.6 * best_overlap + 0.4 < params.faq_threshold


def _faq_units(index: KnowledgeIndex, item: int) -> list[tuple[str, float]]:
    """The weighted words of FAQ phrasing ``item`` (once per snapshot)."""
    units = index.faq_units.get(item)
    if units is None:
        units = index.faq_units[item] = query_units(index.faq_index.prepared[item])
    return units


def _match_faq(
    index: KnowledgeIndex,
    prepared: str,
    query_tokens: list[str],
    vector: np.ndarray | None,
    mode: str,
    visible: tuple[str | None, str | None] = (None, None),
) -> list[FaqMatch]:
    """FAQ entries by their best phrasing: content-word overlap both ways (an F1) mixed with
    cosine similarity; strongest first."""
    collection = index.faq_index
    bm25 = collection.bm25.scores(query_tokens)
    dense = collection.dense_scores(vector) if vector is not None else None
    candidates = set(np.argsort(-bm25)[:10].tolist())
    if dense is not None:
        candidates |= set(np.argsort(-dense)[:10].tolist())
    query_units_ = query_units(prepared)
    query_text = prepared.replace(" ", "")
    best: dict[int, FaqMatch] = {}
    for i in sorted(candidates):
        phrase = collection.prepared[i]
        # the question's words found in the phrasing, and the phrasing's words in the question
        recall = coverage(index, query_units_, phrase.replace(" ", ""))
        phrase_units = _faq_units(index, i)
        precision = coverage(index, phrase_units, query_text)
        overlap = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
        cosine = max(float(dense[i]), 0.0) if dense is not None else None
        if mode == "dense" and cosine is not None:
            strength = cosine
        elif mode == "bm25" or cosine is None:
            strength = overlap
        else:
            strength = 0.6 * overlap + 0.4 * cosine
        item = index.faq_items[i]
        if not visible_to(index.faqs.get(item.faq_id), visible):
            continue
        if item.faq_id not in best or strength > best[item.faq_id].strength:
            best[item.faq_id] = FaqMatch(item.faq_id, item.text, strength)
    return sorted(best.values(), key=lambda m: (-m.strength, m.faq_id))
