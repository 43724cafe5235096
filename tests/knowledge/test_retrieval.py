"""Refusal floors of ``knowledge.retrieval`` that stand above the fitted model."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from knowledge import retrieval, service
from knowledge.embedder import HASHING, USE_MULTILINGUAL
from knowledge.index import Passage
from knowledge.normalize import fold
from knowledge.ranking import load_policy_model
from knowledge.retrieval import (
    DEFAULT_PARAMS,
    DENSE_FLOOR,
    FEW_DOCUMENTS,
    _asks_for_what_the_passage_names,
    _shares_almost_nothing,
    _sure_despite_an_unwritten_acronym,
    _sure_despite_few_words,
)
from tests.support.shared import CORPUS_DIR, require_shared


def _index(embedder_name: str | None):
    return SimpleNamespace(embedder=SimpleNamespace(name=embedder_name) if embedder_name else None)


def _ingest_text(session, tmp_path, filename: str, text: str):
    """A document written to ``filename`` and ingested as a bureau's upload of it."""
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    return service.ingest_path(session, path)


def _ask_about(session, tmp_path, filename: str, text: str, question: str):
    """The answer to ``question`` once ``text`` is ingested as ``filename``."""
    _ingest_text(session, tmp_path, filename, text)
    return service.preview_answer(session, question=question)


FAR_AND_THIN = {"coverage3": 0.12, "lexical": 0.06, "dense_max": 0.2}


def test_a_question_far_in_meaning_and_thinly_covered_shares_almost_nothing():
    assert _shares_almost_nothing(_index(USE_MULTILINGUAL), FAR_AND_THIN)


@pytest.mark.parametrize(
    "change",
    [
        {"dense_max": DENSE_FLOOR[USE_MULTILINGUAL] + 0.05},  # near in meaning
        {"coverage3": 0.4},  # its words are covered
    ],
)
def test_either_closeness_keeps_the_question_to_the_model(change):
    assert not _shares_almost_nothing(_index(USE_MULTILINGUAL), {**FAR_AND_THIN, **change})


@pytest.mark.parametrize("embedder_name", [HASHING, "st:bge-small-zh-v1.5", None])
def test_the_cosine_floor_applies_only_to_the_embedder_it_was_measured_on(embedder_name):
    # another model's cosines sit on another scale; without vectors there is no cosine at all
    assert not _shares_almost_nothing(_index(embedder_name), FAR_AND_THIN)


def _titles(count: int):
    return SimpleNamespace(short_titles={f"规定{i}": f"规定{i}" for i in range(count)})


def test_a_sure_model_outweighs_few_shared_words_in_a_knowledge_base_of_a_few_documents():
    # 乱贴牛皮癣小广告 beside an article on 张贴: few words shared, the model all but sure
    assert _sure_despite_few_words(_titles(4), 0.98, FAR_AND_THIN)
    # 又干又刮大风，听说连家里烧火做饭都要管 beside 森林防火条例 (高火险天气…禁止野外用火): 0.93
    assert _sure_despite_few_words(_titles(2), 0.93, FAR_AND_THIN)
    # 工伤咋认定 beside a rule on groundwater: 0.82
    assert not _sure_despite_few_words(_titles(2), 0.82, FAR_AND_THIN)


def test_an_acronym_the_rules_write_out_does_not_refuse_a_question_the_model_is_sure_of():
    # NDT公司给核电设备出假检测报告，会罚多少 beside a rule writing 无损检验
    assert _sure_despite_an_unwritten_acronym(_titles(2), 0.99, ["NDT"])
    assert not _sure_despite_an_unwritten_acronym(_titles(2), 0.45, ["HCFC"])
    # a place or a licence no document names still refuses (杭州的禁燃区包括哪几个区)
    assert not _sure_despite_an_unwritten_acronym(_titles(2), 0.99, ["杭州"])
    assert not _sure_despite_an_unwritten_acronym(_titles(2), 0.99, ["NDT", "杭州"])
    # among many documents the model's sureness means less
    assert not _sure_despite_an_unwritten_acronym(_titles(FEW_DOCUMENTS + 1), 0.99, ["NDT"])


def test_a_question_sharing_no_word_at_all_is_refused_however_sure_the_model():
    # 明天北京会不会下雨 beside an article on heavy-pollution weather
    assert not _sure_despite_few_words(_titles(4), 0.99, {**FAR_AND_THIN, "coverage3": 0.0})


def test_among_many_documents_few_shared_words_still_refuse_however_sure_the_model():
    # the best of a hundred chance matches of 手机充电发烫 draws the same confidence
    assert not _sure_despite_few_words(_titles(FEW_DOCUMENTS + 1), 0.99, FAR_AND_THIN)


@pytest.fixture
def embedder(use_embedder):
    """This module's index embeds with the bundled USE model: its floor is what is tested."""
    return use_embedder


@pytest.mark.slow
def test_the_floor_lies_between_everyday_questions_and_colloquial_ones_about_the_law(
    use_embedder,
):
    require_shared()
    law = (CORPUS_DIR / "固体废物污染环境防治法.md").read_text(encoding="utf-8")
    articles = [line for line in law.splitlines() if line.startswith("第")]
    passages = use_embedder.encode(articles)

    def nearest(question: str) -> float:
        return float((passages @ use_embedder.encode([question])[0]).max())

    floor = DENSE_FLOOR[USE_MULTILINGUAL]
    assert nearest("年假没修完能不能折算成工资") < floor
    assert nearest("房贷提前还款到底划不划算") < floor
    assert nearest("车间的边角料废料能不能直接扔进生活垃圾桶") > floor
    assert nearest("危废能不能交给没有危废经营许可证的公司处理") > floor


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("年假没修完能不能折算成工资", False),
        ("五一想去三亚玩，住哪个片区的酒店比较方便？", False),
        ("危废能不能交给没有危废经营许可证的公司处理", True),
    ],
)
def test_an_everyday_question_is_refused_beside_a_law_it_has_nothing_to_do_with(
    session, question, answered
):
    require_shared()
    service.ingest_path(session, CORPUS_DIR / "固体废物污染环境防治法.md")
    found = service.preview_answer(session, question=question)
    assert found.answered is answered


PERMIT_RULES = """# 排污许可管理办法（试行）

## 第一章　总则

第一条　为了规范排污许可管理，制定本办法。

第二条　排污单位应当依法申请取得排污许可证，并按照排污许可证的规定排放污染物。

## 第二章　申请与核发

第十四条　排污许可证有效期为五年。排污许可证有效期届满，排污单位需要继续排放污染物的，\
应当于有效期届满六十日前向审批部门提出申请。

第十五条　审批部门应当自受理申请之日起二十日内作出是否准予许可的决定。

第二十条　从事危险化学品生产的排污单位，还应当依照有关法律的规定取得安全生产许可证，\
并在申请排污许可证时如实说明。

第二十一条　排污许可技术机构应当自取得营业执照之日起三十日内向所在地审批部门备案。
"""


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # the period of the permit is no answer for the safety licence the rules only mention
        ("安全生产许可证有效期届满需要延期的，应当提前多长时间提出申请？", False),
        ("安全生产许可证从申请到拿证要多少个工作日", False),
        ("排污许可证有效期届满需要延续的，应当提前多长时间提出申请？", True),
        # the rules do say that the safety licence is needed
        ("危险化学品生产单位申请排污许可证时还要取得安全生产许可证吗", True),
        # 排污许可技术机构 belongs to the permit's own system, though it does not say 许可证
        ("帮企业代办排污许可证的技术机构，开业后几天内要去备案？", True),
    ],
)
def test_a_period_of_one_licence_is_no_answer_about_another(session, tmp_path, question, answered):
    _ingest_text(session, tmp_path, "排污许可管理办法.md", PERMIT_RULES)
    found = service.preview_answer(session, question=question)
    assert found.answered is answered


def _shaped_first_order(texts: list[str], scores: list[float], question: str) -> list[int]:
    import numpy as np

    from knowledge.intent import detect
    from knowledge.retrieval import DEFAULT_PARAMS, _shaped_first

    index = SimpleNamespace(passages=[SimpleNamespace(text=t, deadline=None) for t in texts])
    q = SimpleNamespace(intents=detect(question))
    fused = np.array(scores)
    order = np.argsort(-fused, kind="stable")
    return [int(i) for i in _shaped_first(index, q, order, fused, DEFAULT_PARAMS)]


FINE_ASKED = "没商量保护方案就开挖，罚多少钱"
DUTY = "第四十三条　施工前，建设单位应当与设施维护运营单位共同制定设施保护方案。"
PENALTY = "第五十七条　未共同制定设施保护方案的，责令改正，处2万元以上5万元以下罚款。"


def test_the_passage_giving_the_amount_asked_answers_before_a_duty_just_above_it():
    assert _shaped_first_order([DUTY, PENALTY], [4.8, 4.6], FINE_ASKED)[0] == 1


def test_a_passage_far_below_or_a_question_asking_no_value_keeps_the_order():
    assert _shaped_first_order([DUTY, PENALTY], [4.8, 3.0], FINE_ASKED)[0] == 0
    assert _shaped_first_order([DUTY, PENALTY], [4.8, 4.6], "施工前要制定保护方案吗")[0] == 0


SOIL_RULES = """# 土壤污染防治条例（示例）

## 第一章　总则

第二条　从事土壤污染防治及相关活动，适用本条例。本条例所称土壤污染，是指因人为因素导致某种\\
物质进入陆地表层土壤，引起土壤化学、物理、生物等方面特性的改变，影响土壤功能和有效利用的现象。

第三条　土壤污染防治应当坚持预防为主、保护优先、分类管理、风险管控、污染担责的原则。

第七条　地方人民政府生态环境主管部门对本行政区域土壤污染防治工作实施统一监督管理。

第十九条　生产、使用、贮存、运输、回收、处置、排放有毒有害物质的单位和个人，应当采取有效措施，\\
防止有毒有害物质渗漏、流失、扬散，避免土壤受到污染。
"""


@pytest.mark.parametrize("question", ["土壤污染具体指什么？", "土壤污染是什么意思"])
def test_a_short_question_for_a_meaning_is_answered_by_the_article_defining_it(
    session, tmp_path, question
):
    _ingest_text(session, tmp_path, "土壤污染防治条例.md", SOIL_RULES)
    found = service.preview_answer(session, question=question)
    assert found.answered
    assert found.sources[0].article == "第二条"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "document", "article"),
    [
        # the solid-waste law's definitions share 危险废物 and 焚烧; the air law is the one named
        ("大气法对危险废物焚烧有要求吗", "大气污染防治法", "第七十九条"),
        ("固废法里排污许可咋规定的", "固体废物污染环境防治法", "第三十九条"),
    ],
)
def test_a_question_naming_a_law_is_answered_from_that_law(session, question, document, article):
    require_shared()
    for name in ("大气污染防治法", "固体废物污染环境防治法", "水污染防治法"):
        service.ingest_path(session, CORPUS_DIR / f"{name}.md")
    # which law answers is the ranking's to say; whether a question this short is answered, the
    # refusal model's (大气法对危险废物焚烧有要求吗: 0.56, under its threshold since session 25)
    # (since session 26 the air law's 第八十二条 on burning that gives off toxic fumes comes
    # before its 第七十九条 on waste incinerators for the first question: the law is the one named)
    hits = service.explain(session, question=question)["hits"]
    assert document in hits[0].title
    assert any(hit.text.startswith(article) for hit in hits[:2])


@pytest.mark.slow
def test_naming_a_law_lifts_its_articles_without_making_the_refusal_model_surer(session):
    # the model was fitted with a lift of DOCUMENT_AS_FITTED: what ranking adds beyond it is left
    # out of its features, so naming a law makes none of its articles a likelier answer
    from knowledge.retrieval import DOCUMENT_AS_FITTED, Params, retrieve

    require_shared()
    for name in ("大气污染防治法", "固体废物污染环境防治法"):
        service.ingest_path(session, CORPUS_DIR / f"{name}.md")
    index = service.current_index(session)
    question = "固废法里排污许可咋规定的"
    strong = retrieve(index, question)
    as_fitted = retrieve(index, question, params=Params(w_document=DOCUMENT_AS_FITTED))
    assert strong.hits[0].passage.article == as_fitted.hits[0].passage.article == "第三十九条"
    for feature in ("fused", "margin", "coverage", "dense"):
        assert strong.features[feature] == pytest.approx(as_fitted.features[feature], abs=1e-5)
    assert strong.confidence == pytest.approx(as_fitted.confidence, abs=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "环评文件的电子版要用什么格式提交？",
        "浙江省环评审批权限是怎么划分的？",
        "建设项目环评的技术导则有哪些，名单在哪查？",
    ],
)
def test_a_near_miss_on_a_law_s_topic_stays_refused_with_more_laws_beside_it(
    session, plan, question
):
    # Among all passages the EIA law's best article stands out further the more unrelated laws
    # are loaded (until session 39: 0.04–0.33 with the plan and the EIA law, 0.997–0.999 with
    # three laws beside it); among its own law's articles it stands out as much whatever else is
    # loaded.
    from knowledge.retrieval import retrieve

    require_shared()
    service.ingest_path(session, CORPUS_DIR / "环境影响评价法.md")
    alone = retrieve(service.current_index(session), question)
    for name in ("大气污染防治法", "水污染防治法", "固体废物污染环境防治法"):
        service.ingest_path(session, CORPUS_DIR / f"{name}.md")
    beside = retrieve(service.current_index(session), question)
    # among all passages: dense 1.4–1.8 → 2.8–3.3 standard deviations, fused 2.5–3.4 → 4.5–5.4
    assert beside.features["dense_z"] > alone.features["dense_z"] + 1.0
    assert beside.features["fused"] > alone.features["fused"] + 1.5
    # among its law's: the dense similarity's standing is the same, the fused score's (BM25 weighs
    # words by all passages) within 0.4
    assert beside.features["dense_z_doc"] == pytest.approx(alone.features["dense_z_doc"])
    assert beside.features["fused_doc"] == pytest.approx(alone.features["fused_doc"], abs=0.4)
    assert not alone.answered
    assert not beside.answered


def test_neighbouring_question_words_standing_together_count_only_when_close():
    from knowledge.retrieval import proximity

    units = [("水源", 3.6), ("保护区", 4.5), ("设", 2.2), ("排污口", 9.9)]
    together = "第六十四条 在饮用水水源保护区内 禁止设置排污口"
    apart = "第七十五条 在风景名胜区水体的保护区内 不得新建排污口 水源"
    assert proximity(units, together) == pytest.approx(1.0)
    assert proximity(units, apart) == 0.0
    assert proximity(units[:1], together) == 0.0  # one word has no neighbour


@pytest.mark.slow
def test_the_article_saying_the_question_s_words_together_answers_first(session):
    # 第七十五条 repeats 保护区 and 排污口 (of other protected waters); 第六十四条 says
    # 水源保护区 … 设置排污口 in one breath
    require_shared()
    service.ingest_path(session, CORPUS_DIR / "水污染防治法.md")
    found = service.preview_answer(session, question="水源保护区能设排污口吗")
    assert found.answered
    assert found.sources[0].article == "第六十四条"


MEDICAL_WASTE_RULES = """# 医疗废物管理条例

## 第一章　总则

第一条　为了加强医疗废物的安全管理，防止疾病传播，保护环境，制定本条例。

第二条　本条例所称医疗废物，是指医疗卫生机构在医疗、预防、保健活动中产生的具有感染性、\
毒性以及其他危害性的废物。

第六条　任何单位和个人有权对医疗卫生机构、医疗废物集中处置单位违反本条例规定的行为进行举报、\
投诉、检举和控告。

## 第二章　医疗废物管理的一般规定

第十四条　禁止任何单位和个人转让、买卖医疗废物。

第十七条　医疗卫生机构应当建立医疗废物的暂时贮存设施、设备，不得露天存放医疗废物。
"""


def test_the_article_granting_the_right_to_report_answers_however_little_it_shares(
    session, tmp_path
):
    # the question tells the pollution (针头, 河边), the article only grants the right: it shares
    # almost nothing with the question and still answers it
    _ingest_text(session, tmp_path, "医疗废物管理条例.md", MEDICAL_WASTE_RULES)
    found = service.preview_answer(
        session, question="俺是附近居民，看见镇上诊所把针头往河边倒，俺一个老百姓有权去告它吗？"
    )
    assert found.answered
    assert found.sources[0].article == "第六条"


ENVIRONMENT_LAW = """# 中华人民共和国环境保护法

## 第一章　总则

第一条　为保护和改善环境，防治污染和其他公害，保障公众健康，推进生态文明建设，制定本法。

第六条　一切单位和个人都有保护环境的义务。

第十二条　每年6月5日为环境日。

第四十二条　排放污染物的企业事业单位和其他生产经营者，应当采取措施，防治在生产建设或者\
其他活动中产生的废气、废水、废渣、医疗废物、粉尘、恶臭气体、放射性物质以及噪声、振动、\
光辐射、电磁辐射等对环境的污染和危害。
"""


def test_a_short_question_is_answered_by_the_article_holding_its_words_and_the_date_asked(
    session, tmp_path
):
    # two words and a question word: the model doubts a question this short, but the article
    # holds every word of it and the date asked for
    _ingest_text(session, tmp_path, "环境保护法.md", ENVIRONMENT_LAW)
    found = service.preview_answer(session, question="环境日是哪天")
    assert found.answered
    assert found.sources[0].article == "第十二条"


def _standing_out(question: str, margin: float, coverage: float, text: str) -> bool:
    from knowledge.intent import detect
    from knowledge.retrieval import _stands_out_with_what_is_asked

    q = SimpleNamespace(intents=detect(question))
    top = SimpleNamespace(coverage=coverage, passage=SimpleNamespace(text=text, deadline=None))
    return _stands_out_with_what_is_asked(q, {"margin": margin}, top)


CONFIRM = "第十八条　接受人应当在接受之日起五个工作日内通过信息系统确认接受。"


def test_a_passage_far_ahead_giving_the_days_asked_is_no_question_sharing_almost_nothing():
    # 到货, 接收 are worded 运抵, 接受: little is shared, but the passage leads by far and gives
    # the number of days asked for
    assert _standing_out("到货后几天内要在系统里确认接收？", 2.8, 0.21, CONFIRM)


@pytest.mark.parametrize(
    ("question", "margin", "coverage"),
    [
        ("到货后几天内要在系统里确认接收？", 0.5, 0.21),  # not far ahead
        ("清蒸鲈鱼要蒸几分钟", 2.8, 0.0),  # shares nothing
        ("到货后在系统里怎么确认接收？", 2.8, 0.21),  # no value asked
    ],
)
def test_without_a_clear_lead_shared_words_and_a_value_asked_the_floor_stays(
    question, margin, coverage
):
    assert not _standing_out(question, margin, coverage, CONFIRM)


LICENCE_RULES = """# 示范危险废物经营许可证管理办法

## 第一章　总则

第一条　为了加强对危险废物收集、贮存和处置经营活动的监督管理，根据《中华人民共和国固体废物\
污染环境防治法》，制定本办法。

第二条　从事危险废物收集、贮存、处置经营活动的单位，应当领取危险废物经营许可证。

第三条　危险废物经营单位应当建立危险废物经营情况记录簿，如实记载收集、贮存、处置危险废物\
的类别、来源、去向和有无事故等事项。

第四条　危险废物经营单位变更法人名称、法定代表人和住所的，应当自工商变更登记之日起15个\
工作日内，向原发证机关申请办理危险废物经营许可证变更手续。

## 第二章　法律责任

第五条　违反本办法第三条规定的，由县级以上地方人民政府环境保护主管部门责令限期改正，给予\
警告；逾期不改正的，由原发证机关暂扣或者吊销危险废物经营许可证。

第六条　违反本办法第四条规定的，由县级以上地方人民政府环境保护主管部门责令限期改正，给予\
警告；逾期不改正的，处1万元以上5万元以下的罚款。

第七条　本办法自2004年7月1日起施行。
"""


@pytest.fixture
def licence_rules(session, tmp_path):
    return _ingest_text(session, tmp_path, "示范危险废物经营许可证管理办法.md", LICENCE_RULES)


def test_the_penalty_naming_a_duty_by_number_answers_what_breaking_it_brings(
    session, licence_rules
):
    # the penalty article says only 违反本办法第三条规定的: the question's words are the duty's
    found = service.preview_answer(session, question="危废经营记录簿没建，环保局查到会怎么处理？")
    assert found.answered
    assert [s.article for s in found.sources[:2]] == ["第五条", "第三条"]


MONITORING_RULES = """# 示范自动监控设施监督检查办法

第七条　排污单位应当在自动监控设施验收后五个工作日内，将设施有关情况交监督检查机构登记备案。

第八条　自动监控设施确需拆除或者停运的，排污单位应当事先报告，经同意后方可实施。

第十七条　排污单位未按照本办法第七条的规定登记其自动监控设施有关情况，或者登记情况不属实的，\
由环境保护主管部门责令改正，处一万元以上五万元以下的罚款。
"""


def test_a_penalty_citing_a_duty_as_not_followed_answers_what_breaking_it_brings(session, tmp_path):
    # 未按照本办法第七条的规定 cites the duty as 违反本办法第七条规定 does
    _ingest_text(session, tmp_path, "示范自动监控设施监督检查办法.md", MONITORING_RULES)
    question = "自动监控设施验收后没去登记备案，会被怎么处罚？"
    found = service.preview_answer(session, question=question)
    assert found.answered
    assert [s.article for s in found.sources[:2]] == ["第十七条", "第七条"]


def test_the_amount_of_a_fine_is_looked_for_in_the_penalty_article_not_the_duty(session, tmp_path):
    # the duty (第七条) holds the question's words and no amount; the article citing it by
    # number holds the fine: the amount asked is there, and the question is answered
    _ingest_text(session, tmp_path, "示范自动监控设施监督检查办法.md", MONITORING_RULES)
    question = "自动监控设施验收后没去登记备案，被查到要罚多少钱？"
    found = service.preview_answer(session, question=question)
    assert found.answered
    assert [s.article for s in found.sources[:2]] == ["第十七条", "第七条"]


DUST_RULES = """# 示范市城市扬尘污染防治条例

第一条　为了防治扬尘污染，保护和改善大气环境，根据有关法律、法规，结合本市实际，制定本条例。

第七条　负有扬尘污染防治监督管理职责的部门应当依法对扬尘污染防治工作实施监督管理和现场检查。

被检查的单位或者个人应当配合检查，如实反映情况、提供必要的资料，不得拒绝或者阻挠执法人员的监督检查。

第八条　建设单位应当将防治扬尘污染的费用列入工程造价，\
并在施工承包合同中明确施工单位扬尘污染防治责任。

第十七条　重污染天气预警发布后，企事业单位和其他生产经营者应当根据所在地人民政府发布的大气污染预警\
等级和应急预案，执行相应的扬尘管理和控制应急措施。

第十八条　违反本条例第七条第二款规定的，由生态环境主管部门\
或者其他负有扬尘污染防治监督管理职责的部门责令改正，处二万元以上二十万元以下的罚款；构成违反治安管理行为的，由公安机关依法予以处罚。

第十九条　违反本条例第八条的规定，建设单位未将扬尘污染防治费用列入工程造价的，由住房城乡建设部门\
责令限期改正；拒不改正的，责令停工整治。

第二十四条　违反本条例第十七条的规定，施工单位拒不执行停止工地土石方作业或者建（构）筑物拆除施工等\
重污染天气应急措施的，由住房城乡建设、城市管理部门处一万元以上十万元以下罚款。
"""


@pytest.mark.slow
def test_the_penalty_follows_a_duty_the_ranking_model_put_first(session, tmp_path):
    # judged on a penalty article of another duty (第二十四条), the ranking model put the duty
    # asked about first (第七条 配合检查, no amount); the article punishing it by number answers
    question = "执法的人来检查，我们工地保安把人挡在门外不让进，这种情况要罚多少？"
    found = _ask_about(session, tmp_path, "示范市城市扬尘污染防治条例.md", DUST_RULES, question)
    assert found.answered
    assert [s.article for s in found.sources[:2]] == ["第十八条", "第七条"]


SITE_RULES = """# 示范市城市扬尘污染防治条例

第八条　建设单位应当将防治扬尘污染的费用列入工程造价，并在施工承包合同中明确施工单位扬尘污染\
防治责任。

第九条　施工单位施工应当制定扬尘污染防治实施方案，并遵守下列规定：

（一）施工工地设置硬质围挡或者围墙，并采取洒水等抑尘措施；

（二）施工现场出口处设置车辆冲洗设施，施工车辆不得带泥上路行驶。

第十二条　城市道路、广场等公共场所的清扫保洁，应当采取洒水、机扫等方式。

第十七条　重污染天气预警发布后，企事业单位和其他生产经营者应当执行相应的扬尘管理和控制应急措施。

第二十条　违反本条例第八条、第九条规定的，由住房城乡建设、城市管理部门责令改正，\
处二万元以上十万元以下罚款；拒不改正的，责令停工整治。

第二十一条　违反本条例第十二条规定的，由住房城乡建设部门责令限期改正，处一万元以上五万元以下罚款。

第二十四条　违反本条例第十七条的规定，施工单位拒不执行停止工地土石方作业或者建（构）筑物拆除施工\
等重污染天气应急措施的，由住房城乡建设、城市管理部门处一万元以上十万元以下罚款。
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "article"),
    [
        # 工地 draws the penalty of another duty (第二十四条 拒不执行…工地土石方作业); the duty
        # asked about (围挡, 第九条) is punished by 第二十条, which names it only by number
        ("工地没设围挡被住建查到了，一般罚多少钱？", "第二十条"),
        # … and the penalty first stays first when its own duty is asked about
        ("重污染天气预警发了，工地还不停工，要罚多少钱？", "第二十四条"),
    ],
)
def test_the_penalty_whose_duties_hold_the_question_answers_its_amount(
    session, tmp_path, question, article
):
    found = _ask_about(session, tmp_path, "示范市城市扬尘污染防治条例.md", SITE_RULES, question)
    assert found.answered
    assert found.sources[0].article == article


def test_a_question_about_the_duty_itself_keeps_the_duty_first(session, licence_rules):
    # 许可证该怎么处理 asks what to do, not what a breach brings
    found = service.preview_answer(session, question="经营情况记录簿上都要记哪些内容？")
    assert found.sources[0].article == "第三条"
    found = service.preview_answer(
        session, question="换了法定代表人，危废经营证该怎么处理、多少天内去办？"
    )
    assert found.sources[0].article == "第四条"


def test_pointing_at_a_document_as_this_set_names_nothing_it_must_hold():
    # 这套 and 当初 point and date: words the purpose article would otherwise have to hold
    from knowledge.normalize import prepare
    from knowledge.retrieval import query_units

    units = dict(query_units(prepare("这套管理办法的上位法是哪部？当初为啥要出台？")))
    assert "套" not in units and "当初" not in units
    assert {"管理", "办法", "上位法", "出台"} <= set(units)
    assert "部" not in dict(query_units(prepare("这部条例对技术规范有啥要求")))


TAX_LAW = """# 示范环境保护税法

## 第一章　总则

第一条　为了保护和改善环境，减少污染物排放，推进生态文明建设，制定本法。

第二条　直接向环境排放应税污染物的企业事业单位和其他生产经营者为环境保护税的纳税人，应当\
依照本法规定缴纳环境保护税。

第三条　农业生产（不包括规模化养殖）排放应税污染物的，暂予免征环境保护税。

## 第二章　征收管理

第四条　环境保护税由税务机关依照《中华人民共和国税收征收管理法》和本法的有关规定征收管理。

第五条　纳税义务发生时间为纳税人排放应税污染物的当日。
"""


@pytest.fixture
def tax_law(session, tmp_path):
    return _ingest_text(session, tmp_path, "示范环境保护税法.md", TAX_LAW)


def test_why_a_tax_was_levied_is_answered_by_its_first_article(session, tax_law):
    # 环保税 is what everyone calls 环境保护税; 图的是啥 asks its purpose, 开征 is levying it
    found = service.preview_answer(session, question="开征环保税图的是啥？")
    assert found.answered
    assert found.sources[0].article == "第一条"


def test_the_tax_office_is_the_law_s_tax_authority(session, tax_law):
    found = service.preview_answer(session, question="环保税是环保局收还是税务局收？")
    assert found.answered
    assert found.sources[0].article == "第四条"


def test_a_purpose_asked_with_the_law_it_rests_on_is_the_first_article(session, tax_law):
    found = service.preview_answer(
        session, question="《示范环境保护税法》的立法目的是什么？依据的上位法是哪一部？"
    )
    assert found.sources[0].article == "第一条"


HAZARDOUS_WASTE_RULES = """# 示范危险废物污染环境防治条例

## 第二章　一般规定

第二十条　危险废物运输单位应当在运输危险废物的车辆上安装卫星定位装置并确保其正常运行。

第三十三条　企业事业单位对其产生的废弃荧光灯管，应当单独收集、贮存，定期交有危险废物经营\
许可证的单位回收利用、处置。

## 第四章　法律责任

第三十九条　违反本条例第二十条规定，运输危险废物的车辆上安装的卫星定位装置未正常运行的，由\
交通主管部门按照国家有关危险货物运输管理的规定处罚。
"""


def test_everyday_names_of_devices_reach_the_rules_wording(session, tmp_path):
    # GPS is the haulier's 卫星定位装置, a 日光灯管 the rules' 荧光灯管 (national synonyms)
    _ingest_text(session, tmp_path, "示范危险废物污染环境防治条例.md", HAZARDOUS_WASTE_RULES)
    question = "危废运输车的GPS坏了一直没修，被查到了谁来罚？"
    found = service.preview_answer(session, question=question)
    assert found.answered
    assert found.sources[0].article == "第三十九条"
    found = service.preview_answer(session, question="單位裏換下來的舊日光燈管應該怎麼處理？")
    assert found.answered
    assert found.sources[0].article == "第三十三条"


PENALTY_PROCEDURE = """# 示范生态环境行政处罚办法

第七条　对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚。

第四十二条　违法行为轻微并及时改正，没有造成生态环境危害后果的，不予行政处罚。初次违法且生态环境\
危害后果轻微并及时改正的，可以不予行政处罚。

第四十三条　当事人有下列情形之一的，应当从轻或者减轻行政处罚：（一）主动消除或者减轻生态环境违法\
行为危害后果的；（二）受他人胁迫或者诱骗实施生态环境违法行为的。
"""


def test_the_shorthand_of_a_first_breach_unpunished_reaches_the_rule(session, tmp_path):
    # 首违不罚 is what everyone calls 初次违法…可以不予行政处罚 (a national synonym)
    _ingest_text(session, tmp_path, "示范生态环境行政处罚办法.md", PENALTY_PROCEDURE)
    found = service.preview_answer(session, question="首违不罚在环保领域适用吗？需要满足哪些条件？")
    assert found.answered
    assert found.sources[0].article == "第四十二条"


CARBON_TRADING = """# 示范碳排放权交易管理办法

第一条　为规范全国碳排放权交易，制定本办法。

第二条　重点排放单位每年可以使用国家核证自愿减排量抵销碳排放配额的清缴，抵销比例不得超过应清缴碳\
排放配额的5%。

第三条　重点排放单位对分配的碳排放配额存在异议的，可以自接到通知之日起七个工作日内，向分配配额的\
省级生态环境主管部门申请复核。

第四条　省级生态环境主管部门应当确定本行政区域重点排放单位名录，并向社会公开。

第五条　重点排放单位应当在注册登记系统开立账户，进行相关业务操作。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("CCER抵销清缴最多能抵多少", "第二条"),  # certified voluntary reductions
        ("省里发下来的CEA我们觉得少了，几个工作日内能申请复核？", "第三条"),  # the allowances
    ],
)
def test_the_acronyms_of_the_carbon_market_reach_the_rule(session, tmp_path, question, article):
    _ingest_text(session, tmp_path, "示范碳排放权交易管理办法.md", CARBON_TRADING)
    found = service.preview_answer(session, question=question)
    assert found.answered
    assert found.sources[0].article == article


VOLUNTARY_REDUCTION = """# 示范温室气体自愿减排交易管理办法

第一条　为了规范全国温室气体自愿减排交易及相关活动，制定本办法。

第十二条　项目业主申请温室气体自愿减排项目登记前，应当通过注册登记系统公示项目设计文件。项目业主\
公示项目设计文件时，应当同步公示其所委托的审定与核查机构的名称。项目设计文件公示期为二十个工作日。

第二十二条　经登记的项目减排量称为“核证自愿减排量”，单位以“吨二氧化碳当量（tCO2e）”计。

第二十八条　核证自愿减排量按照国家有关规定用于抵销全国碳排放权交易市场碳排放配额清缴、大型活动\
碳中和等用途的，应当在注册登记系统中予以注销。

第三十七条　审定与核查机构不得为其所审定或者核查的项目编制项目设计文件或者减排量核算报告。

第四十八条　本办法中下列用语的含义：

温室气体，是指大气中吸收和重新放出红外辐射的自然和人为的气态成分。

额外性，是指作为温室气体自愿减排项目实施时，与其他替代方案相比不是最佳选择，但是作为自愿减排项目\
实施有助于克服障碍，并且具有额外的减排效果。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # the 2023 rule writes 核证自愿减排量 alone, not the 国家核证自愿减排量 of the 2021 one
        ("CCER按啥单位算", "第二十二条"),
        ("PDD要挂出来公示多久？", "第十二条"),  # the project design document
        # the validation and verification body
        ("VVB能不能顺手帮业主把PDD和减排量核算报告也写了？", "第三十七条"),
    ],
)
def test_the_acronyms_of_voluntary_reductions_reach_the_rule(session, tmp_path, question, article):
    rule = "示范温室气体自愿减排交易管理办法.md"
    found = _ask_about(session, tmp_path, rule, VOLUNTARY_REDUCTION, question)
    assert found.answered
    assert found.sources[0].article == article


def test_the_unit_a_quantity_is_counted_in_is_quoted_from_where_it_is_given(session, tmp_path):
    rule = "示范温室气体自愿减排交易管理办法.md"
    found = _ask_about(session, tmp_path, rule, VOLUNTARY_REDUCTION, "CCER按啥单位算")
    assert found.answered and found.sources[0].article == "第二十二条"
    assert "吨二氧化碳当量" in found.answer


def test_a_term_asked_amid_chatter_is_answered_by_its_definition(session, tmp_path):
    # 老听人说, 听着好玄乎: words no passage holds are the asker's; the term asked is 额外性
    found = _ask_about(
        session,
        tmp_path,
        "示范温室气体自愿减排交易管理办法.md",
        VOLUNTARY_REDUCTION,
        "老听人说项目要有额外性，这到底啥意思，听着好玄乎",
    )
    assert found.answered and found.sources[0].article == "第四十八条"
    assert "额外性，是指" in found.answer


PCB_EQUIPMENT = """# 示范防止含多氯联苯电力装置及其废物污染环境的规定

第一条　为加强含多氯联苯电力装置及其废物的管理，防止多氯联苯污染环境，特制定本规定。

第二条　本规定所称的含多氯联苯电力装置及其废物是指以多氯联苯为介质的电力电容器、变压器及其他有关\
装置和由此产生的含多氯联苯的废物。

第六条　拥有含多氯联苯电力装置的营运单位和个人必须在规定的时间内向当地人民政府环境保护部门进行申报\
登记。

第八条　严禁任何单位和个人出售、收购、拆解含多氯联苯电力装置。

第十七条　严禁我国管辖区外的含多氯联苯废电力装置、废液及受多氯联苯污染的物质入境。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # PCB next to the capacitor or the waste it is in is 多氯联苯 (alone it is also a circuit
        # board, a subject the rule does not cover)
        ("我们厂还有含PCB的电容器在用，需要去做申报登记吗？", "第六条"),
        ("国外的PCB废变压器能运进来吗", "第十七条"),
    ],
)
def test_pcb_named_with_its_equipment_reaches_the_rule(session, tmp_path, question, article):
    found = _ask_about(session, tmp_path, "示范多氯联苯规定.md", PCB_EQUIPMENT, question)
    assert found.answered
    assert found.sources[0].article == article


def test_a_list_of_definitions_answers_only_what_a_term_means(session, tmp_path):
    # 第二条 names every word of the question; what may be done with the capacitor is 第八条
    _ingest_text(session, tmp_path, "示范多氯联苯规定.md", PCB_EQUIPMENT)
    ranked = service.explain(session, question="换下来的多氯联苯电容器能拆了卖吗")["hits"]
    assert ranked[0].text.startswith("第八条")
    found = service.preview_answer(session, question="含多氯联苯电力装置是指什么")
    assert found.sources[0].article == "第二条"


def test_what_a_rule_is_for_is_its_first_article(session, tmp_path):
    question = "多氯联苯这个规定是干嘛用的"
    found = _ask_about(session, tmp_path, "示范多氯联苯规定.md", PCB_EQUIPMENT, question)
    assert found.answered and found.sources[0].article == "第一条"


def test_a_circuit_board_is_not_taken_for_the_chemical(session, tmp_path):
    question = "PCB线路板行业排污许可证怎么申请"
    found = _ask_about(session, tmp_path, "示范多氯联苯规定.md", PCB_EQUIPMENT, question)
    assert not found.answered
    assert "PCB" in found.answer


def test_everyday_words_for_a_list_and_a_grace_period_read_as_the_rules_write(session, tmp_path):
    # 名单 is what everyone calls the 名录 a rule draws up (a national synonym); the documents' own
    # 名单 read the same way, so 黑名单 still finds 黑名单
    _ingest_text(session, tmp_path, "示范碳排放权交易管理办法.md", CARBON_TRADING)
    index = service.current_index(session)
    assert "名录" in index.prepare("重点排放单位的名单谁来定")
    assert index.prepare("黑名单") == index.prepare("黑名录")
    # … and a standard's 缓冲期 is the 过渡期 the rules write
    assert index.prepare("新标准有缓冲期吗") == index.prepare("新标准有过渡期吗")


E_WASTE = """# 示范电子废物污染环境防治管理办法

第一条　为了防治电子废物污染环境，制定本办法。

第二条　贮存电子废物，应当采取防止有毒有害物质泄漏的措施。破碎的阴极射线管应当贮存在有盖的容器内。

第三条　拆解电子废物的单位应当建立经营情况记录簿。
"""


def test_a_picture_tube_called_by_its_initials_reaches_the_rule(session, tmp_path):
    _ingest_text(session, tmp_path, "示范电子废物污染环境防治管理办法.md", E_WASTE)
    found = service.preview_answer(session, question="拆下来碎掉的CRT怎么存放")
    assert found.answered
    assert found.sources[0].article == "第二条"


FILING_RULES = """# 示范建设项目环境影响登记表备案管理办法

第九条　建设单位应当在建设项目建成并投入生产运营前，登录网上备案系统，\
在线填报并提交建设项目环境影响登记表。

第十二条　建设单位在线提交环境影响登记表后，网上备案系统自动生成备案编号和回执，\
该建设项目环境影响登记表备案即为完成。

第十八条　建设单位未依法备案建设项目环境影响登记表的，由县级环境保护主管部门责令备案，\
处五万元以下的罚款。

第二十二条　本办法自2017年1月1日起施行。

附:建设项目环境影响登记表

| 项目名称 |  | 建设地点 |  |
| --- | --- | --- | --- |
| 建设单位 |  | 法定代表人或者主要负责人 |  |
| 项目投资(万元) |  | 环保投资(万元) |  |
| 备案依据 | 该项目属于应当填报环境影响登记表的建设项目 |  |  |
| 承诺：建设单位承诺所填写各项内容真实、准确、完整，建设项目投入生产运营前已备案。 |  |  |  |
| 备案回执 该项目环境影响登记表已经完成备案，备案号：XXXXXX。 |  |  |  |

填 表 说 明

1.填表人应当仔细阅读本办法，建设单位备案前应当核对登记表各项内容。
"""


@pytest.mark.parametrize(
    "question, article",
    [
        ("俺们项目压根没备案就投产了，要是被查到，要罚多少钱？", "第十八条"),
        ("网上提交登记表以后，啥时候才算备案办完了？", "第十二条"),
    ],
)
def test_an_appended_form_holding_every_word_of_the_rule_does_not_answer_first(
    session, tmp_path, question, article
):
    found = _ask_about(session, tmp_path, "示范登记表备案管理办法.md", FILING_RULES, question)
    assert found.answered
    assert found.sources[0].article == article


def test_an_appended_form_still_answers_what_is_to_be_filled_in(session, tmp_path):
    question = "登记表要填哪些内容？"
    found = _ask_about(session, tmp_path, "示范登记表备案管理办法.md", FILING_RULES, question)
    assert found.sources[0].section == "附：建设项目环境影响登记表"


STORE_RULES = """# 示范含多氯联苯废物管理规定

第十二条　暂存库和集中封存库的选址和设计必须符合《含多氯联苯废物的暂存库和集中封存库设计规范》\
(附件二)。

第十三条　集中封存和暂存场所必须建立管理制度，设置明显的毒害标志，定期对存放场所进行监测。

第十四条　环境保护部门应对集中封存场所周围的环境进行不定期监测。

附件二：

含多氯联苯废物的暂存库和集中封存库设计规范

一、暂存库和集中封存库的选址应当远离居民区，封存库周围应当设置围墙。

二、暂存库和集中封存库的地面应当作防渗处理，封存库内应当设置通风设施。

三、集中封存库应当设置监测井，暂存库应当设置标志，封存库和暂存库的门应当加锁。
"""


def test_an_appendix_on_a_topic_of_the_articles_leaves_them_to_answer(session, tmp_path):
    # 封存库 names the appended design rules too, but the articles use it and answer about it
    question = "封存库和暂存点平时要怎么管？门口要挂啥牌子，要不要定期测一测？"
    found = _ask_about(session, tmp_path, "示范含多氯联苯废物管理规定.md", STORE_RULES, question)
    assert found.sources[0].article == "第十三条"


INCINERATION_RULES = """# 示范焚烧厂自动监测数据应用管理规定

第一条　为规范焚烧厂自动监测数据使用，推动焚烧厂达标排放，依法查处环境违法行为，\
根据《中华人民共和国环境保护法》，制定本规定。

第二条　本规定适用于投入运行的生活垃圾焚烧发电厂（以下简称焚烧厂）。

第三条　新建焚烧厂在建设期间应当同步建设自动监测设备，焚烧垃圾前完成自动监测数据联网。

第四条　焚烧厂应当如实标记每台焚烧炉工况和自动监测异常情况。

第五条　焚烧厂应当及时解决自动监测数据应用管理中的主要问题，提高环境管理水平。

第九条　生态环境主管部门执法人员现场调查取证时，应当提取自动监测数据，制作调查询问笔录。

第十九条　本规定由生态环境部负责解释。
"""


@pytest.mark.parametrize(
    "question, article",
    [
        # 哪个机关 asks who, it names no topic the article would have to hold
        ("关于焚烧厂自动监测数据应用的这部部门规章，由哪个机关负责解释？", "第十九条"),
        # the asker's situation is what the scope article answers about
        ("俺们焚烧厂还在建，一把垃圾都没烧过，这个自动监测数据的规定管不管得着俺们？", "第二条"),
        ("制定焚烧厂自动监测数据应用管理规定的目的是什么？主要想解决哪些环境管理问题？", "第一条"),
    ],
)
def test_purpose_scope_and_interpretation_asked_in_other_words_reach_their_articles(
    session, tmp_path, question, article
):
    found = _ask_about(session, tmp_path, "示范焚烧厂规定.md", INCINERATION_RULES, question)
    assert found.answered
    assert found.sources[0].article == article


GRADED_APPROVAL_RULES = """# 示范建设项目环评文件分级审批规定

第一条　为进一步加强和规范建设项目环境影响评价文件审批，提高审批效率，明确审批权责，根据《中华人民\
共和国环境影响评价法》等有关规定，制定本规定。

第三条　各级环境保护部门负责建设项目环境影响评价文件的审批工作。

第八条　省级环境保护部门应当根据建设项目对环境的影响程度、地方环境保护部门的审批能力等因素，\
提出分级审批建设项目环境影响评价文件的具体规定，报省级人民政府批准后实施，并抄报环境保护部。

第九条　建设项目环境影响评价文件分级审批制度的执行情况，由上级环境保护部门依据本规定监督检查。
"""


@pytest.mark.parametrize(
    "question",
    [
        "这分级审批的规矩是照着哪部法律定的？",
        "制定建设项目环评文件分级审批制度，目的何在，上位法依据是什么？",
    ],
)
def test_the_basis_of_a_rule_called_its_rules_or_system_is_its_first_article(
    session, tmp_path, question
):
    found = _ask_about(session, tmp_path, "示范分级审批规定.md", GRADED_APPROVAL_RULES, question)
    assert found.answered
    assert found.sources[0].article == "第一条"


APPLIANCE_RULES = """# 示范电器电子产品处理资格办法

第七条　申请废弃电器电子产品处理资格的企业应当依法成立，具有增值税一般纳税人企业法人资格。

第九条　设区的市级人民政府环境保护主管部门应当自受理申请之日起3个工作日内对申请的有关信息进行公示。

第十六条　禁止无废弃电器电子产品处理资格证书或者不按照废弃电器电子产品处理资格证书的规定处理\
废弃电器电子产品。
"""

HEARING_RULES = """# 示范听证办法

第九条　听证主持人在听证活动中行使下列职权：（一）决定举行听证的时间、地点和方式；\
（二）维持听证秩序，对违反听证纪律的行为予以警告直至责令其退场。

第十五条　组织听证的环境保护行政主管部门可以通知了解被听证的行政许可事项的单位和个人出席听证会。

第二十九条　组织听证的环境保护行政主管部门，对听证会必须制作笔录。
"""


@pytest.mark.parametrize(
    ("filename", "text", "question", "article"),
    [
        ("示范电器电子产品处理资格办法.md", APPLIANCE_RULES, "没拿到证能先拆旧电视吗", "第十六条"),
        ("示范听证办法.md", HEARING_RULES, "听证会上有人起哄，主持人能把他撵出去不？", "第九条"),
    ],
)
def test_old_appliances_and_throwing_out_a_heckler_read_as_the_rules_write(
    session, tmp_path, filename, text, question, article
):
    found = _ask_about(session, tmp_path, filename, text, question)
    assert found.answered
    assert found.sources[0].article == article


NEW_SUBSTANCE_RULES = """# 示范新化学物质登记办法

第一条　为规范新化学物质环境管理，制定本办法。

第二条　在中华人民共和国境内从事新化学物质研究、生产、进口和加工使用活动的，适用本办法。

第三条　本办法所称新化学物质，是指未列入《中国现有化学物质名录》的化学物质。

第九条　新化学物质的生产者或者进口者，应当在生产前或者进口前取得新化学物质环境管理登记证。

第十四条　申请人提交的化学物质测试报告，应当由符合要求的测试机构出具。

第五十二条　本办法中下列用语的含义：
（一）环境风险，是指具有环境或者健康危害属性的化学物质进入环境后造成危害的可能性。
（二）高危害化学物质，是指同时具有持久性、生物累积性和毒性的化学物质。
（三）新化学物质加工使用，是指利用新化学物质进行分装、配制或者制造等生产经营活动。
"""


@pytest.mark.parametrize("question", ["啥算新化学物质？", "新化学物质是指什么"])
def test_a_term_jieba_cuts_short_is_asked_whole_and_defined_by_its_own_article(
    session, tmp_path, question
):
    # jieba cuts 新 off 新化学物质, and 新 alone is too common to count; 算 asks what counts as one
    filename = "示范新化学物质登记办法.md"
    found = _ask_about(session, tmp_path, filename, NEW_SUBSTANCE_RULES, question)
    assert found.answered
    assert found.sources[0].article == "第三条"


PARTICIPATION_RULES = """# 示范公众参与办法

第四条　环境保护主管部门可以通过征求意见、问卷调查，组织召开座谈会、专家论证会、听证会等方式\
征求公众意见。

第九条　环境保护主管部门应当对公民、法人和其他组织提出的意见和建议进行归类整理、分析研究，\
并以适当的方式反馈公民、法人和其他组织。

第十条　环境保护主管部门支持和鼓励公民、法人和其他组织对环境保护公共事务进行舆论监督和社会监督。

第十一条　公民、法人和其他组织发现任何单位和个人有污染环境和破坏生态行为的，可以通过信函、\
传真、电子邮件等途径，向环境保护主管部门举报。

第十六条　环境保护主管部门可以通过提供法律咨询、提交书面意见、协助调查取证等方式，\
支持符合法定条件的环保社会组织依法提起环境公益诉讼。

第十八条　环境保护主管部门可以通过项目资助、购买服务等方式，支持、引导社会组织参与环境保护活动。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("环保NGO想打环境公益官司，环保局能提供哪些帮助？", "第十六条"),
        ("俺们提了一堆意见，环保局到底看没看？会不会给俺们个回话？", "第九条"),
        ("媒体曝光环保问题，官方支持吗", "第十条"),
    ],
)
def test_groups_lawsuits_replies_and_press_exposure_read_as_the_rules_write(
    session, tmp_path, question, article
):
    found = _ask_about(session, tmp_path, "示范公众参与办法.md", PARTICIPATION_RULES, question)
    assert found.answered
    assert found.sources[0].article == article


EXPORT_RULES = """# 示范危险废物出口核准办法

第四条　国务院环境保护行政主管部门负责核准危险废物出口申请，并进行监督管理。

第七条　国务院环境保护行政主管部门应当自受理申请之日起，对出口者提交的申请材料进行审查，\
并征求有关部门和专家的意见；负责审查的工作人员应当如实记录审查情况。

第十九条　出口者应当将离境和抵达报告单同时抄送危险废物移出地省级环境保护行政主管部门。

第二十八条　环境保护行政主管部门工作人员在危险废物出口核准工作中滥用职权、玩忽职守、徇私舞弊的，\
依法给予行政处分。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [("負責審批危廢出口的工作人員要是收好處、亂用權力，會受到什麼處理？", "第二十八条")],
)
def test_an_official_s_misconduct_in_everyday_words_reaches_the_article_punishing_it(
    session, tmp_path, question, article
):
    found = _ask_about(session, tmp_path, "示范危险废物出口核准办法.md", EXPORT_RULES, question)
    assert found.answered
    assert found.sources[0].article == article
    # read as the penalty articles write it, whatever else the rule holds
    prepared = service.current_index(session).prepare(question)
    assert "滥用职权" in prepared and "收受" in prepared


EXPERT_RULES = """# 示范审查专家库管理办法

第八条　审查专家应当从专家库内的专家名单中随机抽取。

第九条　审查专家与被审查项目有利害关系的，应当主动提出回避。

第十条　审查专家依法独立履行审查职责，不受任何单位或者个人的干预。

第十一条　审查专家有违反本办法行为的，取消其入库资格。
"""


@pytest.mark.parametrize(
    "question", ["评审的时候要是有人给专家递话，让他睁一只眼闭一只眼，专家可以不理吗？"]
)
def test_a_word_put_in_for_a_project_is_interference(session, tmp_path, question):
    found = _ask_about(session, tmp_path, "示范审查专家库管理办法.md", EXPERT_RULES, question)
    assert found.answered
    assert found.sources[0].article == "第十条"


HOTLINE_RULES = """# 示范举报热线工作管理办法

第二条　公民、法人或者其他组织通过拨打环保举报热线电话举报环境污染事项的，适用本办法。

承担环保举报热线工作的机构依法受理的举报事项，称举报件。

第三条　环保举报热线工作应当遵循下列原则：
（一）属地管理、分级负责，谁主管、谁负责；
（二）依法受理，及时办理。

第十条　举报件应当自受理之日起60日内办结。

第十一条　举报件办结后，举报件办理部门应当将办理结果及时答复举报人。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # a term named after what it stands for (…，称举报件), asked by a name jieba cuts in two
        ("举报件指的是啥", "第二条"),
        # the line named as the subject: no phone number is asked for
        ("环保举报热线工作需要遵循哪些基本原则？", "第三条"),
    ],
)
def test_a_term_named_after_what_it_stands_for_and_a_line_as_subject_are_answered(
    session, tmp_path, question, article
):
    found = _ask_about(session, tmp_path, "示范举报热线工作管理办法.md", HOTLINE_RULES, question)
    assert found.answered
    assert found.sources[0].article == article


def test_within_how_many_days_names_no_topic():
    from knowledge.retrieval import query_units

    assert [unit for unit, _ in query_units("多少天之内得办完")] == []
    assert "以内" not in dict(query_units("几个工作日以内要报告"))


def test_asking_what_to_do_or_whether_in_everyday_words_names_no_topic():
    # 咋办 would leave 办, which 办事指南 holds; 搞不搞 weighed as the rarest word of all
    from knowledge.retrieval import query_units

    assert dict(query_units("厂关了证咋办")).keys() == {"厂", "关", "证"}
    assert dict(query_units("许可信用管理搞不搞")).keys() == {"许可", "信用", "管理"}


def test_a_mistyped_licence_is_the_licence_meant_not_one_no_document_names(session, plan):
    # 排物许可证 asked how often a reminder comes: read as typed, it was a licence the plan never
    # names, and a period asked of it was refused as belonging to another licence
    index = service.current_index(session)
    asked = retrieval._read_question(index, "我们的排物许可证快到期了，市里会多久提醒一次？", None)
    assert asked.subjects == [("排污", "许可证")]


@pytest.mark.parametrize(
    "question", ["排污许可证质量控制体系共分几个层级？", "请问质量控制体系分为哪几个层级？"]
)
def test_how_many_levels_is_asked_as_how_many_grades(session, plan, question):
    # 层级 is a word the plan never writes (健全国家、省、市三级质控体系): read as a topic, the
    # rarest of the question, it was missing from every passage and the question was refused
    answer = service.preview_answer(session, question=question)
    assert answer.answered
    assert "国家、省、市三级质控体系" in answer.sources[0].text


def test_which_level_of_department_keeps_its_words():
    # 由哪些层级的部门负责 asks which departments, not how many levels there are
    from knowledge.retrieval import _levels_asked

    assert _levels_asked("由哪些层级的部门负责") == {}
    assert _levels_asked("由哪几个层级的部门负责") == {}
    assert _levels_asked("共分几个层级") == {"几个层级": "几级"}


def test_what_follows_i_want_to_ask_is_the_question_the_clauses_before_it_the_story(session, plan):
    # one long sentence: 小砖窑 and 差点忘了 weighed as much as 提醒功能 and 推送, and the
    # question was refused as sharing almost nothing with the plan
    question = (
        "我在乡下开了个小砖窑，去年差点忘了证到期，后来听同行讲全国那个平台会提前提醒，"
        "我想问问这个提醒功能是谁在弄的、平台是怎么往下推送的？"
    )
    answer = service.preview_answer(session, question=question)
    assert answer.answered
    assert "临期提醒功能" in answer.sources[0].text


def test_the_story_of_a_long_question_weighs_half_its_asking_sentences(session, plan):
    from knowledge.retrieval import STORY_WEIGHT, weigh_the_asking

    index = service.current_index(session)
    question = "我们厂在保护区边上，运营快十年了。部里来检查，我们有没有义务配合？"
    units = [("运营", 2.0), ("检查", 2.0), ("义务", 2.0), ("配合", 2.0)]
    weighed = dict(weigh_the_asking(index, question, units))
    assert weighed["运营"] == 2.0 * STORY_WEIGHT < weighed["义务"] == weighed["配合"] == 2.0
    # a question of one sentence is all asking
    assert weigh_the_asking(index, "我们有没有义务配合检查", units) == units


def test_lab_workshop_and_ministry_shorthand_reads_as_the_rules_write(session, plan):
    index = service.current_index(session)
    assert "二级实验室" in index.prepare("新建一个BSL-2实验室也要做环评吗").replace(" ", "")
    assert "三级实验室" in index.prepare("P3实验室的废水怎么处理").replace(" ", "")
    assert "车载诊断系统" in index.prepare("OBD报警了没去修会被罚吗")
    assert "免疫接种" in index.prepare("收医废的工人还得打疫苗吗")
    assert "生态环境部" in index.prepare("拿到MEE批的审批单后，许可证找谁办")


def test_a_word_the_synonyms_spell_out_in_context_names_no_subject(session, plan):
    # 疫苗 alone is another field (no environmental rule covers vaccines); 打疫苗 is the
    # 免疫接种 the medical-waste rules require of their staff
    found = service.preview_answer(session, question="收医废的工人还得打疫苗吗？")
    assert "疫苗" not in found.answer.split("没有关于")[-1][:6]


RADIOACTIVE_WASTE_RULES = """# 示范放射性固体废物贮存和处置许可管理办法

第一条　为规范放射性固体废物贮存和处置许可，制定本办法。

第二条　本办法适用于放射性固体废物贮存和处置许可的申请、审批和监督管理。

第九条　申请从事放射性固体废物处置活动的单位，应当有国有或者国有控股的企业法人资格，\
有不少于三千万元的注册资金。

第十四条　贮存许可证和处置许可证的有效期为十年。

第十七条　持证单位因故遗失许可证的，应当及时在所在地省级报刊上刊登遗失公告，公告期为三十日。\
持证单位应当于公告期满后的一个月内申请补发。

第十八条　禁止伪造、变造、转让许可证，禁止出租、出借许可证。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # 许可证 in the rule of the 处置许可证 is that licence: its period is the one asked
        ("处置许可证不小心弄丢了，要先登报发遗失公告吗？登多久？", "第十七条"),
        # lent, in everyday words, is what the rule forbids as 出借
        ("另一家公司想借我们的贮存许可证去收废物，能借给他们用吗？", "第十八条"),
    ],
)
def test_a_licence_lost_or_lent_is_answered_by_its_own_rule(session, tmp_path, question, article):
    rule = "示范放射性废物许可办法.md"
    found = _ask_about(session, tmp_path, rule, RADIOACTIVE_WASTE_RULES, question)
    assert found.answered
    assert found.sources[0].article == article


def test_a_fee_of_the_rules_own_licence_is_not_read_off_a_registered_capital(session, tmp_path):
    # 三千万元 is money, but no fee: the rule names its licence and still does not answer
    found = _ask_about(
        session,
        tmp_path,
        "示范放射性废物许可办法.md",
        RADIOACTIVE_WASTE_RULES,
        "申请放射性固体废物处置许可证要交多少审批费？",
    )
    assert not found.answered


def test_a_latin_name_glossed_with_its_class_names_what_the_gloss_says():
    from knowledge.intent import named_subjects
    from knowledge.normalize import fold

    question = "医院新上一台DSA（Ⅱ类射线装置），辐射证是去省厅办还是得找部里？"
    assert ("DSA",) not in named_subjects(fold(question))
    assert ("ESG",) in named_subjects(fold("我们有ESG（2024）报告要求吗"))


def test_whether_this_rule_governs_the_asker_is_answered_by_its_scope(session, tmp_path):
    found = _ask_about(
        session,
        tmp_path,
        "示范放射性废物许可办法.md",
        RADIOACTIVE_WASTE_RULES,
        "我们只做废物运输的，也归这个放废许可办法管吗？",
    )
    assert found.answered
    assert found.sources[0].article == "第二条"


def test_a_licence_lost_or_lent_reads_as_the_rules_write(session, plan):
    index = service.current_index(session)
    assert "遗失 丢失" in index.prepare("执法证不小心弄丢了怎么办")
    assert "出借 转借" in index.prepare("能把证借给同事用吗")


INTERPRETATION_RULES = """# 示范环境保护法规解释管理办法

第一条　为规范环境保护法规的解释工作，制定本办法。

第六条　国务院有关部门需要国家环境保护总局作出法规解释的，应当以书面形式提出。

第八条　省级环境保护行政主管部门报请国家环境保护总局作出法规解释，应当以正式文件提出。

第十五条　法规解释公布后，应当在国家环境保护总局公报上刊登。
"""


def test_the_ministry_s_former_name_is_the_ministry_people_ask_about(session, tmp_path):
    found = _ask_about(
        session,
        tmp_path,
        "示范法规解释办法.md",
        INTERPRETATION_RULES,
        "别的部委能不能找部里出个法规解释？要走什么形式？",
    )
    assert found.answered
    assert found.sources[0].article == "第六条"
    assert "生态环境部" in service.current_index(session).prepare("国家环境保护总局公报")


MONITORING_STAFF_RULES = """# 环境监测人员管理办法

第一条　为了加强环境监测人员管理，制定本办法。

第五条　监测机构与新录用的监测人员订立劳动合同的，试用期内不得安排其独立出具监测报告。
"""

THIRD_PARTY_RULES = """# 第三方治理管理办法

第一条　为了规范环境污染第三方治理，制定本办法。

第八条　排污单位与第三方治理单位签订委托合同，合同期限最长不得超过三年，\
合同中应当约定双方的污染治理责任。
"""


RADIATION_LICENCE_RULES = """# 辐射安全许可管理办法

第七条　申请辐射安全许可证的单位，应当提交营业执照复印件。

第九条　辐射安全许可证遗失的，持证单位应当在三十日内向原发证机关申请补办。
"""


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # the best passage, a contract of another kind, says nothing of probation: no answer,
        # though another rule of the knowledge base names 劳动合同 and 试用期 in passing
        ("劳动合同期限三年的，试用期最长可以约定多久？", False),
        # the rule naming them answers what it says of them
        ("监测人员试用期内能独立出具监测报告吗", True),
    ],
)
def test_another_field_s_question_needs_a_document_about_it(session, tmp_path, question, answered):
    _ingest_text(session, tmp_path, "环境监测人员管理办法.md", MONITORING_STAFF_RULES)
    _ingest_text(session, tmp_path, "第三方治理管理办法.md", THIRD_PARTY_RULES)
    found = service.preview_answer(session, question=question)
    assert found.answered is answered


LANDLORD_RULES = """# 某市环境保护条例

第一条　为了保护和改善环境，制定本条例。

第二条　本市行政区域内的环境保护工作，适用本条例。

第六条　出租人应当配合生态环境部门的监督检查，如实提供承租人的有关信息。\
出租人拒不提供的，由生态环境部门责令改正，处一千元以上一万元以下罚款。
"""


def test_a_landlord_is_the_lessor_a_rule_names(session, tmp_path):
    """房东 is a thing of another field (renting), named by a rule as 出租人: a question about
    the landlord's duty is about that rule's article, not about renting law it does not hold."""
    _ingest_text(session, tmp_path, "某市环境保护条例.md", LANDLORD_RULES)
    _ingest_text(session, tmp_path, "第三方治理管理办法.md", THIRD_PARTY_RULES)
    found = service.preview_answer(
        session, question="执法人员让我提供租户的信息，我作为房东不配合会怎样？"
    )
    assert found.answered
    assert found.sources[0].article == "第六条"


LETTING_RULES = """\
# 某市餐饮业油烟管理办法

第二条　本市城市建成区内餐饮业油烟污染防治，适用本办法。

第五条　禁止在居民住宅楼内新建产生油烟的餐饮服务项目。\
出售、出租、出借前款规定的物业，应当明确告知禁止用于开设产生油烟的餐饮服务项目。

第十一条　违反本办法第五条第二款规定，未履行告知义务的，由综合行政执法部门责令改正，\
处五百元以上二千元以下罚款。
"""


def test_a_landlord_is_the_one_a_rule_says_lets_the_property(session, tmp_path):
    """A rule may name no 出租人 but say who lets (出租…物业，应当明确告知): 房东 is still a
    party it speaks of, not a thing of renting law it does not hold."""
    _ingest_text(session, tmp_path, "某市餐饮业油烟管理办法.md", LETTING_RULES)
    found = service.preview_answer(
        session, question="房东把楼底下的铺面租出去开饭店，没说不能开有油烟的饭店，房东会被咋处理？"
    )
    assert found.answered


def test_an_everyday_paper_is_answered_only_where_its_document_names_it(session, tmp_path):
    _ingest_text(session, tmp_path, "辐射安全许可管理办法.md", RADIATION_LICENCE_RULES)
    # another rule names 身份证 in passing
    staff_rules = MONITORING_STAFF_RULES + "\n第六条　监测人员应当携带居民身份证上岗。\n"
    _ingest_text(session, tmp_path, "环境监测人员管理办法.md", staff_rules)
    found = service.preview_answer(session, question="身份证丢了在哪补办？")
    # the best passage (补办 of a lost licence) is of a rule that never names 身份证
    assert not found.answered


CITY_AIR_RULE = """# 示范市大气污染防治条例

第一条　为了防治大气污染，保护和改善本市大气环境，根据有关法律、法规，结合本市实际，制定本条例。

第二条　本市高污染燃料禁燃区由市人民政府划定并向社会公布。禁燃区内已建成的燃用高污染燃料的\
设施，应当在市人民政府规定的期限内拆除或者改用天然气、电等清洁能源。

第三条　本条例自2020年1月1日起施行。
"""


@pytest.mark.slow
def test_an_article_of_a_city_rule_applying_the_law_answers_before_the_law_it_applies(
    session, tmp_path
):
    # both say who draws the zone; the city's rule says it for the asker's city, with what becomes
    # of the boilers in it, so it answers first and the law's article stays a source
    from knowledge.retrieval import Params, retrieve

    require_shared()
    service.ingest_path(session, CORPUS_DIR / "大气污染防治法.md")
    _ingest_text(session, tmp_path, "示范市大气污染防治条例.md", CITY_AIR_RULE)
    index = service.current_index(session)
    question = "禁燃区是哪级政府定的"
    first = retrieve(index, question).hits[:3]
    assert first[0].passage.title == "示范市大气污染防治条例"
    assert any(hit.passage.article == "第三十八条" for hit in first[1:])
    without = retrieve(index, question, params=Params(w_specific=0.0)).hits
    assert without[0].passage.article == "第三十八条"
    # naming the law asks for the law's own article
    named = retrieve(index, "按大气法，禁燃区是哪级政府定的").hits
    assert named[0].passage.title == "中华人民共和国大气污染防治法"


SORTING_RULES = """# 示范生活垃圾分类条例

第三十条　物业服务企业应当管好小区的生活垃圾分类，劝导业主分类投放。

第三十一条　投放责任人应当建立日常台账，如实记载收运情况。

第四十六条　违反本条例第三十一条规定，投放责任人未建立台账的，由主管部门责令改正，\
可以处五百元以上五千元以下罚款。
"""


def _ranking_puts_first(monkeypatch, session, title: str, article: str) -> None:
    """The ranking model's choice, as it would lift ``article`` of ``title`` above the rest."""

    passages = service.current_index(session).passages
    target = next(i for i, p in enumerate(passages) if p.title == title and p.article == article)

    def lift(fused, order, table, encoder):
        lifted = np.zeros_like(fused)
        lifted[target] = float(fused.max() - fused.min()) + 1.0
        return lifted

    monkeypatch.setattr(retrieval, "ranking_moves", lambda known, encoder: True)
    monkeypatch.setattr(retrieval, "_ranking_lift", lift)


def test_the_rules_read_the_article_the_ranking_puts_first_in_the_same_document(
    session, tmp_path, monkeypatch
):
    # judged on 第三十条 (its words, no amount), shown 第四十六条 (the fine): the amount is there
    _ingest_text(session, tmp_path, "示范生活垃圾分类条例.md", SORTING_RULES)
    question = "物业公司没管好小区垃圾分类，会被罚多少钱？"
    held_back = DEFAULT_PARAMS.answer_threshold / 2  # where a rule holds a confidence

    with monkeypatch.context() as unranked:
        unranked.setattr(retrieval, "ranking_moves", lambda known, encoder: False)
        unmoved = service.preview_answer(session, question=question)
    assert unmoved.confidence <= held_back
    _ranking_puts_first(monkeypatch, session, "示范生活垃圾分类条例", "第四十六条")
    found = service.preview_answer(session, question=question)
    # the model's own confidence, no longer held back for an amount the duty does not give
    assert found.confidence > held_back


def test_an_article_of_another_document_put_first_is_not_read_for_the_rules(
    session, tmp_path, monkeypatch
):
    _ingest_text(session, tmp_path, "示范生活垃圾分类条例.md", SORTING_RULES)
    other = SORTING_RULES.replace("示范生活垃圾分类条例", "示范餐厨垃圾管理办法")
    _ingest_text(session, tmp_path, "示范餐厨垃圾管理办法.md", other.replace("本条例", "本办法"))
    _ranking_puts_first(monkeypatch, session, "示范餐厨垃圾管理办法", "第四十六条")
    found = service.preview_answer(session, question="物业公司没管好小区垃圾分类，会被罚多少钱？")
    assert found.confidence <= DEFAULT_PARAMS.answer_threshold / 2


def _answered_first_by_a_passage_saying(session, question: str, said: str):
    """The answer to ``question``, which must be answered with ``said`` in its first source."""
    found = service.preview_answer(session, question=question)
    assert found.answered
    assert said in found.sources[0].text
    return found


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # the plan writes 临期, 年底, 培训云讲堂: everyday words reach them through the synonyms
        ("全国排污许可证管理信息平台在证书即将到期方面将完善哪些功能？", "临期提醒功能"),
        ("有排污许可网课吗", "培训云讲堂"),
        ("关于2023年末阶段目标的问题：计划对许可证审查的覆盖面提出了什么要求？", "审核全覆盖"),
        # … and 关闭 (对于已关闭的排污单位) through 关门
        ("厂子关门了证咋处理？", "注销其排污许可证"),
        # … and 审核技能竞赛 through 比武, 技术机构 through 代办公司
        ("审核比武多久搞一次", "审核技能竞赛"),
        ("国家对代办机构怎么管", "技术机构管理"),
        # … and the 问题 a check looks for through 毛病
        ("上面来核查排污证，一般挑哪些毛病", "排放口遗漏问题"),
    ],
)
def test_everyday_words_for_the_plan_s_terms_find_the_measure(session, plan, question, said):
    _answered_first_by_a_passage_saying(session, question, said)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # the table row (measure 37) leaves out what the work is for; its body paragraph says it
        ("副本为啥要简化", "可读性和实用性"),
        ("弄检查手册、问题认定指南这些，到底图个啥？", "提升现场帮扶效率"),
        # measure 9 says the teams are formed; its paragraph what they are for (发挥…保障作用)
        ("省里市里搞的排污许可专家库，到底是干啥用的？", "专家质量把关"),
    ],
)
def test_asked_why_a_measure_is_answered_by_the_paragraph_that_says_what_it_is_for(
    session, plan, question, said
):
    found = _answered_first_by_a_passage_saying(session, question, said)
    assert said in found.answer


@pytest.mark.parametrize(
    ("question", "items"),
    [
        # no paragraph names a part's items together: its outline passage lists them
        ("支撑保障包括哪些？", ["（九）强化监督落实", "（十二）规范第三方服务市场"]),
        ("部门联动包括哪几项？", ["（六）推动执法双随机库", "（八）强化“三监联动”工作机制"]),
        ("「鞏固全覆蓋成果」這部分主要包含哪幾項工作？", ["（四）完善排污许可证动态管理机制"]),
    ],
)
def test_the_items_of_a_part_asked_for_are_answered_by_its_outline(session, plan, question, items):
    found = service.preview_answer(session, question=question)
    assert found.answered
    assert all(item in found.answer for item in items)
    # each item is cited by its own paragraph, the first item's first
    assert items[0] in found.sources[0].section


@pytest.mark.parametrize(
    "question",
    [
        "三监联动指啥",  # no parts asked
        # parts asked, of an item: its own paragraph answers, not its part's outline
        "规范第三方服务市场包括哪些措施",
        "排污许可证质量复核包括哪些内容",
    ],
)
def test_a_part_s_outline_answers_only_when_its_items_are_asked(session, plan, question):
    found = service.preview_answer(session, question=question)
    assert "包括以下" not in found.answer


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # fused order put measure 9 first (组建专家团队): it says that teams are formed, the
        # paragraph what they are for
        ("专家团队起啥作用", "专家质量把关"),
        # fused order put measure 38 first (the firms' management file): the paragraph says
        # where the firms are named
        ("第三方机构把证做得一塌糊涂，会被曝光吗", "信用信息模块"),
    ],
)
def test_the_plan_s_ranking_model_puts_the_passage_that_answers_first(
    session, plan, question, said
):
    found = service.preview_answer(session, question=question)
    assert found.answered
    assert said in found.sources[0].text


def test_the_plan_s_ranking_model_reads_only_features_retrieval_computes(session, plan):
    index = service.current_index(session)
    found = retrieval.retrieve(index, "专家团队起啥作用")
    _, table = found.reordered
    shipped = load_policy_model()
    assert not shipped.articles and shipped.moves(table)
    assert set(shipped.features) <= set(table)
    assert all(np.isfinite(table[name]).all() for name in shipped.features)


def test_asked_when_a_measure_is_still_answered_by_its_table_row(session, plan):
    found = service.preview_answer(session, question="副本优化要在什么时候完成")
    assert found.sources[0].measure == 37


def test_the_army_asked_as_troops_finds_the_military_projects_article(session):
    require_shared()
    service.ingest_path(session, CORPUS_DIR / "环境影响评价法.md")
    found = service.preview_answer(session, question="部队营区里盖房子搞建设，环评按啥规定走？")
    assert found.sources[0].article == "第三十六条"


SPACED_RULES = """# 废旧电池回收管理办法

## 第一章　总则

第一条　为了规范废旧电池回收，制定本办法。

第二条　回收企业新设或者变更回收网点的，应当在网点建成后的 30 日内通过信息平台报送网点信息。

第三条　综合利用企业应当建立废旧电池入库、出库台账。
"""


def test_a_time_limit_printed_with_spaces_around_its_number_answers_how_many_days(
    session, tmp_path
):
    answer = _ask_about(
        session,
        tmp_path,
        "废旧电池回收管理办法.md",
        SPACED_RULES,
        "新设了回收网点，几天内要在平台上报信息？",
    )
    assert answer.answered
    assert answer.sources[0].article == "第二条"
    assert "30日内" in answer.answer


E_BIKE_RULES = """# 示范废旧电池管理办法

## 第一章　总则

第一条　为了规范废旧电池的回收和利用，保护环境，制定本办法。

第二条　回收企业应当建立废旧电池回收台账，如实记录来源和去向。

第三条　任何组织或者个人不得将废旧动力电池直接或者加工后用于电动自行车。

第四条　综合利用企业应当按照国家标准拆解废旧电池。
"""


def test_an_electric_bicycle_called_by_its_everyday_name_finds_the_rule_on_it(session, tmp_path):
    answer = _ask_about(
        session, tmp_path, "示范废旧电池管理办法.md", E_BIKE_RULES, "旧电池能装电瓶车吗"
    )
    assert answer.answered
    assert answer.sources[0].article == "第三条"


PERMIT_RULES_IN_BRIEF = """# 示范排污许可管理规定

## 第一章　总则

第一条　为了加强排污许可管理，规范企业事业单位和其他生产经营者排污行为，制定本规定。

第二条　审批部门应当自受理申请之日起20日内作出审批决定。

第三条　对具备下列条件的排污单位，颁发排污许可证：

（一）依法取得建设项目环境影响报告书（表）批准文件，或者已经办理环境影响登记表备案手续；

（二）污染物排放符合污染物排放标准要求。

第四条　排污单位应当如实记录主要生产设施、污染防治设施运行情况。

第五条　禁止伪造、变造、转让排污许可证。

第六条　排污单位关闭的，审批部门应当依法注销其排污许可证，并告知相关单位。

第七条　排污单位应当在排污许可证有效期届满前申请延续，延续后的排污许可证继续使用。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # the EIA approval is the 批准文件 a permit rule asks for, not its own 审批决定
        ("没有环评批复，能领排污证吗？", "第三条"),
        # people hand a licence over (转给) where rules forbid its 转让
        ("隔壁厂的排污证能转给我们继续使用吗？", "第五条"),
    ],
)
def test_everyday_words_find_the_permit_rule_s_article(session, tmp_path, question, article):
    answer = _ask_about(
        session, tmp_path, "示范排污许可管理规定.md", PERMIT_RULES_IN_BRIEF, question
    )
    assert answer.answered
    assert answer.sources[0].article == article


TRAINING_RULES_IN_BRIEF = """# 示范排污许可培训与联动办法

## 第一章 总则

第一条　为了提升排污许可审批人员能力，加强部门联动，制定本办法。

第二条　生态环境部门每年开展排污许可知识竞赛、技能竞赛，搭建技能提升平台。

第三条　执法部门将在执法监管中发现的问题及时反馈排污许可证审批部门。

第四条　排污单位应当按照排污许可证规定开展自行监测，保存原始监测记录。

第五条　排污许可证审批部门应当每半年组织一次现场核查，核查结果向社会公开。

第六条　执法部门开展执法检查，应当制定年度检查计划。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # a 比赛 is what the rules call a 竞赛
        ("审批的同事每年有啥比赛能参加吗", "第二条"),
    ],
)
def test_an_everyday_word_for_a_contest_finds_the_rule(session, tmp_path, question, article):
    answer = _ask_about(session, tmp_path, "示范培训办法.md", TRAINING_RULES_IN_BRIEF, question)
    assert answer.answered
    assert answer.sources[0].article == article


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("至2024年末，本行动计划设定的总体目标是什么？", "执法监管目标"),
        ("请问本行动计划对2022年年底前应达成的阶段性目标有哪些具体安排？", "任务阶段目标"),
        ("计划里想搭的那个闭环管理，具体是由哪几个环节串起来的？", "全流程监管的闭环"),
    ],
)
def test_the_plan_s_goals_asked_in_its_own_terms_are_answered(session, plan, question, said):
    # the wording model learned from the plan's read sets (session 49) that such questions are
    # asked of the plan; fitted before them, it took their wording for a near miss's
    _answered_first_by_a_passage_saying(session, question, said)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("有没有排污许可的公众号可以关注", "微信公众号"),
        ("审批人员有没有比赛可以参加", "技能竞赛"),
    ],
)
def test_whether_a_thing_exists_is_answered_by_the_passage_naming_it(session, plan, question, said):
    # near misses ask 有没有… for what no rule gives; here the plan names the very thing
    _answered_first_by_a_passage_saying(session, question, said)


@pytest.mark.parametrize(
    "question",
    ["有没有推荐的脱硫设备厂家", "排污许可证办理有没有补贴", "有没有排污许可的手机APP可以下载"],
)
def test_whether_a_thing_no_passage_names_exists_stays_refused(session, plan, question):
    assert not service.preview_answer(session, question=question).answered


def test_only_a_plan_s_passage_naming_the_thing_answers_whether_it_exists():
    said = "各市可以规定放射性物品运输车辆限行的区域和时段。"
    measure = Passage(1, "某计划", None, 3, None, None, said)
    article = Passage(2, "某条例", None, None, None, None, f"第九条　{said}", "第九条")
    asked = "有没有限行的区域和时段可以查"
    assert _asks_for_what_the_passage_names(asked, measure)
    # a rule's article naming it does not make a near miss (a city's own zones) answerable
    assert not _asks_for_what_the_passage_names(asked, article)
    assert not _asks_for_what_the_passage_names("有没有补贴可以领", measure)


RECALL_RULES_IN_BRIEF = """# 示范机动车排放召回办法

第一条　为了规范机动车排放召回工作，保护和改善环境，制定本办法。

第二条　本办法所称排放召回，是指机动车生产者采取措施消除机动车排放危害的活动。

第三条　机动车生产者应当记录并保存机动车设计、制造信息，保存期限不得少于10年。

第四条　机动车生产者应当自提交召回计划之日起30个工作日内通知机动车所有人。

第八条　机动车生产者应当自提交召回计划之日起5个工作日内通知机动车经营者。

第五条　机动车生产者应当自完成召回计划之日起15个工作日内提交召回总结报告。

第六条　违反本办法，有下列情形之一的，由市场监督管理部门责令改正，处三万元以下罚款：

（一）机动车经营者未保存销售、维修记录的；

（二）机动车生产者未提交召回计划的；

（三）机动车生产者未提交召回总结报告的。

第七条　市场监督管理部门应当将行政处罚信息记入信用记录。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # 法 typed for 罚: a fine, not a price
        ("厂家不交召回计划，会被法多少钱？", "第六条"),
        # a definition asked in everyday words
        ("老听人说“排放召回”，这到底是指谁、干啥的事儿？", "第二条"),
        # 车主 is what the rules call 机动车所有人
        ("几天内通知车主？", "第四条"),
    ],
)
def test_everyday_ways_of_asking_about_a_recall_find_the_article(
    session, tmp_path, question, article
):
    answer = _ask_about(session, tmp_path, "示范召回办法.md", RECALL_RULES_IN_BRIEF, question)
    assert answer.answered
    assert answer.sources[0].article == article


def test_a_question_s_weighted_words_are_kept_but_each_caller_gets_its_own_list():
    from knowledge.retrieval import query_units

    first = query_units("排污许可证有效期几年")
    first.clear()  # a caller that trims its list changes nobody else's
    again = query_units("排污许可证有效期几年")
    assert again and dict(again)["有效期"] > 0


PLAN_TITLE = "排污许可提质增效行动计划（2022—2024 年）"


def _plan_hit(number: int, section: str, measure: int | None = None):
    from knowledge.retrieval import Hit

    row = {"deadline": "2023年12月", "departments": "省级生态环境部门、市级生态环境部门"}
    passage = Passage(
        chunk_id=number,
        title=PLAN_TITLE,
        section=section,
        measure=measure,
        deadline=row["deadline"] if measure else None,
        departments=row["departments"] if measure else None,
        text=f"段落{number}",
    )
    return Hit(passage, 1.0, 1.0, 1.0, 1.0, number)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        # who and by when: only the measure's row says both
        ("严格把关许可证质量这活，是省里还是市里干？要在哪个月之前搞完？", 2),
        # who answers for it: the row's 责任部门
        ("严格把关许可证质量这事谁负责？", 2),
        ("严格把关许可证质量这项措施由哪些部门负责实施？", 2),
        # only who acts, or only what: the paragraph may say it
        ("严格把关许可证质量这活，是省里还是市里干？", 1),
        ("我们局里负责审批的同志，严格把关许可证质量这活谁来干？", 1),
        ("严格把关许可证质量这活主要审哪些内容？", 1),
    ],
)
def test_who_is_responsible_and_by_when_are_answered_by_the_measure_of_the_item(question, first):
    from knowledge.intent import detect
    from knowledge.retrieval import _measure_for_whom_and_by_when

    item = "（一）“双百”任务提质增效"
    hits = [
        _plan_hit(1, f"二、夯实排污许可证质量 > {item}"),
        _plan_hit(2, f"一、夯实排污许可证质量 > {item}", measure=1),
        _plan_hit(3, "二、夯实排污许可证质量 > （三）深化排污许可证质量复核", measure=10),
    ]
    asked = SimpleNamespace(intents=detect(fold(question)), folded=fold(question))
    assert _measure_for_whom_and_by_when(asked, hits)[0].number == first


def test_a_measure_of_another_item_does_not_take_the_paragraph_s_place():
    from knowledge.intent import detect
    from knowledge.retrieval import _measure_for_whom_and_by_when

    hits = [
        _plan_hit(1, "二、夯实排污许可证质量 > （一）“双百”任务提质增效"),
        _plan_hit(3, "一、夯实排污许可证质量 > （三）深化排污许可证质量复核", measure=10),
    ]
    question = fold("这活是省里还是市里干？哪个月之前搞完？")
    asked = SimpleNamespace(intents=detect(question), folded=question)
    assert _measure_for_whom_and_by_when(asked, hits)[0].number == 1


RADIATION_RULES = """# 示范射线装置安全和防护条例

第一条 为了加强对射线装置的安全和防护的监督管理，制定本条例。

第二条 使用射线装置的单位，应当取得许可证。

第三条 生态环境主管部门应当自受理申请之日起20个工作日内完成审查，符合条件的，颁发许可证。
"""


def test_a_licence_called_by_its_rule_s_subject_is_not_one_the_knowledge_base_lacks(
    session, tmp_path
):
    # people say 辐射安全许可证; the rule titled …安全和防护条例 only ever writes 许可证:
    # telling them the knowledge base holds nothing on “安全许可证” would be untrue
    from knowledge.retrieval import retrieve

    _ingest_text(session, tmp_path, "示范射线装置安全和防护条例.md", RADIATION_RULES)
    index = service.current_index(session)
    found = retrieve(index, "辐射安全许可证的申请材料交上去以后，多少个工作日能批？")
    assert found.unknown_subjects == []
    # a licence of another field stays unknown
    assert retrieve(index, "食品经营许可证多少个工作日能批？").unknown_subjects == ["经营许可证"]
