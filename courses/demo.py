"""Demo lessons for ``permithub demo``: data/demo_lessons.json for the demo courses."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from courses.final_tests import JUDGE_OPTIONS
from courses.models import Course, CourseQuestion, Lesson

LESSONS_PATH = Path(__file__).parent / "data" / "demo_lessons.json"
QUESTIONS_PATH = Path(__file__).parent / "data" / "demo_questions.json"


def load_demo_courses(session: Session) -> str:
    """Add the demo lessons, and the final tests with their own question pools."""
    catalogue = json.loads(LESSONS_PATH.read_text(encoding="utf-8"))
    tests = json.loads(QUESTIONS_PATH.read_text(encoding="utf-8"))
    added = 0
    for code, entry in catalogue.items():
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
    return f"已为演示课程添加课时 {added} 个。" if added else ""
