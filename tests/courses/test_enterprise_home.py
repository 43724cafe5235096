"""The enterprise user's home: own unit, legal representative, measure 33 coverage, classes."""

from __future__ import annotations

import datetime as dt

import pytest

from core.enterprises.models import Enterprise
from courses.models import ClassAttendee, Course, TrainingClass, TrainingRecord


@pytest.fixture
def unit(session):
    enterprise = Enterprise(
        credit_code="91320500MA1HOME01X",
        name="苏州首页测试有限公司",
        province="江苏省",
        city="苏州市",
        division_code="320500",
        industry="化工",
        management_category="重点管理",
        permit_status="有效",
        legal_rep_name="赵敏",
        legal_rep_since=dt.date(2021, 5, 1),
    )
    other = Enterprise(
        credit_code="91320200MA1HOME02X",
        name="无锡别家有限公司",
        province="江苏省",
        city="无锡市",
        division_code="320200",
        industry="印染",
        management_category="重点管理",
        permit_status="有效",
        legal_rep_name="钱多",
        legal_rep_since=dt.date(2021, 5, 1),
    )
    session.add_all([enterprise, other])
    session.flush()
    return enterprise


@pytest.fixture
def lr_course(session):
    course = Course(
        code="LR-HOME", title="法定代表人排污许可培训", audience="法定代表人", kind="必修"
    )
    session.add(course)
    session.flush()
    return course


def test_enterprise_user_sees_unit_uncovered_and_upcoming_classes(
    client, session, unit, lr_course, make_user, login, auth_headers
):
    today = dt.date.today()
    session.add_all(
        [
            TrainingClass(
                title="苏州市法定代表人培训班",
                course_id=lr_course.id,
                starts_on=today + dt.timedelta(days=7),
                ends_on=today + dt.timedelta(days=7),
                place="苏州市生态环境局",
                province="江苏省",
                city="苏州市",
            ),
            TrainingClass(
                title="无锡市培训班",
                course_id=lr_course.id,
                starts_on=today + dt.timedelta(days=3),
                ends_on=today + dt.timedelta(days=3),
                province="江苏省",
                city="无锡市",
            ),
        ]
    )
    session.flush()
    user = make_user("enterprise", credit_code=unit.credit_code)
    login(user.username)
    page = client.get("/")
    assert page.status_code == 200
    assert "苏州首页测试有限公司" in page.text and "赵敏" in page.text
    assert "重点管理（许可证有效）" in page.text
    assert "尚未覆盖" in page.text
    assert "苏州市法定代表人培训班" in page.text and "无锡市培训班" not in page.text
    assert "无锡别家有限公司" not in page.text
    api = client.get("/api/my-unit", headers=auth_headers(user)).json()
    assert api["covered"] is False and api["legal_rep_name"] == "赵敏"
    assert [c["title"] for c in api["upcoming_classes"]] == ["苏州市法定代表人培训班"]


def test_enterprise_user_sees_which_class_covered_them(
    client, session, unit, lr_course, make_user, auth_headers
):
    day = dt.date(2023, 9, 15)
    klass = TrainingClass(
        title="2023年苏州法定代表人培训班",
        course_id=lr_course.id,
        starts_on=day,
        ends_on=day,
        province="江苏省",
        city="苏州市",
    )
    session.add(klass)
    session.flush()
    session.add_all(
        [
            ClassAttendee(
                training_class_id=klass.id,
                enterprise_id=unit.id,
                person_name="赵敏",
                role="法定代表人",
                attended=True,
                passed=True,
            ),
            TrainingRecord(
                enterprise_id=unit.id,
                person_name="赵敏",
                role="法定代表人",
                course_id=lr_course.id,
                completed_on=day,
                passed=True,
                source="class",
            ),
        ]
    )
    session.flush()
    user = make_user("enterprise", credit_code=unit.credit_code)
    body = client.get("/api/my-unit", headers=auth_headers(user)).json()
    assert body["covered"] is True and body["covered_on"] == "2023-09-15"
    assert "2023年苏州法定代表人培训班" in body["covered_by"]
    assert body["covered_source"] == "培训班出勤"
    assert body["training_history"][0]["person_name"] == "赵敏"


def test_other_roles_get_403_from_my_unit(client, make_user, auth_headers):
    staff = make_user("staff", province="江苏省", city="苏州市")
    assert client.get("/api/my-unit", headers=auth_headers(staff)).status_code == 403


def test_the_unit_sees_the_questions_its_people_asked_and_no_one_elses(
    client, session, unit, make_user, login, auth_headers
):
    clerk = make_user("enterprise", credit_code=unit.credit_code)
    colleague = make_user("enterprise", credit_code=unit.credit_code)
    stranger = make_user("enterprise", credit_code="91320200MA1HOME02X")
    asked = client.post(
        "/api/ask", json={"question": "排污许可证有效期几年？"}, headers=auth_headers(clerk)
    )
    assert asked.status_code == 200
    other = {"question": "别家的问题：台账怎么记？"}
    client.post("/api/ask", json=other, headers=auth_headers(stranger))
    client.post("/api/ask", json={"question": "匿名的问题：执行报告怎么交？"})
    body = client.get("/api/my-unit", headers=auth_headers(colleague)).json()
    assert [q["question"] for q in body["questions"]] == ["排污许可证有效期几年？"]
    login(colleague.username)
    home = client.get("/")
    assert "本单位提问记录" in home.text and "排污许可证有效期几年？" in home.text
    assert "别家的问题" not in home.text and "匿名的问题" not in home.text
