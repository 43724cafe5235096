"""Adjustments of the fused ranking that read the legal structure and the question's shape.

Each takes the fused scores of every passage and returns them adjusted: passages of another
region hidden; among the best few, the one shaped like the answer asked for lifted (a number of
days, a fine, a deadline); a named document or article preferred; a fine question taken from the
article that sets a duty to the article that punishes breaking it; "when does it take effect" sent
to the document's closing article, and what a law is for, what it applies to and who supervises
its field to the article stating it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from knowledge.index import CACHED_WORDS, KnowledgeIndex, members
from knowledge.intent import answer_fit
from knowledge.normalize import abbreviates, fold
from knowledge.references import legal_kind
from knowledge.terms import tokens

# A long article (a penalty article listing many acts) ranks low by BM25 for its length; the
# adjustments reach this far down the fused ranking
RERANK_DEPTH = 12


_ARTICLE_IN_QUESTION = re.compile(r"第[零〇一二三四五六七八九十百千0-9]+条")


def hide_other_regions(
    index: KnowledgeIndex, fused: np.ndarray, region: tuple[str | None, str | None]
) -> np.ndarray:
    """Passages of another region's documents (a city's local rules) are never ranked."""
    if not index.regional:
        return fused
    fused = fused.copy()
    for i in index.regional:
        passage = index.passages[i]
        if not visible_to(passage, region):
            fused[i] = -1e9
    return fused


def follow_to_penalty(
    index: KnowledgeIndex, intents: list, prepared: str, fused: np.ndarray, weight: float
) -> np.ndarray:
    """A question about the penalty for breaking a duty ("不开门会被罚吗") usually matches the
    article that sets the duty best; the penalty article words the same duty differently
    ("拒绝、阻挠监督检查的") or names it only by number ("违反本办法第十八条规定的"). A penalty
    article naming the duty by number is put first after ranking (``penalty_citing``); here, look
    for the penalty by the question and the duty's own words together, among passages that name a
    penalty, and put the best one first."""
    if weight <= 0 or not any(i.name == "fine" for i in intents) or len(fused) < 2:
        return fused
    fine = next(i for i in intents if i.name == "fine")
    best = int(np.argmax(fused))
    duty = index.passages[best]
    if fine.answers.search(duty.text):
        return fused
    query = tokens(prepared + " " + index.prepare(duty.text[:200]))
    scores = index.passage_index.bm25.scores(query)
    candidates = [
        i
        for i in np.argsort(-scores)[:RERANK_DEPTH]
        if i != best
        and index.passages[i].title == duty.title
        and fine.answers.search(index.passages[i].text)
    ]
    if not candidates:
        return fused
    fused = fused.copy()
    fused[candidates[0]] = fused[best] + weight
    return fused


# "违反本办法第十二条、第十三条第二款规定的", "未按照本办法第七条的规定登记的": the articles a
# penalty punishes the breach of
_NUMBERED = "第[零〇一二三四五六七八九十百千]+条"
_BREACH_CITED = re.compile(
    "(?:违反|未按照|未依照|未按|不按照|不依照)本(?:法|条例|办法|规定|细则)"
    f"((?:{_NUMBERED}[^。；，]{{0,12}}?)+)规定"
)
_ARTICLE_NUMBER = re.compile(_NUMBERED)


def penalties_citing(index: KnowledgeIndex) -> dict[tuple[str, str], tuple[int, ...]]:
    """(document title, article) → the passages punishing its breach by number (once per
    snapshot)."""
    if index.penalties_citing is None:
        found: dict[tuple[str, str], list[int]] = {}
        for i, passage in enumerate(index.passages):
            if not passage.article:
                continue
            for cited in _BREACH_CITED.finditer(fold(passage.text)):
                for article in set(_ARTICLE_NUMBER.findall(cited.group(1))):
                    if article != passage.article:
                        found.setdefault((passage.title, article), []).append(i)
        index.penalties_citing = {key: tuple(dict.fromkeys(v)) for key, v in found.items()}
    return index.penalties_citing


def duties_cited(index: KnowledgeIndex) -> dict[int, tuple[int, ...]]:
    """Penalty passage → the passages of the articles whose breach it punishes by number (once
    per snapshot)."""
    if index.duties_cited is None:
        numbered = {(p.title, p.article): i for i, p in enumerate(index.passages) if p.article}
        found: dict[int, list[int]] = {}
        for key, penalties in penalties_citing(index).items():
            duty = numbered.get(key)
            if duty is not None:
                for penalty in penalties:
                    found.setdefault(penalty, []).append(duty)
        index.duties_cited = {key: tuple(v) for key, v in found.items()}
    return index.duties_cited


def penalty_citing(index: KnowledgeIndex, passage) -> int | None:
    """The first passage of the same document that punishes breaking ``passage``'s article by
    number, if any."""
    if not passage.article:
        return None
    citing = penalties_citing(index).get((passage.title, passage.article), ())
    return citing[0] if citing else None


_EDITION_WORDS = frozenset({"新版", "新", "最新", "修订", "修订后", "修改后", "现行", "正式"})
# words that only say "take effect" or "from when" (实施 is not a start cue by itself: 实施方案)
_EFFECT_WORDS = frozenset({"实施", "实行", "执行", "是从", "是自", "从", "自", "起"})
# The closing article of a Chinese law or regulation: "本法自2003年9月1日起施行。"
_ENTRY_INTO_FORCE = re.compile(r"本(法|条例|办法|规定|细则|决定|标准)自.{0,30}(起)?(施行|生效)")


def asks_only_when_in_force(
    index: KnowledgeIndex, intents: list, units: list[tuple[str, float]], title: str
) -> bool:
    """ "环评法施行日期", "这办法啥时候生效": the question asks when a document takes effect and
    names nothing but that document (its name, 施行, an edition word)."""
    if not any(i.name == "start" for i in intents):
        return False
    return all(_in_aliases(index, u, title) for u in _naming_units(intents, units))


def names_one_document(
    index: KnowledgeIndex, intents: list, units: list[tuple[str, float]], title: str
) -> bool:
    """The words naming a document name this one and no other held (这办法 with one 办法 held)."""
    naming = _naming_units(intents, units)
    return bool(naming) and all(
        (other == title) == all(_in_aliases(index, u, other) for u in naming)
        for other in index.short_titles
    )


def _naming_units(intents: list, units: list[tuple[str, float]]) -> list[str]:
    asking = [i.asks for i in intents if i.name in ("start", "when")]
    return [
        u
        for u, _ in units
        if not any(a.search(u) for a in asking)
        and u not in _EDITION_WORDS
        and u not in _EFFECT_WORDS
    ]


def _in_aliases(index: KnowledgeIndex, unit: str, title: str) -> bool:
    return any(unit in a for a in _names_of(index, title))


def _names_of(index: KnowledgeIndex, title: str) -> tuple[str, ...]:
    """A document's short title and the aliases it is called by (环评法, 建设项目环保条例)."""
    return (index.short_titles.get(title, ""), *index.title_aliases.get(title, ()))


def enters_into_force(passage) -> bool:
    """The closing article saying from when the document applies (本法自…起施行)."""
    return bool(_ENTRY_INTO_FORCE.search(passage.text))


def prefer_entry_into_force(
    index: KnowledgeIndex, intents: list, units: list[tuple[str, float]], fused: np.ndarray
) -> np.ndarray:
    """ "环评法施行日期", "条例从哪天起施行": a question about when a document takes effect, with
    nothing else in it but the document's name, goes to that document's closing article. That
    article is one short sentence, so neither BM25 nor the vectors rank it high on their own."""
    if len(fused) == 0:
        return fused
    best = index.passages[int(np.argmax(fused))]
    if not asks_only_when_in_force(index, intents, units, best.title):
        return fused
    closing = [
        i for i, p in enumerate(index.passages) if p.title == best.title and enters_into_force(p)
    ]
    if not closing:
        return fused
    fused = fused.copy()
    fused[closing[-1]] = float(fused.max()) + 1.0
    return fused


# The right to report a polluter, which nearly every Chinese environmental law and regulation
# grants in one article: "任何单位和个人…有权向…举报", "有权对…进行监督、检举"
# … or to tell the authority what is wrong: "发现…的，有权向…水行政主管部门…报告" (not 有权要求…报告
# nor 有权对…进行现场检查，被检查者应当如实反映: an authority's power, not a right to report)
_REPORT_RIGHT = re.compile(
    r"有权[^。；]{0,90}(举报|检举|控告)|有权(?!要求|对|采取|依法)[^。；]{0,40}?向[^。；，]{0,40}(报告|投诉|反映)"
)
# the documents of this many best passages are searched for it
REPORT_DOCUMENTS = 3


def prefer_report_right(index: KnowledgeIndex, intents: list, fused: np.ndarray) -> np.ndarray:
    """ "看见邻村猪场往河里排粪水，俺能找谁反映", "能去告它不": where to report a polluter. The
    question's words name the pollution (猪场, 粪水, 废井), which the document's report article
    hardly shares, so that article is lifted to the top from the documents the best passages
    come from (the best placed of them, when several grant the right)."""
    if not _asks_where_to_report(intents):
        return fused
    return _lift_from_best_documents(index, fused, lambda p: bool(_REPORT_RIGHT.search(p.text)))


def prefer_payer_stated(index: KnowledgeIndex, intents: list, fused: np.ndarray) -> np.ndarray:
    """ "规划环评的钱谁出", "档案室干活的钱从哪儿出": who bears a cost. The article saying it
    (所需的费用…纳入财政预算, 经费列入…预算) words the cost as the rule does, not as asked, so it is
    lifted to the top from the documents the best passages come from (the best placed of those
    stating a payer)."""
    payer = next((i for i in intents if i.name == "payer"), None)
    if payer is None:
        return fused
    return _lift_from_best_documents(
        index, fused, lambda p: bool(p.article and payer.answers.search(p.text))
    )


def _lift_from_best_documents(
    index: KnowledgeIndex, fused: np.ndarray, says: Callable[[object], bool]
) -> np.ndarray:
    """The best placed passage that ``says`` what is asked, of the documents the best
    ``REPORT_DOCUMENTS`` passages come from, lifted above every passage."""
    if len(fused) == 0:
        return fused
    top = np.argsort(-fused, kind="stable")[:REPORT_DOCUMENTS]
    titles = {index.passages[i].title for i in top}
    saying = [i for i, p in enumerate(index.passages) if p.title in titles and says(p)]
    return _best_to_the_top(fused, saying)


def grants_the_report_asked(intents: list, passage) -> bool:
    """The question asks where to report a polluter and the passage grants that right."""
    return _asks_where_to_report(intents) and bool(_REPORT_RIGHT.search(passage.text))


def _asks_where_to_report(intents: list) -> bool:
    return any(i.name == "report" for i in intents)


def _best_to_the_top(fused: np.ndarray, candidates: list[int]) -> np.ndarray:
    """``fused`` with the best placed of ``candidates`` (if any) lifted above every passage."""
    if not candidates:
        return fused
    best = max(candidates, key=lambda i: fused[i])
    fused = fused.copy()
    fused[best] = float(fused.max()) + 1.0
    return fused


# General provisions every Chinese law states in its first articles, each as how a question asks
# for it and how the article says it:
# - why the document was made ("…制定的目的", "立法宗旨"): "为了…制定本法";
# - what it applies to ("…管哪些", "适用范围"): "…，适用本条例", "本法适用于…";
# - who supervises its whole field ("归哪个部门管"): "…对…实施统一监督管理", "…指导监督全国…";
# - who interprets a rule ("由哪个部门负责解释"): "本办法由…负责解释".
# what a document applies to: "…，适用本条例", "本法适用于…"
# what a text calls itself: a law or rule (本法, 本办法), or a technical specification (本标准,
# 本规范, 本指南, 本导则: its first clause says what it applies to)
_ITSELF = "(法|条例|办法|规定|细则|标准|规范|指南|导则)"
_SCOPE_STATED = re.compile(f"适用本{_ITSELF}|本{_ITSELF}适用于")
_GENERAL_PROVISIONS = (
    (
        re.compile(
            r"目的|宗旨|初衷|立法意图|为(什么|啥|何)要?(专门)?(制定|出台|立|弄|搞|定)"
            r"|图(的是|个)?(啥|什么)|上位法|(根据|依据|照着|按照)(的是)?哪(一|几)?部"
            # 这个计划说到底是想达到啥目的, 最终为了啥
            r"|(最终|到底|归根结底)(是)?为了(啥|什么)"
            # 这个规定是干嘛用的
            r"|(干嘛|干啥|干什么|做什么|做啥)用的"
            # 这规定主要讲些啥: what it is about, which its first article or clause says
            r"|主要(讲|说|写|管)(了|的是)?(些|点)?(啥|什么)|主要内容|(讲|说)的(是)?(啥|什么)"
        ),
        # a law's 第一条 (为了…，制定本法), a specification's first clause (本标准规定了…), a
        # policy's opening (以…为指引，…，为深入打好污染防治攻坚战奠定良好基础)
        re.compile(
            f"^第[一1]条\\s*为了?.{{4,}}制定本{_ITSELF}|^1(\\.1)?\\s*本{_ITSELF}(阐明|规定了)"
            "|^以.{2,40}为(指引|指导).*为.{2,30}(奠定|打下|提供).{0,4}基础"
        ),
    ),
    (
        re.compile(
            r"适用范围|适用于哪|适用哪|管.{0,2}(哪|什么|啥)|管(的是|得着|不管)|调整范围|范围是"
        ),
        _SCOPE_STATED,
    ),
    # asked before who supervises: 由哪个部门负责解释 is not 由哪个部门负责
    (
        re.compile(
            r"(谁|哪个部门|哪个单位|哪个机关|哪家|哪级|哪一级|什么部门|什么机关)(来|负责|有权)?解释"
            r"|解释权|(由|归)(谁|哪).{0,6}解释"
        ),
        re.compile(f"本{_ITSELF}由.{{0,30}}负责解释|解释权归"),
    ),
    (
        re.compile(
            r"(谁|哪个部门|哪些部门|什么部门|哪个单位|哪个局|哪个厅|哪级|哪一级)(来|负责|统一|牵头)?"
            r"(管|监管|监督|主管)|(由|归)(谁|哪).{0,6}(管|监管|监督|负责|领导)|(主管|监管|监督管理)部门是"
            r"|(谁|哪个部门|哪个局)(来)?(牵头|统一领导)"
        ),
        re.compile(r"实施统一监督管理|负责全国.{0,30}统一监督管理|指导监督全国"),
    ),
)
# words that only restate what is asked (项目 in 管哪些项目 is the document's own subject)
_GENERAL_PROVISION_WORDS = frozenset(
    {
        "制定",
        "出台",
        "开征",  # a tax law's reason: 开征环保税图的是啥
        "立法",
        "宗旨",
        "初衷",
        "意图",
        "适用",
        "适用范围",
        "范围",
        "管",
        "调整",
        "事",
        "事情",
        "些",
        "部门",
        "监管",
        "监督",
        "监督管理",
        "统一",
        "负责",
        "主管",
        "归",
        "块",
        "局",
        "厅",
        "牵头",
        "领导",
        "有份",
        # why a document was made, and on which law it rests (照着哪部上位法定的, 立这个图啥)
        "上位",
        "上位法",
        "照",
        "照着",
        "依据",
        "根据",
        "按照",
        "部",
        "哪部",
        "法定",
        "立",
        # what it is about (主要讲些啥, 主要内容)
        "主要",
        "讲",
        "说",
        "内容",
        "图",
        "专门",
        "弄",
        "弄个",
        "搞",
        "搞个",
        # the kind of document named instead of its title (这部规章是依据哪些上位法制定的)
        "规章",
        "规矩",
        "法规",
        "行政",  # 行政法规, cut in two
        "行政法规",
        "法律",
        "定",
        "文件",
        "解释",
        "解释权",
        # a purpose asked again in other words (目的是什么？主要想解决哪些问题; 这套制度目的何在)
        "何在",
        "制度",
        "想",
        "解决",
        "问题",
        # who issued it, and a purpose asked as what it came from (国务院出台这部…出于哪些目的)
        "国务院",
        "出于",
        # 这个规定是干嘛用的
        "干嘛",
        "干啥",
        "用",
        # 这个计划说到底是想达到啥目的, 最终为了啥: what it is for, said emphatically
        "说到底",
        "到底",
        "归根结底",
        "最终",
        "达到",
    }
)


def prefer_general_provision(
    index: KnowledgeIndex, question: str, units: list[tuple[str, float]], fused: np.ndarray
) -> np.ndarray:
    """ "《…条例》制定的目的是什么", "固废法管哪些", "城镇排水归哪个部门管": a question about a
    law's purpose, scope or supervising authority, with nothing else in it but the law's name and
    words of the article that states it (哪个局牵头管？农业农村局也有份吗 → the article naming
    农业农村 among the departments), goes to that article (``_GENERAL_PROVISIONS``). Those articles
    share few words with such a question but the title's."""
    if len(fused) == 0:
        return fused
    best = index.passages[int(np.argmax(fused))].title
    stating = general_provision_asked(index, question, units, best)
    return fused if stating is None else _best_to_the_top(fused, [stating])


def general_provision_asked(
    index: KnowledgeIndex, question: str, units: list[tuple[str, float]], best: str
) -> int | None:
    """The passage stating the purpose, scope or supervising authority a question asks about
    and nothing else (see ``prefer_general_provision``), if any: of the document the question
    names, else of ``best``, the title of the best ranked passage."""
    folded = fold(question)
    asking, asked = next(
        ((m, says) for asks, says in _GENERAL_PROVISIONS if (m := asks.search(folded))),
        (None, None),
    )
    if asked is None:
        return None
    named = named_documents(index, question)
    if len(named) > 1:
        return None
    title = next(iter(named)) if named else best
    aliases = _names_of(index, title)
    stating = [
        i
        for i, p in enumerate(index.passages)
        if p.title == title and (p.article or _opens(index, i)) and asked.search(p.text)
    ]
    if not stating:
        return None
    said = index.passage_index.prepared[stating[0]]
    # 这个管在线监控现场检查的规章: words describing the document pointed at name it, as its title
    pointed = "".join(m.group(0) for m in _POINTED_DOCUMENT.finditer(index.prepare(question)))
    topic = [
        u
        for u, _ in units
        if u not in _GENERAL_PROVISION_WORDS
        and u not in said
        and u not in pointed
        and u not in asking.group(0)  # 哪个机关 in 由哪个机关负责解释 asks, it names no topic
        and not any(abbreviates(u, a) for a in aliases if a)
    ]
    return None if topic else stating[0]


_POINTED_DOCUMENT = re.compile(
    r"(这|该|本)(个|部|份|项|套)?[^，,。？?\s]{0,16}?"
    r"(规章|办法|条例|规定|法规|文件|规矩|标准|规范|指南|导则|计划|方案)"
)


def _opens(index: KnowledgeIndex, number: int) -> bool:
    """Whether passage ``number`` is the first of a document written in no articles (a plan's
    总体要求), where such a document says what it is for."""
    passage = index.passages[number]
    return passage.measure is None and (
        number == 0 or index.passages[number - 1].title != passage.title
    )


def names_only(index: KnowledgeIndex, units: list[tuple[str, float]], title: str) -> bool:
    """Whether the question's words, less those asking for a general provision (目的, 归哪个部门
    管 …), name the document ``title`` and no other (环保税 names the tax law; 水污染 names the
    water law and every province's water rules alike)."""
    naming = _naming_words(units)
    meant = [
        t
        for t, aliases in index.title_aliases.items()
        if naming
        and all(
            any(abbreviates(u, a) for a in (index.short_titles.get(t, ""), *aliases) if a)
            for u in naming
        )
    ]
    return meant == [title]


def points_at_the_document_only(
    index: KnowledgeIndex, question: str, units: list[tuple[str, float]]
) -> bool:
    """这规定主要讲些啥, 这个办法是干嘛用的: the question names nothing but "this document" and
    what it asks of it, so the document is the one the ranking found."""
    return not _naming_words(units) and bool(_POINTED_DOCUMENT.search(index.prepare(question)))


def _naming_words(units: list[tuple[str, float]]) -> list[str]:
    return [u for u, _ in units if u not in _GENERAL_PROVISION_WORDS]


# "废液归固废法管吗", "按固废法管还是按水法管", "农药包装适用固废法吗": whether a law governs a
# thing. The answer is one of the law's articles saying what it applies to (第二条 for its field,
# a closing article for a border case: "液态废物的污染防治，适用本法"), worded as the law words it.
_APPLIES_ASKED = re.compile(
    r"(归|按|按照|依照|受|属于?|适用|套用)[^，。？?]{0,10}(法|条例|办法|规定)"
    r"(来)?(管|管理|管辖|调整)?(吗|么|嘛|还是|呢|不|[？?]|$)"
)
# 这个规定管不管得着俺们, 归不归登记表备案这一套管, 也归这个环评廉政规定管吗: asked of the
# document being read, named or not
_APPLIES_TO_US_ASKED = re.compile(
    r"管不管得?着|管得着[^，。？?]{0,6}(吗|么|嘛|不)|归不归[^，。？?]{0,14}管|适不适用|适用不适用"
    # 这个办法管不管这个: asked of a document, not of an authority (环保局管不管)
    r"|(法|条例|办法|规定|细则)还?管不管"
    r"|(归|受)(这个|这部|这套|该|本)[^，。？?]{0,10}(法|条例|办法|规定)管(吗|么|嘛|不)"
)


def prefer_applicability(index: KnowledgeIndex, question: str, fused: np.ndarray) -> np.ndarray:
    """Whether a law the question names (asked 管不管得着, the one being read) governs what it
    asks about: the best ranked of its articles that state what they apply to answers first."""
    folded = fold(question)
    to_us = _APPLIES_TO_US_ASKED.search(folded)
    if len(fused) == 0 or not (to_us or _APPLIES_ASKED.search(folded)):
        return fused
    named = named_documents(index, question)
    if not named and to_us:  # the document of the best ranked article: the one being read
        best = int(np.argmax(fused))
        named = {index.passages[best].title} if index.passages[best].article else set()
    stating = [
        i
        for i, p in enumerate(index.passages)
        if p.title in named and p.article and _SCOPE_STATED.search(p.text)
    ]
    return _best_to_the_top(fused, stating)


def named_documents(index: KnowledgeIndex, question: str) -> set[str]:
    """Titles of the documents the question names (by title, short title or abbreviation)."""
    return {title for title, _ in _names_given(index, index.prepare(question).replace(" ", ""))}


def _names_given(index: KnowledgeIndex, compact: str) -> list[tuple[str, str]]:
    """(title, alias) for every document name found in a compact prepared question."""
    return [
        (title, alias)
        for title, aliases in index.title_aliases.items()
        for alias in aliases
        if alias in compact
    ]


# A province's or city's own text: 浙江省大气污染防治条例, 北京市生态环境保护条例
_LOCAL_TITLE = re.compile(r"^(?:中华人民共和国)?([\u4e00-\u9fff]{2,3}?)(?:省|市|自治区)")


def local_documents(index: KnowledgeIndex, question: str) -> set[str]:
    """Titles of the local documents whose place the question names (在浙江, 浙江的规定)."""
    folded = fold(question)
    found = set()
    for title in index.title_aliases:
        match = _LOCAL_TITLE.match(title)
        if match and match.group(1) in folded:
            found.add(title)
    return found


def prefer_local_document(
    index: KnowledgeIndex, question: str, fused: np.ndarray, w_place: float
) -> np.ndarray:
    """A question that says where the asker is (在浙江) prefers that place's own text, when the
    knowledge base holds one: a province's regulation adds to the national law there."""
    if w_place <= 0 or len(fused) == 0:
        return fused
    local = local_documents(index, question)
    if not local:
        return fused
    return fused + document_lift(index, local, w_place).astype(fused.dtype)


def is_law(title: str) -> bool:
    """Whether ``title`` is a national law's (中华人民共和国大气污染防治法, 水法), not that of a
    text applying one (a regulation, a rule, a province's or city's own text)."""
    return legal_kind(title) == "法" and _LOCAL_TITLE.match(title) is None


def prefer_the_specific_text(
    index: KnowledgeIndex, order: np.ndarray, fused: np.ndarray, margin: float
) -> np.ndarray:
    """When a law's article comes first and an article of a text that applies it (a regulation,
    a rule, a province's or city's own text) comes within ``margin`` of it, the latter goes first:
    both say the thing, and the text that applies the law says it for the asker's case, with its
    details (the period, the office, the amount). The law's article stays among the sources."""
    if margin <= 0 or len(order) == 0:
        return fused
    top = int(order[np.argmax(fused[order])])
    if not is_law(index.passages[top].title):
        return fused
    lifted = [i for i in order if index.passages[i].article and not is_law(index.passages[i].title)]
    if not lifted:
        return fused
    fused = fused.copy()
    fused[lifted] += margin
    return fused


def document_lift(index: KnowledgeIndex, titles: set[str], weight: float) -> np.ndarray:
    """``weight`` for every passage of the documents ``titles``, 0 elsewhere."""
    lift = np.zeros(len(index.passages), np.float32)
    documents = document_members(index)
    for title in titles & documents.keys():
        lift[documents[title]] = weight
    return lift


def prefer_named_document(
    index: KnowledgeIndex,
    question: str,
    fused: np.ndarray,
    w_document: float,
    w_article: float,
    named: set[str] | None = None,
) -> np.ndarray:
    """A question that names a document (《排污许可管理条例》, 大气污染防治法) prefers its
    passages; one that names an article (第十四条) as well goes straight to that article.
    ``named``: the documents it names, when already found (``named_documents``)."""
    folded = fold(question)
    if named is None:
        named = named_documents(index, question)
    articles = set(_ARTICLE_IN_QUESTION.findall(folded))
    if not named and not articles:
        return fused
    fused = fused.copy()
    for i, passage in enumerate(index.passages):
        in_named = passage.title in named
        if in_named:
            fused[i] += w_document
        if passage.article in articles and (in_named or not named):
            fused[i] += w_article
    return fused


SPREAD_PRIOR = 5.0


def passages_of_documents(index: KnowledgeIndex) -> dict[str, int]:
    """Each document's passages as the bits of an int, computed once per snapshot."""
    if index.document_bits is None:
        bits: dict[str, int] = {}
        for i, passage in enumerate(index.passages):
            bits[passage.title] = bits.get(passage.title, 0) | (1 << i)
        index.document_bits = bits
    return index.document_bits


def document_members(index: KnowledgeIndex) -> dict[str, np.ndarray]:
    """Each document's passage numbers as an array: ``passages_of_documents`` unpacked once per
    snapshot (unpacking its bits for every question costs 30–60 µs)."""
    if index.document_members is None:
        index.document_members = {
            title: np.array(members(bits), dtype=np.intp)
            for title, bits in passages_of_documents(index).items()
        }
    return index.document_members


def word_spread(index: KnowledgeIndex, unit: str) -> dict[str, float]:
    """How a word's passages spread over the documents: for each document, the share of its
    passages holding the word, normalised to sum to one over the documents; empty for a word found
    nowhere (a word found everywhere alike spreads evenly: it says nothing about the document)."""
    cache = index.spread_cache
    spread = cache.get(unit)
    if spread is not None:
        return spread
    documents = passages_of_documents(index)
    holding = index.passage_index.containing_bits(unit)
    found = {t: (holding & bits).bit_count() for t, bits in documents.items()}
    sizes = {t: bits.bit_count() for t, bits in documents.items()}
    # each document's rate drawn towards the rate over all passages by SPREAD_PRIOR passages'
    # worth, so that a word in two passages of a short document does not claim it outright
    overall = sum(found.values()) / max(sum(sizes.values()), 1)
    rates = {
        t: (found.get(t, 0) + SPREAD_PRIOR * overall) / (n + SPREAD_PRIOR) for t, n in sizes.items()
    }
    total = sum(rates.values())
    spread = {t: r / total for t, r in rates.items()} if total > 0 else {}
    if len(cache) < CACHED_WORDS:
        cache[unit] = spread
    return spread


def prefer_subject_document(
    index: KnowledgeIndex, units: list[tuple[str, float]], fused: np.ndarray, weight: float
) -> np.ndarray:
    """A question's words often belong to one document's subject (废水, 水污染 → the water law;
    扬尘, 大气 → the air law) although the best passage of another document shares them too.
    Each content word votes for the documents by how much more often their passages hold it
    (``word_spread``), weighted as in coverage; among the best few, a passage is lifted by how far
    its document's share of the votes exceeds an even share. Read from the documents themselves:
    no list of subjects, and with one document nothing moves."""
    if weight <= 0 or not units or len(fused) == 0:
        return fused
    titles = {p.title for p in index.passages}
    if len(titles) < 2:
        return fused
    votes = dict.fromkeys(titles, 0.0)
    total = 0.0
    for unit, w in units:
        spread = word_spread(index, unit)
        if not spread:
            continue
        for title, share in spread.items():
            votes[title] += w * share
        total += w
    if total <= 0:
        return fused
    even = 1.0 / len(titles)
    fused = fused.copy()
    for i in np.argsort(-fused, kind="stable")[:RERANK_DEPTH]:
        fused[i] += weight * (votes[index.passages[i].title] / total - even)
    return fused


# How laws define a term: "本法所称环境影响评价，是指", "（二）工业固体废物，是指" (the term after
# 所称, a list number or the start of a sentence, then 是指)
_DEFINES = re.compile(
    r"(?:所称|（[一二三四五六七八九十]+）|\([0-9一二三四五六七八九十]+\)|^|[。；：\n]|[0-9]+\.)"
    r"\s*([^\s，,。；：（）()“”\"]{2,20}?)\s*[，,]?\s*是指"
)


def _terms_said_to_be(text: str) -> list[str]:
    """The terms a (folded) text defines by what they are: 本法所称X，是指 / （二）X，是指."""
    return [m.group(1).split("所称")[-1] for m in _DEFINES.finditer(text)]


# …依法受理的举报事项，称举报件; …（以下简称焚烧厂）: a term named after what it stands for
_CALLED = re.compile(
    r"[，,（(]\s*(?:以下)?(?:统称|简称|称为|称)\s*([^\s，,。；：（）()“”\"]{2,12}?)\s*[。；）)]"
)


def defined_terms(index: KnowledgeIndex) -> dict[int, tuple[str, ...]]:
    """Passage number → the terms it defines, prepared (found once per snapshot)."""
    if index.defined_terms is None:
        found: dict[int, tuple[str, ...]] = {}
        for i, passage in enumerate(index.passages):
            text = fold(passage.text)
            named = _terms_said_to_be(text) + [m.group(1) for m in _CALLED.finditer(text)]
            if _is_glossary(passage):
                named += [m.group(1) for m in _GLOSSARY_ENTRY.finditer(text)]
            terms = {index.prepare(term).replace(" ", "") for term in named}
            terms.discard("")
            if terms:
                found[i] = tuple(sorted(terms, key=len, reverse=True))
        index.defined_terms = found
    return index.defined_terms


# A glossary after the clauses (名词解释) gives each term at the start of a line, with its
# English name in brackets or a space before the definition: "事故（accident） 任何意外的……"
_GLOSSARY = re.compile(r"名词解释|术语")


def _is_glossary(passage) -> bool:
    """A passage of a glossary part after the clauses (名词解释, 术语和定义)."""
    return passage.article is None and bool(_GLOSSARY.match(passage.section or ""))


_GLOSSARY_ENTRY = re.compile(
    r"(?:^|\n)\s*([^\s，,。；：（）()\[\]［］“”\"]{2,12})\s*(?:[（(［\[][^）)］\]]*[）)］\]]|\s)"
)


# A defined term must carry at least this share of the question's weighted content words.
DEFINITION_SHARE = 0.5


# "什么是排污许可", "何谓重点管理" ask what a term is, as 含义 and 是指什么 do
_WHAT_IS = re.compile(r"什么是|啥是|何谓")


def _asks_a_meaning(intents: list, prepared: str) -> bool:
    return any(i.name == "definition" for i in intents) or bool(_WHAT_IS.search(prepared))


def prefer_definition(
    index: KnowledgeIndex,
    intents: list,
    prepared: str,
    units: list[tuple[str, float]],
    fused: np.ndarray,
) -> np.ndarray:
    """ "环境影响评价的法定含义是什么": a question asking what a term means goes to the passage that
    defines it ("本法所称环境影响评价，是指"). Many passages mention the term, and a definition list
    is a long article matching every defined word a little, so neither BM25 nor the vectors find
    it."""
    if len(fused) == 0:
        return fused
    i = defining_passage(index, intents, prepared, units)
    if i is None:
        return fused
    fused = fused.copy()
    fused[i] = float(fused.max()) + 1.0
    return fused


def defining_passage(
    index: KnowledgeIndex, intents: list, prepared: str, units: list[tuple[str, float]]
) -> int | None:
    """The passage defining the term a question asks the meaning of, when the term is most of
    what the question is about (its words carry at least ``DEFINITION_SHARE`` of the weight):
    "排污许可证申请材料包括哪些" is not about what 排污许可 means."""
    units = _outside_document_names(index, prepared, units)
    if not _asks_a_meaning(intents, prepared) or not units:
        return None
    # 老听人说…额外性…听着好玄乎: words no passage holds are the asker's, not the term asked
    weights = [
        (u, w * _rarity(index, u)) for u, w in units if index.passage_index.containing_bits(u)
    ]
    total = sum(w for _, w in weights)
    if total <= 0:
        return None
    asked = {u for u, _ in units}
    typed = prepared.replace(" ", "")
    best: list[tuple[float, bool, bool, bool, int, int]] = []
    for i, terms in defined_terms(index).items():
        for term in terms:
            share = sum(w for u, w in weights if u in term) / total
            if share >= DEFINITION_SHARE:
                # 环境影响评价的含义: the passage defining the term as typed, not the longer
                # 环境影响评价文件 holding the same words; 环境 asked: the passage defining 环境
                # itself, not the one defining 环境影响评价; 啥叫废旧动力电池: the article saying
                # what it is (废旧动力电池，是指…), not the one shortening a name to it (以下简称)
                defines = _says_what_it_is(index, i, term)
                best.append((share, term in typed, term in asked, defines, len(term), i))
    return max(best)[-1] if best else None


def _says_what_it_is(index: KnowledgeIndex, i: int, term: str) -> bool:
    """Whether passage ``i`` defines ``term`` (prepared) by what it is (…是指), not by a name."""
    named = _terms_said_to_be(fold(index.passages[i].text))
    return any(index.prepare(name).replace(" ", "") == term for name in named)


def lower_the_definitions(
    index: KnowledgeIndex, intents: list, prepared: str, fused: np.ndarray, weight: float
) -> np.ndarray:
    """An article of definitions (本办法用语含义, 本规定所称…是指…) or a glossary (名词解释) names
    the rule's every term, so it matches any question using them; it answers only what a term
    means. Among the best few it is lowered unless the question asks a meaning."""
    asks = _asks_a_meaning(intents, prepared) or _ASKS_WHAT_COUNTS.search(prepared)
    if weight <= 0 or len(fused) == 0 or asks:
        return fused
    terms = defined_terms(index)
    fused = fused.copy()
    for i in np.argsort(-fused, kind="stable")[:RERANK_DEPTH]:
        passage = index.passages[i]
        if i in terms and (_DEFINITION_OPENING.search(passage.text) or _is_glossary(passage)):
            fused[i] -= weight
    return fused


# 算不算拆解, 算危废还是普通固废, 也算档案吗: whether a thing falls under a term is its meaning too
# (not 计算, 预算, 核算)
_ASKS_WHAT_COUNTS = re.compile(r"(?<![计预核结折换测估清打盘推演运合])算")


# an article that is a definition from its first words: 本规定所称的…是指, 本办法用语含义,
# 本办法中下列用语的含义
_DEFINITION_OPENING = re.compile(
    r"^\s*(第[一二三四五六七八九十百零〇]+条)?\s*[^。；：]{0,40}(所称|用语|含义|是指)"
)


def _outside_document_names(
    index: KnowledgeIndex, prepared: str, units: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    """The units of the question outside the names of documents it gives: in "环保法里说的环境
    指什么" the term asked about is 环境, not 环, 保 and 法."""
    from knowledge.retrieval import query_units

    compact = prepared.replace(" ", "")
    names = [alias for _, alias in _names_given(index, compact)]
    if not names:
        return units
    for name in sorted(names, key=len, reverse=True):
        compact = compact.replace(name, " ")
    left = {unit for unit, _ in query_units(compact)}
    return [(u, w) for u, w in units if u in left]


def _rarity(index: KnowledgeIndex, unit: str) -> float:
    from knowledge.retrieval import _corpus_rarity

    return _corpus_rarity(index, unit)


# Chapters that hold the penalties of a law or regulation (第七章 法律责任, 第五章 罚则).
_LIABILITY_CHAPTER = re.compile(r"法律责任|罚则")


def is_liability(passage) -> bool:
    """The passage sits in the chapter of penalties (it restates a duty in order to punish it)."""
    return bool(passage.section and _LIABILITY_CHAPTER.search(passage.section))


# The question asks what to do (怎么办, 该怎么做, 要采取哪些措施, 有什么要求): the answer is a duty.
_ASKS_DUTY = re.compile(
    r"怎么办|怎么做|怎样做|如何做|咋办|咋做|做什么|做哪些|干什么|怎么处理|如何处理|怎样处理"
    r"|要求|措施"
)


def asks_what_to_do(question: str) -> bool:
    """The question asks what one must do, not what happens to one who does not."""
    return bool(_ASKS_DUTY.search(question))


def prefer_liability_as_asked(
    index: KnowledgeIndex,
    intents: list,
    fused: np.ndarray,
    weight: float,
    question: str = "",
    duty_weight: float = 0.0,
) -> np.ndarray:
    """A penalty article repeats the duty it punishes word for word ("暂时不能开工的建设用地，对
    裸露地面未进行覆盖的"), so it matches a question about the duty as well as the duty's own
    article does. Among the best few, the penalties chapter is lifted when the question asks about
    a penalty (罚多少, 会被拘留吗) and lowered when it does not (能不能); lowered further
    (``duty_weight``) when the question asks what to do (该怎么办, 要采取哪些措施)."""
    if weight <= 0 or len(fused) == 0:
        return fused
    names = {i.name for i in intents}
    # 多少钱 without 罚 asks for a fee (``intent._quantity_intents``), not a penalty
    if "fine" in names and "fee" not in names:
        shift = weight
    else:
        shift = -weight - (duty_weight if asks_what_to_do(question) else 0.0)
    fused = fused.copy()
    for i in np.argsort(-fused, kind="stable")[:RERANK_DEPTH]:
        if is_liability(index.passages[i]):
            fused[i] += shift
    return fused


# what the opening lines of a law or regulation answer: when, by whom, under which number it was
# adopted, promulgated and amended
_OPENING_INTENTS = frozenset({"date", "start", "when", "contact", "who"})
# … asked of the text's own making: a date or a who alone is not enough, the opening names the
# place in every amendment line and matched any question naming it (上海的汛期一般是几月到几月,
# 手机落在上海地铁上了去哪儿找, 浙江高考几号出分 were answered by the lines of its adoption)
_ITS_MAKING = re.compile(
    r"通过|修正|修订|修改|公布|颁布|出台|施行|生效|实施|制定|发布|印发|批准|版本|第几版|几号令|令第"
)


def opens_a_legal_text(index: KnowledgeIndex, passage) -> bool:
    """The lines before a law's or regulation's first chapter or article (its promulgation)."""
    return (
        passage.article is None
        and passage.section is None
        and passage.measure is None
        and passage.title in legal_titles(index)
    )


def legal_titles(index: KnowledgeIndex) -> frozenset[str]:
    if index.legal_titles is None:
        index.legal_titles = frozenset(p.title for p in index.passages if p.article)
    return index.legal_titles


# how much further an opening sinks when nothing of the text's making is asked: its place name,
# repeated in every amendment line, put it first for 手机落在上海地铁上了去哪儿找 by a wide margin
NOT_ITS_MAKING = 3.0


def asks_its_making(question: str, intents: list) -> bool:
    """The question asks a date, a number or who of a text's adoption, amendment or entry into
    force (条例是哪年通过的, 修订过几次): what a law's opening lines answer."""
    return bool({i.name for i in intents} & _OPENING_INTENTS) and bool(_ITS_MAKING.search(question))


def lower_the_opening(
    index: KnowledgeIndex, question: str, intents: list, fused: np.ndarray, weight: float
) -> np.ndarray:
    """The opening lines of a law or regulation repeat its title (in every amendment line too), so
    they match any question naming the document or its place; they answer only when and how it
    was adopted. Among the best few, they are lowered unless the question asks a date, a number or
    who of the text's making (通过, 修订, 施行 …) — and always when they hold nothing but the
    title, which tells neither."""
    if weight <= 0 or len(fused) == 0:
        return fused
    asks_the_opening = asks_its_making(question, intents)
    fused = fused.copy()
    for i in np.argsort(-fused, kind="stable")[:RERANK_DEPTH]:
        passage = index.passages[i]
        if not opens_a_legal_text(index, passage):
            continue
        if not asks_the_opening:
            fused[i] -= NOT_ITS_MAKING * weight
        elif _title_only(passage):
            fused[i] -= weight
    return fused


# what an opening may hold around its title: spaces, title marks, a markdown heading's #
_AROUND_A_TITLE = re.compile(r"[\s《》#]")


def _title_only(passage) -> bool:
    """An opening that is the document's title and nothing more (no date, organ or number)."""
    return _AROUND_A_TITLE.sub("", passage.text) == _AROUND_A_TITLE.sub("", passage.title)


def appended_to_a_legal_text(index: KnowledgeIndex, passage) -> bool:
    """A passage of what follows a legal text's last article or clause (附：登记表,
    附录：分级标准)."""
    return (
        passage.article is None
        and passage.measure is None
        and (passage.section or "").startswith("附")
        and passage.title in legal_titles(index)
    )


def lower_the_appendix(
    index: KnowledgeIndex,
    units: list[tuple[str, float]],
    intents: list,
    fused: np.ndarray,
    weight: float,
) -> np.ndarray:
    """A form appended to a rule (建设项目环境影响登记表 with its 填表说明) holds nearly every word
    of the rule and answers almost nothing: among the best few it is lowered, unless the question
    asks what is to be filled in or names what the appendix is about beyond the rule's own title
    (分级标准 in 附录：突发环境事件分级标准)."""
    if weight <= 0 or len(fused) == 0 or {i.name for i in intents} & _APPENDIX_INTENTS:
        return fused
    fused = fused.copy()
    for i in np.argsort(-fused, kind="stable")[:RERANK_DEPTH]:
        passage = index.passages[i]
        if appended_to_a_legal_text(index, passage) and not _names_the_appendix(
            index, units, passage
        ):
            fused[i] -= weight * (2 if _blank_form(passage.text) else 1)
    return fused


# a form's blanks: 登记号：＿＿＿＿, a table of empty cells (|  |  |)
_BLANKS = re.compile(r"[＿_]{3,}|\|\s*(?=\|)")


def _blank_form(text: str) -> bool:
    """A form to fill in, mostly blanks: it repeats the rule's words in its labels and says
    nothing, even less than an appended standard or table of values does."""
    return len(_BLANKS.findall(text)) >= 6


# an appended form answers what is to be filled in (登记表要填哪些内容)
_APPENDIX_INTENTS = frozenset({"items"})


def _names_the_appendix(index: KnowledgeIndex, units: list[tuple[str, float]], passage) -> bool:
    """The question names what the appendix is about beyond the rule's title, in words the
    rule's articles do not use (分级标准): 封存库 in 暂存库和集中封存库设计规范 is a topic of the
    articles too, which answer about it."""
    own = passage.section.split("：", 1)[-1]
    return any(
        len(unit) >= 2
        and unit in own
        and unit not in passage.title
        and not _in_the_articles(index, unit, passage.title)
        for unit, _ in units
    )


def _in_the_articles(index: KnowledgeIndex, unit: str, title: str) -> bool:
    holders = index.passage_index.containing_bits(unit)
    return any(
        index.passages[i].title == title and index.passages[i].article for i in members(holders)
    )


def prefer_answer_shape(
    index: KnowledgeIndex, intents: list, fused: np.ndarray, weight: float
) -> np.ndarray:
    """Among the best few passages, lift those shaped like the answer asked for: a question
    about a deadline prefers the passage that names one (2022年底前全面完成) over its neighbour
    about monthly reporting."""
    if not intents or weight <= 0 or len(fused) == 0:
        return fused
    top = np.argsort(-fused, kind="stable")[:RERANK_DEPTH]
    fused = fused.copy()
    for i in top:
        fused[i] += weight * answer_fit(intents, index.passages[i].text)
    return fused


def visible_to(card, region: tuple[str | None, str | None]) -> bool:
    """National FAQ entries and documents answer everyone; a region's own only askers there."""
    if card is None:
        return False
    if card.province is None:
        return True
    province, city = region
    if card.province != province:
        return False
    return card.city is None or card.city == city


# A plan's table row repeats the opening words of a body paragraph that says more: its purpose
# (…简化排污许可证内容，提升排污许可证的可读性和实用性), which the row leaves out. Words this long
# at the row's start name its paragraph.
ROW_OPENING_CHARS = 8


def paragraph_of_row(index: KnowledgeIndex, row: int) -> int | None:
    """The body paragraph (passage number) a measure's table row repeats, if exactly one."""
    if index.row_paragraphs is None:
        index.row_paragraphs = _row_paragraphs(index)
    return index.row_paragraphs.get(row)


def _row_paragraphs(index: KnowledgeIndex) -> dict[int, int]:
    rows = [i for i, p in enumerate(index.passages) if p.measure is not None]
    # only the documents with a measure table: the others' passages are never folded for this
    tabled = {index.passages[i].title for i in rows}
    bodies: dict[str, list[tuple[int, str]]] = {title: [] for title in tabled}
    for i, p in enumerate(index.passages):
        if p.title in tabled and p.measure is None and p.article is None:
            bodies[p.title].append((i, fold(p.text)))
    found: dict[int, int] = {}
    for i in rows:
        passage = index.passages[i]
        opening = re.split(r"[，,。；;]", fold(passage.text), maxsplit=1)[0]
        if len(opening) < ROW_OPENING_CHARS:
            continue
        holders = [j for j, text in bodies[passage.title] if opening in text]
        if len(holders) == 1:
            found[i] = holders[0]
    return found
