"""The catalogue's answer to other domains: which courses name a word (quiz weak tags)."""

from __future__ import annotations

from sqlalchemy import event

from courses import catalogue
from courses.models import Course


def _add(session, code: str, title: str, description: str = "") -> None:
    session.add(
        Course(code=code, title=title, audience="审批人员", kind="必修", description=description)
    )


def test_courses_naming_answers_every_word_in_one_query(session):
    _add(session, "C1", "许可证核发实务")
    _add(session, "C2", "证后监管要点", "执行报告与许可证核发的衔接")
    _add(session, "C3", "Excel 台账 basics", "")
    _add(session, "C4", "达标率100%的计算")
    session.commit()
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        named = catalogue.courses_naming(
            session, ["许可证核发", "EXCEL", "执行报告", "没有课程", "%", "许可证核发"]
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len([s for s in statements if "course" in s.lower()]) == 1
    assert named == {
        "许可证核发": ["许可证核发实务", "证后监管要点"],  # title or description, ordered by title
        "EXCEL": ["Excel 台账 basics"],  # case ignored
        "执行报告": ["证后监管要点"],
        "没有课程": [],
        "%": ["达标率100%的计算"],  # a literal percent sign, not a wildcard
    }


def test_courses_naming_keeps_at_most_limit_titles_per_word(session):
    for i in range(7):
        _add(session, f"L{i}", f"排污许可第{i}讲")
    session.commit()
    named = catalogue.courses_naming(session, ["排污许可"], limit=5)
    assert named["排污许可"] == [f"排污许可第{i}讲" for i in range(5)]
    assert catalogue.courses_naming(session, []) == {}
