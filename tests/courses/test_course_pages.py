"""Course pages: enrol, lessons, video progress with CSRF, ranged video, certificate, classes."""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from core.enterprises.models import Enterprise
from core.regions.scope import RegionScope
from courses import catalogue, enrolments
from tests.support.courses import course_with_lessons, make_mp4, study, watch
from tests.support.web import csrf_from

NATIONAL = RegionScope()


def test_learner_enrols_reads_and_the_video_endpoint_serves_ranges(
    client, session, make_user, login
):
    course, text, video = course_with_lessons(session)
    learner = make_user("staff", province="江苏省", city="苏州市", display_name="赵敏")
    login(learner.username)
    page = client.get(f"/courses/{course.id}")
    assert "报名" in page.text and "/courses/lessons/" not in page.text
    assert client.get(f"/courses/lessons/{video.id}/video").status_code == 403
    response = client.post(
        f"/courses/{course.id}/enrol",
        data={"csrf_token": csrf_from(page.text), "person_name": "赵敏"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    lesson_page = client.get(f"/courses/lessons/{text.id}")
    assert "排污许可制度" in lesson_page.text
    client.post(
        f"/courses/lessons/{text.id}/done", data={"csrf_token": csrf_from(lesson_page.text)}
    )
    ranged = client.get(f"/courses/lessons/{video.id}/video", headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.content) == 100
    assert ranged.headers["content-range"].startswith("bytes 0-99/")
    course_page = client.get(f"/courses/{course.id}")
    assert course_page.text.count("已完成") == 1


def test_video_progress_needs_the_pages_csrf_token(client, session, make_user, login):
    course, _text, video = course_with_lessons(session)
    learner = make_user("staff", province="江苏省", city="苏州市")
    enrolments.enrol(session, course_id=course.id, user=learner)
    login(learner.username)
    page = client.get(f"/courses/lessons/{video.id}")
    token = re.search(r'data-csrf="([^"]+)"', page.text).group(1)
    view = re.search(r'data-view="([^"]+)"', page.text).group(1)
    client.get(f"/courses/lessons/{video.id}/video?v={view}")
    body = {"position": 0, "previous": 0, "played": 0, "view": view}
    assert client.post(f"/courses/lessons/{video.id}/progress", json=body).status_code == 403
    ok = client.post(
        f"/courses/lessons/{video.id}/progress", json=body, headers={"X-CSRF-Token": token}
    )
    assert ok.status_code == 200 and ok.json()["completed"] is False
    # a jump to the end is not credited
    jump = client.post(
        f"/courses/lessons/{video.id}/progress",
        json={"position": 10, "previous": 0, "played": 10, "view": view},
        headers={"X-CSRF-Token": token},
    )
    assert jump.json()["completed"] is False and jump.json()["seen_share"] == 0


def test_completed_learner_downloads_a_certificate_that_verifies(client, session, make_user, login):
    course, text, video = course_with_lessons(session)
    learner = make_user("staff", province="江苏省", city="苏州市", display_name="钱进")
    enrolment = enrolments.enrol(session, course_id=course.id, user=learner)
    _, now = study(session, text, learner)
    status, _ = watch(session, video, learner, until=10, start=now)
    assert status.course_completed
    login(learner.username)
    page = client.get(f"/courses/{course.id}")
    assert "下载结业证书" in page.text
    pdf = client.get(f"/courses/certificates/{enrolment.id}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert enrolment.certificate_code in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    other = make_user("staff", province="江苏省", city="苏州市")
    login(other.username)
    assert client.get(f"/courses/certificates/{enrolment.id}.pdf").status_code == 404
    public = client.get(f"/verify?code={enrolment.certificate_code.lower()}")
    assert public.status_code == 200 and "钱进" in public.text and course.title in public.text


def test_national_admin_creates_a_course_and_uploads_a_video_lesson(
    client, session, make_user, login
):
    admin = make_user("national")
    login(admin.username)
    page = client.get("/courses")
    response = client.post(
        "/courses",
        data={
            "csrf_token": csrf_from(page.text),
            "code": "EP-P2",
            "title": "执行报告填报实务（视频）",
            "audience": "环保负责人",
            "kind": "选修",
            "credits": "1",
            "year": "2024",
            "test_question_count": "0",
            "pass_mark": "60",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    course_url = response.headers["location"]
    course_page = client.get(course_url)
    response = client.post(
        f"{course_url}/lessons",
        data={
            "csrf_token": csrf_from(course_page.text),
            "title": "填报演示",
            "required": "true",
        },
        files={
            "video": ("demo.mp4", make_mp4(95), "video/mp4"),
            "attachment": ("讲义.txt", "讲义内容".encode(), "text/plain"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    detail = client.get(course_url)
    assert "填报演示" in detail.text and "视频（1分35秒）" in detail.text
    lesson_id = re.search(r'href="/courses/lessons/(\d+)"', detail.text).group(1)
    lesson_page = client.get(f"/courses/lessons/{lesson_id}")
    attachment = re.search(r'href="(/courses/attachments/\d+)"', lesson_page.text).group(1)
    assert client.get(attachment).content == "讲义内容".encode()


def test_provincial_admin_cannot_edit_the_catalogue(client, session, make_user, login):
    admin = make_user("province", province="江苏省")
    login(admin.username)
    page = client.get("/courses")
    assert "新建课程" not in page.text
    response = client.post(
        "/courses",
        data={
            "csrf_token": csrf_from(page.text),
            "code": "X-1",
            "title": "x",
            "audience": "法定代表人",
            "kind": "必修",
        },
    )
    assert response.status_code == 403


def test_city_admin_runs_a_class_and_imports_attendance_from_xlsx(
    client, session, make_user, login
):
    unit = Enterprise(
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
    session.add(unit)
    session.flush()
    course, _text, _video = course_with_lessons(session)
    admin = make_user("city", province="江苏省", city="苏州市")
    login(admin.username)
    page = client.get("/courses/classes")
    response = client.post(
        "/courses/classes",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "苏州市法定代表人培训班（第一期）",
            "starts_on": "2024-05-06",
            "ends_on": "2024-05-07",
            "course_id": str(course.id),
            "place": "苏州市生态环境局报告厅",
        },
        follow_redirects=False,
    )
    class_url = response.headers["location"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["统一社会信用代码", "姓名", "身份", "是否出勤", "是否通过"])
    sheet.append([unit.credit_code, "王建国", "法定代表人", "是", "是"])
    sheet.append([unit.credit_code, "", "法定代表人", "是", "是"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    class_page = client.get(class_url)
    upload = lambda skip: client.post(  # noqa: E731
        f"{class_url}/attendance",
        data={
            "csrf_token": csrf_from(class_page.text),
            **({"skip_invalid": "true"} if skip else {}),
        },
        files={
            "file": (
                "名单.xlsx",
                buffer.getvalue(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        },
    )
    refused = upload(False)
    assert refused.status_code == 422 and "第3行: 人员姓名不能为空" in refused.text
    accepted = upload(True)
    assert accepted.status_code == 200 and "新增 1 条" in accepted.text
    assert "王建国" in accepted.text
    report = client.get("/coverage?as_of=2024-06-30")
    assert "100.0%" in report.text


def test_staff_credit_page_lists_organisations_with_people_behind(
    client, session, make_user, login
):
    make_user(
        "staff",
        province="江苏省",
        city="苏州市",
        organisation="苏州市生态环境局",
        staff_kind="审批人员",
        display_name="孙莉",
    )
    make_user(
        "staff",
        province="浙江省",
        city="杭州市",
        organisation="杭州市生态环境局",
        staff_kind="审批人员",
        display_name="周杭",
    )
    admin = make_user("province", province="江苏省")
    login(admin.username)
    page = client.get("/courses/staff")
    assert page.status_code == 200
    assert "苏州市生态环境局" in page.text and "孙莉" in page.text and "未达标" in page.text
    assert "周杭" not in page.text


def test_final_test_page_draws_questions_and_a_pass_completes_the_course(
    client, session, make_user, login
):
    from courses import final_tests

    course = catalogue.create_course(
        session,
        scope=NATIONAL,
        code="LR-P3",
        title="带结业测试的课程",
        audience="法定代表人",
        kind="必修",
        test_question_count=3,
        pass_mark=60,
    )
    for i in range(3):
        final_tests.add_question(
            session,
            scope=NATIONAL,
            course_id=course.id,
            kind="单选",
            stem=f"页面结业测试题{i}",
            options=["甲", "乙"],
            answer="A",
        )
    lesson = catalogue.add_lesson(
        session, scope=NATIONAL, course_id=course.id, title="讲义", body="内容"
    )
    learner = make_user("staff", province="江苏省", city="苏州市")
    enrolments.enrol(session, course_id=course.id, user=learner)
    study(session, lesson, learner)
    login(learner.username)
    page = client.get(f"/courses/{course.id}")
    started = client.post(
        f"/courses/{course.id}/test",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    test_url = started.headers["location"]
    test_page = client.get(test_url)
    qids = re.findall(r'name="q(\d+)"', test_page.text)
    assert len(set(qids)) == 3 and "页面结业测试题" in test_page.text
    done = client.post(
        test_url,
        data={"csrf_token": csrf_from(test_page.text), **{f"q{q}": "A" for q in set(qids)}},
        follow_redirects=False,
    )
    assert done.status_code == 303 and "score" not in done.headers["location"]
    result = client.get(done.headers["location"]).text
    assert "下载结业证书" in result and "第 1 次测试成绩：100 分" in result


def test_staff_member_sees_own_credits_on_home_and_course_pages(client, session, make_user, login):
    course = catalogue.create_course(
        session,
        scope=NATIONAL,
        code="AP-P4",
        title="审核要点",
        audience="审批人员",
        kind="必修",
        credits=4,
    )
    staff = make_user(
        "staff",
        province="江苏省",
        city="苏州市",
        staff_kind="审批人员",
        organisation="苏州市生态环境局",
    )
    enrolment = enrolments.enrol(session, course_id=course.id, user=staff)
    enrolment.completed_on = dt.date.today()
    session.flush()
    login(staff.username)
    for url in ("/", "/courses"):
        page = client.get(url).text
        credits = page.split('id="my-credits"', 1)[1].split("</p>", 1)[0]
        assert "必修 <strong>4</strong> / 4" in credits and "选修 <strong>0</strong> / 2" in credits
        assert "未达到年度要求" in credits


def test_the_roster_template_has_chinese_headers_and_a_filled_copy_imports(
    client, session, make_user, login
):
    unit = Enterprise(
        credit_code="91320500MA1TEXT01T",
        name="苏州模板化工有限公司",
        province="江苏省",
        city="苏州市",
        division_code="320500",
        industry="化工",
        management_category="重点管理",
        permit_status="有效",
        legal_rep_name="李平",
        legal_rep_since=dt.date(2020, 1, 1),
    )
    session.add(unit)
    session.flush()
    course, _text, _video = course_with_lessons(session)
    login(make_user("city", province="江苏省", city="苏州市").username)
    page = client.get("/courses/classes")
    class_url = client.post(
        "/courses/classes",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "苏州市法定代表人培训班（模板）",
            "starts_on": "2024-05-06",
            "ends_on": "2024-05-07",
            "course_id": str(course.id),
            "place": "苏州市生态环境局",
        },
        follow_redirects=False,
    ).headers["location"]
    class_page = client.get(class_url)
    assert 'href="/courses/classes/roster-template.xlsx"' in class_page.text
    csv_template = client.get("/courses/classes/roster-template.csv")
    assert csv_template.status_code == 200
    header = csv_template.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("统一社会信用代码,姓名")
    assert client.get("/courses/classes/roster-template.pdf").status_code == 404
    template = client.get("/courses/classes/roster-template.xlsx")
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook.active
    sheet.append([unit.credit_code, "李平", "法定代表人", "是", "是"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    imported = client.post(
        f"{class_url}/attendance",
        data={"csrf_token": csrf_from(class_page.text)},
        files={"file": ("名单.xlsx", buffer.getvalue(), "application/octet-stream")},
    )
    assert imported.status_code == 200 and "新增 1 条" in imported.text
