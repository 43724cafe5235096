"""The class roster upload refuses hostile and broken workbooks with a 422, never a 500."""

from __future__ import annotations

import pytest

from tests.support import bombs
from tests.support.courses import course_with_lessons
from tests.support.web import csrf_from


@pytest.fixture
def class_url(client, session, make_user, login) -> str:
    course, _text, _video = course_with_lessons(session)
    admin = make_user("city", province="江苏省", city="苏州市")
    login(admin.username)
    page = client.get("/courses/classes")
    response = client.post(
        "/courses/classes",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "苏州市法定代表人培训班（第二期）",
            "starts_on": "2024-05-06",
            "ends_on": "2024-05-07",
            "course_id": str(course.id),
            "place": "苏州市生态环境局报告厅",
        },
        follow_redirects=False,
    )
    return response.headers["location"]


@pytest.mark.parametrize(
    "build",
    [bombs.xlsx_bomb, bombs.billion_laughs_xlsx, bombs.broken_sheet_xlsx, bombs.truncated_xlsx],
)
def test_hostile_or_broken_rosters_are_a_422(client, class_url, build):
    token = csrf_from(client.get(class_url).text)
    response = client.post(
        f"{class_url}/attendance",
        data={"csrf_token": token},
        files={"file": ("名单.xlsx", build(), "application/octet-stream")},
    )
    assert response.status_code == 422
    assert any(word in response.text for word in ("无法读取", "已拒绝", "表头"))
