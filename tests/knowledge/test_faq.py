"""FAQ entries and synonyms (``knowledge.faq``): create, edit, retire, list; checked once."""

from __future__ import annotations

import pytest

from core.errors import Conflict, Invalid, NotFound
from core.regions.scope import RegionScope
from knowledge import faq, importer, service
from knowledge.index import refresh_index
from knowledge.models import FAQ_RETIRED

NATIONAL = RegionScope()
JIANGSU = RegionScope("江苏省")


def _ask(session, question):
    return service.answer_question(session, question=question, channel="web")


def _faq(session, question="排污许可证到期后如何延续？", **fields):
    defaults = {
        "answer": "应在有效期届满前六十日向审批部门提出延续申请。",
        "basis": "排污许可管理条例第十四条",
        "phrasings": ["排污许可证怎么延续"],
    }
    defaults.update(fields)
    return faq.create_faq(session, scope=NATIONAL, question=question, **defaults)


# ---- FAQ entries -------------------------------------------------------------------------


def test_editing_an_entry_is_answerable_at_once_without_a_restart(session):
    entry = _faq(session)
    assert _ask(session, "排污许可证怎么延续").answer.startswith("应在有效期届满前六十日")
    assert _ask(session, "正本副本丢了怎么补领").faq_id is None

    faq.update_faq(
        session,
        scope=NATIONAL,
        faq_id=entry.id,
        question=entry.question,
        answer="提交延续申请表；证件遗失的，同时申请补领。",
        basis=entry.basis,
        phrasings=["排污许可证怎么延续", "正本副本丢了怎么补领"],
    )

    assert _ask(session, "排污许可证怎么延续").answer.startswith("提交延续申请表")
    assert _ask(session, "正本副本丢了怎么补领").faq_id == entry.id


def test_retired_entries_stop_answering_and_restored_ones_answer_again(session):
    entry = _faq(session)
    assert _ask(session, "排污许可证怎么延续").faq_id == entry.id

    faq.retire_faq(session, scope=NATIONAL, faq_id=entry.id)
    assert _ask(session, "排污许可证怎么延续").faq_id is None

    faq.restore_faq(session, scope=NATIONAL, faq_id=entry.id)
    assert _ask(session, "排污许可证怎么延续").faq_id == entry.id


def test_empty_answer_long_phrasing_and_duplicate_question_are_refused(session):
    with pytest.raises(Invalid) as empty:
        faq.create_faq(session, scope=NATIONAL, question="排污许可证怎么延续", answer=" ")
    assert empty.value.details == ["答案不能为空"]
    with pytest.raises(Invalid) as long_phrasing:
        faq.create_faq(
            session, scope=NATIONAL, question="问", answer="答", phrasings=["短", "长" * 501]
        )
    assert long_phrasing.value.details == ["相似问法第2条过长（最多 500 个字）"]
    _faq(session)
    with pytest.raises(Conflict):
        _faq(session)


def test_editing_and_the_table_import_give_the_same_reasons(session, write_faq):
    long = "长" * 501
    with pytest.raises(Invalid) as typed:
        faq.create_faq(session, scope=NATIONAL, question=" ", answer="答", phrasings=["短", long])
    assert typed.value.details == ["问题不能为空", "相似问法第2条过长（最多 500 个字）"]
    report = importer.import_faq(session, write_faq([("", f"短|{long}", "答", "", "")]))
    assert list(report.error_lines()) == ["第2行: " + "；".join(typed.value.details)]


def test_phrasings_typed_one_per_line_drop_blanks_and_repeats_and_name_bad_lines():
    assert faq.parse_phrasings("甲\n\n 乙 \n甲\n") == ["甲", "乙"]
    with pytest.raises(Invalid) as error:
        faq.parse_phrasings("甲\n" + "长" * 501)
    assert error.value.details == ["第2行: 相似问法过长（最多 500 个字）"]


def test_search_matches_question_answer_and_phrasings_word_by_word(session):
    renewal = _faq(session)
    report = _faq(
        session,
        "执行报告什么时候提交？",
        answer="按许可证规定的频次提交。",
        phrasings=["年报啥时候交"],
    )

    assert [e.id for e in faq.list_faqs(session, scope=NATIONAL, query="年报").items] == [report.id]
    assert [e.id for e in faq.list_faqs(session, scope=NATIONAL, query="六十日").items] == [
        renewal.id
    ]
    assert [e.id for e in faq.list_faqs(session, scope=NATIONAL, query="许可证 频次").items] == [
        report.id
    ]
    assert faq.list_faqs(session, scope=NATIONAL, query="100%").total == 0
    faq.retire_faq(session, scope=NATIONAL, faq_id=report.id)
    assert [e.id for e in faq.list_faqs(session, scope=NATIONAL, status=FAQ_RETIRED).items] == [
        report.id
    ]


# ---- synonyms ----------------------------------------------------------------------------


def test_synonyms_can_be_added_edited_and_deleted_and_apply_to_questions(session):
    synonym = faq.add_synonym(session, scope=NATIONAL, term="废机油", canonical="废矿物油")
    assert "废矿物油" in service.explain(session, question="废机油台账保存几年")["prepared"]

    faq.update_synonym(
        session, scope=NATIONAL, synonym_id=synonym.id, term="废机油品", canonical="废矿物油"
    )
    assert [s.term for s in faq.list_synonyms(session, query="废机油")] == ["废机油品"]
    prepared = service.explain(session, question="废机油台账保存几年")["prepared"]
    assert "废矿物油" not in prepared

    faq.delete_synonym(session, scope=NATIONAL, synonym_id=synonym.id)
    assert faq.list_synonyms(session, query="废机油") == []


def test_a_synonym_lets_an_abbreviation_reach_the_faq_entry(session):
    entry = _faq(session, "废矿物油管理台账保存几年？", answer="不少于五年。", phrasings=[])
    assert _ask(session, "废机油台账保存几年").faq_id is None
    faq.add_synonym(session, scope=NATIONAL, term="废机油", canonical="废矿物油")
    faq.add_synonym(session, scope=NATIONAL, term="管理台账", canonical="台账")
    assert _ask(session, "废机油台账保存几年").faq_id == entry.id


def test_synonym_duplicates_and_blanks_are_refused(session):
    faq.add_synonym(session, scope=NATIONAL, term="废机油", canonical="废矿物油")
    with pytest.raises(Conflict):
        faq.add_synonym(session, scope=NATIONAL, term="废机油", canonical="废矿物油品")
    with pytest.raises(Conflict):  # the built-in dictionary already maps 法人
        faq.add_synonym(session, scope=NATIONAL, term="法人", canonical="法人代表")
    with pytest.raises(Invalid):
        faq.add_synonym(session, scope=NATIONAL, term=" ", canonical="x")
    with pytest.raises(Invalid):
        faq.add_synonym(session, scope=NATIONAL, term="三监联动", canonical="三监联动")
    with pytest.raises(NotFound):
        faq.delete_synonym(session, scope=NATIONAL, synonym_id=99999)


def test_faq_hits_count_only_questions_from_the_admins_region(session):
    entry = _faq(session)
    for province in ("江苏省", "江苏省", "浙江省"):
        service.answer_question(
            session, question="排污许可证怎么延续", channel="web", province=province
        )
    assert faq.faq_hit_counts(session, scope=NATIONAL, faq_ids=[entry.id]) == {entry.id: 3}
    assert faq.faq_hit_counts(session, scope=JIANGSU, faq_ids=[entry.id]) == {entry.id: 2}
    assert faq.faq_hit_counts(session, scope=JIANGSU, faq_ids=[]) == {}


# ---- answering from edited entries (with the action plan loaded) ---------------------------


def test_faq_edit_becomes_answerable_without_restart(session, plan):
    question = "食堂油烟净化器多久清洗一次"
    assert not service.answer_question(session, question=question).answered
    entry = faq.create_faq(
        session,
        scope=NATIONAL,
        question="油烟净化器的清洗周期",
        answer="请按设备说明书和当地规定定期清洗。",
    )
    faq.add_phrasings(session, scope=NATIONAL, faq_id=entry.id, phrasings=[question])
    refresh_index(session)
    answer = service.answer_question(session, question=question)
    assert answer.answered and answer.faq_id == entry.id
    faq.retire_faq(session, scope=NATIONAL, faq_id=entry.id)
    assert service.answer_question(session, question=question).faq_id is None


def test_synonym_edit_changes_matching_without_restart(session, plan):
    before = service.explain(session, question="小黑板培训")
    faq.add_synonym(session, scope=NATIONAL, term="小黑板", canonical="法定代表人专题")
    after = service.explain(session, question="小黑板培训")
    assert after["prepared"] != before["prepared"]
    assert after["hits"][0].measure == 33


def test_update_faq_changes_answer(session, plan):
    entry = faq.create_faq(session, scope=NATIONAL, question="测试问题甲乙丙", answer="旧答案")
    faq.update_faq(
        session, scope=NATIONAL, faq_id=entry.id, question=entry.question, answer="新答案"
    )
    answer = service.answer_question(session, question="测试问题甲乙丙")
    assert answer.answer == "新答案"
