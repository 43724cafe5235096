"""Training classes held by a region (national classes have no region)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import get_or_404
from core.enterprises.models import Enterprise
from core.errors import Invalid
from core.regions.scope import RegionScope
from courses.catalogue import get_course
from courses.models import (
    TrainingClass,
)

# ---- training classes ------------------------------------------------------------------------


def create_class(
    session: Session,
    *,
    scope: RegionScope,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    course_id: int | None = None,
    place: str = "",
    online: bool = False,
) -> TrainingClass:
    """A training class held by the admin's region (national classes have no region)."""
    title = title.strip()
    if not title or len(title) > 200:
        raise Invalid("培训班名称不能为空且不超过200字")
    if ends_on < starts_on:
        raise Invalid("结束日期不能早于开始日期")
    if not online and not place.strip():
        raise Invalid("线下培训班请填写培训地点")
    if course_id is not None:
        get_course(session, course_id)
    training_class = TrainingClass(
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        course_id=course_id,
        place=place.strip(),
        online=online,
        province=scope.province,
        city=scope.city,
    )
    session.add(training_class)
    session.commit()
    return training_class


def class_visible(training_class: TrainingClass, scope: RegionScope) -> bool:
    """National classes are visible to all admins; regional ones inside their region."""
    if training_class.province is None or scope.province is None:
        return True
    if training_class.province != scope.province:
        return False
    return training_class.city is None or scope.city is None or training_class.city == scope.city


def list_classes(session: Session, *, scope: RegionScope) -> list[TrainingClass]:
    """Classes the admin may see: their own region's and the national ones above it."""
    stmt = select(TrainingClass)
    if scope.province is not None:
        stmt = stmt.where(
            TrainingClass.province.is_(None) | (TrainingClass.province == scope.province)
        )
    rows = session.scalars(stmt.order_by(TrainingClass.starts_on.desc(), TrainingClass.id))
    return [c for c in rows if class_visible(c, scope)]


def get_class(session: Session, *, scope: RegionScope, class_id: int) -> TrainingClass:
    """One class visible to the admin."""
    return get_or_404(
        session,
        TrainingClass,
        class_id,
        "培训班不存在",
        allowed=lambda training_class: class_visible(training_class, scope),
    )


def unit_names(session: Session, training_class: TrainingClass) -> dict[int, tuple[str, str]]:
    """Names and credit codes of the units on a class roster, by enterprise id."""
    ids = {a.enterprise_id for a in training_class.attendees if a.enterprise_id}
    if not ids:
        return {}
    rows = session.execute(
        select(Enterprise.id, Enterprise.name, Enterprise.credit_code).where(Enterprise.id.in_(ids))
    )
    return {uid: (name, code) for uid, name, code in rows}
