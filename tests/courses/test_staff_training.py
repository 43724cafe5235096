"""Measure 34 end to end (issue 14 item 4): course years, classes and training done elsewhere
credit staff accounts; certificates say what they certify."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.certificates import verify_code
from core.errors import Forbidden, Invalid, NotFound
from core.regions.scope import RegionScope
from courses import (
    attendance,
    catalogue,
    certificates,
    classes,
    demo,
    enrolments,
    external,
    staff_training,
)
from courses.models import Course, Enrolment, Lesson
from tests.support.courses import T0, make_course, study, watch
from tests.support.web import csrf_from

NATIONAL = RegionScope()
SUZHOU = RegionScope("江苏省", "苏州市")
PDF = b"%PDF-1.4\n% training certificate\n"


def _staff(make_user, **fields):
    values = dict(
        province="江苏省",
        city="苏州市",
        display_name="李审批",
        organisation="苏州市生态环境局",
        staff_kind="审批人员",
    )
    values.update(fields)
    return make_user("staff", **values)


def _one_lesson_course(session, **fields):
    course = make_course(session, audience="审批人员", **fields)
    lesson = catalogue.add_lesson(
        session, scope=NATIONAL, course_id=course.id, title="讲义", body="内容", min_seconds=5
    )
    return course, lesson


def _credits(session, user, year):
    return staff_training.person_credits(session, user=user, year=year)


# ---- years -----------------------------------------------------------------------------------


def test_a_course_counts_only_for_its_own_year(session, make_user):
    user = _staff(make_user)
    this_year = dt.date.today().year
    last_year, _ = _one_lesson_course(
        session, code="AP-OLD", title="往年课程", year=this_year - 1, credits=2
    )
    current, _ = _one_lesson_course(
        session, code="AP-NEW", title="本年课程", year=this_year, credits=1
    )
    for course in (last_year, current):
        enrolments.enrol(session, course_id=course.id, user=user)
        study(session, course.lessons[0], user)
    done = {e.course_id: e.completed_on for e in enrolments.user_enrolments(session, user=user)}
    assert done[last_year.id] == dt.date.today()  # finished this year, after its year ended
    credits = _credits(session, user, this_year)
    assert credits.required_done == 1  # the 2-credit course of last year does not count
    assert _credits(session, user, this_year - 1).required_done == 0


def test_re_enrolling_in_a_new_year_starts_a_new_enrolment(session, make_user):
    user = _staff(make_user)
    course, lesson = _one_lesson_course(session, code="AP-EVERY", title="每年开设")
    this_year = dt.date.today().year
    first = enrolments.enrol(
        session, course_id=course.id, user=user, today=dt.date(this_year - 1, 5, 1)
    )
    assert first.year == this_year - 1
    first.completed_on = dt.date(this_year - 1, 6, 1)  # finished last year
    session.flush()
    again = enrolments.enrol(session, course_id=course.id, user=user)
    assert again.id != first.id and again.year == this_year and again.completed_on is None
    assert enrolments.find_enrolment(session, course_id=course.id, user=user).id == again.id
    # and this year's lessons are this year's: last year's completion is no credit now
    assert _credits(session, user, this_year).required_done == 0
    study(session, lesson, user)
    assert _credits(session, user, this_year).required_done == 2


# ---- classes credit staff --------------------------------------------------------------------


def _class_for(session, course, ends_on=None):
    ends_on = ends_on or dt.date.today()
    return classes.create_class(
        session,
        scope=SUZHOU,
        title="审批人员年度培训班",
        starts_on=ends_on,
        ends_on=ends_on,
        course_id=course.id,
        place="苏州市生态环境局",
    )


def _roster(*rows: str) -> bytes:
    header = "姓名,身份,账号,工作单位,出勤,通过\n"
    return (header + "\n".join(rows) + "\n").encode()


def test_a_class_credits_staff_by_account_or_by_name_and_organisation(session, make_user):
    course, _ = _one_lesson_course(session, code="AP-CLS", title="班", credits=2)
    by_account = _staff(make_user, username="shenpi1", display_name="王审批")
    by_name = _staff(make_user, display_name="赵审批", organisation="苏州市行政审批局")
    klass = _class_for(session, course)
    report = attendance.import_attendance(
        session,
        scope=SUZHOU,
        class_id=klass.id,
        source=_roster(
            "王审批,审批人员,shenpi1,,是,通过",
            "赵审批,审批人员,,苏州市行政审批局,是,是",
        ),
        filename="roster.csv",
    )
    assert report.written and report.created == 2, list(report.error_lines())
    year = dt.date.today().year
    for user in (by_account, by_name):
        enrolment = enrolments.find_enrolment(session, course_id=course.id, user=user)
        assert enrolment.completed_on == klass.ends_on and enrolment.source == "class"
        assert enrolment.certificate_code
        assert _credits(session, user, year).required_done == 2


def test_staff_rows_that_name_nobody_are_refused(session, make_user):
    course, _ = _one_lesson_course(session, code="AP-BAD", title="班")
    _staff(make_user, username="dup1", display_name="周审批")
    _staff(make_user, username="dup2", display_name="周审批")
    _staff(make_user, username="wx", display_name="吴审批", province="江苏省", city="无锡市")
    klass = _class_for(session, course)
    report = attendance.import_attendance(
        session,
        scope=SUZHOU,
        class_id=klass.id,
        source=_roster(
            "钱审批,审批人员,nobody,,是,是",
            "周审批,审批人员,,苏州市生态环境局,是,是",
            "孙审批,审批人员,,,是,是",
            "吴审批,审批人员,wx,,是,是",
            "张三,法定代表人,,,是,是",
        ),
        filename="roster.csv",
    )
    assert not report.written
    lines = list(report.error_lines())
    assert "没有账号为“nobody”的工作人员" in lines[0]
    assert "有多个，请填写账号" in lines[1]
    assert "须填写账号，或同时填写姓名和工作单位" in lines[2]
    assert "不在您的管辖范围内" in lines[3]
    assert "单位人员须填写统一社会信用代码" in lines[4]


# ---- training done elsewhere -----------------------------------------------------------------


def _submit(session, user, **fields):
    values = dict(
        title="省生态环境厅排污许可业务培训",
        organiser="江苏省生态环境厅",
        completed_on=dt.date.today(),
        hours=3,
        credits=1,
        kind="选修",
        filename="证书.pdf",
        content=PDF,
    )
    values.update(fields)
    return external.submit(session, user=user, **values)


def test_training_elsewhere_counts_once_an_admin_approves_it(session, make_user):
    user = _staff(make_user)
    record = _submit(session, user)
    year = dt.date.today().year
    assert _credits(session, user, year).elective_done == 0
    wuxi = make_user("city", province="江苏省", city="无锡市")
    assert external.pending(session, scope=RegionScope("江苏省", "无锡市")) == []
    with pytest.raises(NotFound):
        external.decide(
            session,
            scope=RegionScope("江苏省", "无锡市"),
            actor=wuxi,
            record_id=record.id,
            approve=True,
        )
    admin = make_user("city", province="江苏省", city="苏州市")
    [(queued, owner)] = external.pending(session, scope=SUZHOU)
    assert queued.id == record.id and owner.id == user.id
    external.decide(session, scope=SUZHOU, actor=admin, record_id=record.id, approve=True)
    assert _credits(session, user, year).elective_done == 1
    entry = session.scalars(select(AuditEntry)).one()
    assert entry.action == "courses.external_training.approve" and entry.city == "苏州市"
    _, path = external.evidence_file(session, record_id=record.id, user=admin, scope=SUZHOU)
    assert path.read_bytes() == PDF


def test_training_elsewhere_needs_evidence_and_a_staff_account(session, make_user):
    user = _staff(make_user)
    with pytest.raises(Invalid) as bad:
        _submit(session, user, content=b"", credits=0)
    assert "证明材料" in bad.value.message and "学分" in bad.value.message
    with pytest.raises(Invalid) as wrong_type:
        _submit(session, user, filename="证书.exe")
    assert "PDF、JPG 或 PNG" in wrong_type.value.message
    with pytest.raises(Forbidden):
        _submit(session, make_user("national"))
    rejected = _submit(session, user)
    admin = make_user("province", province="江苏省")
    external.decide(
        session, scope=RegionScope("江苏省"), actor=admin, record_id=rejected.id, approve=False
    )
    assert _credits(session, user, dt.date.today().year).elective_done == 0


# ---- certificates ----------------------------------------------------------------------------


def test_certificates_carry_hours_credits_year_issuer_and_expiry(session, make_user):
    user = _staff(make_user)
    course, lesson = _one_lesson_course(
        session,
        code="AP-CERT",
        title="证书课程",
        credits=2,
        hours=6,
        year=dt.date.today().year,
        issuer="江苏省生态环境厅",
        valid_years=1,
    )
    enrolment = enrolments.enrol(session, course_id=course.id, user=user)
    study(session, lesson, user)
    session.refresh(enrolment)
    text = (
        PdfReader(io.BytesIO(certificates.certificate_pdf(session, enrolment)))
        .pages[0]
        .extract_text()
    )
    expires = enrolment.completed_on.replace(year=enrolment.completed_on.year + 1)
    for expected in (
        "6 学时",
        "2 学分",
        f"{enrolment.year} 年度",
        "江苏省生态环境厅",
        expires.isoformat(),
    ):
        assert expected in text.replace("\n", ""), expected
    found = verify_code(session, enrolment.certificate_code)
    assert (
        found["issuer"] == "江苏省生态环境厅"
        and f"有效期至 {expires.isoformat()}" in found["detail"]
    )


# ---- the demo catalogue, end to end ----------------------------------------------------------


def _demo_catalogue(session):
    for code, audience in (("AP-201", "审批人员"), ("TA-301", "技术机构人员")):
        catalogue.create_course(
            session, scope=NATIONAL, code=code, title=code, audience=audience, kind="必修"
        )
    demo.load_demo_courses(session)


def test_the_demo_catalogue_lets_each_staff_kind_meet_the_yearly_requirement(session):
    _demo_catalogue(session)
    year = dt.date.today().year
    for kind in ("审批人员", "技术机构人员"):
        courses = [
            c for c in catalogue.list_courses(session, audience=kind) if c.year in (None, year)
        ]
        required = sum(c.credits for c in courses if c.kind == "必修")
        elective = sum(c.credits for c in courses if c.kind == "选修")
        assert required >= 4 and elective >= 2, kind
        videos = [
            lesson
            for c in courses
            for lesson in c.lessons
            if lesson.kind == "video" and lesson.video_seconds <= 60
        ]
        assert videos and catalogue.data_path(videos[0].video_file).read_bytes()[4:8] == b"ftyp"


def test_a_staff_member_meets_measure_34_through_lessons_a_class_and_training_elsewhere(
    client, session, make_user, login
):
    """Issue 14 done-when: 4 required + 2 elective credits with the demo catalogue."""
    _demo_catalogue(session)
    user = _staff(make_user, username="shenpi")
    by_code = {c.code: c for c in session.scalars(select(Course))}
    now = T0
    # lessons: AP-201 (1 credit) and AP-202 (2 credits), required
    for code in ("AP-201", "AP-202"):
        enrolment = enrolments.enrol(session, course_id=by_code[code].id, user=user)
        for lesson in [x for x in by_code[code].lessons if x.required]:
            _, now = study(session, lesson, user, start=now)
        session.refresh(enrolment)
        assert enrolment.completed_on is not None, code
    # a class: AP-203 (1 credit), required, recorded by the city admin
    klass = _class_for(session, by_code["AP-203"])
    report = attendance.import_attendance(
        session,
        scope=SUZHOU,
        class_id=klass.id,
        source=_roster("李审批,审批人员,,苏州市生态环境局,是,是"),
        filename="roster.csv",
    )
    assert report.written, list(report.error_lines())
    # the generated video: AP-302 (1 credit), elective
    enrolments.enrol(session, course_id=by_code["AP-302"].id, user=user)
    video = session.scalars(
        select(Lesson).where(Lesson.course_id == by_code["AP-302"].id, Lesson.kind == "video")
    ).one()
    status, now = watch(session, video, user, until=video.video_seconds, start=now)
    assert status.course_completed
    # training done elsewhere (1 credit), elective, approved by the city admin
    record = _submit(session, user)
    admin = make_user("city", province="江苏省", city="苏州市")
    external.decide(session, scope=SUZHOU, actor=admin, record_id=record.id, approve=True)

    credits = _credits(session, user, dt.date.today().year)
    assert (credits.required_done, credits.elective_done) == (4, 2) and not credits.behind
    login(admin.username)
    staff_page = client.get("/courses/staff")
    row = staff_page.text.split("李审批")[1].split("</tr>")[0]
    assert "4" in row and "2" in row and "未达到" not in row
    login(user.username)
    mine = client.get("/courses").text
    assert "必修 <strong>4</strong> / 4，选修 <strong>2</strong> / 2" in mine
    assert "已达到年度要求" in mine
    assert {e.source for e in session.scalars(select(Enrolment))} == {"online", "class"}


def test_the_external_training_pages(client, session, make_user, login):
    user = _staff(make_user)
    login(user.username)
    page = client.get("/external-training")
    assert "登记外部培训" in page.text
    sent = client.post(
        "/external-training",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "业务培训",
            "organiser": "江苏省生态环境厅",
            "completed_on": dt.date.today().isoformat(),
            "hours": "3",
            "credits": "1",
            "kind": "选修",
        },
        files={"evidence": ("证书.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert "待审核" in client.get("/external-training").text
    admin = make_user("city", province="江苏省", city="苏州市")
    login(admin.username)
    queue = client.get("/external-training")
    record_id = int(queue.text.split('data-record="')[1].split('"')[0])
    assert client.get(f"/external-training/{record_id}/evidence").content == PDF
    done = client.post(
        f"/external-training/{record_id}/approve",
        data={"csrf_token": csrf_from(queue.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert _credits(session, user, dt.date.today().year).elective_done == 1


def test_every_staff_kind_is_a_course_audience():
    """A staff member's courses are those whose audience is their kind: one vocabulary."""
    from core.accounts.models import StaffKind
    from courses.models import Audience

    assert {kind.value for kind in StaffKind} <= {audience.value for audience in Audience}
    assert Audience.APPROVAL_STAFF == StaffKind.APPROVAL
    assert Audience.TECH_INSTITUTION == StaffKind.TECH_INSTITUTION
