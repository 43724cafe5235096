"""The course catalogue: courses, lessons (text or video) and attachments, maintained by
national admins; uploads are stored under DATA_DIR."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.config import get_settings
from core.db import get_or_404
from core.errors import Conflict, Forbidden, Invalid
from core.regions.scope import RegionScope
from core.search import contains
from core.uploads import FileKind, check_size
from courses.models import (
    Audience,
    Course,
    CourseKind,
    Lesson,
    LessonAttachment,
    LessonKind,
)

VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".ogg": "video/ogg"}


def data_path(relative: str) -> Path:
    """The absolute path of an upload stored under DATA_DIR."""
    return get_settings().data_dir / relative


# ---- catalogue -------------------------------------------------------------------------------


def require_national(scope: RegionScope) -> None:
    """The catalogue is national: only national admins change it."""
    if not scope.is_national:
        raise Forbidden("课程目录全国统一，由部级管理员维护")


def list_courses(
    session: Session, *, audience: str | None = None, year: int | None = None
) -> list[Course]:
    """The catalogue, by year (newest first) and code."""
    stmt = select(Course)
    if audience:
        stmt = stmt.where(Course.audience == audience)
    if year:
        stmt = stmt.where(Course.year == year)
    return list(session.scalars(stmt.order_by(Course.year.desc().nulls_last(), Course.code)))


def get_course(session: Session, course_id: int) -> Course:
    """One course."""
    return get_or_404(session, Course, course_id, "课程不存在")


def courses_naming(session: Session, words: list[str], *, limit: int = 5) -> dict[str, list[str]]:
    """For each word, the titles (by title, at most ``limit``) of courses whose title or
    description contains it, ignoring case; one query for all the words."""
    words = [w for w in dict.fromkeys(words) if w]
    if not words:
        return {}
    mentions = [
        condition
        for word in words
        for condition in (
            contains(Course.title, word, ignore_case=True),
            contains(Course.description, word, ignore_case=True),
        )
    ]
    rows = session.execute(
        select(Course.title, Course.description).where(or_(*mentions)).order_by(Course.title)
    )
    found: dict[str, list[str]] = {word: [] for word in words}
    for title, description in rows:
        text = (title.lower(), (description or "").lower())
        for word in words:
            if len(found[word]) < limit and any(word.lower() in part for part in text):
                found[word].append(title)
    return found


COURSE_DEFAULTS = {
    "credits": 1.0,
    "year": None,
    "hours": 1.0,
    "issuer": "",
    "valid_years": None,
    "description": "",
    "test_question_count": 0,
    "pass_mark": 60,
    "max_attempts": 3,
    "retry_wait_minutes": 60,
}
DEFAULT_ISSUER = "PermitHub 排污许可培训平台"


def course_problems(values: dict) -> list[str]:
    """What is wrong with a course's fields, in Chinese (creation and editing alike)."""
    problems = []
    if not values["code"] or len(values["code"]) > 32:
        problems.append("课程代码不能为空且不超过32个字符")
    if not values["title"] or len(values["title"]) > 200:
        problems.append("课程名称不能为空且不超过200字")
    if values["audience"] not in {a.value for a in Audience}:
        problems.append(f"培训对象应为{'、'.join(a.value for a in Audience)}之一")
    if values["kind"] not in {k.value for k in CourseKind}:
        problems.append("课程类别应为“必修”或“选修”")
    if not 0 < values["credits"] <= 100:
        problems.append("学分应在 0 到 100 之间")
    if not 0 < values["hours"] <= 1000:
        problems.append("学时应在 0 到 1000 之间")
    if values["year"] is not None and not 2000 <= values["year"] <= 2100:
        problems.append("年度应为四位年份")
    if values["valid_years"] is not None and not 1 <= values["valid_years"] <= 50:
        problems.append("证书有效期应为 1 到 50 年（留空为长期有效）")
    if len(values["issuer"]) > 100:
        problems.append("颁发单位不超过100字")
    if not 0 <= values["test_question_count"] <= 200:
        problems.append("结业测试题数应在 0 到 200 之间")
    if not 0 < values["pass_mark"] <= 100:
        problems.append("及格分应在 1 到 100 之间")
    if not 1 <= values["max_attempts"] <= 20:
        problems.append("结业测试次数应在 1 到 20 之间")
    if not 0 <= values["retry_wait_minutes"] <= 7 * 24 * 60:
        problems.append("两次测试的间隔应在 0 到 10080 分钟（7 天）之间")
    return problems


def clean_course_fields(values: dict) -> dict:
    """Stripped text fields; raises Invalid listing every problem."""
    values = dict(values)
    for key in ("code", "title", "description", "issuer"):
        values[key] = (values.get(key) or "").strip()
    problems = course_problems(values)
    if problems:
        raise Invalid("课程信息有误：" + "；".join(problems), details=problems)
    return values


def create_course(
    session: Session,
    *,
    scope: RegionScope,
    code: str,
    title: str,
    audience: str,
    kind: str,
    **fields,
) -> Course:
    """Add a course to the catalogue (national admins); ``fields`` as in ``COURSE_DEFAULTS``."""
    require_national(scope)
    unknown = set(fields) - set(COURSE_DEFAULTS)
    if unknown:
        raise TypeError(f"unknown course fields: {sorted(unknown)}")
    values = clean_course_fields(
        COURSE_DEFAULTS
        | fields
        | {"code": code, "title": title, "audience": audience, "kind": kind}
    )
    if session.scalar(select(Course.id).where(Course.code == values["code"])) is not None:
        raise Conflict(f"课程代码“{values['code']}”已存在")
    course = Course(**values)
    session.add(course)
    session.commit()
    return course


def add_lesson(
    session: Session,
    *,
    scope: RegionScope,
    course_id: int,
    title: str,
    body: str = "",
    required: bool = True,
    video_name: str | None = None,
    video_bytes: bytes | None = None,
    video_seconds: float | None = None,
    min_seconds: int | None = None,
) -> Lesson:
    """Add a text lesson, or a video lesson whose file is stored under DATA_DIR.

    ``min_seconds``: the least study time of a text lesson (None: from its length).
    """
    require_national(scope)
    course = get_course(session, course_id)
    title = title.strip()
    if not title or len(title) > 200:
        raise Invalid("课时标题不能为空且不超过200字")
    if min_seconds is not None and not 0 <= min_seconds <= 7200:
        raise Invalid("最少学习时间应在 0 到 7200 秒之间")
    lesson = Lesson(
        course_id=course.id,
        title=title,
        body=body.strip(),
        required=required,
        min_seconds=min_seconds,
    )
    if video_bytes:
        ext = Path(video_name or "").suffix.lower()
        if ext not in VIDEO_TYPES:
            raise Invalid("视频格式不支持，请上传 MP4、WebM 或 Ogg 视频")
        check_size(len(video_bytes), filename=video_name or "", kind=FileKind.VIDEO)
        seconds = mp4_duration(video_bytes) if ext == ".mp4" else None
        seconds = seconds or video_seconds
        if not seconds or seconds <= 0:
            raise Invalid("无法从视频文件读出时长，请填写视频时长（秒）")
        relative = f"courses/videos/{uuid.uuid4().hex}{ext}"
        target = data_path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(video_bytes)
        lesson.kind = LessonKind.VIDEO.value
        lesson.video_file, lesson.video_type, lesson.video_seconds = (
            relative,
            VIDEO_TYPES[ext],
            seconds,
        )
    elif not lesson.body:
        raise Invalid("请填写课时正文或上传视频")
    lesson.position = 1 + (
        session.scalar(select(func.max(Lesson.position)).where(Lesson.course_id == course.id)) or 0
    )
    course.lessons.append(lesson)  # keeps a loaded course's lesson list current
    session.commit()
    return lesson


def add_attachment(
    session: Session,
    *,
    scope: RegionScope,
    lesson_id: int,
    filename: str,
    content: bytes,
    content_type: str | None = None,
) -> LessonAttachment:
    """Attach a file (slides, handouts) to a lesson."""
    require_national(scope)
    lesson = get_lesson(session, lesson_id)
    name = Path(filename or "").name.strip()
    if not name or not content:
        raise Invalid("请选择要上传的附件")
    check_size(len(content), filename=name, kind=FileKind.ATTACHMENT)
    relative = f"courses/attachments/{uuid.uuid4().hex}{Path(name).suffix.lower()[:10]}"
    target = data_path(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    attachment = LessonAttachment(
        lesson_id=lesson.id,
        filename=name[:255],
        stored_file=relative,
        size=len(content),
        content_type=content_type or "application/octet-stream",
    )
    lesson.attachments.append(attachment)
    session.commit()
    return attachment


def get_lesson(session: Session, lesson_id: int) -> Lesson:
    """One lesson."""
    return get_or_404(session, Lesson, lesson_id, "课时不存在")


def get_attachment(session: Session, attachment_id: int) -> LessonAttachment:
    """One attachment."""
    return get_or_404(session, LessonAttachment, attachment_id, "附件不存在")


def mp4_duration(data: bytes) -> float | None:
    """The duration in seconds from an MP4's ``moov/mvhd`` box, or None if it cannot be read."""

    def boxes(buf: bytes, start: int, end: int):
        pos = start
        while pos + 8 <= end:
            size = int.from_bytes(buf[pos : pos + 4], "big")
            kind = buf[pos + 4 : pos + 8]
            header = 8
            if size == 1:
                size, header = int.from_bytes(buf[pos + 8 : pos + 16], "big"), 16
            elif size == 0:
                size = end - pos
            if size < header:
                return
            yield kind, pos + header, min(pos + size, end)
            pos += size

    for kind, start, end in boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        for inner, s, _e in boxes(data, start, end):
            if inner == b"mvhd":
                version = data[s]
                if version == 1:
                    timescale = int.from_bytes(data[s + 20 : s + 24], "big")
                    duration = int.from_bytes(data[s + 24 : s + 32], "big")
                else:
                    timescale = int.from_bytes(data[s + 12 : s + 16], "big")
                    duration = int.from_bytes(data[s + 16 : s + 20], "big")
                return duration / timescale if timescale else None
    return None
