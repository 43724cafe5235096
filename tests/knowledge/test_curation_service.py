"""Curation workflow: the failed-question queue, promoting, attaching and dismissing groups."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.regions.scope import RegionScope
from knowledge import curation, faq
from knowledge import service as knowledge_service
from knowledge.curation_models import REVIEW_NEW_FAQ, REVIEW_PHRASING, QuestionReview
from knowledge.models import FAQ_ACTIVE, FaqEntry
from tests.knowledge.curation_support import log_question

NATIONAL = RegionScope()
JIANGSU = RegionScope("江苏省")


def _ask(session, question):
    return knowledge_service.answer_question(session, question=question, channel="web")


def _faq(session, question="排污许可证到期后如何延续？", **fields):
    defaults = {
        "answer": "应在有效期届满前六十日向审批部门提出延续申请。",
        "basis": "排污许可管理条例第十四条",
        "phrasings": ["排污许可证怎么延续"],
    }
    defaults.update(fields)
    return faq.create_faq(session, scope=NATIONAL, question=question, **defaults)


# ---- the queue ---------------------------------------------------------------------------


def test_queue_holds_refused_and_unhelpful_answers_but_not_good_ones(session):
    refused = log_question(session, "排污许可证收费标准是多少", minutes=1)
    unhelpful = log_question(session, "执行报告提交时间", answered=True, votes=(False,), minutes=2)
    tie = log_question(session, "执行报告什么时候交", answered=True, votes=(True, False), minutes=3)
    log_question(session, "法定代表人培训截止时间", answered=True, minutes=4)
    log_question(session, "执行报告怎么写", answered=True, votes=(True, True, False), minutes=5)

    pending = curation.pending_questions(session, scope=NATIONAL)

    assert {p.log_id for p in pending} == {refused.id, unhelpful.id, tie.id}
    assert {p.log_id: p.reason for p in pending}[refused.id] == "unanswered"
    assert {p.log_id: p.reason for p in pending}[unhelpful.id] == "unhelpful"
    only_refused = curation.pending_questions(session, scope=NATIONAL, reason="unanswered")
    assert [p.log_id for p in only_refused] == [refused.id]


def test_queue_groups_similar_questions_and_ranks_the_most_asked_first(session):
    for minutes, text in enumerate(
        ["执行报告什么时候提交", "执行报告提交时间", "执行报告啥时候交", "平台密码忘了怎么办"]
    ):
        log_question(session, text, minutes=minutes, province="江苏省")
    log_question(session, "排污许可平台密码找回", minutes=9, province="浙江省")

    queue = curation.curation_queue(session, scope=NATIONAL)

    assert [g.group.count for g in queue.groups] == [3, 2]
    assert (queue.group_count, queue.question_count) == (2, 5)
    assert queue.groups[0].group.representative.startswith("执行报告")
    assert queue.groups[1].group.regions == [("江苏省", 1), ("浙江省", 1)]
    assert [(r.label, r.count) for r in queue.regions] == [("江苏省", 4), ("浙江省", 1)]
    top = curation.curation_queue(session, scope=NATIONAL, limit=1)
    assert len(top.groups) == 1 and top.group_count == 2


def test_queue_suggests_existing_faq_entries_close_to_the_group(session):
    entry = _faq(session)
    _faq(session, "执行报告什么时候提交？", answer="按许可证规定的频次提交。", phrasings=[])
    log_question(session, "排污许可证过期了怎么延续")

    (item,) = curation.curation_queue(session, scope=NATIONAL).groups

    assert item.suggestions[0].id == entry.id


def test_province_admin_sees_only_questions_from_their_province(session):
    log_question(session, "执行报告提交时间", province="江苏省")
    log_question(session, "执行报告提交时间", province="浙江省")
    log_question(session, "执行报告提交时间")

    assert len(curation.pending_questions(session, scope=JIANGSU)) == 1
    assert len(curation.pending_questions(session, scope=NATIONAL)) == 3
    assert {p.region for p in curation.pending_questions(session, scope=JIANGSU)} == {"江苏省"}


def test_city_admin_sees_only_questions_from_their_city(session):
    suzhou = log_question(session, "执行报告提交时间", province="江苏省", city="苏州市")
    log_question(session, "执行报告提交时间", province="江苏省", city="南京市")
    log_question(session, "执行报告提交时间", province="江苏省")

    seen = curation.pending_questions(session, scope=RegionScope("江苏省", "苏州市"))

    assert [p.log_id for p in seen] == [suzhou.id]
    assert seen[0].region == "江苏省苏州市"
    assert len(curation.pending_questions(session, scope=JIANGSU)) == 3


def test_invalid_threshold_is_refused(session):
    with pytest.raises(Invalid):
        curation.curation_queue(session, scope=NATIONAL, threshold=0)


# ---- promote, attach, dismiss -----------------------------------------------------------------


def test_promoting_a_group_creates_an_answerable_entry_and_empties_the_queue(session):
    logs = [
        log_question(session, "废机油台账要保存几年", minutes=1),
        log_question(session, "废机油台账保存多久", minutes=2),
        log_question(session, "废机油台账要保存几年", minutes=3),
    ]
    assert _ask(session, "废机油台账要保存几年").answered is False

    entry = curation.promote_to_faq(
        session,
        scope=NATIONAL,
        log_ids=[log.id for log in logs],
        question="废矿物油管理台账要保存几年？",
        answer="台账保存期限一般不少于五年。",
        basis="废矿物油管理计划和管理台账制定技术导则",
    )

    assert entry.status == FAQ_ACTIVE
    assert {p.text for p in entry.phrasings} == {"废机油台账要保存几年", "废机油台账保存多久"}
    reviews = session.scalars(select(QuestionReview)).all()
    assert {r.question_log_id for r in reviews} == {log.id for log in logs}
    assert {r.action for r in reviews} == {REVIEW_NEW_FAQ}
    assert all(r.faq_id == entry.id for r in reviews)
    assert curation.curation_queue(session, scope=NATIONAL).groups[0].group.count == 1  # new ask
    reply = _ask(session, "废机油台账保存多久")
    assert reply.answered and reply.faq_id == entry.id
    assert "五年" in reply.answer


def test_attaching_a_group_adds_its_wordings_as_phrasings(session):
    entry = _faq(session)
    log = log_question(session, "排污证过期续期咋办")

    updated = curation.attach_to_faq(session, scope=NATIONAL, log_ids=[log.id], faq_id=entry.id)

    assert "排污证过期续期咋办" in {p.text for p in updated.phrasings}
    assert session.scalar(select(QuestionReview.action)) == REVIEW_PHRASING
    assert curation.pending_questions(session, scope=NATIONAL) == []
    assert _ask(session, "排污证过期续期咋办").faq_id == entry.id


def test_attaching_to_a_retired_entry_is_refused(session):
    entry = _faq(session)
    faq.retire_faq(session, scope=NATIONAL, faq_id=entry.id)
    log = log_question(session, "排污许可证过期")
    with pytest.raises(Conflict):
        curation.attach_to_faq(session, scope=NATIONAL, log_ids=[log.id], faq_id=entry.id)


def test_dismissed_questions_leave_the_queue_without_an_entry(session):
    log = log_question(session, "今天天气怎么样")
    assert curation.dismiss_questions(session, scope=NATIONAL, log_ids=[log.id]) == 1
    assert curation.pending_questions(session, scope=NATIONAL) == []
    assert session.scalar(select(FaqEntry.id)) is None


def test_handling_questions_twice_or_outside_the_region_is_refused(session):
    here = log_question(session, "执行报告提交时间", province="江苏省")
    there = log_question(session, "执行报告提交时间", province="浙江省")

    with pytest.raises(Forbidden):
        curation.dismiss_questions(session, scope=JIANGSU, log_ids=[here.id, there.id])
    curation.dismiss_questions(session, scope=JIANGSU, log_ids=[here.id])
    with pytest.raises(Conflict):
        curation.dismiss_questions(session, scope=JIANGSU, log_ids=[here.id])
    with pytest.raises(NotFound):
        curation.dismiss_questions(session, scope=NATIONAL, log_ids=[there.id + 1000])
    with pytest.raises(Invalid):
        curation.dismiss_questions(session, scope=NATIONAL, log_ids=[])


def test_a_failed_promotion_writes_nothing(session):
    _faq(session, "执行报告什么时候提交？", phrasings=[])
    log = log_question(session, "执行报告啥时候交")

    with pytest.raises(Conflict):
        curation.promote_to_faq(
            session, scope=NATIONAL, log_ids=[log.id], question="执行报告什么时候提交？", answer="x"
        )
    with pytest.raises(Invalid):
        curation.promote_to_faq(
            session, scope=NATIONAL, log_ids=[log.id], question="执行报告", answer="  "
        )
    session.rollback()
    assert [p.log_id for p in curation.pending_questions(session, scope=NATIONAL)] == [log.id]


def test_pending_counts_and_region_ranking(session):
    log_question(session, "执行报告提交时间", province="江苏省", city="苏州市")
    log_question(session, "执行报告提交时间", province="江苏省", city="苏州市")
    log_question(session, "排污许可证收费标准", province="浙江省", city="杭州市")
    log_question(session, "执行报告怎么写", answered=True, votes=(False,))

    assert curation.pending_counts(session, scope=NATIONAL) == {
        "unanswered": 3,
        "unhelpful": 1,
        "total": 4,
    }
    assert curation.pending_counts(session, scope=RegionScope("浙江省"))["total"] == 1
    ranked = curation.region_counts(curation.pending_questions(session, scope=NATIONAL))
    assert [(r.label, r.count) for r in ranked][0] == ("江苏省苏州市", 2)
    assert ("未知地区", None, 1) in [(r.label, r.province, r.count) for r in ranked]
    with pytest.raises(Invalid):
        curation.pending_questions(session, scope=NATIONAL, reason="bogus")


def test_two_admins_handling_the_same_questions_at_once_get_a_conflict_not_an_error(
    session, monkeypatch
):
    log = log_question(session, "今天天气怎么样")
    # The second admin checked the queue before the first one's handling was committed.
    session.add(QuestionReview(question_log_id=log.id, action="dismissed"))
    session.commit()
    monkeypatch.setattr(curation, "_claim_logs", lambda session, scope, log_ids: [log])

    with pytest.raises(Conflict):
        curation.dismiss_questions(session, scope=NATIONAL, log_ids=[log.id])
    assert len(session.scalars(select(QuestionReview)).all()) == 1


# ---- retrieval test ----------------------------------------------------------------------


def test_retrieval_test_ranks_passages_with_scores_and_logs_nothing(session):
    knowledge_service.ingest_bytes(
        session,
        data="一、执行报告\n排污单位应按时提交执行报告。\n二、信息公开\n排污单位应公开排污信息。".encode(),
        filename="rules.txt",
        title="测试规定",
    )
    result = knowledge_service.explain(session, question="执行报告要按时提交吗")

    assert result["hits"][0].text.startswith("排污单位应按时提交执行报告")
    scores = [h.score for h in result["hits"]]
    assert scores == sorted(scores, reverse=True)
    assert 0.0 <= result["confidence"] <= 1.0
    assert curation.pending_questions(session, scope=NATIONAL) == []
    with pytest.raises(Invalid):
        knowledge_service.explain(session, question="   ")
    with pytest.raises(Invalid):
        knowledge_service.explain(session, question="执行报告", mode="magic")
