"""Editing, retiring and deleting courses, lessons and classes from their pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from core.accounts import service as account_service
from core.deps import RequestSessionRoute, SessionDep
from core.errors import Invalid
from courses import editing
from web.deps import CsrfChecked, PageAdmin

router = APIRouter(
    route_class=RequestSessionRoute, include_in_schema=False, dependencies=[CsrfChecked]
)


def _int(value: str, label: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise Invalid(f"{label}“{value}”应为整数")
    return int(value)


def _date(value: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{label}“{value}”格式不正确，应为 YYYY-MM-DD") from None


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# ---- courses -----------------------------------------------------------------------------------


@router.post("/courses/{course_id}/edit")
def course_edit(
    session: SessionDep,
    user: PageAdmin,
    course_id: int,
    code: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    audience: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    credits: Annotated[float, Form()] = 1.0,
    hours: Annotated[float, Form()] = 1.0,
    year: Annotated[str, Form()] = "",
    issuer: Annotated[str, Form()] = "",
    valid_years: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    test_question_count: Annotated[int, Form()] = 0,
    pass_mark: Annotated[int, Form()] = 60,
    max_attempts: Annotated[int, Form()] = 3,
    retry_wait_minutes: Annotated[int, Form()] = 60,
):
    editing.update_course(
        session,
        scope=account_service.region_scope(user),
        actor=user,
        course_id=course_id,
        code=code,
        title=title,
        audience=audience,
        kind=kind,
        credits=credits,
        hours=hours,
        year=_int(year, "年度"),
        issuer=issuer,
        valid_years=_int(valid_years, "证书有效期"),
        description=description,
        test_question_count=test_question_count,
        pass_mark=pass_mark,
        max_attempts=max_attempts,
        retry_wait_minutes=retry_wait_minutes,
    )
    return _back(f"/courses/{course_id}")


@router.post("/courses/{course_id}/retire")
def course_retire(
    session: SessionDep, user: PageAdmin, course_id: int, retired: Annotated[bool, Form()] = True
):
    editing.retire_course(
        session,
        scope=account_service.region_scope(user),
        actor=user,
        course_id=course_id,
        retired=retired,
    )
    return _back(f"/courses/{course_id}")


@router.post("/courses/{course_id}/delete")
def course_delete(session: SessionDep, user: PageAdmin, course_id: int):
    editing.delete_course(
        session, scope=account_service.region_scope(user), actor=user, course_id=course_id
    )
    return _back("/courses")


# ---- lessons -----------------------------------------------------------------------------------


@router.post("/courses/lessons/{lesson_id}/edit")
def lesson_edit(
    session: SessionDep,
    user: PageAdmin,
    lesson_id: int,
    title: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    required: Annotated[bool, Form()] = False,
    min_seconds: Annotated[str, Form()] = "",
):
    editing.update_lesson(
        session,
        scope=account_service.region_scope(user),
        actor=user,
        lesson_id=lesson_id,
        title=title,
        body=body,
        required=required,
        min_seconds=_int(min_seconds, "最少学习时间"),
    )
    return _back(f"/courses/lessons/{lesson_id}")


@router.post("/courses/lessons/{lesson_id}/retire")
def lesson_retire(
    session: SessionDep, user: PageAdmin, lesson_id: int, retired: Annotated[bool, Form()] = True
):
    lesson = editing.retire_lesson(
        session,
        scope=account_service.region_scope(user),
        actor=user,
        lesson_id=lesson_id,
        retired=retired,
    )
    return _back(f"/courses/{lesson.course_id}")


@router.post("/courses/lessons/{lesson_id}/delete")
def lesson_delete(session: SessionDep, user: PageAdmin, lesson_id: int):
    course_id = editing.delete_lesson(
        session, scope=account_service.region_scope(user), actor=user, lesson_id=lesson_id
    )
    return _back(f"/courses/{course_id}")


# ---- classes -----------------------------------------------------------------------------------


@router.post("/courses/classes/{class_id}/edit")
def class_edit(
    session: SessionDep,
    user: PageAdmin,
    class_id: int,
    title: Annotated[str, Form()] = "",
    starts_on: Annotated[str, Form()] = "",
    ends_on: Annotated[str, Form()] = "",
    course_id: Annotated[str, Form()] = "",
    place: Annotated[str, Form()] = "",
    online: Annotated[bool, Form()] = False,
):
    editing.update_class(
        session,
        scope=account_service.region_scope(user),
        actor=user,
        class_id=class_id,
        title=title,
        starts_on=_date(starts_on, "开始日期"),
        ends_on=_date(ends_on, "结束日期"),
        course_id=_int(course_id, "课程"),
        place=place,
        online=online,
    )
    return _back(f"/courses/classes/{class_id}")


@router.post("/courses/classes/{class_id}/retire")
def class_retire(
    session: SessionDep, user: PageAdmin, class_id: int, retired: Annotated[bool, Form()] = True
):
    editing.retire_class(
        session,
        scope=account_service.region_scope(user),
        actor=user,
        class_id=class_id,
        retired=retired,
    )
    return _back(f"/courses/classes/{class_id}")


@router.post("/courses/classes/{class_id}/delete")
def class_delete(session: SessionDep, user: PageAdmin, class_id: int):
    editing.delete_class(
        session, scope=account_service.region_scope(user), actor=user, class_id=class_id
    )
    return _back("/courses/classes")
