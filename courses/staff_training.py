"""Staff training (measure 34): each staff member's yearly required and elective credits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts.models import Role, StaffKind, User
from core.config import get_settings
from core.regions.scope import RegionScope
from courses.models import (
    Course,
    CourseKind,
    Enrolment,
    ExternalTraining,
    VerificationStatus,
)


def yearly_credit_requirements() -> dict[str, tuple[float, float]]:
    """Measure 34: (required, elective) credits a year for each kind of staff, from the settings."""
    settings = get_settings()
    need = (settings.staff_required_credits, settings.staff_elective_credits)
    return {kind.value: need for kind in StaffKind}


# ---- staff training (measure 34) -------------------------------------------------------------


@dataclass
class StaffCredits:
    """One staff member's credits this year against the yearly requirement."""

    user: User
    required_done: float
    elective_done: float
    required_needed: float
    elective_needed: float

    @property
    def behind(self) -> bool:
        return (
            self.required_done < self.required_needed or self.elective_done < self.elective_needed
        )


@dataclass
class OrganisationCredits:
    organisation: str
    people: list[StaffCredits]

    @property
    def behind(self) -> list[StaffCredits]:
        return [p for p in self.people if p.behind]


def staff_credits(session: Session, *, scope: RegionScope, year: int) -> list[OrganisationCredits]:
    """Per organisation, each staff member's required and elective credits completed in ``year``.

    A course counts for a staff member when its audience is their staff kind.
    """
    users_stmt = scope.apply(
        select(User).where(User.role == Role.STAFF.value, User.is_active.is_(True)),
        User.province,
        User.city,
    )
    users = list(session.scalars(users_stmt.order_by(User.organisation, User.display_name)))
    people = _credits_of(session, users, year)
    by_org: dict[str, list[StaffCredits]] = {}
    for person in people:
        by_org.setdefault(person.user.organisation or "（未填写单位）", []).append(person)
    result = [OrganisationCredits(org, people) for org, people in by_org.items()]
    result.sort(key=lambda o: (-len(o.behind), o.organisation))
    return result


def person_credits(session: Session, *, user: User, year: int) -> StaffCredits | None:
    """A staff member's own credits in ``year``; None for accounts that are not staff."""
    if user.role != Role.STAFF.value:
        return None
    return _credits_of(session, [user], year)[0]


def _credits_of(session: Session, users: list[User], year: int) -> list[StaffCredits]:
    """Credits completed in ``year``: courses for the person's staff kind finished within the
    year (a course of another year never counts), and approved training done elsewhere."""
    totals: dict[tuple[int, str], float] = {}
    if users:
        ids = [u.id for u in users]
        in_year = (dt.date(year, 1, 1), dt.date(year, 12, 31))
        courses = (
            select(Enrolment.user_id, Course.kind, func.sum(Course.credits))
            .join(Course, Course.id == Enrolment.course_id)
            .join(User, User.id == Enrolment.user_id)
            .where(
                Enrolment.user_id.in_(ids),
                Enrolment.completed_on.between(*in_year),
                Course.year.is_(None) | (Course.year == year),
                Course.audience == User.staff_kind,
            )
            .group_by(Enrolment.user_id, Course.kind)
        )
        elsewhere = (
            select(
                ExternalTraining.user_id, ExternalTraining.kind, func.sum(ExternalTraining.credits)
            )
            .where(
                ExternalTraining.user_id.in_(ids),
                ExternalTraining.completed_on.between(*in_year),
                ExternalTraining.status == VerificationStatus.APPROVED.value,
            )
            .group_by(ExternalTraining.user_id, ExternalTraining.kind)
        )
        for stmt in (courses, elsewhere):
            for uid, kind, total in session.execute(stmt):
                totals[(uid, kind)] = totals.get((uid, kind), 0.0) + float(total or 0)
    requirements = yearly_credit_requirements()
    result = []
    for user in users:
        required, elective = requirements.get(user.staff_kind or "", (0.0, 0.0))
        result.append(
            StaffCredits(
                user=user,
                required_done=totals.get((user.id, CourseKind.REQUIRED.value), 0.0),
                elective_done=totals.get((user.id, CourseKind.ELECTIVE.value), 0.0),
                required_needed=required,
                elective_needed=elective,
            )
        )
    return result
