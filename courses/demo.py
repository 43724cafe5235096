"""Demo courses for ``permithub demo``: lessons of the registry's courses (data/demo_lessons.json),
their final tests (data/demo_questions.json), and the staff catalogue of measure 34
(data/demo_staff_courses.json), whose short videos are generated on the spot."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import demo as core_demo
from core.regions.scope import NATIONAL
from core.tabular import Row
from courses import catalogue, demo_video
from courses.final_tests import JUDGE_OPTIONS
from courses.importer import import_course_rows, import_training_rows
from courses.models import Course, CourseQuestion, Lesson

DATA = Path(__file__).parent / "data"
LESSONS_PATH = DATA / "demo_lessons.json"
QUESTIONS_PATH = DATA / "demo_questions.json"
STAFF_COURSES_PATH = DATA / "demo_staff_courses.json"


def load_demo_registry(session: Session) -> str:
    """Load the demo registry, its courses and training records, and the admin accounts.

    The registry and the accounts come from the kernel (``core.demo``); the catalogue and the
    training records go through this domain's importers. Nothing is loaded into a registry that
    already holds units; existing accounts keep their passwords.
    """
    skipped = core_demo.registry_skip_line(session)
    lines = [skipped or _load_registry(session)]
    lines.extend(core_demo.load_demo_accounts(session))
    return "\n".join(lines)


def _load_registry(session: Session) -> str:
    units, training = core_demo.generate_demo_rows()
    courses = [
        Row(i + 2, dict(zip(("course_code", "title", "audience", "kind"), c, strict=True)))
        for i, c in enumerate(core_demo.DEMO_COURSES)
    ]
    units_report = core_demo.load_demo_units(session, units)
    courses_report = core_demo.check_demo_report(import_course_rows(session, courses))
    training_report = core_demo.check_demo_report(import_training_rows(session, training))
    return (
        f"已载入演示数据：排污单位 {units_report.total} 家，课程 {courses_report.total} 门，"
        f"培训记录 {training_report.total} 条（截至 {core_demo.DEMO_AS_OF:%Y年%m月%d日}）。"
    )


def load_demo_courses(session: Session) -> str:
    """Add the demo lessons, and the final tests with their own question pools."""
    lessons = json.loads(LESSONS_PATH.read_text(encoding="utf-8"))
    tests = json.loads(QUESTIONS_PATH.read_text(encoding="utf-8"))
    added = 0
    for code, entry in lessons.items():
        course = session.scalar(select(Course).where(Course.code == code))
        if course is None or course.lessons:
            continue
        if not course.description:
            course.description = entry.get("description", "")
        for position, lesson in enumerate(entry["lessons"], start=1):
            course.lessons.append(
                Lesson(
                    title=lesson["title"],
                    body=lesson["body"],
                    position=position,
                    required=bool(lesson.get("required", True)),
                )
            )
            added += 1
        if (test := tests.get(code)) and not course.questions:
            course.test_question_count, course.pass_mark = (
                test["test_question_count"],
                test["pass_mark"],
            )
            for q in test["questions"]:
                course.questions.append(
                    CourseQuestion(
                        kind=q["kind"],
                        stem=q["stem"],
                        options=q["options"] or JUDGE_OPTIONS,
                        answer=q["answer"],
                    )
                )
    session.commit()
    lines = [f"已为演示课程添加课时 {added} 个。"] if added else []
    if staff := load_demo_staff_courses(session):
        lines.append(staff)
    return "\n".join(lines)


def load_demo_staff_courses(session: Session, *, year: int | None = None) -> str:
    """This year's staff courses: with AP-201 and TA-301 each staff kind can meet 4 required and
    2 elective credits; one elective of each kind is a short generated video."""
    year = year or dt.date.today().year
    entries = json.loads(STAFF_COURSES_PATH.read_text(encoding="utf-8"))["courses"]
    added = []
    for entry in entries:
        if session.scalar(select(Course.id).where(Course.code == entry["code"])) is not None:
            continue
        course = catalogue.create_course(
            session,
            scope=NATIONAL,
            code=entry["code"],
            title=entry["title"],
            audience=entry["audience"],
            kind=entry["kind"],
            credits=float(entry["credits"]),
            hours=float(entry["hours"]),
            valid_years=entry.get("valid_years"),
            year=year,
            description=entry.get("description", ""),
        )
        for lesson in entry.get("lessons", []):
            catalogue.add_lesson(
                session,
                scope=NATIONAL,
                course_id=course.id,
                title=lesson["title"],
                body=lesson["body"],
            )
        if video := entry.get("video"):
            catalogue.add_lesson(
                session,
                scope=NATIONAL,
                course_id=course.id,
                title=video["title"],
                body=video["body"],
                video_name="demo.mp4",
                video_bytes=demo_video.lesson_video([tuple(s) for s in video["slides"]]),
            )
        added.append(course.code)
    if not added:
        return ""
    codes = "、".join(added)
    return f"已添加 {year} 年度工作人员课程 {len(added)} 门（{codes}），含本机生成的短视频课时。"
