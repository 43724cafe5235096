"""Contest attempts.

Every contest rule is enforced here, on the server: the draw, each drawn question's content and
key, and the deadline are fixed when an attempt starts; each answer is written as soon as it is
given, answers after the deadline plus ``GRACE_SECONDS`` are refused, a participant only ever
finds their own attempt, and no answer key leaves before the attempt is submitted.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.db import get_or_404, utcnow
from core.errors import Conflict, Forbidden, Invalid, NotFound
from quiz import schemas, scoring
from quiz.bank import lettered
from quiz.marking import attempt_items, finalise
from quiz.models import (
    Attempt,
    AttemptItem,
    Certificate,
    Contest,
    ContestExtension,
    ContestState,
    Question,
    QuestionKind,
)
from quiz.pools import draw_contest
from quiz.ranking import rank_of
from quiz.rules import (
    GRACE_SECONDS,
    answers_visible,
    contest_state,
    get_contest,
    is_eligible,
    is_running,
)


def _drawn_item(position: int, question: Question, order: str) -> AttemptItem:
    """An attempt's copy of a question: later edits of the bank never reach it."""
    return AttemptItem(
        position=position,
        question_id=question.id,
        option_order=order,
        kind=question.kind,
        stem=question.stem,
        options=list(question.options),
        answer_key=question.answer,
        explanation=question.explanation,
        source=question.source,
    )


def start_attempt(
    session: Session,
    *,
    contest_id: int,
    user: User,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Start (or resume) the user's attempt: questions, option order and deadline fixed now."""
    now = now or utcnow()
    contest = get_contest(session, contest_id)
    if not is_eligible(contest, user):
        raise Forbidden("您不在本次竞赛的参赛范围内")
    state = contest_state(contest, now)
    # reopened for this person: they may start until their own closing time
    extension = session.scalar(
        select(ContestExtension).where(
            ContestExtension.contest_id == contest.id, ContestExtension.user_id == user.id
        )
    )
    closes_at = contest.closes_at
    allowed = contest.attempts_allowed
    if extension is not None and extension.closes_at > now and state is ContestState.CLOSED:
        state, closes_at = ContestState.OPEN, extension.closes_at
        allowed += extension.extra_attempts
    if state is not ContestState.OPEN:
        raise Conflict("竞赛尚未开始" if state is ContestState.UPCOMING else "竞赛已结束")
    attempts = list(
        session.scalars(
            select(Attempt).where(Attempt.contest_id == contest.id, Attempt.user_id == user.id)
        )
    )
    for attempt in attempts:
        if is_running(attempt, now):
            return attempt
        if attempt.submitted_at is None:
            finalise(session, attempt, contest, now)
    if len(attempts) >= allowed:
        session.commit()
        raise Conflict("您的作答次数已用完")
    rng = rng or random.SystemRandom()
    questions = draw_contest(session, contest, rng)
    deadline = min(now + dt.timedelta(minutes=contest.time_limit_minutes), closes_at)
    attempt = Attempt(
        contest_id=contest.id,
        user_id=user.id,
        attempt_no=len(attempts) + 1,
        province=user.province,
        city=user.city,
        organisation=user.organisation,
        started_at=now,
        deadline_at=deadline,
        question_count=len(questions),
    )
    for position, question in enumerate(questions, start=1):
        order = list(scoring.LETTERS[: len(question.options)])
        if contest.shuffle_options and question.kind != QuestionKind.JUDGE:
            rng.shuffle(order)
        attempt.items.append(_drawn_item(position, question, "".join(order)))
    session.add(attempt)
    try:
        session.commit()
    except IntegrityError:
        # A double click started the same attempt in two requests; the first one stands.
        session.rollback()
        existing = session.scalar(
            select(Attempt).where(
                Attempt.contest_id == contest.id,
                Attempt.user_id == user.id,
                Attempt.attempt_no == len(attempts) + 1,
            )
        )
        if existing is None:
            raise
        return existing
    return attempt


def my_attempts(session: Session, *, contest_id: int, user: User) -> list[Attempt]:
    """The user's own attempts at a contest, oldest first."""
    return list(
        session.scalars(
            select(Attempt)
            .where(Attempt.contest_id == contest_id, Attempt.user_id == user.id)
            .order_by(Attempt.attempt_no)
        )
    )


def _own_attempt(session: Session, attempt_id: int, user: User) -> Attempt:
    # Someone else's attempt is "not found", so ids cannot be probed.
    return get_or_404(
        session, Attempt, attempt_id, "答卷不存在", allowed=lambda a: a.user_id == user.id
    )


def _to_display(order: str, letters: str | None) -> str | None:
    if not letters:
        return None
    return "".join(sorted(scoring.LETTERS[order.index(ch)] for ch in letters))


def get_attempt_view(
    session: Session, *, attempt_id: int, user: User, now: dt.datetime | None = None
) -> schemas.AttemptView:
    """The participant's own attempt: questions as shown, saved choices, no key until submitted."""
    now = now or utcnow()
    attempt = _own_attempt(session, attempt_id, user)
    contest = session.get(Contest, attempt.contest_id)
    if attempt.submitted_at is None and not is_running(attempt, now):
        finalise(session, attempt, contest, now)
        session.commit()
    items = attempt_items(session, attempt.id)
    questions = [
        schemas.AttemptQuestion(
            position=item.position,
            kind=item.kind,
            stem=item.stem,
            options=lettered(item.options, item.option_order),
            choice=_to_display(item.option_order, item.answer),
        )
        for item in items
    ]
    result = _result(session, attempt, contest, items) if attempt.submitted_at is not None else None
    seconds_left = max(0, int((attempt.deadline_at - now).total_seconds())) if result is None else 0
    return schemas.AttemptView(
        id=attempt.id,
        contest_id=contest.id,
        contest_title=contest.title,
        started_at=attempt.started_at,
        deadline_at=attempt.deadline_at,
        seconds_left=seconds_left,
        submitted=result is not None,
        questions=questions,
        result=result,
    )


def save_answer(
    session: Session,
    *,
    attempt_id: int,
    user: User,
    position: int,
    choice: str,
    now: dt.datetime | None = None,
) -> schemas.SavedAnswer:
    """Store one answer at once (``choice`` in shown letters); late or after submitting: refused."""
    now = now or utcnow()
    if not 1 <= position <= schemas.MAX_CONTEST_QUESTIONS:
        _own_attempt(session, attempt_id, user)  # no such attempt is told first
        raise NotFound(f"第 {position} 题不存在")
    if not 1 <= attempt_id <= schemas.MAX_ID:
        raise NotFound("答卷不存在")
    # One query for the attempt and the item: this runs once per answer per person.
    row = session.execute(
        select(Attempt, AttemptItem)
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .where(Attempt.id == attempt_id, AttemptItem.position == position)
    ).first()
    if row is None or row[0].user_id != user.id:
        _own_attempt(session, attempt_id, user)  # someone else's or no such attempt: 404
        raise NotFound(f"第 {position} 题不存在")
    attempt, item = row
    if attempt.submitted_at is not None:
        raise Conflict("已交卷，不能再修改答案")
    if now > attempt.deadline_at + dt.timedelta(seconds=GRACE_SECONDS):
        raise Conflict("作答时间已到，答案未保存")
    stored: str | None = None
    if choice.strip():
        shown, problem = scoring.parse_choice(item.kind, choice, len(item.option_order))
        if problem:
            raise Invalid(f"第 {position} 题：{problem}")
        stored = "".join(sorted(item.option_order[scoring.LETTERS.index(ch)] for ch in shown))
    item.answer = stored
    item.answered_at = now
    session.commit()
    return schemas.SavedAnswer(
        position=position, choice=_to_display(item.option_order, stored), saved_at=now
    )


def submit_attempt(
    session: Session, *, attempt_id: int, user: User, now: dt.datetime | None = None
) -> schemas.AttemptResult:
    """Hand in the attempt and score it; submitting again returns the same result."""
    now = now or utcnow()
    attempt = _own_attempt(session, attempt_id, user)
    contest = session.get(Contest, attempt.contest_id)
    if attempt.submitted_at is None:
        finalise(session, attempt, contest, now)
        session.commit()
    return _result(session, attempt, contest)


def _result(
    session: Session, attempt: Attempt, contest: Contest, items: list[AttemptItem] | None = None
) -> schemas.AttemptResult:
    review: list[schemas.ReviewItem] = []
    if answers_visible(contest):
        if items is None:
            items = attempt_items(session, attempt.id)
        review = [
            schemas.ReviewItem(
                position=item.position,
                correct=bool(item.is_correct),
                answer=_to_display(item.option_order, item.answer_key) or "",
                explanation=item.explanation,
                source=item.source,
            )
            for item in items
        ]
    certificate = session.scalar(
        select(Certificate.code).where(Certificate.attempt_id == attempt.id)
    )
    return schemas.AttemptResult(
        attempt_id=attempt.id,
        correct_count=attempt.correct_count or 0,
        question_count=attempt.question_count,
        score=attempt.score or 0.0,
        time_used_seconds=attempt.time_used_seconds or 0,
        passed=bool(attempt.passed),
        rank=rank_of(session, contest, attempt)
        if contest_state(contest) is ContestState.CLOSED
        else None,
        certificate_code=certificate,
        review=review,
    )
