"""Courses as the tests build and drive them: units, courses, lessons, a tiny MP4, learners
reading for the required time and watching in real time."""

from __future__ import annotations

import datetime as dt
import struct

from core.enterprises.models import Enterprise
from core.regions.scope import RegionScope
from courses import catalogue, learning

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def open_video(session, lesson, user, *, now=T0) -> str:
    """Open the lesson page and fetch its video, as the browser does; the view token."""
    progress = learning.open_lesson(session, lesson_id=lesson.id, user=user, now=now)
    learning.mark_video_loaded(session, lesson=lesson, user=user, view=progress.view_token)
    return progress.view_token


def study(session, lesson, user, *, start=T0):
    """Open a text lesson and mark it done once its minimum time has passed."""
    learning.open_lesson(session, lesson_id=lesson.id, user=user, now=start)
    done_at = start + dt.timedelta(seconds=learning.required_seconds(lesson))
    progress = learning.complete_text_lesson(session, lesson_id=lesson.id, user=user, now=done_at)
    return progress, done_at


def watch(
    session,
    lesson,
    user,
    *,
    until: float,
    step: float = 5.0,
    start=T0,
    begin: float = 0.0,
    speed: float = 1.0,
    view: str | None = None,
):
    """Play from ``begin`` to ``until`` at ``speed``, reporting every ``step`` seconds of wall
    time, in a freshly opened page (or the page view ``view``)."""
    view = view or open_video(session, lesson, user, now=start)
    now, position = start, begin
    status = learning.report_video_progress(
        session,
        lesson_id=lesson.id,
        user=user,
        position=position,
        previous=position,
        played=0,
        view=view,
        now=now,
    )
    while position < until:
        nxt = min(position + step * speed, until)
        now += dt.timedelta(seconds=(nxt - position) / speed)
        status = learning.report_video_progress(
            session,
            lesson_id=lesson.id,
            user=user,
            position=nxt,
            previous=position,
            played=nxt - position,
            view=view,
            now=now,
        )
        position = nxt
    return status, now

NATIONAL = RegionScope()


def make_mp4(seconds: float, timescale: int = 1000) -> bytes:
    """The smallest MP4 our reader understands: ftyp and moov/mvhd (version 0)."""
    ftyp = struct.pack(">I4s4sI4s", 20, b"ftyp", b"isom", 512, b"isom")
    body = bytes(4) + bytes(8) + struct.pack(">II", timescale, int(seconds * timescale)) + bytes(80)
    mvhd = struct.pack(">I4s", 8 + len(body), b"mvhd") + body
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    return ftyp + moov


def make_unit(session, **fields) -> Enterprise:
    """A unit in the registry (苏州, 重点管理) with ``fields`` changed."""
    values = dict(
        credit_code="91320500MA1TEXT01T",
        name="苏州测试化工有限公司",
        province="江苏省",
        city="苏州市",
        division_code="320500",
        industry="化工",
        management_category="重点管理",
        permit_status="有效",
        legal_rep_name="王建国",
        legal_rep_since=dt.date(2020, 1, 1),
    )
    values.update(fields)
    unit = Enterprise(**values)
    session.add(unit)
    session.flush()
    return unit


def make_course(session, **fields):
    """A national course (法定代表人, 必修, 2 credits) with ``fields`` changed."""
    values = dict(
        code="LR-T1", title="法定代表人专题培训", audience="法定代表人", kind="必修", credits=2.0
    )
    values.update(fields)
    return catalogue.create_course(session, scope=NATIONAL, **values)


def course_with_lessons(session):
    """A course with a text lesson and a video lesson, as the page tests use it."""
    course = catalogue.create_course(
        session,
        scope=NATIONAL,
        code="LR-P1",
        title="法定代表人专题培训（网页）",
        audience="法定代表人",
        kind="必修",
        credits=2,
    )
    text = catalogue.add_lesson(
        session,
        scope=NATIONAL,
        course_id=course.id,
        title="第一讲 制度概要",
        body="排污许可制度是固定污染源监管制度体系的核心。",
        min_seconds=0,
    )
    video = catalogue.add_lesson(
        session,
        scope=NATIONAL,
        course_id=course.id,
        title="第二讲 视频",
        video_name="v.mp4",
        video_bytes=make_mp4(10) + bytes(5000),
    )
    return course, text, video
