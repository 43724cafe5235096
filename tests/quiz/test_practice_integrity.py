"""Finding 1: the answer key is not public — practice needs a login, is recorded per user, and
never draws or answers a question an unclosed (open or scheduled) contest has reserved."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.db import utcnow
from core.errors import Conflict, NotFound
from quiz import bank as question_bank
from quiz import pools, practice, rules, schemas
from quiz.models import ContestQuestion, PracticeAnswer, Question


def _pool(session, contest) -> set[int]:
    return set(
        session.scalars(
            select(ContestQuestion.question_id).where(ContestQuestion.contest_id == contest.id)
        )
    )


def _answer(session, user, question_id) -> str:
    """The Conflict message of a practice answer, or "ok"."""
    try:
        practice.check_practice_answer(session, user=user, question_id=question_id, choice="A")
    except Conflict as exc:
        return exc.message
    return "ok"


def test_practice_without_a_login_is_401_and_reveals_nothing(client, bank):
    answer = client.post(
        "/api/quiz/practice/answer", json={"question_id": bank[0].id, "choice": "A"}
    )
    assert answer.status_code == 401 and answer.json()["detail"] == "请先登录"
    assert "explanation" not in answer.text and "解析" not in answer.text
    assert client.get("/api/quiz/practice/question").status_code == 401


def test_practice_page_sends_anonymous_visitors_to_the_login(client, bank):
    page = client.get("/quiz/practice", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_each_practice_answer_is_recorded_for_its_user(
    client, session, bank, staff, make_user, auth_headers
):
    other = make_user("staff", province="江苏省", city="南京市")
    single = next(q for q in bank if q.kind == "单选")
    for user, choice in ((staff, "A"), (staff, "B"), (other, "B")):
        response = client.post(
            "/api/quiz/practice/answer",
            json={"question_id": single.id, "choice": choice},
            headers=auth_headers(user),
        )
        assert response.status_code == 200
    rows = session.scalars(select(PracticeAnswer).order_by(PracticeAnswer.id)).all()
    assert [(r.user_id, r.choice, r.correct) for r in rows] == [
        (staff.id, "A", False),
        (staff.id, "B", True),
        (other.id, "B", True),
    ]


def test_a_contest_reserves_its_pool_and_keeps_the_rest_of_the_bank_for_practice(
    session, bank, make_contest
):
    contest = make_contest(quotas=[{"tag": "许可证核发", "count": 3}])
    pool = _pool(session, contest)
    tagged = {q.id for q in bank if "许可证核发" in q.tags}
    # Twice each quota's count (POOL_FACTOR), from the questions the quota can draw.
    assert len(pool) == 3 * pools.POOL_FACTOR and pool <= tagged


def test_questions_of_an_open_contest_are_not_answerable_in_practice(
    client, session, bank, make_contest, staff, make_user, auth_headers
):
    contest = make_contest(quotas=[{"tag": "许可证核发", "count": 3}])
    outsider = make_user("staff", province="浙江省", city="杭州市")  # not even in the audience
    for question_id in _pool(session, contest):
        response = client.post(
            "/api/quiz/practice/answer",
            json={"question_id": question_id, "choice": "A"},
            headers=auth_headers(outsider),
        )
        assert response.status_code == 409
        assert response.json()["detail"] == rules.IN_CONTEST
        assert "answer" not in response.json()
    assert session.scalar(select(PracticeAnswer.id)) is None


def test_questions_of_an_open_contest_are_never_drawn_for_practice(
    client, session, bank, make_contest, staff, auth_headers
):
    # Four questions a draw, twice that reserved: all eight 许可证核发 questions.
    contest = make_contest(quotas=[{"tag": "许可证核发", "count": 4}])
    assert len(_pool(session, contest)) == 8
    response = client.get(
        "/api/quiz/practice/question", params={"tag": "许可证核发"}, headers=auth_headers(staff)
    )
    assert response.status_code == 404 and "许可证核发" in response.json()["detail"]
    drawn = {practice.practice_question(session, user=staff).id for _ in range(60)}
    assert drawn and not drawn & _pool(session, contest)


def test_a_scheduled_contest_already_hides_its_pool(session, bank, make_contest, staff):
    later = utcnow() + dt.timedelta(days=7)
    contest = make_contest(
        quotas=[{"tag": "证后监管", "count": 2}],
        opens_at=later,
        closes_at=later + dt.timedelta(days=1),
    )
    question_id = next(iter(_pool(session, contest)))
    response = _answer(session, staff, question_id)
    assert response == rules.IN_CONTEST


def test_a_closed_contest_gives_its_questions_back_to_practice(session, bank, make_contest, staff):
    contest = make_contest(quotas=[{"tag": "证后监管", "count": 2}])
    question_id = next(iter(_pool(session, contest)))
    assert _answer(session, staff, question_id) == rules.IN_CONTEST
    contest.closes_at = utcnow() - dt.timedelta(minutes=1)
    session.commit()
    assert _answer(session, staff, question_id) == "ok"


def test_the_mistake_book_hides_keys_of_questions_a_contest_has_reserved(
    client, session, bank, make_contest, staff, auth_headers
):
    multiple = next(q for q in bank if "证后监管" in q.tags)  # 多选, key AC
    practice.check_practice_answer(session, user=staff, question_id=multiple.id, choice="A")
    # Every 证后监管 question (count 4, pool 8) is reserved by the contest created afterwards.
    make_contest(quotas=[{"tag": "证后监管", "count": 4}])
    book = client.get("/api/quiz/practice/mistakes", headers=auth_headers(staff)).json()
    entry = next(m for m in book if m["question_id"] == multiple.id)
    assert entry["locked"] and entry["answer"] == "" and entry["explanation"] == ""


def test_practice_only_uses_questions_of_the_users_region(session, make_user, staff):
    hangzhou_admin = make_user("city", province="浙江省", city="杭州市")
    question_bank.create_question(
        session,
        admin=hangzhou_admin,
        data=schemas.QuestionCreate(
            kind="单选", stem="杭州市自编题", options=["甲", "乙"], answer="A"
        ),
    )
    question = session.scalar(select(Question).where(Question.stem == "杭州市自编题"))
    with pytest.raises(NotFound):
        practice.check_practice_answer(session, user=staff, question_id=question.id, choice="A")
    hangzhou_staff = make_user("staff", province="浙江省", city="杭州市")
    assert practice.practice_question(session, user=hangzhou_staff).id == question.id
