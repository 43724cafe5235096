"""/api/courses: catalogue, enrolment, progress (bearer token) and staff credits under scoping."""

from __future__ import annotations

import datetime as dt

from core.regions.scope import RegionScope
from courses import catalogue, enrolments
from tests.support.courses import make_mp4

NATIONAL = RegionScope()


def make_course(session):
    course = catalogue.create_course(
        session,
        scope=NATIONAL,
        code="AP-A1",
        title="审核要点（接口）",
        audience="审批人员",
        kind="必修",
        credits=4,
    )
    video = catalogue.add_lesson(
        session,
        scope=NATIONAL,
        course_id=course.id,
        title="视频",
        video_name="v.mp4",
        video_bytes=make_mp4(4),
    )
    return course, video


def test_catalogue_enrolment_and_video_progress_over_the_api(
    client, session, make_user, auth_headers
):
    course, video = make_course(session)
    staff = make_user(
        "staff",
        province="江苏省",
        city="苏州市",
        staff_kind="审批人员",
        organisation="苏州市生态环境局",
    )
    headers = auth_headers(staff)
    listed = client.get("/api/courses?audience=审批人员", headers=headers).json()
    assert [c["code"] for c in listed] == ["AP-A1"]
    assert client.get("/api/courses").status_code == 401
    refused = client.post(
        f"/api/courses/lessons/{video.id}/progress",
        json={"position": 0, "previous": 0, "played": 0},
        headers=headers,
    )
    assert refused.status_code == 403
    enrolment = client.post(f"/api/courses/{course.id}/enrol", headers=headers).json()
    assert enrolment["completed_on"] is None
    first = client.post(
        f"/api/courses/lessons/{video.id}/progress",
        json={"position": 0, "previous": 0, "played": 0},
        headers=headers,
    )
    assert first.status_code == 200 and first.json()["completed"] is False
    # claiming four seconds of playing at once, right after the first report, is not credited
    claim = client.post(
        f"/api/courses/lessons/{video.id}/progress",
        json={"position": 4, "previous": 0, "played": 4},
        headers=headers,
    ).json()
    assert claim["watched_seconds"] < 3.6 and not claim["completed"]
    bad = client.post(
        f"/api/courses/lessons/{video.id}/progress",
        json={"position": -1, "previous": 0, "played": 0},
        headers=headers,
    )
    assert bad.status_code == 422
    detail = client.get(f"/api/courses/{course.id}", headers=headers).json()
    assert detail["lessons"][0]["video_seconds"] == 4 and detail["enrolment"]["person_name"]


def test_staff_credits_api_is_scoped_to_the_admins_region(client, session, make_user, auth_headers):
    course, _video = make_course(session)
    done = make_user(
        "staff",
        province="江苏省",
        city="苏州市",
        staff_kind="审批人员",
        organisation="苏州市生态环境局",
    )
    make_user(
        "staff",
        province="浙江省",
        city="杭州市",
        staff_kind="审批人员",
        organisation="杭州市生态环境局",
    )
    enrolment = enrolments.enrol(session, course_id=course.id, user=done)
    enrolment.completed_on = dt.date.today()
    session.flush()
    admin = make_user("city", province="江苏省", city="苏州市")
    body = client.get("/api/courses/staff-credits", headers=auth_headers(admin)).json()
    assert [o["organisation"] for o in body] == ["苏州市生态环境局"]
    person = body[0]["people"][0]
    assert (person["required_done"], person["elective_done"], person["behind"]) == (4, 0, True)
    staff_token = auth_headers(done)
    assert client.get("/api/courses/staff-credits", headers=staff_token).status_code == 403
