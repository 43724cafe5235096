"""Demo courses for ``permithub demo``: lessons of the registry's courses (data/demo_lessons.json),
their final tests (data/demo_questions.json), and the staff catalogue of measure 34
(data/demo_staff_courses.json), whose short videos are generated on the spot."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.regions.scope import NATIONAL
from courses import catalogue, demo_video
from courses.final_tests import JUDGE_OPTIONS
from courses.models import Course, CourseQuestion, Lesson

DATA = Path(__file__).parent / "data"
LESSONS_PATH = DATA / "demo_lessons.json"
QUESTIONS_PATH = DATA / "demo_questions.json"
STAFF_COURSES_PATH = DATA / "demo_staff_courses.json"


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
