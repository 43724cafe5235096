"""Demo lessons for ``permithub demo``: data/demo_lessons.json for the demo courses."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courses.models import Course, Lesson

LESSONS_PATH = Path(__file__).parent / "data" / "demo_lessons.json"
DEMO_TEST_COURSE = "LR-2024"  # gets a final test when the question bank has questions


def load_demo_courses(session: Session) -> str:
    """Add the demo lessons (and a final test where the bank has questions) to the demo courses."""
    catalogue = json.loads(LESSONS_PATH.read_text(encoding="utf-8"))
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
        if code == DEMO_TEST_COURSE and _published_questions(session) >= 5:
            course.test_question_count, course.pass_mark = 5, 60
    session.commit()
    return f"已为演示课程添加课时 {added} 个。" if added else ""


def _published_questions(session: Session) -> int:
    from quiz.models import Question, QuestionStatus

    return (
        session.scalar(
            select(func.count(Question.id)).where(Question.status == QuestionStatus.PUBLISHED.value)
        )
        or 0
    )
