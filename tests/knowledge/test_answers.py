"""Answers on regulations: the article is cited, the sentence asked about is quoted, FAQ entries
cite their basis and never hide a passage that answers better, follow-ups keep the topic."""

from __future__ import annotations

import pytest

from core.regions.scope import NATIONAL
from knowledge import faq, importer, service
from knowledge.answers import cited_hits
from knowledge.index import Passage, refresh_index
from knowledge.models import FaqEntry
from knowledge.retrieval import Hit, Retrieval, retrieve
from tests.support.regulation import regulation_docx, regulation_markdown

TITLE = "示范排污许可管理办法"


@pytest.fixture
def regulation(session):
    return service.ingest_bytes(session, data=regulation_docx(), filename="办法.docx")


@pytest.fixture
def plan_and_regulation(session, plan, regulation):
    return plan, regulation


def _faq(session, question, answer, basis="", phrasings=(), province=None, city=None):
    entry = faq.create_faq(
        session, scope=NATIONAL, question=question, answer=answer, basis=basis, phrasings=phrasings
    )
    if province:
        entry.province, entry.city = province, city
        refresh_index(session)
    return entry


def test_the_answer_names_document_and_article_and_quotes_the_term(session, plan_and_regulation):
    answer = service.answer_question(session, question="排污许可证的有效期是几年？")
    assert answer.answered
    assert answer.sources[0].article == "第四条"
    assert f"《{TITLE}》第四条" in answer.answer
    assert "有效期为5年" in answer.answer
    assert "30日内" not in answer.answer  # the change paragraph does not answer it


def test_a_question_about_days_quotes_the_paragraph_with_the_days(session, plan_and_regulation):
    answer = service.answer_question(session, question="许可证到期前多少天要申请延续")
    assert answer.sources[0].article == "第四条"
    assert "60日前" in answer.answer


def test_a_fine_question_is_answered_by_the_penalty_article_not_a_canned_faq(
    session, plan_and_regulation
):
    _faq(
        session,
        "无证排污会被罚多少钱？",
        "本平台无法回答具体处罚标准，请咨询当地生态环境局。",
        phrasings=["没有排污许可证就排污会被罚多少钱"],
    )
    answer = service.answer_question(session, question="没有排污许可证就排污，会被罚多少钱？")
    assert answer.answered and answer.faq_id is None
    assert answer.sources[0].article == "第五条"
    assert "20万元以上100万元以下" in answer.answer


def test_faq_answers_return_their_basis_as_sources(session, plan_and_regulation):
    measure = _faq(session, "法人培训有什么要求？", "三年内全覆盖。", basis="行动计划措施33")
    article = _faq(session, "许可证能用几年？", "5年。", basis=f"《{TITLE}》第四条")
    nothing = _faq(session, "平台怎么用？", "在首页提问即可。", basis="")
    by_measure = service.answer_question(session, question="法人培训有什么要求？")
    assert by_measure.faq_id == measure.id and by_measure.sources[0].measure == 33
    by_article = service.answer_question(session, question="许可证能用几年？")
    assert by_article.faq_id == article.id and by_article.sources[0].article == "第四条"
    unsourced = service.answer_question(session, question="平台怎么用？")
    assert unsourced.faq_id == nothing.id and unsourced.sources == []


def test_everyday_wording_of_a_deadline_is_answered(session, plan):
    done = service.answer_question(session, question="法人培训啥时候必须搞完？")
    assert done.answered and "2024年12月" in done.answer
    rectified = service.answer_question(session, question="限期整改要啥时候前弄完")
    assert rectified.answered and "2022年底前" in rectified.answer


def test_when_must_it_be_finished_is_not_answered_with_when_it_starts(session, plan):
    answer = service.answer_question(session, question="清零行动什么时候完成？")
    assert answer.answered
    assert "2022年底前全面完成" in answer.answer


def test_a_follow_up_in_the_same_conversation_keeps_the_topic(session, plan):
    first = service.answer_question(
        session, question="法定代表人专题培训是什么要求", conversation="c1"
    )
    assert first.answered
    follow_up = service.answer_question(session, question="那它的截止时间呢", conversation="c1")
    assert follow_up.answered
    assert follow_up.sources[0].measure == 33 and "2024年12月" in follow_up.answer
    alone = service.answer_question(session, question="那它的截止时间呢", conversation="c2")
    assert not alone.answered


def test_a_regional_faq_entry_answers_only_askers_in_its_region(session, plan):
    entry = _faq(session, "本省排污许可咨询窗口在哪？", "省政务中心二楼。", province="江苏省")
    inside = service.answer_question(
        session, question="本省排污许可咨询窗口在哪？", province="江苏省", city="苏州市"
    )
    outside = service.answer_question(
        session, question="本省排污许可咨询窗口在哪？", province="浙江省", city="杭州市"
    )
    assert inside.faq_id == entry.id
    assert outside.faq_id != entry.id


def test_markdown_and_word_give_the_same_citations(session):
    md = service.ingest_bytes(
        session, data=regulation_markdown().encode(), filename="办法.md", title="办法甲"
    )
    docx = service.ingest_bytes(
        session, data=regulation_docx(), filename="办法.docx", title="办法乙"
    )
    assert md.chunks == docx.chunks


def test_a_regional_document_answers_only_askers_in_its_region(session, plan):
    from core.regions.scope import RegionScope
    from knowledge import documents
    from knowledge.ingest import parse_document

    local = "# 苏州市餐饮油烟管理规定\n\n第一条　餐饮单位应当每季度清洗油烟净化设施。\n\n" + (
        "第二条　清洗记录保存三年。\n\n第三条　本规定自公布之日起施行。\n"
    )
    parsed = parse_document(local.encode(), "local.md")
    documents.store_upload(session, parsed, scope=RegionScope("江苏省", "苏州市"))
    refresh_index(session)
    question = "餐饮油烟净化设施多久清洗一次"
    inside = service.answer_question(session, question=question, province="江苏省", city="苏州市")
    assert inside.answered and inside.sources[0].title == "苏州市餐饮油烟管理规定"
    outside = service.answer_question(session, question=question, province="浙江省", city="杭州市")
    assert all(s.title != "苏州市餐饮油烟管理规定" for s in outside.sources)
    anonymous = service.answer_question(session, question=question)
    assert all(s.title != "苏州市餐饮油烟管理规定" for s in anonymous.sources)


def test_the_faq_entry_about_the_group_asked_for_wins_over_a_neighbour(session, plan):
    from knowledge.demo import FAQ_PACK

    importer.import_faq(session, FAQ_PACK)
    answer = service.answer_question(session, question="技术机构的人每年要参加培训吗")
    assert answer.answered
    assert "技术机构" in answer.answer
    if answer.faq_id is not None:
        question = session.get(FaqEntry, answer.faq_id).question
        assert "审批人员" not in question


def test_a_frequency_no_passage_gives_is_refused_not_answered_with_a_neighbour(session, plan):
    answer = service.answer_question(session, question="执行报告多久交一次")
    assert not answer.answered and answer.sources == []


@pytest.mark.parametrize(
    "question",
    [
        "示范排污许可管理办法施行日期",
        "这个办法从哪天起施行？",
        "示范排污许可管理办法哪天施行",  # jieba cuts 哪天 into 哪 + 天: 天 is no topic
        "示範排污許可管理辦法是從什麼時候開始實施的？",  # 实施 and 是从 only ask "from when"
        "示范排污许可管理办法啥时候开始实行的？",  # 实行 as well
        # the only 办法 held: the closing article shares no word with it, yet answers
        "这办法啥时候生效",
        # jieba keeps the day with what follows it (哪 + 天起): still only "from when"
        "这个排污许可管理的办法是哪天起开始生效的？",
    ],
)
def test_when_a_regulation_takes_effect_is_its_closing_article(
    session, plan_and_regulation, question
):
    answer = service.answer_question(session, question=question)
    assert answer.answered
    assert (answer.sources[0].title, answer.sources[0].article) == (TITLE, "第六条")
    assert "2021年3月1日起施行" in answer.answer


DEFINITIONS = """# 示范固体废物管理规定

## 第一章 总则

第一条　为了加强固体废物管理，制定本规定。

第二条　产生固体废物的单位应当建立管理台账，如实记录种类、数量、流向等信息。

第三条　产生固体废物的单位应当采取防扬散、防流失、防渗漏等措施，不得擅自倾倒、堆放固体废物。

第四条　本规定所称贮存，是指将固体废物临时置于特定设施或者场所中的活动。
"""


def test_a_question_about_what_a_term_means_is_answered_by_the_definition(session):
    service.ingest_bytes(session, data=DEFINITIONS.encode(), filename="规定.md")
    found = retrieve(service.current_index(session), "固体废物贮存的含义是什么")
    assert found.hits[0].passage.article == "第四条"


@pytest.mark.parametrize(
    ("fitted", "changed"),
    [
        ({"w_subject": 0.0}, {"w_subject": 2.0}),
        ({"w_coverage_rank": 1.0}, {"w_coverage_rank": 2.0}),
    ],
)
def test_ranking_lifts_the_refusal_model_was_not_fitted_with_leave_its_features_as_fitted(
    session, plan_and_regulation, fitted, changed
):
    """The document prior and a coverage lift above the fitted weight move the scores, but the
    refusal model reads the fused score and margin as it was fitted."""
    from knowledge.retrieval import Params

    index = service.current_index(session)
    question = "排污许可证有效期届满要延续的，提前多少天申请？"
    plain = retrieve(index, question, params=Params(**fitted))
    lifted = retrieve(index, question, params=Params(**{**fitted, **changed}))
    assert lifted.hits[0].passage.chunk_id == plain.hits[0].passage.chunk_id
    assert lifted.hits[0].score != pytest.approx(plain.hits[0].score)  # the lift moved it
    for name in ("fused", "margin"):
        assert lifted.features[name] == pytest.approx(plain.features[name], abs=1e-6)
    assert lifted.confidence == pytest.approx(plain.confidence, abs=1e-6)


def _hit(title: str, article: str, score: float, chunk_id: int) -> Hit:
    passage = Passage(chunk_id, title, None, None, None, None, f"{article}　……", article)
    return Hit(passage, score, 0.0, 0.0, 0.0)


def test_a_regulation_restating_its_law_is_cited_beside_it():
    law, regulation = "环境影响评价法", "建设项目环境保护管理条例"
    hits = [
        _hit(law, "第十六条", 5.0, 1),
        _hit(law, "第十九条", 4.8, 2),
        _hit(law, "第二十条", 4.6, 3),
        _hit(regulation, "第七条", 4.4, 4),
    ]
    cited = [(h.passage.title, h.passage.article) for h in cited_hits(hits)]
    assert cited == [(law, "第十六条"), (law, "第十九条"), (regulation, "第七条")]


def test_another_document_far_below_does_not_displace_the_third_article():
    law = "环境影响评价法"
    hits = [
        _hit(law, "第十六条", 5.0, 1),
        _hit(law, "第十九条", 4.8, 2),
        _hit(law, "第二十条", 4.6, 3),
        _hit("大气污染防治法", "第九条", 3.0, 4),
    ]
    assert [h.passage.article for h in cited_hits(hits)] == ["第十六条", "第十九条", "第二十条"]


def test_a_second_piece_of_the_same_article_is_cited_once():
    law = "水污染防治法"
    hits = [_hit(law, "第十条", 5.0, 1), _hit(law, "第十条", 4.9, 2), _hit(law, "第九条", 4.0, 3)]
    assert [h.passage.article for h in cited_hits(hits)] == ["第十条", "第九条"]


PROMULGATED = """# 示范城镇排水条例

2013年9月18日 国务院第24次常务会议通过

2013年10月2日 国务院令第641号公布 《国务院关于修改〈示范城镇排水条例〉的决定》修订

<!-- INFO END -->

## 第一章　总则

第一条 为了加强城镇排水管理，保障排水设施安全运行，制定本条例。

第二条 城镇排水设施的建设、维护与保护，适用本条例。

第三条 排水户向城镇排水设施排放污水，应当申请领取排水许可证。

第四条 本条例自2014年1月1日起施行。
"""


@pytest.mark.parametrize(
    "question", ["《示范城镇排水条例》制定的目的是什么？", "示范城镇排水条例管哪些事"]
)
def test_the_promulgation_lines_answer_only_dates_not_any_question_naming_the_document(
    session, question
):
    """They repeat the title (in the amendment line too), so they match every question that names
    the document; what they answer is when and how it was adopted."""
    service.ingest_bytes(session, data=PROMULGATED.encode(), filename="示范城镇排水条例.md")
    answer = service.answer_question(session, question=question)
    assert answer.sources and answer.sources[0].article is not None


def test_the_year_of_adoption_is_read_from_the_promulgation_lines(session):
    service.ingest_bytes(session, data=PROMULGATED.encode(), filename="示范城镇排水条例.md")
    answer = service.answer_question(session, question="示范城镇排水条例是哪年通过的")
    assert answer.answered and answer.sources[0].article is None
    assert "2013年9月18日 国务院第24次常务会议通过" in answer.answer


class TestTheMeasureRowOfAParagraph:
    """A plan's paragraph says what is to be done; its measure row says by when and by whom."""

    @pytest.fixture
    def embedder(self, use_embedder):
        return use_embedder  # the ranking these questions rest on is the bundled encoder's

    def test_when_asked_the_undated_paragraph_is_followed_by_its_items_row(self, session, plan):
        answer = service.answer_question(session, question="信用公示模块几时上线？")
        assert answer.answered
        assert answer.answer.startswith("根据《排污许可提质增效行动计划（2022—2024 年）》（十二）")
        assert (
            "对应的《排污许可提质增效行动计划（2022—2024 年）》具体工作措施第39条" in answer.answer
        )
        assert answer.answer.endswith("完成时限：2024年12月；责任部门：生态环境部。")

    def test_a_paragraph_that_gives_its_own_date_stands_alone(self, session, plan):
        answer = service.answer_question(session, question="限期整改要啥时候前弄完")
        assert "2022年底前" in answer.answer and "对应的" not in answer.answer

    def test_what_is_asked_without_a_time_gets_no_row(self, session, plan):
        answer = service.answer_question(session, question="信用公示模块是干什么的？")
        assert "对应的" not in answer.answer


def _plan_hit(text: str, score: float, chunk_id: int, measure=None) -> Hit:
    facts = ("2024年12月", "生态环境部") if measure is not None else (None, None)
    section = "二 > （十二）规范第三方服务市场"
    return Hit(Passage(chunk_id, "行动计划", section, measure, *facts, text), score, 0.0, 0.0, 0.0)


def test_a_measure_row_is_quoted_after_its_paragraph_only_when_it_is_cited():
    from knowledge.answers import _row_giving_the_time

    paragraph = _plan_hit("设置信息公开模块，加强信用信息公示。", 3.0, 1)
    neighbour = _plan_hit("规范技术机构管理。", 2.9, 2)
    row = _plan_hit("设置信息公开模板。", 2.8, 3, measure=39)
    found = Retrieval("信用公示模块几时上线？", "", [paragraph, neighbour, row], 0.9, True)
    assert _row_giving_the_time(found) is row.passage
    # another document's passage nearly as high takes the third citation: the row is not cited
    law = Hit(Passage(4, "某法", None, None, None, None, "第一条"), 2.7, 0.0, 0.0, 0.0)
    found.hits.append(law)
    assert _row_giving_the_time(found) is None
