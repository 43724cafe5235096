"""Courses: catalogue, lessons and uploads, enrolment, completion with a certificate, training
classes with attendance import, staff credits.

Learning time and video progress are in ``courses.learning``, the final test in
``courses.final_tests``; both complete an enrolment through ``check_completion`` here.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts.models import Role, StaffKind, User
from core.certificates import register_verifier
from core.config import get_settings
from core.enterprises.models import Enterprise
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.regions.scope import RegionScope
from core.uploads import FileKind, check_size
from courses import evidence
from courses.models import (
    Audience,
    Course,
    CourseKind,
    Enrolment,
    EnrolmentSource,
    ExternalTraining,
    Lesson,
    LessonAttachment,
    LessonKind,
    LessonProgress,
    TrainingClass,
    VerificationStatus,
)

logger = logging.getLogger(__name__)

VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".ogg": "video/ogg"}
# a video is split into slots; each must be seen, so skipping ahead does not count
SLOT_SECONDS = 5.0
CERT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def yearly_credit_requirements() -> dict[str, tuple[float, float]]:
    """Measure 34: (required, elective) credits a year for each kind of staff, from the settings."""
    settings = get_settings()
    need = (settings.staff_required_credits, settings.staff_elective_credits)
    return {kind.value: need for kind in StaffKind}


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
    course = session.get(Course, course_id)
    if course is None:
        raise NotFound("课程不存在")
    return course


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
    lesson = session.get(Lesson, lesson_id)
    if lesson is None:
        raise NotFound("课时不存在")
    return lesson


def get_attachment(session: Session, attachment_id: int) -> LessonAttachment:
    """One attachment."""
    attachment = session.get(LessonAttachment, attachment_id)
    if attachment is None:
        raise NotFound("附件不存在")
    return attachment


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


# ---- enrolment and progress ------------------------------------------------------------------


def enrolment_year(course: Course, today: dt.date | None = None) -> int:
    """The year an enrolment made now belongs to: the course's, or this year for a course
    offered every year."""
    return course.year or (today or dt.date.today()).year


def enrol(
    session: Session,
    *,
    course_id: int,
    user: User,
    person_name: str | None = None,
    today: dt.date | None = None,
) -> Enrolment:
    """Enrol the user for the year (idempotent within it); ``person_name`` is the real name
    printed on the certificate. A course offered every year is taken afresh each year."""
    course = get_course(session, course_id)
    if course.retired:
        raise Conflict("该课程已停用，不再接受报名")
    year = enrolment_year(course, today)
    existing = find_enrolment(session, course_id=course.id, user=user, year=year)
    if existing is not None:
        return existing
    name = (person_name or user.display_name or user.username).strip()
    if not name or len(name) > 64:
        raise Invalid("请填写学员姓名（不超过64字）")
    enrolment = Enrolment(course_id=course.id, user_id=user.id, person_name=name, year=year)
    session.add(enrolment)
    session.commit()
    return enrolment


def find_enrolment(
    session: Session, *, course_id: int, user: User, year: int | None = None
) -> Enrolment | None:
    """The user's enrolment in the course for ``year`` (default: the current one), if any."""
    if year is None:
        course = session.get(Course, course_id)
        if course is None:
            return None
        year = enrolment_year(course)
    return session.scalar(
        select(Enrolment).where(
            Enrolment.course_id == course_id,
            Enrolment.user_id == user.id,
            Enrolment.year == year,
        )
    )


def user_enrolments(session: Session, *, user: User) -> list[Enrolment]:
    """All of the user's enrolments."""
    return list(session.scalars(select(Enrolment).where(Enrolment.user_id == user.id)))


def enrolment_for_lesson(session: Session, lesson: Lesson, user: User) -> Enrolment:
    enrolment = find_enrolment(session, course_id=lesson.course_id, user=user)
    if enrolment is None:
        raise Forbidden("请先报名参加本课程")
    return enrolment


def progress_row(session: Session, enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    """The learner's progress row for a lesson, created on first use."""
    progress = session.scalar(
        select(LessonProgress).where(
            LessonProgress.enrolment_id == enrolment.id, LessonProgress.lesson_id == lesson.id
        )
    )
    if progress is None:
        slots = math.ceil((lesson.video_seconds or 0) / SLOT_SECONDS)
        progress = LessonProgress(
            enrolment_id=enrolment.id,
            lesson_id=lesson.id,
            slots="0" * slots,
            watched_seconds=0.0,
            last_position=0.0,
        )
        session.add(progress)
        session.flush()
    return progress


def progress_by_lesson(session: Session, enrolment: Enrolment) -> dict[int, LessonProgress]:
    """The enrolment's progress rows, by lesson id."""
    rows = session.scalars(
        select(LessonProgress).where(LessonProgress.enrolment_id == enrolment.id)
    )
    return {p.lesson_id: p for p in rows}


# ---- completion and certificates --------------------------------------------------------------


def lessons_done(session: Session, enrolment: Enrolment) -> bool:
    """Every required lesson of the course is completed."""
    required = session.scalars(
        select(Lesson.id).where(
            Lesson.course_id == enrolment.course_id,
            Lesson.required.is_(True),
            Lesson.retired.is_(False),
        )
    ).all()
    done = set(
        session.scalars(
            select(LessonProgress.lesson_id).where(
                LessonProgress.enrolment_id == enrolment.id,
                LessonProgress.completed_at.is_not(None),
            )
        )
    )
    return set(required) <= done


def check_completion(session: Session, enrolment: Enrolment, today: dt.date | None = None) -> bool:
    """Complete the enrolment when the rule is met: all required lessons, and the test if any."""
    if enrolment.completed_on is not None:
        return True
    course = session.get(Course, enrolment.course_id)
    has_lessons = session.scalar(
        select(func.count(Lesson.id)).where(
            Lesson.course_id == course.id, Lesson.retired.is_(False)
        )
    )
    if not has_lessons and not course.has_test:
        return False
    if not lessons_done(session, enrolment):
        return False
    if course.has_test and enrolment.test_passed_at is None:
        return False
    complete_enrolment(session, enrolment, on=today or dt.date.today())
    session.commit()
    return True


def complete_enrolment(session: Session, enrolment: Enrolment, *, on: dt.date) -> None:
    """Mark the enrolment completed on ``on`` with a certificate, and record the training
    (or the claim to verify); the caller commits."""
    course = session.get(Course, enrolment.course_id)
    enrolment.completed_on = on
    enrolment.certificate_code = _new_certificate_code(session)
    _record_training(session, enrolment, course)
    logger.info("enrolment %s completed course %s", enrolment.id, course.code)


def _new_certificate_code(session: Session) -> str:
    while True:
        code = "KC" + "".join(secrets.choice(CERT_ALPHABET) for _ in range(10))
        if session.scalar(select(Enrolment.id).where(Enrolment.certificate_code == code)) is None:
            return code


def _record_training(session: Session, enrolment: Enrolment, course: Course) -> None:
    """A completion by someone of a unit becomes a training record, or a claim to verify."""
    user = session.get(User, enrolment.user_id)
    if user is not None:
        evidence.online_completion(session, user=user, enrolment=enrolment, course=course)


def issuer_of(course: Course) -> str:
    """The body named on the course's certificates."""
    return course.issuer or DEFAULT_ISSUER


def certificate_expiry(course: Course, completed_on: dt.date) -> dt.date | None:
    """The last day a certificate of the course is valid, or None when it does not expire."""
    if not course.valid_years:
        return None
    try:
        return completed_on.replace(year=completed_on.year + course.valid_years)
    except ValueError:  # 29 February
        return completed_on.replace(year=completed_on.year + course.valid_years, day=28)


def certificate_for(session: Session, *, enrolment_id: int, user: User) -> Enrolment:
    """The completed enrolment of this user (the only one who may download its certificate)."""
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.user_id != user.id:
        raise NotFound("证书不存在")
    if enrolment.certificate_code is None:
        raise Conflict("完成课程后才能下载结业证书")
    return enrolment


def certificate_pdf(session: Session, enrolment: Enrolment) -> bytes:
    """The completion certificate as a PDF (reportlab's built-in Chinese CID font)."""
    import io

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    course = session.get(Course, enrolment.course_id)
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"结业证书 {enrolment.certificate_code}")
    pdf.setLineWidth(3)
    pdf.rect(30, 30, width - 60, height - 60)
    pdf.setFont("STSong-Light", 36)
    pdf.drawCentredString(width / 2, height - 120, "结 业 证 书")
    pdf.setFont("STSong-Light", 18)
    how = "参加培训班" if enrolment.source == EnrolmentSource.CLASS.value else "在线学习"
    paragraphs = [
        f"{enrolment.person_name} 同志：",
        f"　　于 {enrolment.year} 年度{how}完成“{course.title}”（{course.code}，"
        f"{course.hours:g} 学时，{course.credits:g} 学分）的全部学习要求，准予结业。",
    ]
    if enrolment.test_score is not None:
        paragraphs.append(f"　　结业测试成绩：{enrolment.test_score:g} 分。")
    y = height - 190
    for paragraph in paragraphs:
        for line in _wrap(paragraph, "STSong-Light", 18, width - 160):
            pdf.drawString(80, y, line)
            y -= 32
    pdf.setFont("STSong-Light", 14)
    expires = certificate_expiry(course, enrolment.completed_on)
    pdf.drawString(80, 134, f"颁发日期：{enrolment.completed_on.isoformat()}")
    pdf.drawString(80, 110, f"有效期至：{expires.isoformat() if expires else '长期有效'}")
    pdf.drawString(80, 86, f"证书编号（查验码）：{enrolment.certificate_code}")
    pdf.drawString(80, 62, f"查验网址：{get_settings().base_url.rstrip('/')}/verify")
    pdf.drawRightString(width - 80, 110, f"颁发单位：{issuer_of(course)}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Break Chinese text into lines no wider than ``max_width`` (any character may break)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current = [], ""
    for char in text:
        if current and stringWidth(current + char, font, size) > max_width:
            lines.append(current)
            current = char
        else:
            current += char
    return lines + [current] if current else lines


@register_verifier
def verify_course_certificate(session: Session, code: str) -> dict | None:
    """The /verify lookup for course completion certificates."""
    if not code.startswith("KC"):
        return None
    enrolment = session.scalar(select(Enrolment).where(Enrolment.certificate_code == code))
    if enrolment is None:
        return None
    course = session.get(Course, enrolment.course_id)
    expires = certificate_expiry(course, enrolment.completed_on)
    detail = f"{enrolment.year} 年度，{course.hours:g} 学时，{course.credits:g} 学分"
    if enrolment.test_score is not None:
        detail += f"，结业测试 {enrolment.test_score:g} 分"
    detail += f"；有效期至 {expires.isoformat()}" if expires else "；长期有效"
    return {
        "kind": "课程结业证书",
        "holder": enrolment.person_name,
        "title": f"{course.title}（{course.code}）",
        "issued_on": enrolment.completed_on.isoformat(),
        "detail": detail,
        "issuer": issuer_of(course),
    }


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
    training_class = session.get(TrainingClass, class_id)
    if training_class is None or not class_visible(training_class, scope):
        raise NotFound("培训班不存在")
    return training_class


def unit_names(session: Session, training_class: TrainingClass) -> dict[int, tuple[str, str]]:
    """Names and credit codes of the units on a class roster, by enterprise id."""
    ids = {a.enterprise_id for a in training_class.attendees if a.enterprise_id}
    if not ids:
        return {}
    rows = session.execute(
        select(Enterprise.id, Enterprise.name, Enterprise.credit_code).where(Enterprise.id.in_(ids))
    )
    return {uid: (name, code) for uid, name, code in rows}


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
