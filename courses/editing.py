"""Editing, retiring and deleting courses, lessons and classes (issue 14 item 7).

Retiring keeps a thing with everything recorded against it and closes it to new use; deleting
is for what nothing refers to yet. The catalogue (courses, lessons) is national; a class
belongs to the region that holds it (a province also edits its cities' classes). Every change
is audited.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.audit.service import record_audit
from core.errors import Conflict, Invalid
from core.regions.scope import RegionScope
from courses import catalogue, classes
from courses.models import (
    ClassAttendee,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    TrainingClass,
    TrainingRecord,
)

COURSE_FIELDS = ("code", "title", "audience", "kind", *catalogue.COURSE_DEFAULTS)


def _course_snapshot(course: Course) -> dict:
    return {name: getattr(course, name) for name in COURSE_FIELDS}


# ---- courses -----------------------------------------------------------------------------------


def update_course(
    session: Session, *, scope: RegionScope, actor: User | None, course_id: int, **changes
) -> Course:
    """Change a course's fields (national admins); the code stays unique."""
    catalogue.require_national(scope)
    course = catalogue.get_course(session, course_id)
    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"unknown course fields: {sorted(unknown)}")
    before = _course_snapshot(course)
    values = catalogue.clean_course_fields(before | changes)
    taken = session.scalar(
        select(Course.id).where(Course.code == values["code"], Course.id != course.id)
    )
    if taken is not None:
        raise Conflict(f"课程代码“{values['code']}”已存在")
    for name, value in values.items():
        setattr(course, name, value)
    _audit(
        session, actor, "courses.course.update", "course", course.id, before=before, after=values
    )
    session.commit()
    return course


def retire_course(
    session: Session, *, scope: RegionScope, actor: User | None, course_id: int, retired: bool
) -> Course:
    """Close a course to new learners (or reopen it); its enrolments and records stay."""
    catalogue.require_national(scope)
    course = catalogue.get_course(session, course_id)
    course.retired = retired
    action = "courses.course." + ("retire" if retired else "restore")
    _audit(session, actor, action, "course", course.id, after={"code": course.code})
    session.commit()
    return course


def delete_course(
    session: Session, *, scope: RegionScope, actor: User | None, course_id: int
) -> None:
    """Delete a course nobody has used: no enrolment, training record or class refers to it."""
    catalogue.require_national(scope)
    course = catalogue.get_course(session, course_id)
    used = [
        label
        for label, model, column in (
            ("学员报名", Enrolment, Enrolment.course_id),
            ("培训记录", TrainingRecord, TrainingRecord.course_id),
            ("培训班", TrainingClass, TrainingClass.course_id),
        )
        if session.scalar(select(exists().where(column == course.id)))
    ]
    if used:
        raise Conflict(f"课程“{course.code}”已有{'、'.join(used)}，不能删除；可以停用")
    _audit(
        session,
        actor,
        "courses.course.delete",
        "course",
        course.id,
        before=_course_snapshot(course),
    )
    session.delete(course)
    session.commit()


# ---- lessons -----------------------------------------------------------------------------------


def update_lesson(
    session: Session,
    *,
    scope: RegionScope,
    actor: User | None,
    lesson_id: int,
    title: str,
    body: str,
    required: bool,
    min_seconds: int | None,
) -> Lesson:
    """Change a lesson's text and rules (its video stays; upload a new lesson to replace it)."""
    catalogue.require_national(scope)
    lesson = catalogue.get_lesson(session, lesson_id)
    title, body = title.strip(), body.strip()
    if not title or len(title) > 200:
        raise Invalid("课时标题不能为空且不超过200字")
    if lesson.kind == "text" and not body:
        raise Invalid("图文课时的正文不能为空")
    if min_seconds is not None and not 0 <= min_seconds <= 7200:
        raise Invalid("最少学习时间应在 0 到 7200 秒之间")
    before = {
        "title": lesson.title,
        "required": lesson.required,
        "min_seconds": lesson.min_seconds,
        "body_chars": len(lesson.body or ""),
    }
    lesson.title, lesson.body, lesson.required, lesson.min_seconds = (
        title,
        body,
        required,
        min_seconds,
    )
    after = {
        "title": title,
        "required": required,
        "min_seconds": min_seconds,
        "body_chars": len(body),
    }
    _audit(session, actor, "courses.lesson.update", "lesson", lesson.id, before=before, after=after)
    session.commit()
    return lesson


def retire_lesson(
    session: Session, *, scope: RegionScope, actor: User | None, lesson_id: int, retired: bool
) -> Lesson:
    """Withdraw a lesson (or bring it back): no longer shown or required; progress is kept."""
    catalogue.require_national(scope)
    lesson = catalogue.get_lesson(session, lesson_id)
    lesson.retired = retired
    action = "courses.lesson." + ("retire" if retired else "restore")
    _audit(session, actor, action, "lesson", lesson.id, after={"title": lesson.title})
    session.commit()
    return lesson


def delete_lesson(
    session: Session, *, scope: RegionScope, actor: User | None, lesson_id: int
) -> int:
    """Delete a lesson nobody has started; the id of its course."""
    catalogue.require_national(scope)
    lesson = catalogue.get_lesson(session, lesson_id)
    if session.scalar(select(exists().where(LessonProgress.lesson_id == lesson.id))):
        raise Conflict("已有学员学习该课时，不能删除；可以停用")
    course_id = lesson.course_id
    _audit(
        session, actor, "courses.lesson.delete", "lesson", lesson.id, before={"title": lesson.title}
    )
    stored = [lesson.video_file, *(a.stored_file for a in lesson.attachments)]
    session.delete(lesson)
    session.commit()
    # the files go only once the lesson is gone for good
    for relative in filter(None, stored):
        catalogue.data_path(relative).unlink(missing_ok=True)
    return course_id


# ---- classes -----------------------------------------------------------------------------------


def _owned_class(session: Session, scope: RegionScope, class_id: int) -> TrainingClass:
    training_class = classes.get_class(session, scope=scope, class_id=class_id)
    scope.require_owner(training_class.province, training_class.city, "该培训班")
    return training_class


def update_class(
    session: Session,
    *,
    scope: RegionScope,
    actor: User | None,
    class_id: int,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    course_id: int | None,
    place: str,
    online: bool,
) -> TrainingClass:
    """Change a class held by the admin's region; its course stays once attendance is recorded."""
    training_class = _owned_class(session, scope, class_id)
    title = title.strip()
    if not title or len(title) > 200:
        raise Invalid("培训班名称不能为空且不超过200字")
    if ends_on < starts_on:
        raise Invalid("结束日期不能早于开始日期")
    if not online and not place.strip():
        raise Invalid("线下培训班请填写培训地点")
    if course_id is not None:
        catalogue.get_course(session, course_id)
    recorded = bool(training_class.attendees)
    if recorded and (course_id, ends_on) != (training_class.course_id, training_class.ends_on):
        raise Conflict("已导入名单的培训班不能更改对应课程或结束日期（培训记录以此为准）")
    before = _class_snapshot(training_class)
    training_class.title, training_class.starts_on, training_class.ends_on = (
        title,
        starts_on,
        ends_on,
    )
    training_class.course_id, training_class.place, training_class.online = (
        course_id,
        place.strip(),
        online,
    )
    after = _class_snapshot(training_class)
    _audit(
        session,
        actor,
        "courses.class.update",
        "training_class",
        training_class.id,
        before=before,
        after=after,
        where=training_class,
    )
    session.commit()
    return training_class


def _class_snapshot(training_class: TrainingClass) -> dict:
    return {
        "title": training_class.title,
        "starts_on": training_class.starts_on,
        "ends_on": training_class.ends_on,
        "course_id": training_class.course_id,
        "place": training_class.place,
        "online": training_class.online,
    }


def retire_class(
    session: Session, *, scope: RegionScope, actor: User | None, class_id: int, retired: bool
) -> TrainingClass:
    """Archive a class (or bring it back); its roster and records stay."""
    training_class = _owned_class(session, scope, class_id)
    training_class.retired = retired
    action = "courses.class." + ("retire" if retired else "restore")
    _audit(
        session,
        actor,
        action,
        "training_class",
        training_class.id,
        after={"title": training_class.title},
        where=training_class,
    )
    session.commit()
    return training_class


def delete_class(
    session: Session, *, scope: RegionScope, actor: User | None, class_id: int
) -> None:
    """Delete a class whose roster is empty."""
    training_class = _owned_class(session, scope, class_id)
    if session.scalar(select(exists().where(ClassAttendee.training_class_id == training_class.id))):
        raise Conflict("培训班已导入名单，不能删除；可以停办归档")
    _audit(
        session,
        actor,
        "courses.class.delete",
        "training_class",
        training_class.id,
        before=_class_snapshot(training_class),
        where=training_class,
    )
    session.delete(training_class)
    session.commit()


def _audit(
    session: Session,
    actor: User | None,
    action: str,
    kind: str,
    target_id: int,
    *,
    before: dict | None = None,
    after: dict | None = None,
    where: TrainingClass | None = None,
) -> None:
    record_audit(
        session,
        actor=actor,
        action=action,
        target_kind=kind,
        target_id=target_id,
        province=where.province if where else None,
        city=where.city if where else None,
        detail={"before": before, "after": after},
    )
