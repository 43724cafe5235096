"""Documents a question names that the knowledge base does not hold.

"GB 8978第一类污染物有哪些" or "HJ 819里废气的监测频次" asks about one standard: when no
ingested text carries its number, the closest passages (a law's general duty to monitor) do not
answer it, however many words they share with the question. The same holds for a title in
book-title marks (《…》) that appears in no document or passage, and for a technical document
named without them (大气环境影响评价技术导则里评价等级怎么划分); a question that looks inside such
a document (…质量控制标准里的评分指标) needs the document itself, not a plan or law that names it.
Such a question is refused with
the reference named, so the asker knows what the knowledge base lacks; once a bureau ingests
the standard, its number is found and the question is answered as usual.
"""

from __future__ import annotations

import re

from knowledge.index import KnowledgeIndex
from knowledge.normalize import abbreviates, fold

# GB 8978, GB/T 16157, HJ 2.2, HJ 819—2017, GBZ 2.1, DB44/ 27 (a province's local standard), and
# the categories of the national list of hazardous wastes (HW08, HW49), whose contents are in the
# list itself
_STANDARD = re.compile(
    r"(?<![a-z])(gbz|gb|hj|db\d{2})\s*/?\s*t?\s*(\d+(?:\.\d+)*)|(?<![a-z])(hw)\s*(\d{2})(?!\d)"
)
_TITLE = re.compile(r"《([^《》]{2,60})》")
# what is inside a document: one of its articles, its text (《…法》第六十条, 《…》里, 原文)
_LOOKED_INTO = re.compile(
    r"\s*(第[0-9零〇一二三四五六七八九十百]+条|里|中(?!心)|内(?!容)|原文"
    # 《…导则》对生态毒性试验的具体方法是怎么规定的: what it says of a case
    r"|对[^，。？?]{0,20}(?:(?:是)?(?:如何|怎么|怎样)规定|有(?:什么|啥|哪些)(?:要求|规定))"
    r"|(?:是)?(?:如何|怎么|怎样)规定)"
)
# 执行啥排放标准？还是按GB 8978走吗: a standard offered as the alternative to what is asked, not
# asked about
_ALTERNATIVE = re.compile(r"(还是|或者|或是)(得|要)?(按照|按|用|执行|参照|照)?\s*$")
_SPACES = re.compile(r"\s+")
# A technical document named without book-title marks ends in its kind: 大气环境影响评价技术导则,
# 锅炉大气污染物排放标准. It names a document when at least ``MIN_NAME`` characters come before the
# kind (排放标准, 国家排放标准, 超过排放标准 name none), and one the knowledge base holds when an
# ending of the name with ``MIN_HELD`` characters or more before the kind is found in it (执行哪个
# 大气污染物排放标准: 污染物排放标准; a question often puts words in front of a name).
_KIND = re.compile(
    r"技术导则|技术规范|技术指南|排放标准|质量标准|控制标准|分级标准|评价标准|认定标准|划分标准"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# (国家 qualifies, it does not name: 国家防污染技术规范 is "the national technical rules against
# pollution", 国家污水综合排放标准 still names 污水综合排放标准)
_LEAD = re.compile(
    r"^(?:请问|按照|根据|依据|关于|对照|参照|执行|按|在|查|看|我们|这个|那个|哪个|什么|的|国家"
    # 这种事条例里有没有人管: the matter told, not a name (这 is grammar, ``_GRAMMAR``)
    r"|种事|些事"
    # 这种在条例里算啥: the same, with the place it is looked for straight after
    r"|种(?=[在里中])|些(?=[在里中]))+"
)
MIN_NAME = 4
MIN_HELD = 2
MAX_NAME = 24
_CACHE_KEY = "\x00references"
_TITLES_KEY = "\x00reference titles"


def absent_references(index: KnowledgeIndex, question: str) -> list[str]:
    """The standards (by number) and 《titles》 named in ``question`` that no ingested
    document, passage or FAQ entry contains, as the asker wrote them."""
    folded = fold(question)
    named = [
        (match.group(0).strip().upper(), _compact("".join(g for g in match.groups() if g)))
        for match in _STANDARD.finditer(folded)
        if not _ALTERNATIVE.search(folded, 0, match.start())
    ]
    corpus = compact_corpus(index)
    absent = [label for label, key in dict(named).items() if key and key not in corpus]
    # a title in marks is held when any text names it; what one of its articles says
    # (《环境保护法》第六十条原文), only when it is itself a held document
    absent += [
        f"《{m.group(1)}》"
        for m in _TITLE.finditer(folded)
        if not (
            _legal_held(index, m.group(1))
            if _LOOKED_INTO.match(folded, m.end())
            else _compact(m.group(1)) in corpus
        )
    ]
    unmarked = _TITLE.sub(" ", folded)  # a title in marks is judged whole, above
    # what is inside a technical document (…技术规范里的计算公式, …质量控制标准中的评分指标) is
    # only in that document: one the plan or a law merely names is not held
    absent += [
        f"《{name}》"
        for name, inside in _unmarked_references(unmarked)
        if not _held(name, compact_titles(index) if inside else corpus)
    ]
    absent += [
        f"《{name}》" for name in _legal_names_looked_into(unmarked) if not _legal_held(index, name)
    ]
    absent += [kind for kind in _kinds_listed(unmarked) if _compact(kind) not in corpus]
    return list(dict.fromkeys(absent))


# 环评的技术导则有哪些，名单在哪查: which documents of a kind there are, unnamed, where no text of
# the knowledge base so much as names the kind: nothing ingested lists them
_MEMBERS = re.compile(r"\s*(都?有哪些|包括哪些|都?有啥|是哪些|的?(名单|目录|清单))")


def _kinds_listed(folded: str) -> list[str]:
    """The kinds of technical document (技术导则, 排放标准 …) whose members ``folded`` asks for
    without naming one (a named one is judged by its name, above)."""
    return [
        match.group(0)
        for match in _KIND.finditer(folded)
        if _MEMBERS.match(folded, match.end())
        and len(_name_before(folded, match.start())) < MIN_NAME
    ]


# A law or rule looked into by a short name (建设项目环保条例里, 大气法中): held when the name is
# the characters of a document's title or alias in order, the way Chinese shortens a name. 执法中,
# 违法中 and 办法 in 有什么办法 name no law; nor do the words that only introduce a question
# (想问问条例里: the document is the one being discussed).
_LEGAL_KIND = re.compile(
    r"(条例|办法|细则|(?<![执违合方做用说守立司依非算手想看无办])法)"
    r"(里|中(?!心)|内(?!容)|当中|(?=规定的|是怎么规定|怎么规定)"
    # … and what it says of a case (…办法对计入期是如何规定的, 固废法对没建台账的企业罚多少钱)
    r"|(?=对[^，。？?]{0,20}(?:(?:是)?(?:如何|怎么|怎样)规定|罚|处罚|有(?:什么|啥|哪些)要求)))"
)
_ASKING_LEAD = re.compile(r"^(?:我?想|想要)?(?:问问?|知道|确认一下|了解一下|了解|请教|咨询)")
MIN_LEGAL_NAME = 2
_ACRONYM_BEFORE = re.compile(r"(?<![a-z])[a-z]{2,8}$")


def _legal_names_looked_into(folded: str) -> list[str]:
    names = []
    for match in _LEGAL_KIND.finditer(folded):
        raw = _name_before(folded, match.start())
        # 是照这个办法管，还是得按固废法里那套来: a law offered as the alternative
        if _ALTERNATIVE.search(folded, 0, match.start() - len(raw)):
            continue
        lead = _ASKING_LEAD.sub("", raw)
        # a Latin acronym before it is part of the name (ccer管理办法)
        acronym = _ACRONYM_BEFORE.search(folded, 0, match.start() - len(lead))
        lead = (acronym.group(0) if acronym else "") + lead
        if len(lead) >= MIN_LEGAL_NAME:
            names.append(lead + match.group(1))
    return names


def _legal_held(index: KnowledgeIndex, name: str) -> bool:
    """Whether a title or alias of the knowledge base is the name's characters in order, and a
    document of the same kind when the name says one (行政处罚法 is no 行政处罚办法)."""
    names = [*index.short_titles, *index.short_titles.values()]
    names += [alias for aliases in index.title_aliases.values() for alias in aliases]
    kind = legal_kind(name)
    return any(
        abbreviates(_compact(name), _compact(title)) and kind in (name, legal_kind(title))
        for title in names
    )


def legal_kind(name: str) -> str:
    """条例, 办法, 细则 or 法 (a law), by what the name ends in (a 规定 or a plan: itself)."""
    for kind in ("条例", "办法", "细则"):
        if kind in name:
            return kind
    return "法" if name.endswith("法") else name


_INSIDE = re.compile(r"(里|中|内|里面|当中)")
# … and pointers: 在该办法中未设定 names no 《…在该办法》
_GRAMMAR = re.compile(r"[的了个是该此这]")
# a verb taking the standard as its object (污染物超出排放标准, 达不到质量标准, 也算质量标准里的吗)
# ends no name
_OBJECT_OF = re.compile(
    r"超出|超过|达到|达不到|执行|符合|低于|高于|满足|违反|依照|参照|对照|也算|还算|算是|属于"
    # 杭州能自定排放标准吗, 市里可以另行制定技术规范吗: the standard a body makes is none named
    r"|制定|制订|自定|另定|出台|颁布|发布|修订"
    # 领导让我把条例里的要求梳理一遍: the document being discussed, taken up by 把
    r"|把"
    # 当地已经有地方排放标准了: the standards a place has (not 有色金属, 有机, 有毒)
    r"|有(?![色机毒害关效益])"
)
_ASKING_WORD = re.compile(r"何种|什么|啥|哪")
# a question asked by a verb and its negation (算不算, 属不属于, 是不是) ends no name
_A_NOT_A = re.compile(r"(?:算不算|属不属于|是不是|有没有|归不归|适不适用|适用不适用)")


def _unmarked_names(folded: str) -> list[str]:
    """The names of the technical documents ``folded`` names without book-title marks."""
    return [name for name, _ in _unmarked_references(folded)]


def _unmarked_references(folded: str) -> list[tuple[str, bool]]:
    """Technical documents named without book-title marks: the Chinese characters before a kind
    (技术导则, 排放标准 …), less leading words that only introduce it (按照, 请问, 哪个); each with
    whether the question looks into it (…技术规范里, …标准中)."""
    names = []
    for match in _KIND.finditer(folded):
        lead = _name_before(folded, match.start())
        if len(lead) >= MIN_NAME:
            names.append((lead + match.group(0), bool(_INSIDE.match(folded, match.end()))))
    return names


def _name_before(folded: str, end: int) -> str:
    """The Chinese characters before ``end`` that can name a document: at most ``MAX_NAME`` of
    them, not across grammar (比国家更严的排放标准, 广东省的地方排放标准, 省里出了个地方排放标准
    name none), a question word (应急监测应依照何种技术规范 asks which one; 算不算…办法里的) or a
    verb taking the document as its object (污染物超出排放标准), less leading words that only
    introduce it (按照, 请问)."""
    start = end
    while start > 0 and end - start < MAX_NAME and _CJK.match(folded[start - 1]):
        start -= 1
    lead = _ASKING_WORD.split(_GRAMMAR.split(folded[start:end])[-1])[-1]
    lead = _A_NOT_A.split(lead)[-1]
    return _LEAD.sub("", _OBJECT_OF.split(lead)[-1])


def _held(name: str, corpus: str) -> bool:
    """Whether the knowledge base names the document: an ending of the name with at least
    ``MIN_HELD`` characters before its kind, the kind joined to them by 的 or not (自然保护区管理
    技术规范 is what a law writes as 自然保护区管理的技术规范)."""
    kind = _KIND.search(name)
    assert kind is not None
    lead, tail = name[: kind.start()], name[kind.start() :]
    return any(
        _compact(lead[-n:] + joint + tail) in corpus
        for n in range(MIN_HELD, len(lead) + 1)
        for joint in ("", "的")
    )


def _compact(text: str) -> str:
    """Folded, without spaces or the "/T" of recommended standards (GB/T 16157 → gb16157)."""
    return _SPACES.sub("", fold(text)).replace("/t", "").replace("/", "")


def compact_titles(index: KnowledgeIndex) -> str:
    """Every document title of the snapshot in compact form (built once)."""
    cached = index.text_cache.get(_TITLES_KEY)
    if cached is None:
        titles = {passage.title for passage in index.passages}
        cached = index.text_cache[_TITLES_KEY] = "\n".join(_compact(t) for t in titles)
    return cached


def compact_corpus(index: KnowledgeIndex) -> str:
    """Every title, passage and FAQ text of the snapshot in compact form (built once)."""
    cached = index.text_cache.get(_CACHE_KEY)
    if cached is None:
        parts = {passage.title for passage in index.passages}
        parts.update(passage.text for passage in index.passages)
        parts.update(f"{c.question}\n{c.answer}\n{c.basis}" for c in index.faqs.values())
        cached = index.text_cache[_CACHE_KEY] = "\n".join(_compact(part) for part in parts)
    return cached
