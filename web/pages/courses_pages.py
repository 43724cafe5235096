"""Course pages: catalogue, lessons (text, video), final test, certificates, classes, credits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from core.accounts import service as account_service
from core.accounts.models import User
from core.deps import RequestSessionRoute, SessionDep
from core.errors import Forbidden, Invalid, NotFound
from core.imports import ImportSlot, digest
from core.security import csrf_matches
from core.spreadsheets import TABLE_FORMATS, table_response
from core.times import BEIJING
from core.uploads import FileKind, read_form_file
from courses import (
    attendance,
    catalogue,
    certificates,
    classes,
    enrolments,
    evidence,
    final_tests,
    learning,
    staff_training,
)
from courses.models import Audience, CourseKind, LessonKind
from web.deps import CsrfChecked, PageAdmin, PageForm, PageUser
from web.templating import CSRF_KEY, render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)


def _is_national_admin(user: User) -> bool:
    return user.role_enum.is_admin and account_service.region_scope(user).is_national


def _date(value: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{label}“{value}”格式不正确，应为 YYYY-MM-DD") from None


def _answers(form: FormData) -> dict[int, str]:
    """A final test's answers from the form: ``q<question id>`` fields, several for multi-choice."""
    answers = {}
    for key in form.keys():
        if key.startswith("q"):
            qid = key[1:]
            if qid.isdigit():
                answers[int(qid)] = "".join(str(v) for v in form.getlist(key))
    return answers


# ---- catalogue and course pages --------------------------------------------------------------


@router.get("/courses")
def course_list(request: Request, session: SessionDep, user: PageUser, audience: str = ""):
    courses = [
        c
        for c in catalogue.list_courses(session, audience=audience or None)
        if not c.retired or _is_national_admin(user)
    ]
    by_id = {c.id: c for c in courses}
    # this year's enrolments: a course offered every year is taken afresh each year
    mine = {
        e.course_id: e
        for e in enrolments.user_enrolments(session, user=user)
        if e.course_id in by_id and e.year == enrolments.enrolment_year(by_id[e.course_id])
    }
    credits = staff_training.person_credits(session, user=user, year=dt.date.today().year)
    return render(
        request,
        "courses/index.html",
        {
            "courses": courses,
            "mine": mine,
            "audience": audience,
            "audiences": [a.value for a in Audience],
            "kinds": [k.value for k in CourseKind],
            "can_edit": _is_national_admin(user),
            "credits": credits,
            "year": dt.date.today().year,
        },
    )


@router.post("/courses", dependencies=[CsrfChecked])
def course_create(
    session: SessionDep,
    user: PageAdmin,
    code: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    audience: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    credits: Annotated[float, Form()] = 1.0,
    year: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    test_question_count: Annotated[int, Form()] = 0,
    pass_mark: Annotated[int, Form()] = 60,
    max_attempts: Annotated[int, Form()] = 3,
    retry_wait_minutes: Annotated[int, Form()] = 60,
):
    course = catalogue.create_course(
        session,
        scope=account_service.region_scope(user),
        code=code,
        title=title,
        audience=audience,
        kind=kind,
        credits=credits,
        year=int(year) if year.strip().isdigit() else None,
        description=description,
        test_question_count=test_question_count,
        pass_mark=pass_mark,
        max_attempts=max_attempts,
        retry_wait_minutes=retry_wait_minutes,
    )
    return RedirectResponse(f"/courses/{course.id}", status_code=303)


@router.get("/courses/classes")
def class_list(request: Request, session: SessionDep, user: PageAdmin):
    scope = account_service.region_scope(user)
    return render(
        request,
        "courses/classes.html",
        {
            "classes": classes.list_classes(session, scope=scope),
            "courses": catalogue.list_courses(session),
            "scope": scope,
        },
    )


@router.post("/courses/classes", dependencies=[CsrfChecked])
def class_create(
    session: SessionDep,
    user: PageAdmin,
    title: Annotated[str, Form()] = "",
    starts_on: Annotated[str, Form()] = "",
    ends_on: Annotated[str, Form()] = "",
    course_id: Annotated[str, Form()] = "",
    place: Annotated[str, Form()] = "",
    online: Annotated[bool, Form()] = False,
):
    training_class = classes.create_class(
        session,
        scope=account_service.region_scope(user),
        title=title,
        starts_on=_date(starts_on, "开始日期"),
        ends_on=_date(ends_on, "结束日期"),
        course_id=int(course_id) if course_id.strip().isdigit() else None,
        place=place,
        online=online,
    )
    return RedirectResponse(f"/courses/classes/{training_class.id}", status_code=303)


@router.get("/courses/classes/roster-template.{fmt}")
def roster_template(user: PageAdmin, fmt: str):
    """An empty roster with the Chinese headers the attendance import reads (CSV or XLSX)."""
    if fmt not in TABLE_FORMATS:
        raise NotFound("没有这种模板格式（可选 csv 或 xlsx）")
    return table_response(
        attendance.ATTENDANCE_TEMPLATE_HEADER,
        [],
        fmt=fmt,
        name="roster-template",
        sheet_title="培训班名单",
    )


@router.get("/courses/classes/{class_id}")
def class_detail(request: Request, session: SessionDep, user: PageAdmin, class_id: int):
    scope = account_service.region_scope(user)
    training_class = classes.get_class(session, scope=scope, class_id=class_id)
    return render(
        request,
        "courses/class.html",
        {
            "training_class": training_class,
            "report": None,
            "names": classes.unit_names(session, training_class),
            "staff": attendance.staff_on_roster(session, training_class),
            "can_edit": scope.owns(training_class.province, training_class.city),
            "courses": catalogue.list_courses(session),
        },
    )


@router.post("/courses/classes/{class_id}/attendance", dependencies=[CsrfChecked, ImportSlot])
def class_attendance(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    class_id: int,
    file: Annotated[UploadFile | None, File()] = None,
    skip_invalid: Annotated[bool, Form()] = False,
):
    scope = account_service.region_scope(user)
    name, content = read_form_file(
        file, kind=FileKind.TABLE, required="请选择名单文件（CSV 或 XLSX）"
    )
    report = attendance.import_attendance(
        session,
        scope=scope,
        class_id=class_id,
        source=content,
        filename=name,
        skip_invalid=skip_invalid,
    )
    training_class = classes.get_class(session, scope=scope, class_id=class_id)
    session.refresh(training_class)
    return render(
        request,
        "courses/class.html",
        {
            "training_class": training_class,
            "report": report,
            "errors": digest(report, owner_id=user.id),
            "names": classes.unit_names(session, training_class),
            "staff": attendance.staff_on_roster(session, training_class),
            "can_edit": scope.owns(training_class.province, training_class.city),
            "courses": catalogue.list_courses(session),
        },
        200 if report.written else 422,
    )


@router.get("/courses/staff")
def staff_report(request: Request, session: SessionDep, user: PageAdmin, year: int | None = None):
    scope = account_service.region_scope(user)
    year = year or dt.date.today().year
    return render(
        request,
        "courses/staff.html",
        {
            "organisations": staff_training.staff_credits(session, scope=scope, year=year),
            "year": year,
            "scope": scope,
            "requirements": staff_training.yearly_credit_requirements(),
        },
    )


@router.get("/courses/{course_id}")
def course_detail(request: Request, session: SessionDep, user: PageUser, course_id: int):
    course = catalogue.get_course(session, course_id)
    enrolment = enrolments.find_enrolment(session, course_id=course.id, user=user)
    progress = enrolments.progress_by_lesson(session, enrolment) if enrolment else {}
    can_edit = _is_national_admin(user)
    return render(
        request,
        "courses/course.html",
        {
            "course": course,
            "enrolment": enrolment,
            "progress": progress,
            "test": final_tests.attempt_state(session, course=course, enrolment=enrolment)
            if enrolment and course.has_test
            else None,
            "pool": final_tests.pool(session, course) if can_edit else [],
            "required_seconds": {x.id: learning.required_seconds(x) for x in course.lessons},
            "video_rule": learning.VIDEO_RULE,
            "china_tz": BEIJING,
            "lessons_done": enrolments.lessons_done(session, enrolment) if enrolment else False,
            "can_edit": can_edit,
            "audiences": [a.value for a in Audience],
            "kinds": [k.value for k in CourseKind],
            "claim_status": evidence.claim_status(
                session, user=user, person_name=enrolment.person_name
            )
            if enrolment and enrolment.completed_on and course.audience == Audience.LEGAL_REP
            else None,
        },
    )


@router.post("/courses/{course_id}/enrol", dependencies=[CsrfChecked])
def course_enrol(
    session: SessionDep, user: PageUser, course_id: int, person_name: Annotated[str, Form()] = ""
):
    enrolments.enrol(session, course_id=course_id, user=user, person_name=person_name or None)
    return RedirectResponse(f"/courses/{course_id}", status_code=303)


@router.post("/courses/{course_id}/lessons", dependencies=[CsrfChecked])
def lesson_create(
    session: SessionDep,
    user: PageAdmin,
    course_id: int,
    title: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    required: Annotated[bool, Form()] = False,
    video_seconds: Annotated[str, Form()] = "",
    min_seconds: Annotated[str, Form()] = "",
    video: Annotated[UploadFile | None, File()] = None,
    attachment: Annotated[UploadFile | None, File()] = None,
):
    scope = account_service.region_scope(user)
    # Both files are read (and their sizes checked) before anything is written.
    video_name, video_bytes = read_form_file(video, kind=FileKind.VIDEO)
    attachment_name, attachment_bytes = read_form_file(attachment, kind=FileKind.ATTACHMENT)
    try:
        seconds = float(video_seconds) if video_seconds.strip() else None
    except ValueError:
        raise Invalid("视频时长应为秒数") from None
    lesson = catalogue.add_lesson(
        session,
        scope=scope,
        course_id=course_id,
        title=title,
        body=body,
        required=required,
        video_name=video_name,
        video_bytes=video_bytes,
        video_seconds=seconds,
        min_seconds=int(min_seconds) if min_seconds.strip().isdigit() else None,
    )
    if attachment_bytes:
        catalogue.add_attachment(
            session,
            scope=scope,
            lesson_id=lesson.id,
            filename=attachment_name,
            content=attachment_bytes,
            content_type=attachment.content_type,
        )
    return RedirectResponse(f"/courses/{course_id}", status_code=303)


@router.post("/courses/{course_id}/questions", dependencies=[CsrfChecked])
def question_add(
    session: SessionDep,
    user: PageAdmin,
    course_id: int,
    kind: Annotated[str, Form()] = "单选",
    stem: Annotated[str, Form()] = "",
    options: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
):
    final_tests.add_question(
        session,
        scope=account_service.region_scope(user),
        course_id=course_id,
        kind=kind,
        stem=stem,
        options=options.splitlines(),
        answer=answer,
    )
    return RedirectResponse(f"/courses/{course_id}#pool", status_code=303)


@router.post("/courses/{course_id}/questions/{question_id}/delete", dependencies=[CsrfChecked])
def question_delete(session: SessionDep, user: PageAdmin, course_id: int, question_id: int):
    final_tests.remove_question(
        session, scope=account_service.region_scope(user), question_id=question_id
    )
    return RedirectResponse(f"/courses/{course_id}#pool", status_code=303)


@router.post("/courses/{course_id}/test", dependencies=[CsrfChecked])
def test_start(session: SessionDep, user: PageUser, course_id: int):
    attempt, _ = final_tests.start_test(session, course_id=course_id, user=user)
    return RedirectResponse(f"/courses/tests/{attempt.id}", status_code=303)


@router.get("/courses/tests/{attempt_id}")
def test_page(request: Request, session: SessionDep, user: PageUser, attempt_id: int):
    attempt, questions = final_tests.attempt_questions(session, attempt_id=attempt_id, user=user)
    course = final_tests.course_of_attempt(session, attempt)
    return render(
        request, "courses/test.html", {"attempt": attempt, "questions": questions, "course": course}
    )


@router.post("/courses/tests/{attempt_id}", dependencies=[CsrfChecked])
def test_submit(
    session: SessionDep,
    user: PageUser,
    attempt_id: int,
    form: PageForm,
):
    answers = _answers(form)
    attempt = final_tests.submit_test(session, attempt_id=attempt_id, user=user, answers=answers)
    course = final_tests.course_of_attempt(session, attempt)
    # the course page shows the result from the server's record; nothing travels in the URL
    return RedirectResponse(f"/courses/{course.id}#test-result", status_code=303)


@router.get("/courses/certificates/{enrolment_id}.pdf")
def certificate(session: SessionDep, user: PageUser, enrolment_id: int):
    enrolment = certificates.certificate_for(session, enrolment_id=enrolment_id, user=user)
    return Response(
        certificates.certificate_pdf(session, enrolment),
        media_type="application/pdf",
        headers={
            "Content-Disposition": (
                f'attachment; filename="certificate-{enrolment.certificate_code}.pdf"'
            )
        },
    )


# ---- lessons ---------------------------------------------------------------------------------


def _may_view(session, user: User, lesson) -> None:
    if _is_national_admin(user):
        return
    if enrolments.find_enrolment(session, course_id=lesson.course_id, user=user) is None:
        raise Forbidden("请先报名参加本课程")


@router.get("/courses/lessons/{lesson_id}")
def lesson_page(request: Request, session: SessionDep, user: PageUser, lesson_id: int):
    lesson = catalogue.get_lesson(session, lesson_id)
    _may_view(session, user, lesson)
    enrolment = enrolments.find_enrolment(session, course_id=lesson.course_id, user=user)
    # each view of the page takes the learner's clock and gets its own token for the video
    progress = learning.open_lesson(session, lesson_id=lesson.id, user=user) if enrolment else None
    need = learning.required_seconds(lesson)
    studied = learning.studied_seconds(session, progress=progress, user=user) if progress else 0
    return render(
        request,
        "courses/lesson.html",
        {
            "lesson": lesson,
            "course": lesson.course,
            "progress": progress,
            "enrolled": enrolment is not None,
            "is_video": lesson.kind == LessonKind.VIDEO.value,
            "required_seconds": need,
            "remaining_seconds": max(0, int(need - studied + 0.999)),
            "can_edit": _is_national_admin(user),
            "video_rule": learning.VIDEO_RULE,
        },
    )


@router.post("/courses/lessons/{lesson_id}/done", dependencies=[CsrfChecked])
def lesson_done(session: SessionDep, user: PageUser, lesson_id: int):
    lesson = catalogue.get_lesson(session, lesson_id)
    learning.complete_text_lesson(session, lesson_id=lesson.id, user=user)
    return RedirectResponse(f"/courses/{lesson.course_id}", status_code=303)


@router.post("/courses/lessons/{lesson_id}/progress")
def lesson_progress(
    request: Request,
    session: SessionDep,
    user: PageUser,
    lesson_id: int,
    position: Annotated[float, Body(ge=0, le=86_400)],
    previous: Annotated[float, Body(ge=0, le=86_400)],
    played: Annotated[float, Body(ge=0, le=3600)],
    view: Annotated[str | None, Body(max_length=64)] = None,
):
    # the player posts JSON; the page's CSRF token travels in a header
    if not csrf_matches(request.session.get(CSRF_KEY), request.headers.get("x-csrf-token")):
        raise Forbidden("页面已过期，请刷新后继续观看")
    status = learning.report_video_progress(
        session,
        lesson_id=lesson_id,
        user=user,
        position=position,
        previous=previous,
        played=played,
        view=view,
    )
    return {
        "watched_seconds": round(status.watched_seconds, 1),
        "seen_share": round(status.seen_share, 3),
        "completed": status.completed,
        "course_completed": status.course_completed,
        "counted": status.counted,
        "note": status.note,
    }


@router.get("/courses/lessons/{lesson_id}/video")
def lesson_video(session: SessionDep, user: PageUser, lesson_id: int, v: str | None = None):
    lesson = catalogue.get_lesson(session, lesson_id)
    _may_view(session, user, lesson)
    if not lesson.video_file:
        raise NotFound("该课时没有视频")
    path = catalogue.data_path(lesson.video_file)
    if not path.exists():
        raise NotFound("视频文件不存在")
    # the player's reports for this page view count from now on
    learning.mark_video_loaded(session, lesson=lesson, user=user, view=v)
    # FileResponse answers Range requests (206), so the browser can seek
    return FileResponse(path, media_type=lesson.video_type or "video/mp4")


@router.get("/courses/attachments/{attachment_id}")
def attachment_download(session: SessionDep, user: PageUser, attachment_id: int):
    attachment = catalogue.get_attachment(session, attachment_id)
    _may_view(session, user, attachment.lesson)
    path = catalogue.data_path(attachment.stored_file)
    if not path.exists():
        raise NotFound("附件文件不存在")
    return FileResponse(path, media_type=attachment.content_type, filename=attachment.filename)


# ---- home page panel: a staff member's credits this year -------------------------------------


def home_panel(session, user):
    """Home-page panel for people who earn training credits: this year's credits."""
    credits = staff_training.person_credits(session, user=user, year=dt.date.today().year)
    if credits is None:
        return None
    return "courses/_home_credits.html", {"credits": credits, "year": dt.date.today().year}
