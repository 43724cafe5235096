"""Evidence a bureau stands behind: who may turn training into coverage (measure 33).

A legal representative is covered by
  (a) attendance at a class recorded by an admin, under the name registered for the unit on the
      class's last day (another name is reported as 非现任法定代表人 and counted nowhere);
  (b) an online course completed by an account that a city or province admin has verified as
      the unit's legal representative under that name: until then the completion is 待核实 and
      has no training record;
  (c) training records an admin imported from another platform.
This module holds (b): the claims, the queue and the decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.audit.service import record_audit
from core.db import utcnow
from core.enterprises.models import Enterprise
from core.errors import Conflict, Forbidden, NotFound
from core.regions.scope import RegionScope
from courses.models import (
    Audience,
    Course,
    Enrolment,
    EvidenceSource,
    RepVerification,
    TrainingRecord,
    VerificationStatus,
)

NOT_CURRENT_REP = "非现任法定代表人"


def online_completion(
    session: Session, *, user: User, enrolment: Enrolment, course: Course
) -> None:
    """An enterprise account finished a course: record it, or for a 法定代表人 course, only once
    the account is verified as the unit's legal representative under the enrolment's name."""
    if user.enterprise_id is None:
        return
    if course.audience != Audience.LEGAL_REP.value:
        _add_record(session, user.enterprise_id, enrolment, course)
        return
    claim = _claim(session, user, enrolment.person_name)
    if claim is None:
        session.add(
            RepVerification(
                user_id=user.id,
                enterprise_id=user.enterprise_id,
                person_name=enrolment.person_name,
                status=VerificationStatus.PENDING.value,
            )
        )
    elif claim.status == VerificationStatus.APPROVED.value:
        _add_record(session, user.enterprise_id, enrolment, course)


def _claim(session: Session, user: User, person_name: str) -> RepVerification | None:
    return session.scalar(
        select(RepVerification).where(
            RepVerification.user_id == user.id,
            RepVerification.enterprise_id == user.enterprise_id,
            RepVerification.person_name == person_name,
        )
    )


def _add_record(session: Session, unit_id: int, enrolment: Enrolment, course: Course) -> None:
    exists = session.scalar(
        select(TrainingRecord.id).where(
            TrainingRecord.enterprise_id == unit_id,
            TrainingRecord.person_name == enrolment.person_name,
            TrainingRecord.course_id == course.id,
            TrainingRecord.completed_on == enrolment.completed_on,
        )
    )
    if exists is None:
        session.add(
            TrainingRecord(
                enterprise_id=unit_id,
                person_name=enrolment.person_name,
                role=course.audience,
                course_id=course.id,
                completed_on=enrolment.completed_on,
                passed=True,
                source=EvidenceSource.PLATFORM.value,
            )
        )


def claim_status(session: Session, *, user: User, person_name: str) -> str | None:
    """The verification status of the account under ``person_name`` (None: never claimed)."""
    claim = _claim(session, user, person_name)
    return claim.status if claim else None


# ---- the 待核实 queue -------------------------------------------------------------------------


@dataclass
class Completion:
    course_code: str
    course_title: str
    completed_on: dt.date


@dataclass
class PendingClaim:
    """One row of the queue: who claims to be whose legal representative, with what evidence."""

    id: int
    username: str
    person_name: str
    credit_code: str
    unit_name: str
    province: str
    city: str
    registered_rep: str
    requested_at: dt.datetime
    completions: list[Completion]

    @property
    def name_matches(self) -> bool:
        return self.person_name == self.registered_rep


def pending_claims(session: Session, *, scope: RegionScope, limit: int = 200) -> list[PendingClaim]:
    """Claims waiting for a bureau in ``scope``, oldest first, with the completions they hold."""
    stmt = scope.apply(
        select(RepVerification, User.username, Enterprise)
        .join(User, User.id == RepVerification.user_id)
        .join(Enterprise, Enterprise.id == RepVerification.enterprise_id)
        .where(RepVerification.status == VerificationStatus.PENDING.value),
        Enterprise.province,
        Enterprise.city,
    ).order_by(RepVerification.requested_at, RepVerification.id)
    out = []
    for claim, username, unit in session.execute(stmt.limit(limit)):
        out.append(
            PendingClaim(
                id=claim.id,
                username=username,
                person_name=claim.person_name,
                credit_code=unit.credit_code,
                unit_name=unit.name,
                province=unit.province,
                city=unit.city,
                registered_rep=unit.legal_rep_name,
                requested_at=claim.requested_at,
                completions=_completions(session, claim),
            )
        )
    return out


def pending_count(session: Session, *, scope: RegionScope) -> int:
    """How many claims wait for a bureau in ``scope``."""
    stmt = scope.apply(
        select(func.count(RepVerification.id))
        .join(Enterprise, Enterprise.id == RepVerification.enterprise_id)
        .where(RepVerification.status == VerificationStatus.PENDING.value),
        Enterprise.province,
        Enterprise.city,
    )
    return session.scalar(stmt) or 0


def _completed_enrolments(
    session: Session, claim: RepVerification
) -> list[tuple[Enrolment, Course]]:
    rows = session.execute(
        select(Enrolment, Course)
        .join(Course, Course.id == Enrolment.course_id)
        .where(
            Enrolment.user_id == claim.user_id,
            Enrolment.person_name == claim.person_name,
            Enrolment.completed_on.is_not(None),
            Course.audience == Audience.LEGAL_REP.value,
        )
        .order_by(Enrolment.completed_on)
    )
    return [(e, c) for e, c in rows]


def _completions(session: Session, claim: RepVerification) -> list[Completion]:
    return [
        Completion(c.code, c.title, e.completed_on)
        for e, c in _completed_enrolments(session, claim)
    ]


def decide_claim(
    session: Session, *, scope: RegionScope, actor: User, claim_id: int, approve: bool
) -> RepVerification:
    """Approve or reject a claim (admins whose region holds the unit); approval turns the
    account's completed 法定代表人 courses under that name into training records. Audited."""
    claim = session.get(RepVerification, claim_id)
    unit = session.get(Enterprise, claim.enterprise_id) if claim else None
    if claim is None or unit is None or not scope.allows(unit.province, unit.city):
        raise NotFound("核实申请不存在")
    if not actor.role_enum.is_admin:
        raise Forbidden("只有管理员可以核实法定代表人身份")
    if claim.status != VerificationStatus.PENDING.value:
        raise Conflict(f"该申请已处理（{claim.status}）")
    before = claim.status
    claim.status = (VerificationStatus.APPROVED if approve else VerificationStatus.REJECTED).value
    claim.decided_at, claim.decided_by_id = utcnow(), actor.id
    enrolments = _completed_enrolments(session, claim) if approve else []
    for enrolment, course in enrolments:
        _add_record(session, unit.id, enrolment, course)
    record_audit(
        session,
        actor=actor,
        action="coverage.rep_verification." + ("approve" if approve else "reject"),
        target_kind="rep_verification",
        target_id=claim.id,
        province=unit.province,
        city=unit.city,
        detail={
            "before": before,
            "after": claim.status,
            "credit_code": unit.credit_code,
            "person_name": claim.person_name,
            "registered_rep": unit.legal_rep_name,
            "user_id": claim.user_id,
            "completions": [[c.code, e.completed_on] for e, c in enrolments],
        },
    )
    session.commit()
    return claim
