"""Marking an attempt once it ends (submitted or out of time): its score from the attempt's own
copy of the keys, the 错题本 entries and, for a pass, a certificate."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.certificates import new_code
from core.db import utcnow
from quiz import scoring
from quiz.models import (
    Attempt,
    AttemptItem,
    Certificate,
    Contest,
)
from quiz.practice import record_mistakes
from quiz.rules import GRACE_SECONDS, get_contest


def attempt_items(session: Session, attempt_id: int) -> list[AttemptItem]:
    """An attempt's drawn questions in shown order (each carries its own copy of the question)."""
    return list(
        session.scalars(
            select(AttemptItem)
            .where(AttemptItem.attempt_id == attempt_id)
            .order_by(AttemptItem.position)
        )
    )


def finalise(session: Session, attempt: Attempt, contest: Contest, now: dt.datetime) -> bool:
    """Score an attempt once from its own copy of the keys; a concurrent resubmit is a no-op."""
    limit = attempt.deadline_at + dt.timedelta(seconds=GRACE_SECONDS)
    submitted_at = min(now, limit)
    claimed = session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=submitted_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        session.refresh(attempt)
        return False
    correct = 0
    wrong: dict[int, str] = {}
    for item in attempt_items(session, attempt.id):
        counted = item.answered_at is not None and item.answered_at <= limit
        item.is_correct = counted and scoring.is_correct(item.answer_key, item.answer)
        correct += item.is_correct
        # the mistake book shows the right answer: only for contests that show it at once
        if contest.show_answers == "immediately" and not item.is_correct and item.answer:
            wrong[item.question_id] = item.answer
    if wrong:
        record_mistakes(session, user_id=attempt.user_id, wrong=wrong, now=now)
    attempt.submitted_at = submitted_at
    attempt.correct_count = correct
    attempt.time_used_seconds = max(
        0, int((min(submitted_at, attempt.deadline_at) - attempt.started_at).total_seconds())
    )
    attempt.passed = 100 * correct >= contest.pass_percent * attempt.question_count
    if attempt.passed:
        ensure_certificate(session, attempt, contest, award="合格证书", rank=None)
    return True


def finalise_expired(session: Session, *, contest_id: int, now: dt.datetime | None = None) -> int:
    """Score attempts whose time ran out without a submit (answers saved in time still count)."""
    now = now or utcnow()
    contest = get_contest(session, contest_id)
    stale = list(
        session.scalars(
            select(Attempt).where(
                Attempt.contest_id == contest_id,
                Attempt.submitted_at.is_(None),
                Attempt.deadline_at < now - dt.timedelta(seconds=GRACE_SECONDS),
            )
        )
    )
    done = sum(finalise(session, a, contest, now) for a in stale)
    if stale:
        session.commit()
    return done


def new_certificate_code(session: Session) -> str:
    """A contest certificate's verification code: ``QZ`` and ten characters."""

    def taken(code: str) -> bool:
        return session.scalar(select(Certificate.id).where(Certificate.code == code)) is not None

    return new_code("QZ", taken)


def ensure_certificate(
    session: Session, attempt: Attempt, contest: Contest, *, award: str, rank: int | None
) -> Certificate:
    cert = session.scalar(select(Certificate).where(Certificate.attempt_id == attempt.id))
    if cert is None:
        holder = session.get(User, attempt.user_id)
        cert = Certificate(
            code=new_certificate_code(session),
            contest_id=contest.id,
            attempt_id=attempt.id,
            user_id=attempt.user_id,
            holder_name=holder.display_name if holder else "",
            award=award,
            rank=rank,
            score=attempt.score or 0.0,
        )
        session.add(cert)
    elif rank is not None:
        cert.award, cert.rank = award, rank
    return cert
