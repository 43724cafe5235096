"""Finding 2: a started attempt keeps the version of each question it drew — editing the bank
(PUT, import, retire) never changes its stem, options, key or explanation."""

from __future__ import annotations

from sqlalchemy import select

from quiz import attempts, schemas
from quiz import bank as question_bank
from quiz.bank import COMMAND_LINE_ACCESS
from quiz.models import AttemptItem, Question

LETTERS = "ABCDEF"


def _first_single_choice(session, attempt_id) -> tuple[AttemptItem, Question]:
    items = session.scalars(
        select(AttemptItem)
        .where(AttemptItem.attempt_id == attempt_id)
        .order_by(AttemptItem.position)
    )
    item = next(i for i in items if i.kind == "单选")
    return item, session.get(Question, item.question_id)


def _shown(item: AttemptItem, original: str) -> str:
    """Original letters as the participant saw them."""
    return "".join(sorted(LETTERS[item.option_order.index(ch)] for ch in original))


def _payload(question: Question, **changes) -> dict:
    data = {
        "kind": question.kind,
        "stem": question.stem,
        "options": list(question.options),
        "answer": question.answer,
        "explanation": question.explanation,
        "tags": question.tags,
        "difficulty": question.difficulty,
        "source": question.source,
        "status": question.status,
    }
    return {**data, **changes}


def test_changing_the_key_through_the_api_does_not_change_a_started_attempt(
    client, session, bank, make_contest, staff, make_user, auth_headers
):
    contest = make_contest(quotas=[{"count": 24}])
    headers = auth_headers(staff)
    attempt = client.post(f"/api/quiz/contests/{contest.id}/attempts", headers=headers).json()
    item, question = _first_single_choice(session, attempt["id"])
    old_key, new_key = question.answer, "A" if question.answer != "A" else "C"
    old_shown, new_shown = _shown(item, old_key), _shown(item, new_key)
    old_stem = question.stem

    admin = auth_headers(make_user("national"))
    edited = client.put(
        f"/api/quiz/questions/{question.id}",
        json=_payload(question, answer=new_key, stem="改过的题干", explanation="改过的解析"),
        headers=admin,
    )
    assert edited.status_code == 200 and edited.json()["answer"] == new_key

    view = client.get(f"/api/quiz/attempts/{attempt['id']}", headers=headers).json()
    assert view["questions"][item.position - 1]["stem"] == old_stem
    saved = client.put(
        f"/api/quiz/attempts/{attempt['id']}/answers/{item.position}",
        json={"choice": old_shown},
        headers=headers,
    )
    assert saved.status_code == 200
    result = client.post(f"/api/quiz/attempts/{attempt['id']}/submit", headers=headers).json()
    assert result["correct_count"] == 1  # the old right answer still scores
    review = result["review"][item.position - 1]
    assert review["correct"] and review["answer"] == old_shown != new_shown
    assert review["explanation"] != "改过的解析"


def test_the_new_key_is_not_used_for_a_started_attempt(
    session, bank, make_contest, staff, make_user
):
    contest = make_contest(quotas=[{"count": 24}])
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    item, question = _first_single_choice(session, attempt.id)
    new_key = "A" if question.answer != "A" else "C"
    question_bank.update_question(
        session,
        question_id=question.id,
        data=schemas.QuestionUpdate(**_payload(question, answer=new_key)),
        admin=make_user("national"),
    )
    attempts.save_answer(
        session,
        attempt_id=attempt.id,
        user=staff,
        position=item.position,
        choice=_shown(item, new_key),
    )
    assert attempts.submit_attempt(session, attempt_id=attempt.id, user=staff).correct_count == 0


def test_an_attempt_started_after_the_edit_uses_the_new_version(
    session, bank, make_contest, staff, make_user
):
    question = next(q for q in bank if q.kind == "单选")
    question_bank.update_question(
        session,
        question_id=question.id,
        data=schemas.QuestionUpdate(**_payload(question, answer="D", stem="新版本的题干")),
        admin=make_user("national"),
    )
    contest = make_contest(quotas=[{"count": 24}])
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    item = next(i for i in attempt.items if i.question_id == question.id)
    assert (item.stem, item.answer_key) == ("新版本的题干", "D")


def test_retiring_a_drawn_question_leaves_the_attempt_whole(
    session, bank, make_contest, staff, make_user
):
    contest = make_contest()
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    item = attempt.items[0]
    key = "".join(sorted(LETTERS[item.option_order.index(ch)] for ch in item.answer_key))
    question_bank.retire_question(
        session, question_id=item.question_id, admin=make_user("national")
    )
    view = attempts.get_attempt_view(session, attempt_id=attempt.id, user=staff)
    assert len(view.questions) == 6 and view.questions[0].stem == item.stem
    attempts.save_answer(session, attempt_id=attempt.id, user=staff, position=1, choice=key)
    assert attempts.submit_attempt(session, attempt_id=attempt.id, user=staff).correct_count == 1


def test_retiring_a_reserved_question_tops_the_pool_up(session, bank, make_contest, make_user):
    from quiz.models import ContestQuestion

    contest = make_contest(quotas=[{"tag": "许可证核发", "count": 3}])

    def pool():
        return set(
            session.scalars(
                select(ContestQuestion.question_id)
                .join(Question, Question.id == ContestQuestion.question_id)
                .where(ContestQuestion.contest_id == contest.id, Question.status == "published")
            )
        )

    before = pool()
    retired = min(before)
    question_bank.retire_question(session, question_id=retired, admin=make_user("national"))
    after = pool()
    assert retired not in after and len(after) == len(before) == 6


def test_reimporting_the_bank_changes_no_started_attempt(session, bank, make_contest, staff):
    from quiz import importer

    contest = make_contest(quotas=[{"count": 24}])
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    before = [(i.stem, i.options, i.answer_key) for i in attempt.items]
    exported = importer.export_questions(session, access=COMMAND_LINE_ACCESS, fmt="csv")
    report = importer.import_questions(session, exported, filename="bank.csv", skip_invalid=True)
    assert report.created == 0  # every stem is already there: an import never edits
    session.expire_all()
    view = attempts.get_attempt_view(session, attempt_id=attempt.id, user=staff)
    assert [q.stem for q in view.questions] == [stem for stem, _o, _k in before]
