"""Answering, logging, feedback, FAQ answers and the index lifecycle (fake embedder)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from core.errors import Invalid, NotFound
from knowledge import importer, service, texts
from knowledge.index import IndexManager, refresh_index
from knowledge.models import AnswerFeedback, Chunk, Document, FaqEntry, QuestionLog
from knowledge.term_links import load_links


def test_question_about_the_boss_finds_measure_33_with_deadline_and_departments(session, plan):
    answer = service.answer_question(session, question="老板要参加什么培训，截止到啥时候？")
    assert answer.answered
    assert answer.sources[0].measure == 33
    assert "2024年12月" in answer.answer
    assert "生态环境部、省级生态环境部门" in answer.answer
    assert "法定代表人专题培训班" in answer.answer


def test_what_the_plan_is_for_is_answered_by_its_opening(session, plan):
    answer = service.answer_question(
        session,
        question="这个排污许可提质增效的计划，说到底是想建成个什么样的监管体系，最终为了啥？",
    )
    assert answer.answered
    assert "为深入打好污染防治攻坚战奠定良好基础" in answer.sources[0].text


def test_traditional_chinese_question_is_answered(session, plan):
    answer = service.answer_question(session, question="質量複核工作機制怎麼建")
    assert answer.answered
    assert any("质量复核工作机制" in s.text for s in answer.sources[:3])


def test_out_of_scope_question_is_refused_politely_with_suggestions(session, plan):
    answer = service.answer_question(session, question="办理排污许可证需要多少个工作日")
    assert not answer.answered
    assert answer.answer == texts.REFUSAL
    assert "生态环境局" in answer.answer
    assert 1 <= len(answer.suggestions) <= 3
    assert answer.sources == []


def test_suggestions_are_questions_the_knowledge_base_answers(session, plan):
    refused = service.answer_question(session, question="某化工厂的氨氮许可排放浓度是多少")
    assert refused.suggestions
    for suggestion in refused.suggestions:
        assert service.answer_question(session, question=suggestion).answered


def test_related_passages_are_suggested_before_unrelated_ones(session, plan):
    related = service.answer_question(session, question="办理排污许可证需要多少个工作日")
    unrelated = service.answer_question(session, question="年假怎么请")
    assert "健全排污许可证质量源头把关机制有哪些要求？" in related.suggestions
    assert not unrelated.answered and 1 <= len(unrelated.suggestions) <= 3


def test_close_faq_questions_are_suggested_first(session, plan, write_faq):
    importer.import_faq(
        session,
        write_faq([("排污许可证要交多少钱", "办证收费吗", "行动计划没有涉及收费。", "", "")]),
    )
    answer = service.answer_question(session, question="排污许可证收费标准是多少钱一年")
    assert not answer.answered
    assert answer.suggestions[0] == "排污许可证要交多少钱"


def test_every_question_is_logged_with_channel_and_hashed_client(session, plan):
    answer = service.answer_question(
        session,
        question="年假怎么请",
        channel="telegram",
        client="chat-42",
        province="江苏省",
        city="苏州市",
    )
    log = session.get(QuestionLog, answer.log_id)
    assert log.question == "年假怎么请"
    assert (log.channel, log.province, log.city) == ("telegram", "江苏省", "苏州市")
    assert log.answered is False and log.confidence == pytest.approx(answer.confidence, abs=1e-4)
    assert log.client_hash and "chat-42" not in log.client_hash


@pytest.mark.parametrize("question", ["", "   ", "问" * 501])
def test_empty_or_overlong_questions_are_invalid(session, question):
    with pytest.raises(Invalid):
        service.answer_question(session, question=question)


def test_empty_knowledge_base_refuses(session):
    answer = service.answer_question(session, question="排污许可证质量怎么审核")
    assert not answer.answered
    assert answer.sources == []


def test_feedback_counts_once_per_voter_and_can_change(session, plan):
    answer = service.answer_question(session, question="清零行动什么时候启动")
    service.record_feedback(session, log_id=answer.log_id, helpful=True, voter="ip:1.2.3.4")
    service.record_feedback(session, log_id=answer.log_id, helpful=True, voter="ip:1.2.3.4")
    service.record_feedback(session, log_id=answer.log_id, helpful=False, voter="ip:1.2.3.4")
    service.record_feedback(session, log_id=answer.log_id, helpful=True, voter="ip:5.6.7.8")
    votes = session.scalars(
        select(AnswerFeedback.helpful)
        .where(AnswerFeedback.question_log_id == answer.log_id)
        .order_by(AnswerFeedback.id)
    ).all()
    assert votes == [False, True]


def test_feedback_on_unknown_answer_is_not_found(session):
    with pytest.raises(NotFound):
        service.record_feedback(session, log_id=987654, helpful=True, voter="x")


def test_reingesting_a_changed_document_replaces_its_chunks(session, tmp_path):
    path = tmp_path / "rules.md"
    path.write_text("# 管理办法\n## 一、总则\n旧的条文内容。", encoding="utf-8")
    first = service.ingest_path(session, path)
    path.write_text(
        "# 管理办法\n## 一、总则\n新的条文内容。\n## 二、附则\n自发布之日起施行。", encoding="utf-8"
    )
    second = service.ingest_path(session, path)
    third = service.ingest_path(session, path)
    assert (first.status, second.status, third.status) == ("created", "replaced", "unchanged")
    texts_ = session.scalars(
        select(Chunk.text).join(Document).where(Document.title == "管理办法")
    ).all()
    assert sorted(texts_) == ["新的条文内容。", "自发布之日起施行。"]
    assert session.scalar(select(func.count()).select_from(Document)) == 1


def test_unsupported_file_is_rejected_in_chinese(session, tmp_path):
    path = tmp_path / "notes.odt"
    path.write_bytes(b"data")
    with pytest.raises(Invalid, match="不支持的文件类型"):
        service.ingest_path(session, path)


def test_faq_entry_is_returned_word_for_word_with_its_basis(session, plan, write_faq):
    path = write_faq(
        [
            (
                "法定代表人培训什么时候要全覆盖？",
                "老板培训截止时间|法人培训啥时候完成",
                "重点管理排污单位的法定代表人培训要在2024年12月前全覆盖。",
                "行动计划措施33",
                "培训",
            ),
        ]
    )
    report = importer.import_faq(session, path)
    assert report.created == 1 and not report.errors
    answer = service.answer_question(session, question="法人培训啥时候完成")
    assert answer.answered and answer.faq_id is not None
    assert answer.answer.startswith("重点管理排污单位的法定代表人培训要在2024年12月前全覆盖。")
    assert "依据：行动计划措施33" in answer.answer
    assert answer.sources[0].measure == 33


def test_faq_import_reports_bad_lines_and_writes_nothing(session, write_faq):
    path = write_faq(
        [
            ("好问题", "", "好答案", "", ""),
            ("", "", "没有问题的答案", "", ""),
            ("好问题", "", "重复", "", ""),
        ]
    )
    report = importer.import_faq(session, path)
    assert list(report.error_lines()) == ["第3行: 问题不能为空", "第4行: 问题与第2行重复"]
    assert session.scalar(select(func.count()).select_from(FaqEntry)) == 0


def test_running_process_picks_up_new_index_version(session, plan, manager):
    service.answer_question(session, question="清零行动什么时候启动")
    builds = manager.builds
    service.answer_question(session, question="清零行动什么时候启动")
    assert manager.builds == builds  # unchanged version: the snapshot is reused
    refresh_index(session)
    service.answer_question(session, question="清零行动什么时候启动")
    assert manager.builds == builds + 1


def test_warm_up_works_out_every_table_a_snapshot_would_build_for_its_first_questions(
    session, plan, write_faq
):
    importer.import_faq(session, write_faq([("证丢了怎么办", "", "补办即可。", "", "")]))
    service.warm_up(session)
    index = service.current_index(session)
    built_on_first_use = [
        f.name for f in dataclasses.fields(index) if f.default is None and f.name != "query_cache"
    ]
    assert "typo_sounds" in built_on_first_use and "penalties_citing" in built_on_first_use
    assert [name for name in built_on_first_use if getattr(index, name) is None] == []
    assert len(index.titled_texts) == len(index.passages)
    assert len(index.faq_units) == len(index.faq_items) > 0
    links = load_links()
    assert len(index.passage_index.linked_numbers(links)) == len(links.links)


def test_index_survives_a_restart_without_re_embedding(session, plan, index_dir, embedder):
    service.answer_question(session, question="清零行动什么时候启动")
    embedded = embedder.texts
    assert embedded > 50
    restarted = IndexManager(index_dir, lambda: embedder)  # a new process on the same DATA_DIR
    service.set_index_manager(restarted)
    answer = service.answer_question(session, question="清零行动什么时候启动")
    assert answer.answered
    assert embedder.texts <= embedded + 1  # at most the question itself was embedded
    assert (index_dir / "index").exists()


def test_long_paragraph_is_quoted_by_the_sentence_that_answers(session, plan):
    answer = service.answer_question(session, question="三监联动里执法部门发现问题要反馈给谁")
    assert answer.answered
    assert "执法部门将在执法监管过程中发现的问题清单及时反馈给排污许可证审批部门" in answer.answer
    assert "……" in answer.answer
    assert len(answer.answer) < len(answer.sources[0].text) + 60


def test_dense_model_can_be_skipped_when_words_decide(session, plan, embedder):
    """With ``dense_skip_margin`` set (off by default: the refusal model reads the dense
    similarity), a question BM25 decides on its own is not embedded, and ranks the same."""
    from knowledge.retrieval import Params, retrieve

    index = service.current_index(session)
    before = embedder.texts
    decided = retrieve(index, "清零行动什么时候启动", params=Params(dense_skip_margin=0.8))
    assert embedder.texts == before  # BM25's winner is far ahead: no embedding needed
    always = retrieve(index, "清零行动什么时候启动")
    assert embedder.texts == before + 1
    assert decided.hits[0].passage == always.hits[0].passage


def test_a_broken_embedding_model_falls_back_to_bm25(session, plan, index_dir, caplog):
    from knowledge.embedder import make_embedder

    broken = IndexManager(index_dir, lambda: make_embedder(str(index_dir / "no-such-model")))
    service.set_index_manager(broken)
    answer = service.answer_question(session, question="清零行动什么时候启动")
    assert answer.answered
    assert "BM25 only" in caplog.text


def test_a_faq_entry_on_the_topic_does_not_answer_for_a_web_address_it_does_not_give(
    session, plan, write_faq
):
    importer.import_faq(
        session,
        write_faq(
            [
                (
                    "培训云讲堂有什么内容？",
                    "云讲堂讲什么|云讲堂的网址是多少",
                    "云讲堂提供排污许可培训小视频，课程安排以主管部门发布的信息为准。",
                    "行动计划措施30",
                    "培训",
                )
            ]
        ),
    )
    about = service.answer_question(session, question="云讲堂讲什么")
    assert about.answered and about.faq_id is not None
    address = service.answer_question(session, question="云讲堂的网址是多少")
    assert address.faq_id is None


@pytest.mark.parametrize(
    "question",
    [
        "全国排污许可证管理信息平台的网址是什么",
        "排污许可培训一共多少学时",
        "行动计划是哪一年印发的",
    ],
)
def test_a_concrete_value_the_documents_do_not_give_is_refused(session, plan, question):
    # the plan speaks of the platform, of training and of years, but gives no web address,
    # no number of hours and no date of its own issue
    answer = service.answer_question(session, question=question)
    assert not answer.answered


def test_a_long_question_about_something_else_entirely_is_refused(session, plan):
    # many words, none of them the plan's: length must not pass for relevance
    answer = service.answer_question(
        session,
        question=(
            "七月份打算带爸妈去云南大理丽江玩一周，老人膝盖不太好，想问问那边七月天气怎么样、"
            "雨多不多、要不要带厚衣服，住古城里面还是外面方便一点"
        ),
    )
    assert not answer.answered


@pytest.mark.parametrize(
    "question",
    [
        "排污许可培训班在哪里报名",
        "排污许可的微信公众号叫什么名字",
        "排污许可知识竞赛在哪个城市举办",
        "排污许可证执行报告填错了怎么撤回",
        "排污许可管理信息平台用哪个牌子的软件好",
    ],
)
def test_a_near_miss_on_the_plan_s_topic_is_refused(session, plan, question):
    # the plan speaks of training, accounts, contests, reports and the platform, but never of
    # signing up, an account's name, a venue, undoing a report or a brand
    answer = service.answer_question(session, question=question)
    assert not answer.answered


@pytest.mark.parametrize(
    "question", ["取水许可证的审批流程是怎样的", "营业执照变更的办理流程是怎样的"]
)
def test_a_licence_the_documents_never_name_is_refused(session, plan, question):
    # the plan's 排污许可证 流程 match the words; the licence asked about is another one
    answer = service.answer_question(session, question=question)
    assert not answer.answered


def test_the_refusal_names_the_licence_or_assessment_the_documents_do_not_cover(session, plan):
    answer = service.answer_question(session, question="取水许可证的审批流程是怎样的")
    assert "“取水许可证”" in answer.answer and not answer.sources
    answer = service.answer_question(session, question="排污许可和节能评估哪个先办")
    assert "“节能评估”" in answer.answer


@pytest.mark.parametrize(
    "question",
    ["排污许可证申请前要不要先做安全预评价", "排污许可和节能评估哪个先办", "水土保持方案谁来审批"],
)
def test_an_assessment_other_than_the_environmental_one_is_refused(session, plan, question):
    # 多评合一: safety, energy and soil-conservation assessments share 评价/审批/办 with the plan
    answer = service.answer_question(session, question=question)
    assert not answer.answered


@pytest.mark.parametrize(
    "question",
    ["某化工有限公司的排污许可证是否已经注销了", "隔壁那家电镀厂的排污许可证是不是已经被吊销了"],
)
def test_a_particular_firm_s_record_is_refused(session, plan, question):
    # the plan says how licences are revoked, not whose licence has been
    answer = service.answer_question(session, question=question)
    assert not answer.answered


def test_the_entries_of_a_list_the_documents_do_not_hold_are_refused(session, plan):
    # the plan speaks of the classification list, not of what it lists
    answer = service.answer_question(
        session, question="按照排污许可分类管理名录，印刷厂是重点管理还是简化管理"
    )
    assert not answer.answered


LIST_RULES = """# 某市重点排污单位名录管理办法
第一条　为了加强对重点排污单位的监督管理，制定本办法。
第二条　本办法所称重点排污单位，包括水环境重点排污单位、大气环境重点排污单位和土壤污染重点监管单位。
第三条　市级生态环境主管部门应当于每年3月底前确定本年度重点排污单位名录，并向社会公布。
"""


def test_a_rule_about_one_list_holds_neither_that_list_nor_another(session):
    # the rule says which kinds of units its list holds; a title with 名录 in it is no list
    _ingest_rules(session, LIST_RULES)
    kinds = service.answer_question(session, question="重点排污单位名录包括哪些单位")
    assert kinds.answered and kinds.sources[0].article == "第二条"
    other = service.answer_question(session, question="排污许可分类名录里，哪些行业属于简化管理")
    assert not other.answered


@pytest.mark.parametrize(
    "question", ["第Ⅱ类排污单位的排污许可证怎么审核", "国五车的排污许可怎么管理"]
)
def test_a_grade_the_documents_never_use_is_refused(session, plan, question):
    # the plan speaks of 排污单位 and 排污许可证 审核, never of these grades
    answer = service.answer_question(session, question=question)
    assert not answer.answered


def test_an_index_in_latin_letters_the_documents_never_name_is_refused_by_name(session, plan):
    answer = service.answer_question(session, question="ESG评级里排污许可执行情况占多大权重")
    assert not answer.answered
    assert "ESG" in answer.answer


def _ingest_rules(session, rules: str) -> None:
    """A small local rule in markdown, ingested as a bureau's upload."""
    service.ingest_bytes(session, data=rules.encode("utf-8"), filename="rules.md")


AIR_RULES = """# 某市大气污染防治办法
第一条　为了防治大气污染，制定本办法。
第二条　排放恶臭气体的排污单位，应当科学选址，并安装净化装置或者采取其他措施，防止排放恶臭气体。
第三条　排放油烟的餐饮服务业经营者应当安装油烟净化设施并保持正常使用。
第四条　施工单位应当对裸露地面进行覆盖。
第五条　运输煤炭、垃圾、渣土的车辆应当采取密闭或者其他措施防止物料遗撒。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("我们厂老是有臭味被投诉，该怎么处理", "第二条"),
        ("开饭店要装什么设备", "第三条"),
    ],
)
def test_everyday_words_find_the_article_in_the_statute_s_wording(session, question, article):
    _ingest_rules(session, AIR_RULES)
    answer = service.answer_question(session, question=question)
    assert answer.answered and answer.sources[0].article == article


PERMIT_PENALTIES = """# 某市排污许可实施办法
第一条　排污单位应当依法申请取得排污许可证，按照排污许可证的规定排放污染物。\
排污许可证载明许可排放的污染物种类。
第二条　排污许可证有效期届满需要继续排污的，应当申请延续排污许可证。\
排污许可证变更的，应当重新核发排污许可证。
第三条　排污许可证遗失的，排污单位可以申请补领排污许可证。
第四条　违反本办法规定，未依法取得排污许可证排放污染物的，处十万元以上一百万元以下的罚款。
"""


@pytest.mark.parametrize("question", ["没有排污许可证就排污，会被罚多少钱？", "没证排污罚多少"])
def test_no_permit_in_everyday_words_finds_the_penalty_for_it(session, plan, question):
    _ingest_rules(session, PERMIT_PENALTIES)
    answer = service.answer_question(session, question=question)
    assert answer.answered and answer.sources[0].article == "第四条"


PERMIT_CLASSES = """# 某市排污许可管理办法
第一条　为了加强排污许可管理，制定本办法。
第二条　排污单位应当依照本办法规定申请取得排污许可证。\
根据污染物产生量、排放量、对环境的影响程度等因素，对排污单位实行排污许可分类管理：重点管理和简化管理。
第三条　审批部门应当自受理申请之日起20日内作出审批决定。
"""


def test_a_faq_entry_on_the_classes_does_not_answer_how_they_are_drawn(session, write_faq):
    _ingest_rules(session, PERMIT_CLASSES)
    importer.import_faq(
        session,
        write_faq(
            [
                (
                    "重点管理和简化管理都要有证吗？",
                    "重点管理简化管理都要有证吗",
                    "要。重点管理和简化管理的排污单位都要持证排污。",
                    "某市排污许可管理办法第二条",
                    "持证",
                )
            ]
        ),
    )
    answer = service.answer_question(session, question="重点管理和简化管理是按什么分的")
    assert answer.answered and answer.faq_id is None
    assert answer.sources[0].article == "第二条"
    assert "等因素" in answer.answer


NOISE_RULES = """# 某市噪声污染防治办法
第一条　为了防治噪声污染，制定本办法。
第二条　建设噪声敏感建筑物，应当符合民用建筑隔声设计相关标准要求，\
不符合标准要求的，不得通过验收、交付使用。
第三条　禁止在商业经营活动中使用高音广播喇叭进行广告宣传。
第四条　在街道、广场、公园等公共场所组织或者开展娱乐、健身等活动，\
应当遵守有关活动区域、时段、音量等规定。
第五条　经劝阻未能制止，持续干扰他人正常生活的，由公安机关依法给予治安管理处罚。
第六条　约谈地方人民政府主要负责人的，约谈情况应当向社会公开。
第七条　约谈地方人民政府的，约谈情况应当向社会公开。
第八条　禁止驾驶加装排气管等擅自改装的机动车以轰鸣、疾驶等方式造成噪声污染。
第九条　使用油烟净化器、风机等设备的，应当采取有效措施，防止噪声扰民。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("开发商盖的楼隔音不过关，还能交房吗", "第二条"),
        ("广场舞放得太响有没有人管", "第四条"),
        ("晚上跳广场舞太吵谁来管", "第四条"),
        ("邻居半夜吵，劝了不听能报警吗", "第五条"),
        ("约谈县里一把手的情况会公开吗", "第六条"),
        ("晚上总有人炸街，法律管不管", "第八条"),
        ("楼下饭馆的油烟机嗡嗡响，吵得睡不着怎么办", "第九条"),
    ],
)
def test_everyday_words_of_noise_find_the_statute_s_wording(session, question, article):
    # what is specified is the article found; whether to answer is the refusal model's (楼下饭馆的
    # 油烟机… is held for a near miss at 0.59 since session 25)
    _ingest_rules(session, NOISE_RULES)
    best = service.explain(session, question=question)["hits"][0]
    assert best.text.startswith(article)


SITE_RULES = """# 某市建设工地环境管理办法
第一条　排放污染物的单位应当依法申请取得排污许可证，并按照排污许可证的规定排放污染物。\
施工单位应当在施工工地设置硬质围挡，并采取覆盖、分段作业、择时施工、洒水抑尘等防治扬尘污染的措施。
第二条　从事收集、贮存、处置危险废物经营活动的单位，应当申请取得许可证。
"""


def test_a_licence_is_named_only_by_its_words_close_together(session):
    _ingest_rules(session, SITE_RULES)
    # the first article has 施工 and 许可证, but far apart: it names no 施工许可证
    far = service.answer_question(session, question="建筑工程施工许可证要交哪些材料")
    assert not far.answered and "“施工许可证”" in far.answer
    near = service.answer_question(session, question="危险废物经营许可证谁来发")
    assert "经营许可证" not in near.answer


def test_an_import_licence_is_the_import_and_export_licence_a_rule_names(session, plan):
    _ingest_rules(
        session,
        "# 某市消耗臭氧层物质管理办法\n第一条　为了保护臭氧层，制定本办法。\n"
        "第二条　进出口消耗臭氧层物质的单位，应当向海关出具进出口许可证，办理报关手续。\n"
        "第三条　无进出口许可证进出口消耗臭氧层物质的，由海关依法处罚。\n",
    )
    question = "没有进口许可证就把一批制冷剂报关进来了，谁来罚"
    answer = service.answer_question(session, question=question)
    assert answer.answered and "消耗臭氧层" in answer.sources[0].title


WATER_RULES = """# 某市地下水管理办法
第一条　为了加强地下水管理，制定本办法。
第二条　取用地下水的单位和个人应当依法申请取得取水许可证。\
以监测、勘探为目的的地下水取水工程，不需要申请取水许可，但应当在施工前备案。
第三条　新建地下水取水工程，应当同时安装计量设施。\
未安装计量设施的，由水行政主管部门责令限期安装，处二万元以上十万元以下的罚款。
第四条　县级以上人民政府应当推广节水灌溉技术，发展高效节水农业。
第五条　本办法所称地下水，是指赋存于地表以下的水。
第六条　报废的水井未按规定封井的，由水行政主管部门责令限期封井，处一万元以上五万元以下的罚款。
第七条　县级以上人民政府应当推广先进适用的地下水污染防治技术和方法。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # 去水 is a word jieba knows, so no typo is corrected: the licence is still the 取水许可证
        ("打勘探用的井也要办去水许可证吗", "第二条"),
        # farmers' and drillers' words for 计量设施, 节水 and 灌溉
        ("井上没装水表让人查着了，得罚多少钱", "第三条"),
        ("政府都推啥省水的浇地法子", "第四条"),
        ("啥叫地下水", "第五条"),
    ],
)
def test_a_well_owner_s_words_find_the_groundwater_article(session, plan, question, article):
    _ingest_rules(session, WATER_RULES)
    answer = service.answer_question(session, question=question)
    assert answer.answered and answer.sources[0].article == article


SAFETY_REVIEW_RULES = """# 某市核技术利用单位安全监督管理办法
第一条　为了加强核技术利用单位的安全监督管理，制定本办法。
第二条　营运单位应当每十年对其设施进行一次定期安全评价，\
并将定期安全评价报告报送市生态环境主管部门审查。
第三条　营运单位应当建立健全辐射防护和质量保证制度，配备专职管理人员。
第四条　营运单位应当制定辐射事故应急预案，每年至少组织一次应急演练。
"""


@pytest.mark.parametrize(
    "question",
    ["定期安评搞完了，报告要不要交上去审查？", "定期安全评估做完以后，报告交给谁审查？"],
)
def test_an_assessment_named_in_short_or_with_the_other_noun_is_the_one_the_rule_writes(
    session, plan, question
):
    # 安评 and 安全评估 are the 安全评价 the rule writes: no assessment it does not cover
    _ingest_rules(session, SAFETY_REVIEW_RULES)
    from knowledge.retrieval import retrieve

    assert retrieve(service.current_index(session), question).unknown_subjects == []
    answer = service.answer_question(session, question=question)
    assert answer.answered and answer.sources[0].article == "第二条"


FARM_RULES = """# 某市畜禽养殖污染防治办法
第一条　为了防治畜禽养殖污染，制定本办法。
第二条　畜禽养殖场应当建设粪便、污水贮存和处理设施，禁止向河道直接排放未经处理的粪水。
第三条　任何单位和个人对违反本办法规定的行为，有权向县级以上人民政府环境保护主管部门举报。
第四条　环境保护主管部门进行现场检查时，被检查的养殖场应当如实反映情况。
第五条　向河道排放未经处理的畜禽粪水的，由环境保护主管部门责令改正，处五万元以下的罚款。
"""


@pytest.mark.parametrize("question", ["看见邻村猪场往河里排粪水，俺能找谁反映？"])
def test_where_to_report_a_polluter_is_the_article_granting_the_right(session, plan, question):
    # the question's words are about the pigsty and the river; 如实反映情况 is an inspection duty
    _ingest_rules(session, FARM_RULES)
    answer = service.answer_question(session, question=question)
    assert answer.answered and answer.sources[0].article == "第三条"


RESERVE_RULES = """# 某国家级自然保护区监督检查办法
第一条　为了加强对国家级自然保护区的监督检查，制定本办法。
第四条　有关单位或者人员对依法进行的监督检查应当给予支持与配合，如实反映情况，提供有关资料，\
不得拒绝或者妨碍监督检查工作。
第五条　任何单位和个人都有权对污染或者破坏国家级自然保护区的单位、个人以及不履行或者不依法履行\
国家级自然保护区监督管理职责的机构进行检举或者控告。
第十三条　国家级自然保护区执法检查的内容应当包括：（一）国家级自然保护区的设立、范围和功能区的调整\
是否符合有关规定；（二）国家级自然保护区内是否存在违法砍伐、放牧、狩猎、捕捞、采药、开垦、烧荒、\
开矿、采石、挖沙等活动。
"""


@pytest.mark.parametrize(
    "question",
    [
        "我在国家级保护区里看到有人偷偷挖沙往外拉，我就是个普通老百姓，能去举报吗？",
        "保护区管理局不作为能告吗",
    ],
)
def test_whether_one_may_report_is_the_article_granting_the_right(session, question):
    # the right is granted far from its verb: 有权对…的单位、个人以及…的机构进行检举或者控告
    _ingest_rules(session, RESERVE_RULES)
    answer = service.answer_question(session, question=question)
    assert answer.answered and answer.sources[0].article == "第五条"


OZONE_RULES = """# 某市消耗臭氧层物质管理办法
第一条　为了加强对消耗臭氧层物质的管理，保护臭氧层和生态环境，制定本办法。
第二条　从事消耗臭氧层物质经营活动的单位，应当向所在地环境保护主管部门备案。
第三条　消耗臭氧层物质的销售单位，应当完整保存有关生产经营活动的原始资料至少3年。
第四条　无生产配额许可证生产消耗臭氧层物质的，责令停止违法行为，处20万元以上50万元以下的罚款。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # ODS is what the trade calls 消耗臭氧层物质; a Latin word no document writes would
        # otherwise be taken for a subject the knowledge base does not cover
        ("ODS经营台账要保存几年？", "第三条"),
        ("无证生产ODS罚多少？", "第四条"),
    ],
)
def test_the_trade_s_acronyms_find_the_statute_s_chinese_names(session, question, article):
    _ingest_rules(session, OZONE_RULES)
    answer = service.answer_question(session, question=question)
    assert answer.answered and answer.sources[0].article == article


RECYCLING_RULES = """# 某市废弃电器电子产品回收处理办法
第一条　为了规范废弃电器电子产品的回收处理活动，制定本办法。
第二条　电器电子产品生产者应当履行生产者责任延伸义务，可以委托销售者、维修机构回收废弃电器电子产品。
第三条　申请废弃电器电子产品处理资格，应当具备完善的处理设施和相应的专业技术人员。
第四条　核设施操纵员和高级操纵员应当持有执照上岗。
第五条　产生放射性废物的单位，应当将放射性废物送交取得许可证的贮存单位贮存。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("家电厂商落实EPR，能不能委托经销商帮着收旧机？", "第二条"),
        ("申请WEEE处理资格要满足啥条件？", "第三条"),
        ("SRO要持证上岗吗", "第四条"),
        # everyday names: 电子垃圾 is 废弃电器电子产品, 核废料 is 放射性废物
        ("拆电子垃圾要啥资格？", "第三条"),
        ("核废料该交给谁？", "第五条"),
        ("核废料能自己留着吗", "第五条"),
    ],
)
def test_recycling_and_nuclear_acronyms_are_read_as_the_rule_s_terms(session, question, article):
    _ingest_rules(session, RECYCLING_RULES)
    answer = service.answer_question(session, question=question)
    assert answer.answered and answer.sources[0].article == article


TESTING_RULES = """# 某省核安全设备焊接和无损检验人员资格管理办法
第一条　为了加强核安全设备焊接人员和无损检验人员的资格管理，制定本办法。
第二条　焊接人员资格分为Ⅰ级（初级）、Ⅱ级（中级）和Ⅲ级（高级）。
第三条　无损检验人员资格分为Ⅰ级、Ⅱ级和Ⅲ级。
第四条　申请焊接人员Ⅱ级资格考核的，应当从事焊接工作满三年。
第五条　申请无损检验人员Ⅱ级资格考核的，应当从事无损检验工作满二年。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # NDT is what the trade types for 无损检验; a Latin word no document writes would
        # otherwise be taken for a subject the knowledge base does not cover
        ("NDT资格分几级？", "第三条"),
        ("想考NDT二级证，得干满几年？", "第五条"),
    ],
)
def test_ndt_is_read_as_non_destructive_testing(session, question, article):
    _ingest_rules(session, TESTING_RULES)
    answer = service.answer_question(session, question=question)
    assert answer.answered and answer.sources[0].article == article


BUREAU_RULES = """# 某市医疗废物管理办法
第一条　为了加强医疗废物的管理，防止疾病传播，保护环境，制定本办法。
第二条　县级以上卫生健康主管部门负责医疗机构内医疗废物分类收集、暂时贮存的监督管理。
第三条　县级以上生态环境主管部门负责医疗废物集中处置的监督管理。
第四条　交通运输主管部门负责医疗废物运输车辆的道路运输管理。
第五条　市场监督管理部门负责医疗废物包装物、容器产品质量的监督管理。
第六条　城市管理部门负责查处将医疗废物混入生活垃圾的行为。
第七条　应急管理部门负责医疗废物处置单位安全生产的监督管理。
"""


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # the door sign of the bureau, not the department's name in the rule
        ("市监局对医废管啥", "第五条"),
        ("城管局管医疗废物的哪部分？", "第六条"),
        ("交通局管医疗废物啥事", "第四条"),
        ("安监局管医疗废物哪方面", "第七条"),
    ],
)
def test_a_bureau_named_as_on_its_door_finds_the_department_of_the_rule(session, question, article):
    _ingest_rules(session, BUREAU_RULES)
    answer = service.answer_question(session, question=question)
    assert answer.answered and answer.sources[0].article == article


RIVER_RULES = """# 某市河道管理条例

1997年12月11日某市第十届人民代表大会常务委员会第四十次会议通过

2010年9月17日某市第十三届人民代表大会常务委员会第二十一次会议《关于修改〈某市河道管理条例〉的决定》第二次修正

第一条　为了加强河道管理，保障防汛安全，改善城乡水环境，根据《中华人民共和国水法》，\
结合本市实际，制定本条例。
第二条　本市行政区域内河道的整治、利用、保护及其相关管理活动，适用本条例。
第三条　在河道管理范围内新建、扩建排水口，应当报河道行政主管部门审核同意。
第四条　禁止在河道管理范围内倾倒垃圾、渣土。
"""


@pytest.mark.parametrize(
    "question", ["手机落在某市地铁上了，去哪儿找？", "某市的汛期一般是每年几月到几月？"]
)
def test_the_lines_of_a_rule_s_adoption_answer_no_question_naming_its_place(session, question):
    # the opening names the city in every amendment line; it tells when the rule was made
    _ingest_rules(session, RIVER_RULES)
    answer = service.answer_question(session, question=question)
    assert not answer.answered or answer.sources[0].article is not None


def test_the_purpose_of_a_rule_is_its_first_article_not_its_opening(session):
    _ingest_rules(session, RIVER_RULES)
    question = "某市搞这个河道管理条例，到底是为了啥目的？"
    answer = service.answer_question(session, question=question)
    assert answer.answered and answer.sources[0].article == "第一条"


def test_when_a_rule_was_adopted_is_its_opening(session):
    _ingest_rules(session, RIVER_RULES)
    answer = service.answer_question(session, question="某市河道管理条例是哪年通过的？")
    assert answer.answered and "1997年12月11日" in answer.sources[0].text
