"""Final tests worth passing (issue 14 item 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.errors import Conflict, Forbidden, Invalid
from core.regions.scope import RegionScope
from courses import catalogue, enrolments, final_tests
from courses.models import CourseTestAttempt
from tests.support.courses import make_course, study
from tests.support.web import csrf_from

NATIONAL = RegionScope()


def _pool(session, course, n: int, answer: str = "B", prefix: str = "题"):
    for i in range(n):
        final_tests.add_question(
            session,
            scope=NATIONAL,
            course_id=course.id,
            kind="单选",
            stem=f"{prefix}{i}",
            options=["甲", "乙", "丙"],
            answer=answer,
        )


def _ready(session, make_user, **course_fields):
    """A course with one lesson and a 10-question pool, and a learner who has read the lesson."""
    fields = dict(test_question_count=4, pass_mark=75, max_attempts=3, retry_wait_minutes=30)
    fields.update(course_fields)
    course = make_course(session, **fields)
    lesson = catalogue.add_lesson(
        session, scope=NATIONAL, course_id=course.id, title="讲义", body="内容"
    )
    _pool(session, course, 10)
    user = make_user("staff", province="江苏省", city="苏州市")
    enrolment = enrolments.enrol(session, course_id=course.id, user=user)
    _, now = study(session, lesson, user)
    return course, user, enrolment, now


def _answer_all(questions, letter):
    return {q.id: letter for q in questions}


def test_questions_come_from_the_courses_own_pool(session, make_user):
    other = make_course(session, code="OTHER", title="别的课程", test_question_count=4)
    _pool(session, other, 10, prefix="别的课程题")
    course, user, _, now = _ready(session, make_user)
    _, questions = final_tests.start_test(session, course_id=course.id, user=user, now=now)
    assert len(questions) == 4 and len({q.id for q in questions}) == 4
    assert all(q.stem.startswith("题") for q in questions)


def test_the_test_opens_only_after_the_lessons(session, make_user, client, login):
    course = make_course(session, test_question_count=2)
    catalogue.add_lesson(session, scope=NATIONAL, course_id=course.id, title="讲义", body="内容")
    _pool(session, course, 4)
    user = make_user("staff", province="江苏省", city="苏州市")
    enrolments.enrol(session, course_id=course.id, user=user)
    with pytest.raises(Conflict):
        final_tests.start_test(session, course_id=course.id, user=user)
    login(user.username)
    page = client.get(f"/courses/{course.id}")
    assert "完成全部必修课时后开放结业测试" in page.text
    assert f'action="/courses/{course.id}/test"' not in page.text


def test_a_retake_draws_questions_not_seen_before(session, make_user):
    course, user, _, now = _ready(session, make_user, test_question_count=5, retry_wait_minutes=0)
    first, questions = final_tests.start_test(session, course_id=course.id, user=user, now=now)
    final_tests.submit_test(
        session, attempt_id=first.id, user=user, answers=_answer_all(questions, "A"), now=now
    )
    second, again = final_tests.start_test(session, course_id=course.id, user=user, now=now)
    assert {q.id for q in questions}.isdisjoint({q.id for q in again})


def test_an_open_attempt_is_returned_not_redrawn(session, make_user):
    course, user, _, now = _ready(session, make_user)
    first, questions = final_tests.start_test(session, course_id=course.id, user=user, now=now)
    again, same = final_tests.start_test(session, course_id=course.id, user=user, now=now)
    assert again.id == first.id and [q.id for q in same] == [q.id for q in questions]


def test_retakes_wait_and_are_limited(session, make_user):
    course, user, enrolment, now = _ready(session, make_user)
    for attempt_no in range(1, 4):
        attempt, questions = final_tests.start_test(
            session, course_id=course.id, user=user, now=now
        )
        failed = final_tests.submit_test(
            session, attempt_id=attempt.id, user=user, answers=_answer_all(questions, "A"), now=now
        )
        assert failed.score == 0 and not failed.passed
        if attempt_no < 3:
            with pytest.raises(Conflict) as waiting:
                final_tests.start_test(
                    session, course_id=course.id, user=user, now=now + dt.timedelta(minutes=29)
                )
            assert "后再参加" in waiting.value.message
        now += dt.timedelta(minutes=30)
    with pytest.raises(Conflict) as used_up:
        final_tests.start_test(
            session, course_id=course.id, user=user, now=now + dt.timedelta(days=9)
        )
    assert "3 次机会已用完" in used_up.value.message
    assert enrolment.completed_on is None


def test_a_pass_completes_the_course_with_the_recorded_score(session, make_user):
    course, user, enrolment, now = _ready(session, make_user)
    attempt, questions = final_tests.start_test(session, course_id=course.id, user=user, now=now)
    answers = {q.id: ("B" if i < 3 else "C") for i, q in enumerate(questions)}
    result = final_tests.submit_test(session, attempt_id=attempt.id, user=user, answers=answers)
    assert result.score == 75 and result.passed
    session.refresh(enrolment)
    assert enrolment.completed_on is not None and enrolment.test_score == 75
    with pytest.raises(Conflict):
        final_tests.submit_test(session, attempt_id=attempt.id, user=user, answers=answers)
    with pytest.raises(Conflict):
        final_tests.start_test(session, course_id=course.id, user=user)


def test_editing_the_pool_never_changes_a_started_attempt(session, make_user):
    course, user, _, now = _ready(session, make_user, test_question_count=4)
    attempt, questions = final_tests.start_test(session, course_id=course.id, user=user, now=now)
    for question in list(course.questions):
        final_tests.remove_question(session, scope=NATIONAL, question_id=question.id)
    _pool(session, course, 10, answer="C")
    result = final_tests.submit_test(
        session, attempt_id=attempt.id, user=user, answers=_answer_all(questions, "B")
    )
    assert result.score == 100


def test_the_pool_is_national_and_its_questions_are_checked(session):
    course = make_course(session, test_question_count=1)
    with pytest.raises(Forbidden):
        final_tests.add_question(
            session,
            scope=RegionScope("江苏省"),
            course_id=course.id,
            kind="单选",
            stem="题",
            options=["甲", "乙"],
            answer="A",
        )
    with pytest.raises(Invalid) as bad:
        final_tests.add_question(
            session,
            scope=NATIONAL,
            course_id=course.id,
            kind="单选",
            stem="",
            options=["甲"],
            answer="C",
        )
    assert "题干不能为空" in bad.value.message and "选项应为" in bad.value.message
    judge = final_tests.add_question(
        session,
        scope=NATIONAL,
        course_id=course.id,
        kind="判断",
        stem="对吗",
        options=[],
        answer="正确",
    )
    assert judge.options == ["正确", "错误"] and judge.answer == "A"
    multi = final_tests.add_question(
        session,
        scope=NATIONAL,
        course_id=course.id,
        kind="多选",
        stem="哪些",
        options=["甲", "乙", "丙"],
        answer="c,a",
    )
    assert multi.answer == "AC"


def test_a_score_in_the_url_is_never_shown(client, session, make_user, login):
    """Issue 14: /courses/7?score=100 displayed 本次结业测试成绩：100 分."""
    course, user, _, now = _ready(session, make_user)
    login(user.username)
    page = client.get(f"/courses/{course.id}?score=100")
    assert "100 分" not in page.text and "成绩" not in page.text.split('id="test-result"')[1][:200]
    form = client.post(f"/courses/{course.id}/test", data={"csrf_token": csrf_from(page.text)})
    assert form.status_code == 200  # followed to the test page
    attempt = session.scalars(select(CourseTestAttempt)).one()
    answers = {f"q{q['id']}": "A" for q in attempt.questions}
    done = client.post(
        f"/courses/tests/{attempt.id}",
        data={"csrf_token": csrf_from(form.text), **answers},
        follow_redirects=False,
    )
    assert done.status_code == 303 and "score" not in done.headers["location"]
    page = client.get(f"/courses/{course.id}?score=100")
    assert "第 1 次测试成绩：0 分" in page.text and "100 分" not in page.text
    assert "后再参加" in page.text  # the wait shows instead of the button


def test_the_admin_builds_the_pool_on_the_course_page(client, session, make_user, login):
    course = make_course(session, test_question_count=2)
    admin = make_user("national")
    login(admin.username)
    page = client.get(f"/courses/{course.id}")
    assert 'id="pool"' in page.text and "题库少于每次抽题数" in page.text
    response = client.post(
        f"/courses/{course.id}/questions",
        data={
            "csrf_token": csrf_from(page.text),
            "kind": "单选",
            "stem": "排污许可证的执法依据地位",
            "options": "次要依据\n主要依据\n无关",
            "answer": "B",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert [q.stem for q in final_tests.pool(session, course)] == ["排污许可证的执法依据地位"]
