"""Homophone typos: a misspelt term is looked up as the word the documents use."""

from __future__ import annotations

from types import SimpleNamespace

from knowledge import service
from knowledge.bm25 import BM25
from knowledge.index import Collection
from knowledge.normalize import SynonymMap, prepare
from knowledge.terms import tokens
from knowledge.typos import (
    abbreviation_expansions,
    apply_corrections,
    licence_expansions,
    typo_corrections,
)

PASSAGES = [
    "重点排污单位应当安装自动监测设备，与生态环境主管部门的监控设备联网。",
    "违反本法规定的，由生态环境主管部门责令改正，处二万元以上二十万元以下的罚款。",
    "在人口集中地区禁止露天焚烧沥青、油毡，禁止露天烧烤食品。",
    "建设单位应当将环境影响登记表报生态环境主管部门备查。",
    "在噪声敏感建筑物集中区域，禁止夜间进行产生噪声的建筑施工作业。",
    "禁止在饮用水水源保护区，风景名胜区内建设畜禽养殖场。",
    "村民委员会应当依照环境保护法协助做好畜禽养殖污染防治工作。",
    "禁止在小区的规模化养殖场周边倾倒垃圾。",
    "危险废物经营许可证按照经营方式，分为危险废物收集、贮存、处置综合经营许可证和危险废物收集"
    "经营许可证。危险废物经营许可证有效期为5年。",
    "取得取水许可证的单位，应当按照排放污染物的许可证的要求排放。",
    "开发、利用、节约、保护水资源，应当遵守水法和本办法。",
    "排污许可证被注销的，审批部门应当在网站上公示。",
    "技术机构应当建立培训、考核等管理机制。",
    "技术机构由生态环境部门统一管理。",
    "第一章 总则",
]


# an everyday word and the documents' wording for it (the synonyms page)
SYNONYMS = SynonymMap({"噪音": "噪声"})


def _index():
    prepared = [prepare(text, SYNONYMS) for text in PASSAGES]
    return SimpleNamespace(
        passage_index=Collection(
            prepared=prepared,
            token_lists=[],
            bm25=BM25([tokens(p) for p in prepared]),
            vectors=None,
        ),
        typo_sounds=None,
        synonyms=SYNONYMS,
        abbreviation_cache={},
        title_aliases={"中华人民共和国环境保护法": ("环境保护法", "环保法")},
        prepare=lambda text: prepare(text, SYNONYMS),
    )


def corrections(question: str) -> dict[str, str]:
    return typo_corrections(_index(), prepare(question, SYNONYMS))


def test_a_misspelt_term_becomes_the_documents_word_with_the_same_sound():
    assert corrections("在线监册设备能不能自己挪位置") == {"监册": "监测"}
    assert corrections("在禁止区域露天烧考被城管抓到") == {"烧考": "烧烤"}
    assert corrections("登记表没备案，被发现了要罚宽吗") == {"罚宽": "罚款"}


def test_a_slip_that_leaves_a_shorter_real_word_is_still_a_slip():
    # 有效 is a word and 其 a character of its own, but 有效其 sounds like 有效期, which the
    # documents use; 许可正 likewise sounds like 许可证
    assert corrections("危险废物经营许可证有效其几年") == {"有效其": "有效期"}
    assert corrections("取水许可正怎么办") == {"许可正": "许可证"}


def test_a_slip_the_dictionary_holds_as_a_rare_word_is_still_a_slip():
    # jieba counts 注消 3 times and 注销 80 times: a question writing 注消 means 注销
    assert corrections("排污证被注消了还能排吗") == {"注消": "注销"}


def test_a_word_seen_in_use_that_sounds_like_the_documents_word_stays_as_typed():
    # 公式 (a formula) sounds like 公示 (made public), but it is a common word of its own; 总责
    # is rare, but jieba counted it in use, so it is no slip of 总则
    assert corrections("排放量的计算公式是什么") == {}
    assert corrections("排污许可证注销了谁负总责") == {}


def test_a_word_beside_a_grammar_character_is_no_slip():
    # 证的 sounds like nothing, and 的 is grammar: nothing is joined to it
    assert corrections("取水许可证的有效期几年") == {}


def test_a_slip_of_an_everyday_word_becomes_the_documents_wording():
    # 躁音 is 噪音 mistyped, and the documents write 噪音 as 噪声
    assert corrections("高考期间工地的躁音有人管吗") == {"躁音": "噪声"}


def test_real_words_the_documents_do_not_use_stay_as_typed():
    # 端午节 and 奶茶 are words: an off-topic question must not be turned into an on-topic one
    assert corrections("端午节高速公路免费吗") == {}
    assert corrections("开奶茶店要办什么证") == {}


def test_a_changed_grammar_character_was_typed_on_purpose():
    # 被查 sounds like 备查 (the documents' word), but 被 is the passive, not a slip
    assert corrections("干洗店没装废气处理装置，被查了会罚多少") == {}


def test_a_changed_grammar_character_is_a_slip_where_the_documents_phrase_confirms_it():
    # 里 alone is grammar (厂里, 局里), but 管里机制 is 管理机制, a phrase the documents use
    assert corrections("技术机构要建立哪些管里机制") == {"管里": "管理"}
    assert corrections("这事归谁管里头的人说了算") == {}


def test_the_fine_asked_about_was_typed_on_purpose():
    # 水罚 sounds like 水法 (a law the documents name), but 罚多少 asks a fine
    assert corrections("偷采基岩水罚多少") == {}


def test_a_correction_is_applied_to_every_occurrence():
    assert apply_corrections("监册设备 监册数据", {"监册": "监测"}) == "监测设备 监测数据"


def test_a_question_with_a_typo_is_answered_as_if_spelt_right(session, plan):
    right = service.answer_question(session, question="清零行动什么时候完成")
    typo = service.answer_question(session, question="清领行动什么时候完成")
    assert typo.answered
    assert typo.sources[0].text == right.sources[0].text
    # as sure as for the right spelling: the typo costs no confidence
    assert abs(typo.confidence - right.confidence) < 0.05


def expansions(question: str) -> dict[str, str]:
    return abbreviation_expansions(_index(), prepare(question, SYNONYMS))


def test_an_abbreviation_is_looked_up_as_the_documents_longer_form():
    assert expansions("能不能在风景区里头建个养猪场") == {"风景区": "风景名胜区"}
    assert expansions("村委会碰到这种事该干点啥") == {"村委会": "村民委员会"}


def test_characters_joined_by_grammar_spell_no_abbreviation():
    # 小区的规模化 holds 小…规模, but no term shortened to 小规模
    assert expansions("小规模养殖场要办证吗") == {}


def test_a_law_s_short_name_is_left_to_the_named_document():
    assert expansions("环保法对养殖场有啥要求") == {}


def licences(question: str) -> dict[str, str]:
    return licence_expansions(_index(), prepare(question, SYNONYMS))


def test_a_licence_called_by_what_it_licenses_is_the_documents_licence():
    # people drop 许可 from a licence's name: 经营证, 收集证, 综合证, 取水证
    assert licences("危险废物经营证过期了怎么办") == {"经营证": "经营许可证"}
    assert licences("综合证和收集证各管几年") == {
        "综合证": "综合经营许可证",
        "收集证": "收集经营许可证",
    }
    assert licences("取水证找谁办") == {"取水证": "取水许可证"}


def test_a_licence_the_documents_do_not_name_stays_as_typed():
    # no 驾驶…许可证 in the passages; 排放污染物的许可证 is grammar between, not one licence
    assert licences("驾驶证扣分了怎么办") == {}
    assert licences("污染物证要办吗") == {}


def test_a_fine_typed_with_the_homophone_of_law_asks_a_fine():
    # the documents write 处罚 and 罚款 but not 被罚: the sound lookup alone finds nothing
    assert corrections("厂家不交召回计划会被法多少钱") == {"被法多少": "被罚多少"}
    assert corrections("逾期不改的法款是多少") == {"法款": "罚款"}


def test_the_law_and_its_courts_are_no_slip_for_a_fine():
    assert corrections("违法款项怎么处理") == {}
    assert corrections("被法院判了还要罚吗") == {}
