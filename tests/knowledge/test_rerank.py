"""Ranking adjustments of ``knowledge.rerank`` on a handful of passages (no database)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from knowledge.index import Collection
from knowledge.intent import detect
from knowledge.normalize import prepare
from knowledge.rerank import (
    is_law,
    lower_the_opening,
    prefer_definition,
    prefer_local_document,
    prefer_payer_stated,
    prefer_subject_document,
    prefer_the_specific_text,
    word_spread,
)
from knowledge.retrieval import query_units


def _index(docs: dict[str, list[str]]):
    passages = [
        SimpleNamespace(title=t, article=None, section=None, text=text)
        for t, texts in docs.items()
        for text in texts
    ]
    prepared = [prepare(text) for texts in docs.values() for text in texts]
    return SimpleNamespace(
        passages=passages,
        passage_index=Collection(prepared=prepared, token_lists=[], bm25=None, vectors=None),
        spread_cache={},
        document_bits=None,
        document_members=None,
        rarity_cache={},
        defined_terms=None,
        prepare=prepare,
        title_aliases={t: (t,) for t in docs},
    )


WATER = [
    "排放废水应当达标",
    "废水处理设施应当正常运行",
    "向水体排放废水应当设置排污口",
    "饮用水水源保护区内禁止设置排污口",
]
AIR = [
    "排放废气应当达标",
    "废气处理设施应当正常运行 不得将废水用于除尘",  # the one air passage naming 废水
    "工地应当采取扬尘防治措施",
    "锅炉应当使用清洁燃料",
]


def test_a_question_in_words_of_one_documents_subject_prefers_that_document():
    index = _index({"水法": WATER, "气法": AIR})
    fused = np.zeros(8)
    fused[5] = 1.0  # the air passage that names 废水 leads on its own
    fused[1] = 0.9
    out = prefer_subject_document(index, [("废水", 5.0), ("处理设施", 3.0)], fused, 2.0)
    assert int(np.argmax(out)) == 1


def test_words_spread_evenly_or_found_nowhere_move_nothing():
    index = _index({"水法": WATER, "气法": AIR})
    assert word_spread(index, "氨氮") == {}
    even = word_spread(index, "处理设施")
    assert abs(even["水法"] - even["气法"]) < 1e-9
    fused = np.linspace(1.0, 0.0, 8)
    out = prefer_subject_document(index, [("处理设施", 3.0), ("氨氮", 8.0)], fused, 2.0)
    assert np.allclose(out, fused)


def test_with_one_document_nothing_moves():
    index = _index({"水法": WATER})
    fused = np.linspace(1.0, 0.0, 4)
    assert np.allclose(prefer_subject_document(index, [("废水", 5.0)], fused, 2.0), fused)


RULES = [
    "第五条　重点管理排污单位应当安装自动监测设备，重点管理排污单位应当公开排放信息。",
    "第六条　重点管理排污单位申请排污许可证，应当提交申请材料。",
    "第二条　本办法所称重点管理，是指对污染物产生量、排放量大的排污单位实行的排污许可管理。",
    "第七条　简化管理排污单位应当每年提交执行报告。",
]


def _definition_ranking(question: str) -> list[int]:
    index = _index({"办法": RULES})
    fused = np.array([3.0, 2.0, 0.5, 0.1])
    prepared = prepare(question)
    out = prefer_definition(index, detect(question), prepared, query_units(prepared), fused)
    return [int(i) for i in np.argsort(-out)]


def test_a_question_what_a_term_means_goes_to_the_passage_defining_it():
    assert _definition_ranking("重点管理的含义是什么？")[0] == 2
    assert _definition_ranking("重点管理是指什么")[0] == 2
    assert _definition_ranking("什么是重点管理？")[0] == 2


ENV_LAW = [
    "第九条　各级人民政府应当加强环境保护宣传，普及环境保护知识。",
    "第二条　本法所称环境影响评价，是指对规划和建设项目实施后可能造成的环境影响进行分析。",
    "第三条　本法所称环境，是指影响人类生存和发展的各种天然的和经过人工改造的自然因素的总体。",
]


def _first_after_definition(docs: dict[str, list[str]], question: str, fused: list[float]) -> int:
    prepared = prepare(question)
    units = query_units(prepared)
    out = prefer_definition(_index(docs), detect(question), prepared, units, np.array(fused))
    return int(np.argmax(out))


def test_the_term_asked_is_defined_by_its_own_passage_not_a_longer_term_s():
    question = "环保法里说的环境到底指什么"
    first = _first_after_definition({"环保法": ENV_LAW}, question, [3.0, 2.0, 0.5])
    # the words naming the law (环, 保, 法) are not the term asked about
    assert first == 2


EIA_LAW = [
    "第十六条　建设单位应当组织编制环境影响报告书、环境影响报告表或者填报环境影响登记表"
    "（以下统称环境影响评价文件）。",
    "第二条　本法所称环境影响评价，是指对规划和建设项目实施后可能造成的环境影响进行分析。",
]


def test_the_term_as_typed_wins_over_a_longer_term_holding_the_same_words():
    question = "环境影响评价的法定含义是什么？"
    first = _first_after_definition({"环评法": EIA_LAW}, question, [3.0, 0.5])
    # 环境影响评价文件 is defined too (以下统称), but the question names 环境影响评价
    assert first == 1


BATTERY_RULES = [
    "第一条　为了加强新能源汽车废旧动力电池（以下简称废旧动力电池）回收管理，制定本办法。",
    "第四十五条　本办法下列用语的含义：\n（一）废旧动力电池，是指报废的失去原有使用价值的动力电池。"
    "\n（二）废旧动力电池综合利用，是指对废旧动力电池进行拆解、资源化利用的活动。",
]


def test_the_article_saying_what_a_term_is_wins_over_the_one_shortening_a_name_to_it():
    first = _first_after_definition({"办法": BATTERY_RULES}, "啥叫废旧动力电池？", [3.0, 0.5])
    # 第一条 names it (以下简称) and 第四十五条 defines a longer term first: 废旧动力电池综合利用
    assert first == 1


def test_a_term_named_in_passing_or_no_definition_asked_moves_nothing():
    assert _definition_ranking("重点管理排污单位申请排污许可证的材料包括哪些？")[0] == 0
    assert _definition_ranking("重点管理要装自动监测设备吗")[0] == 0


def test_words_the_synonym_dictionary_put_in_weigh_as_the_word_typed():
    from knowledge.normalize import SynonymMap
    from knowledge.retrieval import weigh_as_typed

    synonyms = SynonymMap({"公司": "排污单位", "环评": "环境影响评价"})
    index = SimpleNamespace(synonyms=synonyms)

    def units(question):
        return dict(weigh_as_typed(index, question, query_units(prepare(question, synonyms))))

    # 公司 carries no content; 排污 would otherwise be the heaviest word of the question
    assert "排污" not in units("我们公司的货车报废了卖给谁")
    assert units("排污单位的货车报废了卖给谁")["排污"] > 0  # typed: it is what is asked about
    typed = units("环评报告要审批吗")  # 环评 is a rare word itself: its expansion keeps weight
    assert typed == dict(query_units(prepare("环评报告要审批吗", synonyms)))


def _liability_ranking(question: str) -> list[int]:
    from knowledge.rerank import prefer_liability_as_asked

    sections = ["第四章 防治扬尘污染", "第七章 法律责任"]
    index = SimpleNamespace(passages=[SimpleNamespace(section=s) for s in sections])
    # the penalty restates the duty word for word and leads by one standard deviation
    fused = np.array([2.0, 3.0])
    out = prefer_liability_as_asked(index, detect(question), fused, 0.5, question, 1.5)
    return [int(i) for i in np.argsort(-out)]


def test_a_question_what_to_do_prefers_the_duty_over_its_penalty():
    assert _liability_ranking("工地裸土不开工怎么办") == [0, 1]
    assert _liability_ranking("工地裸土要采取哪些措施") == [0, 1]
    # neither asking what to do nor about a penalty: the lead of one deviation stands
    assert _liability_ranking("工地裸土能不能不盖") == [1, 0]
    assert _liability_ranking("工地裸土不盖罚多少") == [1, 0]


def test_a_penalty_asked_for_is_reached_eleventh_in_the_ranking():
    from knowledge.rerank import prefer_liability_as_asked

    # a long penalty article listing many acts ranks low by BM25 for its length
    sections = ["第三章 饮用水水源保护"] * 10 + ["第七章 法律责任"]
    index = SimpleNamespace(passages=[SimpleNamespace(section=s) for s in sections])
    fused = np.linspace(3.0, 2.0, 11)
    question = "在保护区里设了排污口罚多少"
    out = prefer_liability_as_asked(index, detect(question), fused, 0.5, question)
    assert out[10] > fused[10]


def test_a_colloquial_chunk_no_passage_holds_weighs_as_its_content_word():
    from knowledge.retrieval import strip_function_edges

    told = ["建设项目排放废水应当接受检查", "排放废水的情况应当向社会公开"]
    index = _index({"水法": WATER + told})

    def units(question):
        return dict(strip_function_edges(index, query_units(prepare(question))))

    # jieba keeps 被查 and 哪些项目 whole; as such they are rare words the documents lack and
    # would weigh as the term asked about
    assert "被查" in dict(query_units(prepare("偷排废水被查了会怎样")))
    assert "查" in units("偷排废水被查了会怎样") and "被查" not in units("偷排废水被查了会怎样")
    assert "项目" in units("哪些项目要排放废水")
    # a term the documents lack, with no function word at its edge, stays what was asked about
    assert "试用期" in units("员工试用期最长几个月")
    # … nor does a direction or result ending one (公开出来, 升级成)
    told = units("排放废水的情况会被公开出来吗")
    assert "公开" in told and "公开出来" not in told


@pytest.mark.parametrize(
    ("question", "not_topic"),
    [
        ("水污染这块归哪个部门监管啊", {"这块", "块", "归"}),
        ("固废这方面归谁管", {"这方面", "方面", "归"}),
        ("这种情况罚多少", {"这种", "种"}),
        # a bound of what is asked: the passage says 不得超过
        ("查封最长能封多久", {"最长"}),
        ("至少要保存几年", {"至少"}),
    ],
)
def test_demonstratives_and_who_words_of_a_colloquial_question_are_no_topic(question, not_topic):
    # 这块 would count as 块 and 归 (归哪个部门管) as a rare word: both diluted the share of the
    # question the right article covers, and an answerable question looked out of scope
    units = set(dict(query_units(prepare(question))))
    assert units and not units & not_topic


LAW = [
    "第一条　为了防治水污染，保障饮用水安全，制定本法。",
    "第二条　本法适用于江河、湖泊等地表水体以及地下水体的污染防治。",
    "第三条　排污单位应当遵守排放标准，不得超标排放水污染物。",
    "第四条　违反本法规定超标排放的，处十万元以上一百万元以下的罚款。",
    "第五条　县级以上人民政府生态环境主管部门对水污染防治实施统一监督管理。",
]


def _water_law(articles: list[str]):
    """An index of the water law's articles, each numbered as its text begins, named 水法 too."""
    index = _index({"水污染防治法": articles})
    for passage in index.passages:
        passage.article = passage.text.split("　", 1)[0]
    index.short_titles = {"水污染防治法": "水污染防治法"}
    index.title_aliases = {"水污染防治法": ("水污染防治法", "水法")}
    return index


def _general_provision_ranking(question: str) -> list[int]:
    from knowledge.rerank import prefer_general_provision

    index = _water_law(LAW)
    fused = np.array([0.1, 0.2, 3.0, 2.0, 0.3])  # the duty and the penalty share the title's words
    prepared = prepare(question)
    out = prefer_general_provision(index, question, query_units(prepared), fused)
    return [int(i) for i in np.argsort(-out)]


def test_a_question_about_a_laws_purpose_scope_or_authority_goes_to_the_article_stating_it():
    assert _general_provision_ranking("水污染防治法制定的目的是什么")[0] == 0
    assert _general_provision_ranking("水法的立法宗旨是啥")[0] == 0
    assert _general_provision_ranking("水污染防治法的适用范围")[0] == 1
    assert _general_provision_ranking("水污染防治法都管些什么")[0] == 1
    assert _general_provision_ranking("水污染防治归哪个部门管")[0] == 4
    assert _general_provision_ranking("水污染防治的监督管理部门是谁")[0] == 4
    assert _general_provision_ranking("水污染防治这块到底哪个局牵头管")[0] == 4
    assert _general_provision_ranking("水污染防治法是照着哪部上位法定的？主要图啥？")[0] == 0
    # the issuer named, and the purpose asked as what the document came from
    assert _general_provision_ranking("国务院出台这部防治水污染的法规是出于哪些目的")[0] == 0


PLAN = [
    "以习近平新时代中国特色社会主义思想为指引，加快构建以排污许可制为核心的固定污染源监管制度"
    "体系，为深入打好污染防治攻坚战奠定良好基础。",
    "围绕排污许可提质增效一条主线，推进两项制度衔接融合，开展三类专项行动。",
    "到2024年底，排污许可提质增效取得明显成效。",
]


@pytest.mark.parametrize(
    "question",
    ["这个排污许可提质增效的计划，说到底是想达到啥目的？", "这个提质增效的计划最终为了啥"],
)
def test_a_question_about_a_plans_purpose_goes_to_its_opening(question):
    from knowledge.rerank import prefer_general_provision

    # a plan is written in no articles: its opening says what it is for (为…奠定良好基础)
    index = _index({"排污许可提质增效行动计划": PLAN})
    index.short_titles = {}
    for passage in index.passages:
        passage.measure = None
    fused = np.array([0.2, 3.0, 1.0])  # the next paragraph repeats the title's words
    out = prefer_general_provision(index, question, query_units(prepare(question)), fused)
    assert int(np.argmax(out)) == 0


def test_who_interprets_a_rule_is_its_closing_article_not_who_supervises_the_field():
    from knowledge.rerank import prefer_general_provision

    closing = "第六条　本法由国务院生态环境主管部门负责解释。"
    index = _water_law([*LAW, closing])
    fused = np.array([0.1, 0.2, 3.0, 2.0, 2.5, 0.3])
    for question in ("水污染防治法由哪个部门负责解释", "水污染防治法的解释权归谁"):
        out = prefer_general_provision(index, question, query_units(prepare(question)), fused)
        assert int(np.argmax(out)) == 5, question


def test_the_kind_of_document_named_instead_of_its_title_is_no_topic():
    # 这部法规 names the document, as its title would: still a question of its purpose
    assert _general_provision_ranking("水污染防治法这部法规是依据哪些上位法制定的")[0] == 0


def test_words_describing_the_document_pointed_at_name_it():
    # 这个管饮用水的法规 describes the document as its title would
    question = "这个管饮用水安全的法规当初为啥要定？依据的是哪几部法律？"
    assert _general_provision_ranking(question)[0] == 0


def test_words_of_the_article_stating_the_authority_keep_the_question_about_it():
    # the departments asked about are named in the article itself: still a question of who
    # supervises the whole field
    assert _general_provision_ranking("水污染防治哪个局牵头管？生态环境局也有份吗")[0] == 4


def test_such_a_question_about_a_particular_thing_moves_nothing():
    assert _general_provision_ranking("超标排放适用水污染防治法哪条处罚")[0] == 2
    assert _general_provision_ranking("水污染防治法对罚款的范围是怎么规定的")[0] == 2
    assert _general_provision_ranking("超标排放由哪个部门来罚")[0] == 2


BORDER_CASE = "第六条　地下水体的污染防治，适用本法；但是，排入城镇管网的污水，适用有关法规。"


def _applicability_ranking(question: str, fused: list[float]) -> list[int]:
    from knowledge.rerank import prefer_applicability

    index = _water_law([*LAW, BORDER_CASE])
    out = prefer_applicability(index, question, np.array(fused))
    return [int(i) for i in np.argsort(-out)]


@pytest.mark.parametrize(
    "question",
    ["地下水污染归水法管吗", "地下水是按水法管还是按固废法管", "地下水适用水污染防治法吗"],
)
def test_whether_a_law_governs_a_thing_is_answered_by_the_article_saying_what_it_applies_to(
    question,
):
    duty_first = [0.1, 0.2, 3.0, 2.0, 0.3, 0.5]
    assert (
        _applicability_ranking(question, duty_first)[0] == 5
    )  # the border case ranks above 第二条
    assert _applicability_ranking(question, [0.1, 0.6, 3.0, 2.0, 0.3, 0.5])[0] == 1


def test_a_question_that_does_not_ask_whether_a_law_applies_moves_nothing():
    duty_first = [0.1, 0.2, 3.0, 2.0, 0.3, 0.5]
    assert _applicability_ranking("超标排放按水法怎么罚", duty_first)[0] == 2
    assert _applicability_ranking("地下水污染归哪个部门管", duty_first)[0] == 2


def test_a_question_naming_a_place_prefers_that_place_s_own_text():
    index = _index(
        {
            "中华人民共和国大气污染防治法": ["非道路移动机械应当达标排放"],
            "浙江省大气污染防治条例": ["非道路移动机械应当进行编码登记"],
        }
    )
    fused = np.array([1.0, 0.6])
    lifted = prefer_local_document(index, "在浙江，挖掘机要不要登记", fused, 1.0)
    assert int(np.argmax(lifted)) == 1
    # no place named, or another place: nothing moves
    assert np.allclose(prefer_local_document(index, "挖掘机要不要登记", fused, 1.0), fused)
    assert np.allclose(prefer_local_document(index, "在江苏，挖掘机要不要登记", fused, 1.0), fused)


PLANNING = [
    "第十二条　环境影响报告书由规划编制机关编制或者组织规划环境影响评价技术机构编制。",
    "第五条　规划环境影响评价所需的费用应当按照预算管理的规定纳入财政预算。",
    "第九条　规划环境影响评价技术导则由国务院环境保护主管部门制定。",
]


def test_who_pays_lifts_the_article_saying_where_the_money_comes_from():
    # 钱 is not the 费用…纳入财政预算 the rule writes, and 谁 is answered by 第十二条 too
    index = _index({"规划环境影响评价条例": PLANNING})
    for passage in index.passages:
        passage.article = passage.text.split("　")[0]
    fused = np.array([3.0, 1.0, 2.0])
    lifted = prefer_payer_stated(index, detect("规划环评的钱谁出？"), fused)
    assert int(np.argmax(lifted)) == 1
    assert prefer_payer_stated(index, detect("规划环评报告书谁来编？"), fused) is fused


def test_a_document_asked_whether_it_governs_a_thing_is_answered_by_what_it_applies_to():
    duty_first = [0.1, 0.2, 3.0, 2.0, 0.3, 0.5]
    assert _applicability_ranking("那股怪味儿不算污水吧，这个法管不管这个？", duty_first)[0] == 5
    # an authority asked is not the document: nothing moves
    assert _applicability_ranking("怪味儿环保局管不管", duty_first)[0] == 2


@pytest.mark.parametrize(
    ("article", "grants"),
    [
        ("第二十二条　农民发现影响工程运行的情形的，有权向水行政主管部门报告。", True),
        ("第九条　任何单位和个人有权将违反规定的行为通过市民热线或者直接向相关部门投诉。", True),
        ("第十条　任何单位和个人都有权对污染环境的行为进行举报。", True),
        # an authority's power, not a right to report
        ("第十一条　主管部门有权对排污单位进行现场检查，被检查者应当如实反映情况。", False),
        ("第十二条　主管部门有权要求经营单位定期向其报告经营情况。", False),
    ],
)
def test_a_right_to_report_to_an_authority_answers_where_to_report(article, grants):
    from knowledge.intent import detect
    from knowledge.rerank import grants_the_report_asked

    passage = _water_law([article]).passages[0]
    assert grants_the_report_asked(detect("泵站坏了没人修，能找谁反映去？"), passage) is grants


@pytest.mark.parametrize(
    ("title", "law"),
    [
        ("中华人民共和国大气污染防治法", True),
        ("中华人民共和国水法", True),
        ("大气污染防治法", True),
        ("中华人民共和国城市房地产管理法", True),
        ("排污许可管理办法", False),  # a rule, though its title ends in 法
        ("北京市实施《中华人民共和国水法》办法", False),
        ("临沂市大气污染防治条例", False),
        ("中华人民共和国水土保持法实施条例", False),
    ],
)
def test_a_law_is_told_from_the_texts_that_apply_it_by_its_title(title, law):
    assert is_law(title) is law


def _law_and_local_rule():
    index = _index(
        {
            "中华人民共和国大气污染防治法": ["城市人民政府可以划定并公布高污染燃料禁燃区"],
            "临沂市大气污染防治条例": ["高污染燃料禁燃区由市人民政府划定并公布"],
            "行动方案": ["（一）开展排污许可提质增效"],
        }
    )
    for passage, article in zip(index.passages, ("第三十八条", "第二十八条", None), strict=True):
        passage.article = article
    return index


def test_an_article_of_a_text_applying_the_law_answers_before_the_law_when_close_to_it():
    index = _law_and_local_rule()
    order = np.array([0, 1, 2])
    fused = np.array([6.0, 4.5, 5.5])
    lifted = prefer_the_specific_text(index, order, fused, 2.0)
    assert int(np.argmax(lifted)) == 1  # the city's article, with the details, first
    assert lifted[2] == fused[2]  # a measure of the plan is no article of either: it stays put
    # further below than the margin, or with the law not first, the order stays
    far_below = prefer_the_specific_text(index, order, np.array([6.0, 3.0, 5.5]), 2.0)
    assert list(np.argsort(-far_below)) == [0, 2, 1]
    law_second = np.array([4.0, 5.0, 3.0])
    assert np.allclose(prefer_the_specific_text(index, order, law_second, 2.0), law_second)


def _openings(heading: str):
    kinds = "本办法所称重点排污单位，包括三类单位"
    index = _index({"某市重点排污单位名录管理办法": [heading, kinds]})
    for passage, article in zip(index.passages, (None, "第二条"), strict=True):
        passage.article, passage.measure = article, None
    index.legal_titles = None
    return index


def test_an_opening_that_is_only_the_title_is_lowered_even_when_who_is_asked():
    # "哪个机关通过的" asks who in the intents' sense; a heading that is the title tells no one
    question = "这个名录管理办法是哪个机关通过的"
    who = detect(question)
    fused = np.array([3.0, 2.5])
    bare = lower_the_opening(_openings("某市重点排污单位名录管理办法"), question, who, fused, 1.0)
    assert int(np.argmax(bare)) == 1
    # an opening that says who adopted it and when answers a who question: it stays
    adopted = "（2020年3月1日某市人民代表大会常务委员会通过）"
    assert np.allclose(lower_the_opening(_openings(adopted), question, who, fused, 1.0), fused)


@pytest.mark.parametrize(
    "question",
    [
        # a date, a place or who asked of anything but the text's making
        "重点排污单位名录包括哪些单位",
        "某市的汛期一般是每年几月到几月？",
        "手机落在某市地铁上了，去哪儿找？",
        "某市高考一般几号出分？",
    ],
)
def test_an_opening_is_lowered_unless_the_text_s_making_is_asked(question):
    # the opening names the place in every amendment line, so it matched any question naming it
    adopted = (
        "（2020年3月1日某市人民代表大会常务委员会通过，2022年5月1日某市人民代表大会常务委员会修正）"
    )
    fused = np.array([3.0, 2.5])
    lowered = lower_the_opening(_openings(adopted), question, detect(question), fused, 1.0)
    assert int(np.argmax(lowered)) == 1
