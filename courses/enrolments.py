"""Enrolment and progress: enrolling for a year, lesson progress rows, and completing an
enrolment (with a certificate and a training record) once its rule is met.

Learning time and video progress are in ``courses.learning``, the final test in
``courses.final_tests``; both complete an enrolment through ``check_completion`` here.
"""

from __future__ import annotations

import datetime as dt
import logging
import math

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.errors import Conflict, Forbidden, Invalid
from courses import evidence
from courses.catalogue import get_course
from courses.certificates import new_certificate_code
from courses.models import (
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
)

logger = logging.getLogger(__name__)

# a video is split into slots; each must be seen, so skipping ahead does not count
SLOT_SECONDS = 5.0


# ---- enrolment and progress ------------------------------------------------------------------


def enrolment_year(course: Course, today: dt.date | None = None) -> int:
    """The year an enrolment made now belongs to: the course's, or this year for a course
    offered every year."""
    return course.year or (today or dt.date.today()).year


def enrol(
    session: Session,
    *,
    course_id: int,
    user: User,
    person_name: str | None = None,
    today: dt.date | None = None,
) -> Enrolment:
    """Enrol the user for the year (idempotent within it); ``person_name`` is the real name
    printed on the certificate. A course offered every year is taken afresh each year."""
    course = get_course(session, course_id)
    if course.retired:
        raise Conflict("该课程已停用，不再接受报名")
    year = enrolment_year(course, today)
    existing = find_enrolment(session, course_id=course.id, user=user, year=year)
    if existing is not None:
        return existing
    name = (person_name or user.display_name or user.username).strip()
    if not name or len(name) > 64:
        raise Invalid("请填写学员姓名（不超过64字）")
    enrolment = Enrolment(course_id=course.id, user_id=user.id, person_name=name, year=year)
    session.add(enrolment)
    session.commit()
    return enrolment


def find_enrolment(
    session: Session, *, course_id: int, user: User, year: int | None = None
) -> Enrolment | None:
    """The user's enrolment in the course for ``year`` (default: the current one), if any."""
    if year is None:
        course = session.get(Course, course_id)
        if course is None:
            return None
        year = enrolment_year(course)
    return session.scalar(
        select(Enrolment).where(
            Enrolment.course_id == course_id,
            Enrolment.user_id == user.id,
            Enrolment.year == year,
        )
    )


def user_enrolments(session: Session, *, user: User) -> list[Enrolment]:
    """All of the user's enrolments."""
    return list(session.scalars(select(Enrolment).where(Enrolment.user_id == user.id)))


def enrolment_for_lesson(session: Session, lesson: Lesson, user: User) -> Enrolment:
    enrolment = find_enrolment(session, course_id=lesson.course_id, user=user)
    if enrolment is None:
        raise Forbidden("请先报名参加本课程")
    return enrolment


def progress_row(session: Session, enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    """The learner's progress row for a lesson, created on first use."""
    progress = session.scalar(
        select(LessonProgress).where(
            LessonProgress.enrolment_id == enrolment.id, LessonProgress.lesson_id == lesson.id
        )
    )
    if progress is None:
        slots = math.ceil((lesson.video_seconds or 0) / SLOT_SECONDS)
        progress = LessonProgress(
            enrolment_id=enrolment.id,
            lesson_id=lesson.id,
            slots="0" * slots,
            watched_seconds=0.0,
            last_position=0.0,
        )
        session.add(progress)
        session.flush()
    return progress


def progress_by_lesson(session: Session, enrolment: Enrolment) -> dict[int, LessonProgress]:
    """The enrolment's progress rows, by lesson id."""
    rows = session.scalars(
        select(LessonProgress).where(LessonProgress.enrolment_id == enrolment.id)
    )
    return {p.lesson_id: p for p in rows}


# ---- completion and certificates --------------------------------------------------------------


def lessons_done(session: Session, enrolment: Enrolment) -> bool:
    """Every required lesson of the course is completed."""
    required = session.scalars(
        select(Lesson.id).where(
            Lesson.course_id == enrolment.course_id,
            Lesson.required.is_(True),
            Lesson.retired.is_(False),
        )
    ).all()
    done = set(
        session.scalars(
            select(LessonProgress.lesson_id).where(
                LessonProgress.enrolment_id == enrolment.id,
                LessonProgress.completed_at.is_not(None),
            )
        )
    )
    return set(required) <= done


def check_completion(session: Session, enrolment: Enrolment, today: dt.date | None = None) -> bool:
    """Complete the enrolment when the rule is met: all required lessons, and the test if any."""
    if enrolment.completed_on is not None:
        return True
    course = session.get(Course, enrolment.course_id)
    has_lessons = session.scalar(
        select(func.count(Lesson.id)).where(
            Lesson.course_id == course.id, Lesson.retired.is_(False)
        )
    )
    if not has_lessons and not course.has_test:
        return False
    if not lessons_done(session, enrolment):
        return False
    if course.has_test and enrolment.test_passed_at is None:
        return False
    complete_enrolment(session, enrolment, on=today or dt.date.today())
    session.commit()
    return True


def complete_enrolment(session: Session, enrolment: Enrolment, *, on: dt.date) -> None:
    """Mark the enrolment completed on ``on`` with a certificate, and record the training
    (or the claim to verify); the caller commits."""
    course = session.get(Course, enrolment.course_id)
    enrolment.completed_on = on
    enrolment.certificate_code = new_certificate_code(session)
    _record_training(session, enrolment, course)
    logger.info("enrolment %s completed course %s", enrolment.id, course.code)


def _record_training(session: Session, enrolment: Enrolment, course: Course) -> None:
    """A completion by someone of a unit becomes a training record, or a claim to verify."""
    user = session.get(User, enrolment.user_id)
    if user is not None:
        evidence.online_completion(session, user=user, enrolment=enrolment, course=course)
