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
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts.models import Role, StaffKind, User
from core.certificates import register_verifier
from core.config import get_settings
from core.enterprises.credit_code import credit_code_problem
from core.enterprises.models import Enterprise
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.regions.scope import RegionScope
from core.tabular import ImportReport, RowError, check_length, parse_bool, read_table
from courses import evidence
from courses.coverage import reps_on
from courses.models import (
    Audience,
    ClassAttendee,
    Course,
    CourseKind,
    Enrolment,
    EvidenceSource,
    Lesson,
    LessonAttachment,
    LessonKind,
    LessonProgress,
    TrainingClass,
    TrainingRecord,
)

logger = logging.getLogger(__name__)

VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".ogg": "video/ogg"}
MAX_VIDEO_BYTES = 500 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
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


def _require_national(scope: RegionScope) -> None:
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


def create_course(
    session: Session,
    *,
    scope: RegionScope,
    code: str,
    title: str,
    audience: str,
    kind: str,
    credits: float = 1.0,
    year: int | None = None,
    description: str = "",
    test_question_count: int = 0,
    pass_mark: int = 60,
    max_attempts: int = 3,
    retry_wait_minutes: int = 60,
) -> Course:
    """Add a course to the catalogue (national admins)."""
    _require_national(scope)
    code, title = code.strip(), title.strip()
    problems = []
    if not code or len(code) > 32:
        problems.append("课程代码不能为空且不超过32个字符")
    if not title or len(title) > 200:
        problems.append("课程名称不能为空且不超过200字")
    if audience not in {a.value for a in Audience}:
        problems.append(f"培训对象应为{'、'.join(a.value for a in Audience)}之一")
    if kind not in {k.value for k in CourseKind}:
        problems.append("课程类别应为“必修”或“选修”")
    if not 0 < credits <= 100:
        problems.append("学分应在 0 到 100 之间")
    if year is not None and not 2000 <= year <= 2100:
        problems.append("年度应为四位年份")
    if not 0 <= test_question_count <= 200:
        problems.append("结业测试题数应在 0 到 200 之间")
    if not 0 < pass_mark <= 100:
        problems.append("及格分应在 1 到 100 之间")
    if not 1 <= max_attempts <= 20:
        problems.append("结业测试次数应在 1 到 20 之间")
    if not 0 <= retry_wait_minutes <= 7 * 24 * 60:
        problems.append("两次测试的间隔应在 0 到 10080 分钟（7 天）之间")
    if problems:
        raise Invalid("课程信息有误：" + "；".join(problems), details=problems)
    if session.scalar(select(Course.id).where(Course.code == code)) is not None:
        raise Conflict(f"课程代码“{code}”已存在")
    course = Course(
        code=code,
        title=title,
        audience=audience,
        kind=kind,
        credits=credits,
        year=year,
        description=description.strip(),
        test_question_count=test_question_count,
        pass_mark=pass_mark,
        max_attempts=max_attempts,
        retry_wait_minutes=retry_wait_minutes,
    )
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
    _require_national(scope)
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
        if len(video_bytes) > MAX_VIDEO_BYTES:
            raise Invalid("视频文件超过 500 MB")
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
    _require_national(scope)
    lesson = get_lesson(session, lesson_id)
    name = Path(filename or "").name.strip()
    if not name or not content:
        raise Invalid("请选择要上传的附件")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise Invalid("附件超过 50 MB")
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


def enrol(
    session: Session, *, course_id: int, user: User, person_name: str | None = None
) -> Enrolment:
    """Enrol the user (idempotent); ``person_name`` is the real name printed on the certificate."""
    course = get_course(session, course_id)
    existing = find_enrolment(session, course_id=course.id, user=user)
    if existing is not None:
        return existing
    name = (person_name or user.display_name or user.username).strip()
    if not name or len(name) > 64:
        raise Invalid("请填写学员姓名（不超过64字）")
    enrolment = Enrolment(course_id=course.id, user_id=user.id, person_name=name)
    session.add(enrolment)
    session.commit()
    return enrolment


def find_enrolment(session: Session, *, course_id: int, user: User) -> Enrolment | None:
    """The user's enrolment in the course, if any."""
    return session.scalar(
        select(Enrolment).where(Enrolment.course_id == course_id, Enrolment.user_id == user.id)
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
        select(Lesson.id).where(Lesson.course_id == enrolment.course_id, Lesson.required.is_(True))
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
    has_lessons = session.scalar(select(func.count(Lesson.id)).where(Lesson.course_id == course.id))
    if not has_lessons and not course.has_test:
        return False
    if not lessons_done(session, enrolment):
        return False
    if course.has_test and enrolment.test_passed_at is None:
        return False
    enrolment.completed_on = today or dt.date.today()
    enrolment.certificate_code = _new_certificate_code(session)
    _record_training(session, enrolment, course)
    session.commit()
    logger.info("enrolment %s completed course %s", enrolment.id, course.code)
    return True


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
    paragraphs = [
        f"{enrolment.person_name} 同志：",
        f"　　已完成“{course.title}”（{course.code}，{course.credits:g} 学分）"
        "的全部学习要求，准予结业。",
    ]
    if enrolment.test_score is not None:
        paragraphs.append(f"　　结业测试成绩：{enrolment.test_score:g} 分。")
    y = height - 190
    for paragraph in paragraphs:
        for line in _wrap(paragraph, "STSong-Light", 18, width - 160):
            pdf.drawString(80, y, line)
            y -= 32
    pdf.setFont("STSong-Light", 14)
    pdf.drawString(80, 110, f"颁发日期：{enrolment.completed_on.isoformat()}")
    pdf.drawString(80, 86, f"证书编号（查验码）：{enrolment.certificate_code}")
    pdf.drawString(80, 62, f"查验网址：{get_settings().base_url.rstrip('/')}/verify")
    pdf.drawRightString(width - 80, 110, "PermitHub 排污许可培训平台")
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
    detail = f"{course.credits:g} 学分"
    if enrolment.test_score is not None:
        detail += f"，结业测试 {enrolment.test_score:g} 分"
    return {
        "kind": "课程结业证书",
        "holder": enrolment.person_name,
        "title": f"{course.title}（{course.code}）",
        "issued_on": enrolment.completed_on.isoformat(),
        "detail": detail,
        "issuer": "PermitHub 排污许可培训平台",
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


ATTENDANCE_COLUMNS = ("credit_code", "person_name", "role", "attended", "passed")
ATTENDANCE_ALIASES = {
    "统一社会信用代码": "credit_code",
    "姓名": "person_name",
    "人员姓名": "person_name",
    "身份": "role",
    "人员类别": "role",
    "是否出勤": "attended",
    "出勤": "attended",
    "是否通过": "passed",
    "通过": "passed",
    "考核结果": "passed",
}
YES_NO_WORDS = "是/否（也可写 true/false、1/0、通过/未通过）"


def parse_yes_no(text: str, label: str) -> tuple[bool | None, str | None]:
    """是/否 and the other spellings every training import accepts, with a Chinese message."""
    value, problem = parse_bool(text, label)
    if problem:
        return None, f"{label}“{text}”无法识别，应为{YES_NO_WORDS}"
    return value, None


@dataclass
class AttendanceReport(ImportReport):
    """An attendance import's report, with the rows written but counted nowhere."""

    warnings: list[RowError] = field(default_factory=list)

    def warning_lines(self) -> list[str]:
        return [str(w) for w in self.warnings]


@dataclass
class _AttendeeRow:
    line: int
    role: str
    attended: bool
    passed: bool
    not_current_rep: bool = False


def import_attendance(
    session: Session,
    *,
    scope: RegionScope,
    class_id: int,
    source: Path | str | bytes,
    filename: str | None = None,
    skip_invalid: bool = False,
) -> AttendanceReport:
    """Import a class's roster and attendance (CSV/XLSX), validated like the registry.

    Attendees who attended and passed a class linked to a course get a training record dated the
    class's last day, so a legal representative's class counts for coverage — but only under the
    name the registry holds for the unit that day: anyone else listed as its legal representative
    is reported as 非现任法定代表人, kept on the roster and counted nowhere.
    """
    training_class = get_class(session, scope=scope, class_id=class_id)
    # only the region that holds the class keeps its roster
    if (training_class.province, training_class.city) != (scope.province, scope.city) and not (
        scope.is_national
    ):
        raise Forbidden("只能为本辖区举办的培训班导入名单")
    table = read_table(
        source, columns=ATTENDANCE_COLUMNS, aliases=ATTENDANCE_ALIASES, filename=filename
    )
    report = AttendanceReport(
        kind="培训班名单", skip_invalid=skip_invalid, errors=list(table.problems)
    )
    report.total = len(table.problems)
    valid = _validate_attendance(session, scope, table.rows, report)
    if report.errors and not skip_invalid:
        return report
    _flag_other_representatives(session, training_class, valid, report)
    existing = {(a.enterprise_id, a.person_name): a for a in training_class.attendees}
    for (unit_id, person), row in valid.items():
        attendee = existing.get((unit_id, person))
        values = (row.role, row.attended, row.passed, row.not_current_rep)
        if attendee is None:
            training_class.attendees.append(
                ClassAttendee(
                    enterprise_id=unit_id,
                    person_name=person,
                    role=row.role,
                    attended=row.attended,
                    passed=row.passed,
                    not_current_rep=row.not_current_rep,
                )
            )
            report.created += 1
        elif (
            attendee.role,
            attendee.attended,
            attendee.passed,
            attendee.not_current_rep,
        ) == values:
            report.unchanged += 1
        else:
            attendee.role, attendee.attended, attendee.passed, attendee.not_current_rep = values
            report.updated += 1
        if training_class.course_id is not None:
            _class_training_record(session, training_class, unit_id, person, row)
    session.commit()
    report.written = True
    return report


def _validate_attendance(
    session: Session, scope: RegionScope, rows, report: AttendanceReport
) -> dict[tuple[int, str], _AttendeeRow]:
    codes = {values["credit_code"].upper() for _, values in rows}
    units = (
        {
            code: (uid, province, city)
            for code, uid, province, city in session.execute(
                select(
                    Enterprise.credit_code, Enterprise.id, Enterprise.province, Enterprise.city
                ).where(Enterprise.credit_code.in_(codes))
            )
        }
        if codes
        else {}
    )
    audiences = [a.value for a in Audience]
    valid: dict[tuple[int, str], _AttendeeRow] = {}
    for line, values in rows:
        report.total += 1
        reasons = []
        code = values["credit_code"].upper()
        unit = units.get(code)
        if not code:
            reasons.append("统一社会信用代码不能为空")
        elif problem := credit_code_problem(code):
            reasons.append(problem)
        elif unit is None:
            reasons.append(f"排污单位名录中没有统一社会信用代码为 {code} 的单位")
        elif not scope.allows(unit[1], unit[2]):
            reasons.append(f"该单位位于{unit[1]}{unit[2]}，不在您的辖区（{scope.label}）内")
        person = values["person_name"]
        if problem := check_length(person, "人员姓名", 64):
            reasons.append(problem)
        role = values["role"]
        if role not in audiences:
            reasons.append(f"人员身份“{role}”无效，应为{'、'.join(audiences)}之一")
        attended, problem = parse_yes_no(values["attended"], "是否出勤")
        if problem:
            reasons.append(problem)
        passed, problem = parse_yes_no(values["passed"], "是否通过")
        if problem:
            reasons.append(problem)
        if not reasons:
            key = (unit[0], person)
            if key in valid:
                reasons.append(f"与第{valid[key].line}行重复（同一单位和人员）")
            else:
                valid[key] = _AttendeeRow(line, role, attended, passed)
        if reasons:
            report.add_error(line, "；".join(reasons))
    return valid


def _flag_other_representatives(
    session: Session,
    training_class: TrainingClass,
    valid: dict[tuple[int, str], _AttendeeRow],
    report: AttendanceReport,
) -> None:
    """Mark who is listed as a unit's legal representative (or attends a 法定代表人 class for it)
    under a name the registry does not hold on the class's last day."""
    lr_class = (
        training_class.course is not None
        and training_class.course.audience == Audience.LEGAL_REP.value
    )
    checked = [
        key for key, row in valid.items() if lr_class or row.role == Audience.LEGAL_REP.value
    ]
    registered = reps_on(session, [unit_id for unit_id, _ in checked], training_class.ends_on)
    for unit_id, person in checked:
        rep = registered.get(unit_id)
        if rep is not None and rep != person:
            row = valid[(unit_id, person)]
            row.not_current_rep = True
            report.warnings.append(
                RowError(
                    row.line,
                    f"{person} {evidence.NOT_CURRENT_REP}（{training_class.ends_on.isoformat()} "
                    f"名录登记的法定代表人为 {rep}），已记入名单，不计入培训覆盖",
                )
            )


def _class_training_record(
    session: Session, training_class: TrainingClass, unit_id: int, person: str, row: _AttendeeRow
) -> None:
    record = session.scalar(
        select(TrainingRecord).where(
            TrainingRecord.enterprise_id == unit_id,
            TrainingRecord.person_name == person,
            TrainingRecord.course_id == training_class.course_id,
            TrainingRecord.completed_on == training_class.ends_on,
        )
    )
    if not row.attended or row.not_current_rep:
        # a corrected list withdraws what an earlier import of the same class recorded
        if record is not None and record.source == EvidenceSource.CLASS.value:
            session.delete(record)
        return
    if record is None:
        session.add(
            TrainingRecord(
                enterprise_id=unit_id,
                person_name=person,
                role=row.role,
                course_id=training_class.course_id,
                completed_on=training_class.ends_on,
                passed=row.passed,
                source=EvidenceSource.CLASS.value,
            )
        )
    else:
        record.passed, record.role = row.passed, row.role


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
    totals: dict[tuple[int, str], float] = {}
    if users:
        stmt = (
            select(Enrolment.user_id, Course.kind, func.sum(Course.credits))
            .join(Course, Course.id == Enrolment.course_id)
            .join(User, User.id == Enrolment.user_id)
            .where(
                Enrolment.user_id.in_([u.id for u in users]),
                Enrolment.completed_on >= dt.date(year, 1, 1),
                Enrolment.completed_on <= dt.date(year, 12, 31),
                Course.audience == User.staff_kind,
            )
            .group_by(Enrolment.user_id, Course.kind)
        )
        totals = {(uid, kind): float(total or 0) for uid, kind, total in session.execute(stmt)}
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
