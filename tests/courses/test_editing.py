"""Courses, lessons and classes can be edited, retired and deleted when unused (issue 14 item 7);
training imports take the documented Chinese headers and 是/否 alike."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.errors import Conflict, Forbidden
from core.regions.scope import RegionScope
from courses import attendance, catalogue, classes, editing, enrolments
from courses.importer import import_training
from courses.models import Course, Lesson, TrainingClass
from tests.support.courses import make_course, make_unit, study
from tests.support.web import csrf_from

NATIONAL = RegionScope()
SUZHOU = RegionScope("江苏省", "苏州市")


def _lesson(session, course, title="讲义", **kw):
    return catalogue.add_lesson(
        session, scope=NATIONAL, course_id=course.id, title=title, body="内容", min_seconds=5, **kw
    )


# ---- courses -----------------------------------------------------------------------------------


def test_a_national_admin_edits_a_course_from_its_page(client, session, make_user, login):
    course = make_course(session)
    admin = make_user("national")
    login(admin.username)
    page = client.get(f"/courses/{course.id}")
    assert 'id="course-settings"' in page.text
    response = client.post(
        f"/courses/{course.id}/edit",
        data={
            "csrf_token": csrf_from(page.text),
            "code": "LR-T1",
            "title": "法定代表人专题培训（修订）",
            "audience": "法定代表人",
            "kind": "必修",
            "credits": "1.5",
            "hours": "4",
            "year": "2026",
            "issuer": "生态环境部",
            "valid_years": "3",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    session.refresh(course)
    assert (course.title, course.credits, course.hours, course.year, course.valid_years) == (
        "法定代表人专题培训（修订）",
        1.5,
        4,
        2026,
        3,
    )
    entry = session.scalars(select(AuditEntry)).one()
    assert entry.action == "courses.course.update" and "修订" in entry.detail


def test_course_edits_are_checked_like_new_courses(session, make_user):
    course = make_course(session)
    make_course(session, code="OTHER", title="另一门")
    with pytest.raises(Conflict):
        editing.update_course(
            session, scope=NATIONAL, actor=None, course_id=course.id, code="OTHER"
        )
    with pytest.raises(Forbidden):
        editing.update_course(
            session, scope=RegionScope("江苏省"), actor=None, course_id=course.id, title="x"
        )
    with pytest.raises(Exception) as bad:
        editing.update_course(session, scope=NATIONAL, actor=None, course_id=course.id, credits=0)
    assert "学分" in bad.value.message


def test_a_retired_course_keeps_its_learners_and_takes_no_new_ones(
    client, session, make_user, login
):
    course = make_course(session)
    lesson = _lesson(session, course)
    learner = make_user("staff", province="江苏省", city="苏州市")
    enrolment = enrolments.enrol(session, course_id=course.id, user=learner)
    editing.retire_course(session, scope=NATIONAL, actor=None, course_id=course.id, retired=True)
    study(session, lesson, learner)  # who already enrolled finishes
    session.refresh(enrolment)
    assert enrolment.completed_on is not None
    newcomer = make_user("staff", province="江苏省", city="苏州市")
    with pytest.raises(Conflict):
        enrolments.enrol(session, course_id=course.id, user=newcomer)
    login(newcomer.username)
    assert f'href="/courses/{course.id}"' not in client.get("/courses").text
    assert "不再接受报名" in client.get(f"/courses/{course.id}").text


def test_only_an_unused_course_can_be_deleted(session, make_user):
    unused = make_course(session, code="UNUSED", title="未使用")
    _lesson(session, unused)
    editing.delete_course(session, scope=NATIONAL, actor=None, course_id=unused.id)
    assert session.get(Course, unused.id) is None
    used = make_course(session)
    enrolments.enrol(
        session, course_id=used.id, user=make_user("staff", province="江苏省", city="苏州市")
    )
    with pytest.raises(Conflict) as refused:
        editing.delete_course(session, scope=NATIONAL, actor=None, course_id=used.id)
    assert "学员报名" in refused.value.message and "可以停用" in refused.value.message


# ---- lessons -----------------------------------------------------------------------------------


def test_lessons_are_edited_retired_and_deleted(session, make_user):
    course = make_course(session)
    first, second = _lesson(session, course, "第一讲"), _lesson(session, course, "第二讲")
    spare = _lesson(session, course, "第三讲")
    editing.update_lesson(
        session,
        scope=NATIONAL,
        actor=None,
        lesson_id=first.id,
        title="第一讲（修订）",
        body="新内容",
        required=True,
        min_seconds=30,
    )
    assert (first.title, first.min_seconds) == ("第一讲（修订）", 30)
    learner = make_user("staff", province="江苏省", city="苏州市")
    enrolment = enrolments.enrol(session, course_id=course.id, user=learner)
    _, now = study(session, first, learner)
    # a retired lesson is no longer required: the course completes without it
    editing.retire_lesson(session, scope=NATIONAL, actor=None, lesson_id=second.id, retired=True)
    editing.retire_lesson(session, scope=NATIONAL, actor=None, lesson_id=spare.id, retired=True)
    assert enrolments.lessons_done(session, enrolment)
    with pytest.raises(Conflict):
        editing.delete_lesson(session, scope=NATIONAL, actor=None, lesson_id=first.id)
    editing.delete_lesson(session, scope=NATIONAL, actor=None, lesson_id=spare.id)
    assert session.get(Lesson, spare.id) is None


def test_the_lesson_page_offers_editing_to_national_admins(client, session, make_user, login):
    course = make_course(session)
    lesson = _lesson(session, course)
    admin = make_user("national")
    login(admin.username)
    page = client.get(f"/courses/lessons/{lesson.id}")
    assert 'id="lesson-settings"' in page.text
    done = client.post(
        f"/courses/lessons/{lesson.id}/edit",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "改名",
            "body": "正文",
            "min_seconds": "",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    session.refresh(lesson)
    assert lesson.title == "改名" and lesson.min_seconds is None and not lesson.required
    gone = client.post(
        f"/courses/lessons/{lesson.id}/delete",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert gone.status_code == 303 and session.get(Lesson, lesson.id) is None


# ---- classes -----------------------------------------------------------------------------------


def _class(session, course=None, scope=SUZHOU):
    return classes.create_class(
        session,
        scope=scope,
        title="苏州市培训班",
        starts_on=dt.date(2026, 5, 6),
        ends_on=dt.date(2026, 5, 7),
        course_id=course.id if course else None,
        place="苏州市生态环境局",
    )


def test_classes_are_edited_by_their_region_and_deleted_while_empty(session):
    course = make_course(session)
    klass = _class(session, course)
    editing.update_class(
        session,
        scope=RegionScope("江苏省"),  # the province edits its cities' classes
        actor=None,
        class_id=klass.id,
        title="苏州市培训班（改期）",
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 6, 2),
        course_id=course.id,
        place="苏州市会议中心",
        online=False,
    )
    assert (klass.title, klass.ends_on) == ("苏州市培训班（改期）", dt.date(2026, 6, 2))
    with pytest.raises((Forbidden, Exception)) as other:
        editing.delete_class(
            session, scope=RegionScope("江苏省", "无锡市"), actor=None, class_id=klass.id
        )
    assert other.value.__class__.__name__ in {"NotFound", "Forbidden"}
    editing.delete_class(session, scope=SUZHOU, actor=None, class_id=klass.id)
    assert session.get(TrainingClass, klass.id) is None


def test_a_class_with_a_roster_is_archived_not_deleted(session):
    course = make_course(session)
    unit = make_unit(session)
    klass = _class(session, course)
    attendance.import_attendance(
        session,
        scope=SUZHOU,
        class_id=klass.id,
        source=f"统一社会信用代码,姓名,身份,出勤,通过\n{unit.credit_code},王建国,法定代表人,是,是\n".encode(),
        filename="roster.csv",
    )
    with pytest.raises(Conflict):
        editing.delete_class(session, scope=SUZHOU, actor=None, class_id=klass.id)
    with pytest.raises(Conflict):  # the records are dated by the class: its end date stays
        editing.update_class(
            session,
            scope=SUZHOU,
            actor=None,
            class_id=klass.id,
            title=klass.title,
            starts_on=klass.starts_on,
            ends_on=dt.date(2026, 7, 1),
            course_id=course.id,
            place=klass.place,
            online=False,
        )
    editing.retire_class(session, scope=SUZHOU, actor=None, class_id=klass.id, retired=True)
    assert klass.retired and klass.attendees


def test_the_class_page_offers_editing_to_its_region(client, session, make_user, login):
    klass = _class(session)
    admin = make_user("city", province="江苏省", city="苏州市")
    login(admin.username)
    page = client.get(f"/courses/classes/{klass.id}")
    assert 'id="class-settings"' in page.text
    archived = client.post(
        f"/courses/classes/{klass.id}/retire",
        data={"csrf_token": csrf_from(page.text), "retired": "true"},
        follow_redirects=False,
    )
    assert archived.status_code == 303
    assert "已停办归档" in client.get(f"/courses/classes/{klass.id}").text


# ---- Chinese headers and 是/否 -----------------------------------------------------------------


def test_training_imports_take_chinese_headers_and_yes_no(session, tmp_path):
    unit = make_unit(session)
    make_course(session)
    path = tmp_path / "training.csv"
    path.write_text(
        "统一社会信用代码,姓名,身份,课程代码,完成日期,通过\n"
        f"{unit.credit_code},王建国,法定代表人,LR-T1,2024-03-02,是\n"
        f"{unit.credit_code},李四,法定代表人,LR-T1,2024-03-02,也许\n",
        encoding="utf-8",
    )
    report = import_training(session, path)
    [line] = list(report.error_lines())
    assert line.startswith("第3行") and "应为是/否" in line and "true 或 false" not in line


def test_attendance_takes_the_same_headers_and_values(session):
    unit = make_unit(session)
    klass = _class(session, make_course(session))
    for header in ("是否出勤,是否通过", "出勤,通过", "出勤,考核结果"):
        report = attendance.import_attendance(
            session,
            scope=SUZHOU,
            class_id=klass.id,
            source=(
                f"统一社会信用代码,姓名,身份,{header}\n{unit.credit_code},王建国,法定代表人,是,通过\n"
            ).encode(),
            filename="roster.csv",
        )
        assert report.written, header
    bad = attendance.import_attendance(
        session,
        scope=SUZHOU,
        class_id=klass.id,
        source=f"统一社会信用代码,姓名,身份,出勤,通过\n{unit.credit_code},王建国,法定代表人,缺席了,是\n".encode(),
        filename="roster.csv",
    )
    assert "应为是/否" in next(bad.error_lines())
