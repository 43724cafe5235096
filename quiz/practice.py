"""Practice (also used by the Telegram bot's /quiz) and the 错题本."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.db import get_or_404, utcnow
from core.errors import Conflict, Invalid, NotFound
from quiz import schemas, scoring
from quiz.bank import answer_text, lettered
from quiz.models import (
    AttemptItem,
    ContestQuestion,
    Mistake,
    PracticeAnswer,
    Question,
    QuestionStatus,
)
from quiz.pools import published
from quiz.rules import IN_CONTEST, open_attempt_question_ids, reserved_ids, usable, usable_in


def practice_question(
    session: Session, *, user: User, tag: str | None = None, mistakes_only: bool = False
) -> schemas.PracticeQuestion:
    """A random published question (of ``tag``) without its key; ``mistakes_only``: from 错题本.

    Only questions usable in the user's region, and none reserved by an unclosed contest.
    """
    now = utcnow()
    stmt = published(select(Question.id), tag).where(
        usable_in(user.province, user.city),
        Question.id.not_in(reserved_ids(now)),
        Question.id.not_in(open_attempt_question_ids(user.id, now)),
    )
    if mistakes_only:
        stmt = stmt.where(
            exists().where(
                Mistake.question_id == Question.id,
                Mistake.user_id == user.id,
                Mistake.mastered_at.is_(None),
            )
        )
    ids = list(session.scalars(stmt))
    if not ids:
        if mistakes_only:
            raise NotFound("错题本中没有待练习的题目")
        raise NotFound(f"没有标签为“{tag}”的题目" if tag else "题库中还没有可练习的题目")
    question = session.get(Question, random.choice(ids))
    return schemas.PracticeQuestion(
        id=question.id,
        kind=question.kind,
        stem=question.stem,
        options=lettered(question.options),
        tags=question.tags,
        difficulty=question.difficulty,
    )


def check_practice_answer(
    session: Session, *, user: User, question_id: int, choice: str
) -> schemas.PracticeResult:
    """Mark a practice answer, record it, keep the user's 错题本; return the key and explanation.

    Questions an unclosed contest reserved are refused (409) before anything is revealed.
    """
    question = get_or_404(
        session,
        Question,
        question_id,
        "题目不存在或已停用",
        allowed=lambda q: (
            q.status == QuestionStatus.PUBLISHED.value and usable(q, user.province, user.city)
        ),
    )
    now = utcnow()
    if session.scalar(
        select(
            exists(
                open_attempt_question_ids(user.id, now).where(
                    AttemptItem.question_id == question_id
                )
            )
        )
    ):
        raise Conflict("这道题在您正在进行的竞赛中，交卷后才能练习")
    if session.scalar(
        select(exists(reserved_ids(now).where(ContestQuestion.question_id == question_id)))
    ):
        raise Conflict(IN_CONTEST)
    given, problem = scoring.parse_choice(question.kind, choice, len(question.options))
    if problem:
        raise Invalid(problem)
    correct = scoring.is_correct(question.answer, given)
    session.add(
        PracticeAnswer(
            user_id=user.id,
            question_id=question.id,
            choice=given or "",
            correct=correct,
            answered_at=now,
        )
    )
    _record_practice(
        session,
        user_id=user.id,
        question_id=question_id,
        given=given or "",
        correct=correct,
        now=now,
    )
    session.commit()
    return schemas.PracticeResult(
        question_id=question.id,
        correct=correct,
        choice=given or "",
        answer=question.answer,
        answer_text=answer_text(question, question.answer),
        explanation=question.explanation,
        source=question.source,
    )


def _record_practice(
    session: Session, *, user_id: int, question_id: int, given: str, correct: bool, now: dt.datetime
) -> None:
    mistake = session.scalar(
        select(Mistake).where(Mistake.user_id == user_id, Mistake.question_id == question_id)
    )
    if correct:
        if mistake is not None and mistake.mastered_at is None:
            mistake.mastered_at = now
        return
    if mistake is None:
        session.add(
            Mistake(user_id=user_id, question_id=question_id, last_answer=given, last_wrong_at=now)
        )
    else:
        mistake.wrong_count += 1
        mistake.last_answer = given
        mistake.last_wrong_at = now
        mistake.mastered_at = None


def record_mistakes(
    session: Session, *, user_id: int, wrong: dict[int, str], now: dt.datetime
) -> None:
    """Add a contest's wrong answers to the 错题本 with one query for the existing entries."""
    existing = {
        m.question_id: m
        for m in session.scalars(
            select(Mistake).where(Mistake.user_id == user_id, Mistake.question_id.in_(list(wrong)))
        )
    }
    for question_id, given in wrong.items():
        mistake = existing.get(question_id)
        if mistake is None:
            session.add(
                Mistake(
                    user_id=user_id, question_id=question_id, last_answer=given, last_wrong_at=now
                )
            )
        else:
            mistake.wrong_count += 1
            mistake.last_answer = given
            mistake.last_wrong_at = now
            mistake.mastered_at = None


def list_mistakes(
    session: Session, *, user_id: int, include_mastered: bool = False
) -> list[schemas.MistakeRead]:
    """The user's 错题本, most recent first; mastered entries only when asked."""
    stmt = (
        select(Mistake, Question)
        .join(Question, Question.id == Mistake.question_id)
        .where(Mistake.user_id == user_id)
        .order_by(Mistake.last_wrong_at.desc())
    )
    if not include_mastered:
        stmt = stmt.where(Mistake.mastered_at.is_(None))
    rows = session.execute(stmt).all()
    # A question an unclosed contest reserved keeps its key to itself here too.
    locked = set(
        session.scalars(
            reserved_ids(utcnow()).where(ContestQuestion.question_id.in_([q.id for _m, q in rows]))
        )
    )
    return [
        schemas.MistakeRead(
            question_id=q.id,
            kind=q.kind,
            stem=q.stem,
            options=lettered(q.options),
            answer="" if q.id in locked else q.answer,
            explanation="" if q.id in locked else q.explanation,
            last_answer=m.last_answer,
            wrong_count=m.wrong_count,
            last_wrong_at=m.last_wrong_at,
            mastered=m.mastered_at is not None,
            locked=q.id in locked,
        )
        for m, q in rows
    ]
