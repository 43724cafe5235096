"""Question bank, practice and contest rules in the service layer."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from sqlalchemy import select

from core.certificates import verify_code
from core.db import utcnow
from core.errors import Conflict, Forbidden, Invalid, NotFound
from quiz import attempts, certificates, contests, marking, practice, ranking, rules, schemas, stats
from quiz import bank as question_bank
from quiz.models import AttemptItem, PracticeAnswer, Question


def _q(**fields):
    data = dict(
        kind="单选",
        stem="排污许可证由哪一级部门核发？",
        options=["甲", "乙"],
        answer="A",
        tags=["许可证核发"],
    )
    data.update(fields)
    return schemas.QuestionCreate(**data)


# ---- question bank -----------------------------------------------------------------------


def test_judge_question_stores_two_options_and_accepts_tick_marks(session):
    question = question_bank.create_question(session, data=_q(kind="判断", options=[], answer="×"))
    assert question.options == ["正确", "错误"] and question.answer == "B"


def test_multiple_choice_key_is_stored_sorted(session):
    question = question_bank.create_question(
        session, data=_q(kind="多选", options=list("甲乙丙丁"), answer="DA")
    )
    assert question.answer == "AD"


def test_duplicate_stem_is_refused_even_with_different_spacing(session):
    question_bank.create_question(session, data=_q())
    with pytest.raises(Conflict, match="相同题干"):
        question_bank.create_question(session, data=_q(stem="排污许可证由哪一级部门核发 ？"))


def test_invalid_question_lists_every_problem(session):
    with pytest.raises(Invalid) as info:
        question_bank.create_question(
            session, data=_q(options=["甲", "", "丙"], answer="E", difficulty=3)
        )
    assert any("空白" in d for d in info.value.details)
    assert any("A–C" in d for d in info.value.details)


def test_retired_question_is_no_longer_drawn_for_practice(session, staff):
    question = question_bank.create_question(session, data=_q())
    question_bank.retire_question(session, question_id=question.id)
    with pytest.raises(NotFound):
        practice.practice_question(session, user=staff)


def test_search_finds_words_in_stem_and_filters_by_tag(session, bank):
    result = question_bank.list_questions(session, query="第1题", tag="证后监管")
    assert [q.stem for q in result.items] == ["测试题目第1题：排污许可相关规定是什么？"]
    assert question_bank.list_questions(session, tag="执行报告").total == 8


# ---- practice ----------------------------------------------------------------------------


def test_practice_question_by_tag_carries_no_key(session, bank, staff):
    question = practice.practice_question(session, user=staff, tag="执行报告")
    assert "执行报告" in question.tags
    dumped = question.model_dump()
    assert "answer" not in dumped and "explanation" not in dumped


def test_wrong_practice_answer_goes_into_the_mistake_book_and_leaves_when_mastered(
    session, bank, staff
):
    single = next(q for q in bank if q.kind == "单选")
    result = practice.check_practice_answer(session, user=staff, question_id=single.id, choice="A")
    assert not result.correct and result.answer == "B" and result.explanation
    book = practice.list_mistakes(session, user_id=staff.id)
    assert [m.question_id for m in book] == [single.id] and book[0].last_answer == "A"
    assert practice.practice_question(session, user=staff, mistakes_only=True).id == single.id
    assert practice.check_practice_answer(
        session, user=staff, question_id=single.id, choice="b"
    ).correct
    assert practice.list_mistakes(session, user_id=staff.id) == []


def test_every_practice_answer_is_marked_and_recorded_for_its_user(session, bank, staff):
    judge = next(q for q in bank if q.kind == "判断")
    result = practice.check_practice_answer(session, user=staff, question_id=judge.id, choice="对")
    assert result.correct and result.answer_text == "正确"
    logged = session.scalars(select(PracticeAnswer).where(PracticeAnswer.user_id == staff.id))
    assert [(a.question_id, a.choice, a.correct) for a in logged] == [(judge.id, "A", True)]


def test_practice_answer_in_a_bad_format_is_invalid(session, bank, staff):
    with pytest.raises(Invalid):
        practice.check_practice_answer(session, user=staff, question_id=bank[0].id, choice="Z")


# ---- contests ----------------------------------------------------------------------------


def test_contest_quotas_beyond_the_bank_are_refused(session, bank, make_contest):
    with pytest.raises(Invalid) as info:
        make_contest(quotas=[{"tag": "许可证核发", "difficulty": 1, "count": 5}])
    assert "只有 2 道" in info.value.message


def test_draw_fills_each_quota_without_repeats(session, bank, make_contest, staff):
    contest = make_contest(quotas=[{"tag": "证后监管", "count": 4}, {"difficulty": 1, "count": 6}])
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    questions = [session.get(Question, item.question_id) for item in attempt.items]
    assert len({q.id for q in questions}) == 10
    assert sum("证后监管" in q.tags for q in questions) >= 4
    assert sum(q.difficulty == 1 for q in questions) >= 6


def test_options_are_shuffled_per_attempt_and_judge_options_are_not(
    session, bank, make_contest, make_user
):
    contest = make_contest(quotas=[{"count": 24}])
    orders = Counter()
    for i in range(6):
        user = make_user("staff", province="江苏省", city="南京市")
        attempt = attempts.start_attempt(
            session, contest_id=contest.id, user=user, rng=random.Random(i)
        )
        for item in attempt.items:
            kind = session.get(Question, item.question_id).kind
            if kind == "判断":
                assert item.option_order == "AB"
            else:
                orders[item.option_order] += 1
    assert len(orders) > 3


def test_no_shuffle_keeps_the_original_order(session, bank, make_contest, staff):
    contest = make_contest(shuffle_options=False)
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    assert all(item.option_order in ("ABCD", "AB") for item in attempt.items)


def test_outside_the_audience_cannot_start(session, bank, make_contest, make_user):
    contest = make_contest()
    with pytest.raises(Forbidden):
        attempts.start_attempt(
            session,
            contest_id=contest.id,
            user=make_user("staff", province="浙江省", city="杭州市"),
        )
    with pytest.raises(Forbidden):
        attempts.start_attempt(session, contest_id=contest.id, user=make_user("national"))


def test_starting_twice_resumes_the_same_attempt_and_attempts_are_limited(
    session, bank, make_contest, staff
):
    contest = make_contest()
    first = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    assert attempts.start_attempt(session, contest_id=contest.id, user=staff).id == first.id
    attempts.submit_attempt(session, attempt_id=first.id, user=staff)
    with pytest.raises(Conflict, match="次数已用完"):
        attempts.start_attempt(session, contest_id=contest.id, user=staff)


def test_contest_not_yet_open_or_closed_cannot_be_started(session, bank, make_contest, staff):
    now = utcnow()
    later = make_contest(
        opens_at=now + dt.timedelta(hours=1), closes_at=now + dt.timedelta(hours=2)
    )
    with pytest.raises(Conflict, match="尚未开始"):
        attempts.start_attempt(session, contest_id=later.id, user=staff)


def test_deadline_never_passes_the_closing_time(session, bank, make_contest, staff):
    contest = make_contest(closes_at=utcnow() + dt.timedelta(minutes=5), time_limit_minutes=60)
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    assert attempt.deadline_at == contest.closes_at


def _key_in_display_letters(session, attempt_id, position):
    item = session.scalar(
        select(AttemptItem).where(
            AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
        )
    )
    question = session.get(Question, item.question_id)
    return "".join(
        sorted("ABCDEF"[item.option_order.index(ch)] for ch in question.answer)
    ), question


def test_answers_are_given_in_shown_letters_and_scored_all_or_nothing(
    session, bank, make_contest, staff
):
    contest = make_contest(quotas=[{"count": 9}])
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    right = 0
    for position in range(1, 10):
        key, question = _key_in_display_letters(session, attempt.id, position)
        if position % 2:
            attempts.save_answer(
                session, attempt_id=attempt.id, user=staff, position=position, choice=key
            )
            right += 1
        elif question.kind == "多选":
            attempts.save_answer(
                session, attempt_id=attempt.id, user=staff, position=position, choice=key[0]
            )
    result = attempts.submit_attempt(session, attempt_id=attempt.id, user=staff)
    assert result.correct_count == right and result.question_count == 9
    assert result.score == round(100 * right / 9, 1)
    assert [r.correct for r in result.review] == [p % 2 == 1 for p in range(1, 10)]


def test_view_before_submitting_has_no_key_and_shows_saved_choices(
    session, bank, make_contest, staff
):
    contest = make_contest()
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    attempts.save_answer(session, attempt_id=attempt.id, user=staff, position=1, choice="A")
    view = attempts.get_attempt_view(session, attempt_id=attempt.id, user=staff)
    assert view.result is None and view.questions[0].choice == "A"
    dumped = str(view.model_dump())
    assert "answer" not in dumped and "解析" not in dumped


def test_answers_after_deadline_and_grace_are_refused(session, bank, make_contest, staff):
    contest = make_contest(time_limit_minutes=10)
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    key, _ = _key_in_display_letters(session, attempt.id, 1)
    in_grace = attempt.deadline_at + dt.timedelta(seconds=rules.GRACE_SECONDS - 1)
    attempts.save_answer(
        session, attempt_id=attempt.id, user=staff, position=1, choice=key, now=in_grace
    )
    too_late = attempt.deadline_at + dt.timedelta(seconds=rules.GRACE_SECONDS + 1)
    key2, _ = _key_in_display_letters(session, attempt.id, 2)
    with pytest.raises(Conflict, match="时间已到"):
        attempts.save_answer(
            session, attempt_id=attempt.id, user=staff, position=2, choice=key2, now=too_late
        )
    result = attempts.submit_attempt(session, attempt_id=attempt.id, user=staff, now=too_late)
    assert result.correct_count == 1
    assert result.time_used_seconds == 600


def test_submitting_twice_returns_the_same_result_and_freezes_answers(
    session, bank, make_contest, staff
):
    contest = make_contest()
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    key, _ = _key_in_display_letters(session, attempt.id, 1)
    attempts.save_answer(session, attempt_id=attempt.id, user=staff, position=1, choice=key)
    first = attempts.submit_attempt(session, attempt_id=attempt.id, user=staff)
    later = utcnow() + dt.timedelta(minutes=5)
    second = attempts.submit_attempt(session, attempt_id=attempt.id, user=staff, now=later)
    assert first.model_dump() == second.model_dump()
    with pytest.raises(Conflict, match="已交卷"):
        attempts.save_answer(session, attempt_id=attempt.id, user=staff, position=2, choice="A")


def test_another_participants_attempt_is_not_found(session, bank, make_contest, staff, make_user):
    contest = make_contest()
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    other = make_user("staff", province="江苏省", city="苏州市")
    for call in (
        lambda: attempts.get_attempt_view(session, attempt_id=attempt.id, user=other),
        lambda: attempts.save_answer(
            session, attempt_id=attempt.id, user=other, position=1, choice="A"
        ),
        lambda: attempts.submit_attempt(session, attempt_id=attempt.id, user=other),
    ):
        with pytest.raises(NotFound):
            call()


def test_an_expired_unsubmitted_attempt_is_scored_with_what_was_saved(
    session, bank, make_contest, staff
):
    contest = make_contest()
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    key, _ = _key_in_display_letters(session, attempt.id, 1)
    attempts.save_answer(session, attempt_id=attempt.id, user=staff, position=1, choice=key)
    assert (
        marking.finalise_expired(
            session, contest_id=contest.id, now=attempt.deadline_at + dt.timedelta(minutes=5)
        )
        == 1
    )
    assert attempt.correct_count == 1 and attempt.time_used_seconds == 30 * 60


def test_practice_refuses_a_question_of_the_running_contest(session, bank, make_contest, staff):
    contest = make_contest()
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    with pytest.raises(Conflict):
        practice.check_practice_answer(
            session, user=staff, question_id=attempt.items[0].question_id, choice="A"
        )


# ---- ranking, leaderboards, certificates ---------------------------------------------------


def _take(session, contest, user, right: int, seconds: int):
    """Start at a fixed time, answer ``right`` questions correctly and submit after ``seconds``."""
    start = utcnow() - dt.timedelta(minutes=20)
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=user, now=start)
    for position in range(1, right + 1):
        key, _ = _key_in_display_letters(session, attempt.id, position)
        attempts.save_answer(
            session, attempt_id=attempt.id, user=user, position=position, choice=key, now=start
        )
    attempts.submit_attempt(
        session, attempt_id=attempt.id, user=user, now=start + dt.timedelta(seconds=seconds)
    )
    return attempt


@pytest.fixture
def finished(session, bank, make_contest, make_user):
    contest = make_contest(quotas=[{"count": 5}], certificate_top_n=2, pass_percent=60)
    people = {
        "苏州甲": ("苏州市", "苏州市局", 5, 100),
        "苏州乙": ("苏州市", "苏州市局", 5, 100),
        "苏州丙": ("苏州市", "苏州市局", 3, 50),
        "南京甲": ("南京市", "南京市局", 5, 80),
        "南京乙": ("南京市", "南京市局", 1, 40),
    }
    users = {}
    for name, (city, org, right, seconds) in people.items():
        users[name] = make_user(
            "staff", display_name=name, province="江苏省", city=city, organisation=org
        )
        _take(session, contest, users[name], right, seconds)
    return contest, users


def test_leaderboard_ranks_by_score_then_time_with_ties(session, finished, make_user):
    contest, _ = finished
    board = ranking.leaderboard(session, contest_id=contest.id, viewer=make_user("national"))
    assert [(e.rank, e.name) for e in board.entries] == [
        (1, "南京甲"),
        (2, "苏州甲"),
        (2, "苏州乙"),
        (4, "苏州丙"),
        (5, "南京乙"),
    ]


def test_city_admin_leaderboard_shows_only_their_city(session, finished, make_user):
    contest, _ = finished
    admin = make_user("city", province="江苏省", city="南京市")
    board = ranking.leaderboard(session, contest_id=contest.id, viewer=admin)
    assert [e.name for e in board.entries] == ["南京甲", "南京乙"] and board.scope == "江苏省南京市"
    with pytest.raises(Forbidden):
        ranking.leaderboard(
            session, contest_id=contest.id, viewer=admin, city="苏州市", province="江苏省"
        )


def test_team_leaderboard_ranks_cities_by_average_score(session, finished, make_user):
    contest, _ = finished
    board = ranking.leaderboard(
        session, contest_id=contest.id, viewer=make_user("national"), group="city"
    )
    assert [(e.name, e.participants, e.score) for e in board.entries] == [
        ("苏州市", 3, round((100 + 100 + 60) / 3, 1)),
        ("南京市", 2, 60.0),
    ]
    orgs = ranking.leaderboard(
        session, contest_id=contest.id, viewer=make_user("national"), group="organisation"
    )
    assert orgs.entries[0].name == "苏州市局"


def test_passing_gives_a_certificate_that_the_public_check_finds(session, finished):
    contest, users = finished
    certs = certificates.my_certificates(session, user=users["苏州丙"])
    assert [c.award for c in certs] == ["合格证书"]
    found = verify_code(session, certs[0].code.lower())
    assert found["holder"] == "苏州丙" and found["title"] == contest.title
    assert certificates.my_certificates(session, user=users["南京乙"]) == []
    assert verify_code(session, "QZNOSUCHCODE") is None


def test_rank_certificates_after_closing_keep_the_pass_code(session, finished):
    contest, users = finished
    before = certificates.my_certificates(session, user=users["南京甲"])[0].code
    contest.closes_at = utcnow() - dt.timedelta(minutes=1)
    session.commit()
    organiser = session.get(type(users["南京甲"]), contest.created_by_id)
    assert certificates.issue_certificates(session, contest_id=contest.id, admin=organiser) == 3
    assert certificates.issue_certificates(session, contest_id=contest.id, admin=organiser) == 0
    after = certificates.my_certificates(session, user=users["南京甲"])[0]
    assert after.code == before and after.award == "第1名"
    assert certificates.my_certificates(session, user=users["苏州乙"])[0].award == "第2名"


def test_only_the_organiser_region_may_issue_certificates(session, finished, make_user):
    contest, _ = finished
    with pytest.raises(Forbidden):
        certificates.issue_certificates(
            session, contest_id=contest.id, admin=make_user("province", province="江苏省")
        )


def test_statistics_are_scoped_to_the_admins_region(session, finished, make_user):
    contest, _ = finished
    national = stats.contest_statistics(session, contest_id=contest.id, admin=make_user("national"))
    assert national.participants == 5 and sum(national.histogram) == 5
    assert [(p.region, p.participants) for p in national.participation] == [("江苏省", 5)]
    city = stats.contest_statistics(
        session, contest_id=contest.id, admin=make_user("city", province="江苏省", city="苏州市")
    )
    assert city.participants == 3
    assert [(p.region, p.participants, p.eligible) for p in city.participation] == [
        ("苏州市局", 3, 3)
    ]
    assert {i.responses for i in city.items} <= {1, 2, 3}


def test_weakest_tags_name_courses_that_mention_them(session, finished, make_user):
    from courses import catalogue
    from courses.models import Course

    session.add(
        Course(code="C1", title="许可证核发实务", audience="审批人员", kind="必修", description="")
    )
    session.commit()
    contest, _ = finished
    report = stats.contest_statistics(
        session,
        contest_id=contest.id,
        admin=make_user("national"),
        courses_naming=catalogue.courses_naming,
    )
    by_tag = {w.tag: w for w in report.weakest_tags}
    assert by_tag["许可证核发"].courses == ["许可证核发实务"]
    rates = [w.correct_rate for w in report.weakest_tags]
    assert rates == sorted(rates)


def test_saved_answers_survive_a_restart(tmp_path):
    """A new engine on the same database file (a restarted server) sees every saved answer."""
    from sqlalchemy.orm import Session as OrmSession

    from core.accounts import service as accounts
    from core.db import make_engine, upgrade_database

    url = f"sqlite:///{tmp_path / 'restart.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    with OrmSession(engine, expire_on_commit=False) as s:
        admin = accounts.create_user(s, username="admin", password="correct-horse-1")
        user = accounts.create_user(
            s,
            username="u",
            password="correct-horse-1",
            role="staff",
            province="江苏省",
            city="苏州市",
        )
        for i in range(3):
            question_bank.create_question(s, data=_q(stem=f"重启测试第{i}题", answer="B"))
        contest = contests.create_contest(
            s,
            admin=admin,
            data=schemas.ContestCreate(
                title="重启测试",
                audience_roles=["staff"],
                opens_at=utcnow() - dt.timedelta(hours=1),
                closes_at=utcnow() + dt.timedelta(hours=1),
                quotas=[{"count": 3}],
            ),
        )
        attempt = attempts.start_attempt(s, contest_id=contest.id, user=user)
        keys = [_key_in_display_letters(s, attempt.id, p)[0] for p in (1, 2)]
        for position, key in zip((1, 2), keys, strict=True):
            attempts.save_answer(s, attempt_id=attempt.id, user=user, position=position, choice=key)
        attempt_id, user_id = attempt.id, user.id
    engine.dispose()

    engine = make_engine(url)
    with OrmSession(engine) as s:
        user = accounts.get_user(s, user_id)
        view = attempts.get_attempt_view(s, attempt_id=attempt_id, user=user)
        assert [q.choice for q in view.questions] == [keys[0], keys[1], None]
        assert attempts.submit_attempt(s, attempt_id=attempt_id, user=user).correct_count == 2
    engine.dispose()


def test_without_explanations_the_result_reveals_no_key_and_fills_no_mistake_book(
    session, bank, make_contest, staff
):
    contest = make_contest(show_explanations=False)
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    key, _ = _key_in_display_letters(session, attempt.id, 1)
    wrong = "B" if key != "B" else "A"
    attempts.save_answer(session, attempt_id=attempt.id, user=staff, position=1, choice=wrong)
    result = attempts.submit_attempt(session, attempt_id=attempt.id, user=staff)
    assert result.review == [] and result.correct_count == 0
    assert practice.list_mistakes(session, user_id=staff.id) == []


def test_wrong_contest_answers_join_the_mistake_book_when_explanations_show(
    session, bank, make_contest, staff
):
    contest = make_contest()
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    key, question = _key_in_display_letters(session, attempt.id, 1)
    wrong = "B" if key != "B" else "A"
    attempts.save_answer(session, attempt_id=attempt.id, user=staff, position=1, choice=wrong)
    attempts.submit_attempt(session, attempt_id=attempt.id, user=staff)
    assert [m.question_id for m in practice.list_mistakes(session, user_id=staff.id)] == [
        question.id
    ]
