"""The demo loader gives the demo courses the lessons of data/demo_lessons.json, once."""

import json

from core.regions.scope import RegionScope
from courses import catalogue
from courses.demo import LESSONS_PATH, load_demo_courses


def test_demo_lessons_are_added_once(session):
    for code, audience in (("LR-2024", "法定代表人"), ("AP-201", "审批人员")):
        catalogue.create_course(
            session, scope=RegionScope(), code=code, title=code, audience=audience, kind="必修"
        )
    expected = json.loads(LESSONS_PATH.read_text(encoding="utf-8"))
    count = len(expected["LR-2024"]["lessons"]) + len(expected["AP-201"]["lessons"])
    first = load_demo_courses(session).splitlines()
    assert first[0] == f"已为演示课程添加课时 {count} 个。"
    assert first[1].startswith("已添加") and "短视频" in first[1]
    assert load_demo_courses(session) == ""
    course = next(c for c in catalogue.list_courses(session) if c.code == "LR-2024")
    assert [lesson.title for lesson in course.lessons] == [
        item["title"] for item in expected["LR-2024"]["lessons"]
    ]
    assert course.description == expected["LR-2024"]["description"]
    assert any(not lesson.required for lesson in course.lessons) == any(
        not item["required"] for item in expected["LR-2024"]["lessons"]
    )
