"""An enterprise user's own unit: registry facts, measure 33 coverage, classes, training history.

Only the unit the account is bound to (``User.enterprise_id``); nothing of other units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from core.accounts.models import Role, User
from core.enterprises.models import Enterprise, ManagementCategory, PermitStatus
from core.errors import Forbidden, NotFound
from core.timezone import beijing_today
from courses.coverage import _lr_course_ids, unit_coverage
from courses.models import (
    EVIDENCE_LABELS,
    ClassAttendee,
    Course,
    EvidenceSource,
    TrainingClass,
    TrainingRecord,
)

UPCOMING_CLASSES = 5
HISTORY_ROWS = 20


@dataclass
class TrainingLine:
    """One training record of someone of the unit."""

    person_name: str
    course: str
    completed_on: dt.date
    passed: bool
    source: str


@dataclass
class UnitStatus:
    """What the unit's home panel and ``GET /api/my-unit`` show."""

    enterprise: Enterprise
    as_of: dt.date
    key_unit: bool  # measure 33 applies: 重点管理 with a valid permit
    covered_on: dt.date | None
    covered_by: str | None  # the course, and the class when it was a class
    covered_source: str | None
    upcoming: list[TrainingClass] = field(default_factory=list)
    history: list[TrainingLine] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return self.covered_on is not None


def _source_label(source: str) -> str:
    return {s.value: label for s, label in EVIDENCE_LABELS.items()}.get(source, source)


def own_enterprise(session: Session, user: User) -> Enterprise:
    """The unit an enterprise account is bound to."""
    if user.role_enum is not Role.ENTERPRISE:
        raise Forbidden("此功能仅限企业用户使用")
    unit = session.get(Enterprise, user.enterprise_id) if user.enterprise_id else None
    if unit is None:
        raise NotFound("您的账号没有绑定排污单位，请联系所在地生态环境部门")
    return unit


def unit_status(session: Session, *, user: User, today: dt.date | None = None) -> UnitStatus:
    """The enterprise user's unit as of today (Beijing)."""
    unit = own_enterprise(session, user)
    today = today or beijing_today()
    key_unit = (
        unit.management_category == ManagementCategory.KEY.value
        and unit.permit_status == PermitStatus.VALID.value
    )
    covered_on = unit_coverage(session, enterprise=unit, as_of=today)
    covered_by = source = None
    if covered_on is not None:
        covered_by, source = _covered_by(session, unit, covered_on)
    return UnitStatus(
        enterprise=unit,
        as_of=today,
        key_unit=key_unit,
        covered_on=covered_on,
        covered_by=covered_by,
        covered_source=source,
        upcoming=_upcoming(session, unit, today),
        history=_history(session, unit),
    )


def _covered_by(session: Session, unit: Enterprise, day: dt.date) -> tuple[str, str | None]:
    record = session.execute(
        select(Course.title, TrainingRecord.source)
        .join(Course, Course.id == TrainingRecord.course_id)
        .where(
            TrainingRecord.enterprise_id == unit.id,
            TrainingRecord.person_name == unit.legal_rep_name,
            TrainingRecord.completed_on == day,
            TrainingRecord.passed.is_(True),
            TrainingRecord.course_id.in_(_lr_course_ids(session)),
        )
        .limit(1)
    ).first()
    if record is None:
        return "", None
    title, source = record
    label = _source_label(source)
    if source == EvidenceSource.CLASS.value:
        class_title = session.scalar(
            select(TrainingClass.title)
            .join(ClassAttendee, ClassAttendee.training_class_id == TrainingClass.id)
            .where(
                ClassAttendee.enterprise_id == unit.id,
                ClassAttendee.person_name == unit.legal_rep_name,
                ClassAttendee.passed.is_(True),
                TrainingClass.ends_on == day,
            )
            .limit(1)
        )
        if class_title:
            return f"{class_title}（课程：{title}）", label
    return title, label


def _upcoming(session: Session, unit: Enterprise, today: dt.date) -> list[TrainingClass]:
    """Classes not yet over, offered nationally, in the unit's province or in its city."""
    stmt = (
        select(TrainingClass)
        .where(
            TrainingClass.ends_on >= today,
            TrainingClass.retired.is_(False),
            or_(
                TrainingClass.province.is_(None),
                and_(
                    TrainingClass.province == unit.province,
                    or_(TrainingClass.city.is_(None), TrainingClass.city == unit.city),
                ),
            ),
        )
        .order_by(TrainingClass.starts_on, TrainingClass.id)
        .limit(UPCOMING_CLASSES)
    )
    return list(session.scalars(stmt))


def _history(session: Session, unit: Enterprise) -> list[TrainingLine]:
    rows = session.execute(
        select(
            TrainingRecord.person_name,
            Course.title,
            TrainingRecord.completed_on,
            TrainingRecord.passed,
            TrainingRecord.source,
        )
        .join(Course, Course.id == TrainingRecord.course_id)
        .where(TrainingRecord.enterprise_id == unit.id)
        .order_by(TrainingRecord.completed_on.desc(), TrainingRecord.id.desc())
        .limit(HISTORY_ROWS)
    )
    return [
        TrainingLine(
            name,
            title,
            day,
            passed,
            _source_label(src),
        )
        for name, title, day, passed, src in rows
    ]
