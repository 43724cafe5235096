"""The demo loader gives the demo courses lessons, once."""

from core.regions.scope import RegionScope
from courses import service
from courses.demo import load_demo_courses


def test_demo_lessons_are_added_once(session):
    for code, audience in (("LR-2024", "法定代表人"), ("AP-201", "审批人员")):
        service.create_course(
            session, scope=RegionScope(), code=code, title=code, audience=audience, kind="必修"
        )
    assert "4" in load_demo_courses(session)
    assert load_demo_courses(session) == ""
    course = next(c for c in service.list_courses(session) if c.code == "LR-2024")
    assert [lesson.position for lesson in course.lessons] == [1, 2, 3]
