"""Courses: lessons, server-checked video progress, completion, certificates, classes, credits."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.certificates import verify_code
from core.errors import Forbidden, Invalid
from core.regions.scope import RegionScope
from courses import (
    attendance,
    catalogue,
    certificates,
    classes,
    coverage,
    enrolments,
    evidence,
    staff_training,
)
from courses.models import TrainingRecord
from tests.support.courses import make_course, make_mp4, make_unit, study, watch

NATIONAL = RegionScope()


def test_mp4_duration_is_read_from_the_movie_header():
    assert catalogue.mp4_duration(make_mp4(63.5)) == pytest.approx(63.5)
    assert catalogue.mp4_duration(b"not a video") is None


def test_video_lesson_is_stored_under_data_dir(session):
    course = make_course(session)
    lesson = catalogue.add_lesson(
        session,
        scope=NATIONAL,
        course_id=course.id,
        title="第一讲",
        video_name="l1.mp4",
        video_bytes=make_mp4(30),
    )
    assert lesson.kind == "video" and lesson.video_seconds == pytest.approx(30)
    assert catalogue.data_path(lesson.video_file).read_bytes() == make_mp4(30)


def test_only_national_admins_edit_the_catalogue(session):
    with pytest.raises(Forbidden):
        make_course(session) and catalogue.create_course(
            session,
            scope=RegionScope("江苏省"),
            code="X",
            title="X",
            audience="法定代表人",
            kind="必修",
        )
    with pytest.raises(Invalid) as bad:
        catalogue.create_course(
            session, scope=NATIONAL, code="", title="", audience="厂长", kind="必选"
        )
    assert "培训对象" in bad.value.message and "课程类别" in bad.value.message


def test_completion_by_a_legal_representative_counts_once_a_bureau_verifies_the_account(
    session, make_user
):
    unit = make_unit(session)
    course = make_course(session)
    text = catalogue.add_lesson(
        session, scope=NATIONAL, course_id=course.id, title="政策解读", body="排污许可制度……"
    )
    video = catalogue.add_lesson(
        session,
        scope=NATIONAL,
        course_id=course.id,
        title="视频",
        video_name="v.mp4",
        video_bytes=make_mp4(30),
    )
    catalogue.add_lesson(
        session,
        scope=NATIONAL,
        course_id=course.id,
        title="拓展阅读",
        body="选学内容",
        required=False,
    )
    rep = make_user("enterprise", credit_code=unit.credit_code, display_name="王建国")
    as_of = dt.date.today()
    before = coverage.coverage_report(session, scope=NATIONAL, as_of=as_of).overall
    assert (before.key_units, before.covered) == (1, 0)

    enrolment = enrolments.enrol(session, course_id=course.id, user=rep, person_name="王建国")
    _, now = study(session, text, rep)
    assert enrolment.completed_on is None
    status, _ = watch(session, video, rep, until=30, start=now)
    assert status.course_completed
    session.refresh(enrolment)
    assert enrolment.completed_on == dt.date.today() and enrolment.certificate_code

    # anyone holding the unit's account could have done this: nothing counts until verified
    records = select(TrainingRecord).where(TrainingRecord.enterprise_id == unit.id)
    assert session.scalars(records).all() == []
    assert coverage.coverage_report(session, scope=NATIONAL, as_of=as_of).overall.covered == 0
    [claim] = evidence.pending_claims(session, scope=RegionScope("江苏省", "苏州市"))
    assert (claim.person_name, claim.registered_rep, claim.name_matches) == ("王建国",) * 2 + (
        True,
    )
    city_admin = make_user("city", province="江苏省", city="苏州市")
    evidence.decide_claim(
        session,
        scope=RegionScope("江苏省", "苏州市"),
        actor=city_admin,
        claim_id=claim.id,
        approve=True,
    )
    record = session.scalars(records).one()
    assert (record.person_name, record.source, record.passed) == ("王建国", "platform", True)
    after = coverage.coverage_report(session, scope=NATIONAL, as_of=as_of).overall
    assert after.covered == 1

    found = verify_code(session, enrolment.certificate_code.lower())
    assert found["holder"] == "王建国" and course.title in found["title"]
    assert verify_code(session, "KC" + "2" * 10) is None
    pdf = PdfReader(io.BytesIO(certificates.certificate_pdf(session, enrolment)))
    text_out = pdf.pages[0].extract_text()
    assert enrolment.certificate_code in text_out and "王建国" in text_out


def _attendance_csv(rows: list[str]) -> bytes:
    return ("credit_code,person_name,role,attended,passed\n" + "\n".join(rows) + "\n").encode()


def test_attendance_import_validates_rows_and_records_training(session):
    unit = make_unit(session)
    other = make_unit(
        session,
        credit_code="91320200MA1TEXT02E",
        name="无锡测试印染有限公司",
        city="无锡市",
        division_code="320200",
    )
    course = make_course(session)
    scope = RegionScope("江苏省", "苏州市")
    klass = classes.create_class(
        session,
        scope=scope,
        title="苏州市法定代表人培训班",
        starts_on=dt.date(2024, 5, 6),
        ends_on=dt.date(2024, 5, 7),
        course_id=course.id,
        place="苏州市生态环境局",
    )
    bad = _attendance_csv(
        [
            f"{unit.credit_code},王建国,法定代表人,是,是",
            f"{other.credit_code},李四,法定代表人,是,是",
            "91320500MA1TEXT01X,张三,法定代表人,是,是",
            f"{unit.credit_code},,厂长,也许,是",
        ]
    )
    report = attendance.import_attendance(
        session, scope=scope, class_id=klass.id, source=bad, filename="roster.csv"
    )
    assert not report.written
    lines = list(report.error_lines())
    assert [line.split(":")[0] for line in lines] == ["第3行", "第4行", "第5行"]
    assert (
        "不在您的管辖范围内" in lines[0]
        and "人员姓名不能为空" in lines[2]
        and "是否出勤" in lines[2]
    )
    assert session.scalars(select(TrainingRecord)).all() == []

    report = attendance.import_attendance(
        session,
        scope=scope,
        class_id=klass.id,
        source=bad,
        filename="roster.csv",
        skip_invalid=True,
    )
    assert report.written and report.created == 1
    record = session.scalars(select(TrainingRecord)).one()
    assert (record.person_name, record.completed_on, record.source) == (
        "王建国",
        dt.date(2024, 5, 7),
        "class",
    )
    assert (
        coverage.coverage_report(session, scope=scope, as_of=dt.date(2024, 6, 30)).overall.covered
        == 1
    )


def test_other_regions_cannot_import_a_class_roster(session):
    course = make_course(session)
    klass = classes.create_class(
        session,
        scope=RegionScope("江苏省", "苏州市"),
        title="班",
        starts_on=dt.date(2024, 5, 6),
        ends_on=dt.date(2024, 5, 7),
        course_id=course.id,
        online=True,
    )
    with pytest.raises(Exception) as refused:
        attendance.import_attendance(
            session,
            scope=RegionScope("江苏省", "无锡市"),
            class_id=klass.id,
            source=_attendance_csv([]),
            filename="r.csv",
        )
    assert refused.value.__class__.__name__ in {"NotFound", "Forbidden"}


def test_staff_credits_show_who_is_behind(session, make_user):
    required = make_course(
        session, code="AP-T1", title="审核要点", audience="审批人员", kind="必修", credits=4
    )
    elective = make_course(
        session, code="AP-T2", title="案例选讲", audience="审批人员", kind="选修", credits=2
    )
    other_audience = make_course(
        session, code="TA-T1", title="技术机构", audience="技术机构人员", kind="选修", credits=2
    )
    done = make_user(
        "staff",
        province="江苏省",
        city="苏州市",
        organisation="苏州市生态环境局",
        staff_kind="审批人员",
        display_name="达标者",
    )
    behind = make_user(
        "staff",
        province="江苏省",
        city="苏州市",
        organisation="苏州市生态环境局",
        staff_kind="审批人员",
        display_name="落后者",
    )
    make_user(
        "staff",
        province="浙江省",
        city="杭州市",
        organisation="杭州市生态环境局",
        staff_kind="审批人员",
    )
    this_year = dt.date.today()
    for user, courses in ((done, [required, elective]), (behind, [required, other_audience])):
        for course in courses:
            enrolment = enrolments.enrol(session, course_id=course.id, user=user)
            enrolment.completed_on = this_year
    session.flush()
    orgs = staff_training.staff_credits(session, scope=RegionScope("江苏省"), year=this_year.year)
    assert [o.organisation for o in orgs] == ["苏州市生态环境局"]
    people = {p.user.display_name: p for p in orgs[0].people}
    assert (people["达标者"].required_done, people["达标者"].elective_done) == (4, 2)
    assert not people["达标者"].behind
    assert (people["落后者"].required_done, people["落后者"].elective_done) == (4, 0)
    assert [p.user.display_name for p in orgs[0].behind] == ["落后者"]
    assert staff_training.staff_credits(
        session, scope=RegionScope("江苏省"), year=this_year.year - 1
    )[0].behind


def test_yearly_staff_credit_requirement_comes_from_the_settings(monkeypatch):
    from core.config import get_settings

    monkeypatch.setenv("PERMITHUB_STAFF_REQUIRED_CREDITS", "6")
    monkeypatch.setenv("PERMITHUB_STAFF_ELECTIVE_CREDITS", "1.5")
    get_settings.cache_clear()
    try:
        assert staff_training.yearly_credit_requirements() == {
            "审批人员": (6.0, 1.5),
            "技术机构人员": (6.0, 1.5),
        }
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
