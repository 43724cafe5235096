"""Rules every part of the quiz shares: where a question may be used, which questions an
unclosed contest reserves, who may enter a contest and whether it is running.

Contest integrity by design: a contest reserves its pool of questions when it is created, and
until it closes those questions can be neither drawn nor answered in practice, and admins in its
audience do not see their keys. Questions and contests belong to a region; only admins who own
that region change them, and every change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.db import get_or_404, utcnow
from core.regions.scope import RegionScope
from quiz.models import (
    Attempt,
    AttemptItem,
    Contest,
    ContestQuestion,
    ContestState,
    Question,
)

# Network delay between the participant's click and our clock; answers this late still count.
GRACE_SECONDS = 20
IN_CONTEST = "这道题正用于尚未结束的竞赛，竞赛结束后才能练习"


def usable_in(province: str | None, city: str | None):
    """SQL condition: questions usable in a region (national ones, its province's, its own)."""
    national = Question.province.is_(None)
    if province is None:
        return national
    local = or_(Question.city.is_(None), Question.city == city) if city else Question.city.is_(None)
    return or_(national, and_(Question.province == province, local))


def usable(question: Question, province: str | None, city: str | None) -> bool:
    if question.province is None:
        return True
    return question.province == province and question.city in (None, city)


def visible_to(scope: RegionScope):
    """SQL condition: bank questions an admin sees (usable in their region, or owned below it)."""
    if scope.is_national:
        return true()
    if scope.city is None:
        return or_(Question.province.is_(None), Question.province == scope.province)
    return usable_in(scope.province, scope.city)


def reserved_ids(now: dt.datetime, contest_ids=None):
    """Ids of questions reserved by contests not yet closed (of ``contest_ids`` when given)."""
    stmt = (
        select(ContestQuestion.question_id)
        .join(Contest, Contest.id == ContestQuestion.contest_id)
        .where(Contest.closes_at > now)
    )
    if contest_ids is not None:
        stmt = stmt.where(Contest.id.in_(contest_ids))
    return stmt


def open_attempt_question_ids(user_id: int, now: dt.datetime):
    """Questions of the user's running contest attempts."""
    return (
        select(AttemptItem.question_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Attempt.user_id == user_id,
            Attempt.submitted_at.is_(None),
            Attempt.deadline_at > now - dt.timedelta(seconds=GRACE_SECONDS),
        )
    )


def organiser_scope(contest: Contest) -> RegionScope:
    return RegionScope(contest.province, contest.city)


def parse_region(entry: str) -> tuple[str, str | None]:
    province, _, city = entry.partition("/")
    return province.strip(), (city.strip() or None)


def is_eligible(contest: Contest, user: User) -> bool:
    """True when the user's role and region are in the contest's audience."""
    if user.role not in contest.audience_roles:
        return False
    if not contest.audience_regions:
        return organiser_scope(contest).allows(user.province, user.city)
    for entry in contest.audience_regions:
        province, city = parse_region(entry)
        if user.province == province and (city is None or user.city == city):
            return True
    return False


def get_contest(session: Session, contest_id: int) -> Contest:
    """The contest with this id."""
    return get_or_404(session, Contest, contest_id, "竞赛不存在")


def visible_to_admin(contest: Contest, scope: RegionScope) -> bool:
    """Admins see contests they organise and those organised above them that reach their region."""
    organiser = organiser_scope(contest)
    return scope.allows(contest.province, contest.city) or organiser.allows(
        scope.province, scope.city
    )


def contest_state(contest: Contest, now: dt.datetime | None = None) -> ContestState:
    """Not yet open, open, or closed (at ``now``)."""
    now = now or utcnow()
    if now < contest.opens_at:
        return ContestState.UPCOMING
    if now >= contest.closes_at:
        return ContestState.CLOSED
    return ContestState.OPEN


def answers_visible(contest: Contest, now: dt.datetime | None = None) -> bool:
    """May those who submitted see the correct answers and explanations now?"""
    if contest.show_answers == "immediately":
        return True
    if contest.show_answers == "after_close":
        return contest_state(contest, now) is ContestState.CLOSED
    return False


def is_running(attempt: Attempt, now: dt.datetime) -> bool:
    return attempt.submitted_at is None and now <= attempt.deadline_at + dt.timedelta(
        seconds=GRACE_SECONDS
    )
