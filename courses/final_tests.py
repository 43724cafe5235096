"""Final tests worth passing: each course's own question pool, a pass mark, a limited number of
attempts with a wait between them, questions drawn without repeats, opened only after the
lessons, scored from what the server recorded.

An attempt freezes the questions it drew (stem, options and key), so editing the pool never
changes a started try; a retake prefers questions the learner has not seen yet.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.db import get_or_404, utcnow
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.regions.scope import RegionScope
from core.times import BEIJING
from courses import catalogue, enrolments
from courses.models import Course, CourseQuestion, CourseTestAttempt, Enrolment, QuestionKind

LETTERS = "ABCDEFGH"
JUDGE_OPTIONS = ["正确", "错误"]
MAX_OPTIONS = len(LETTERS)


# ---- the pool ----------------------------------------------------------------------------------


def _check_question(kind: str, stem: str, options: list[str], answer: str) -> list[str]:
    problems = []
    if kind not in {k.value for k in QuestionKind}:
        problems.append("题型应为单选、多选或判断")
    if not stem or len(stem) > 2000:
        problems.append("题干不能为空且不超过2000字")
    if kind != QuestionKind.JUDGE and not 2 <= len(options) <= MAX_OPTIONS:
        problems.append(f"选项应为 2 到 {MAX_OPTIONS} 个（每行一个）")
    if any(not o or len(o) > 500 for o in options):
        problems.append("选项不能为空且每个不超过500字")
    letters = LETTERS[: len(options)]
    if not answer or any(c not in letters for c in answer) or len(set(answer)) != len(answer):
        problems.append(f"答案应为选项字母（{letters}）")
    elif kind != QuestionKind.MULTIPLE and len(answer) != 1:
        problems.append("单选题和判断题只有一个答案")
    elif kind == QuestionKind.MULTIPLE and len(answer) < 2:
        problems.append("多选题至少有两个正确选项")
    return problems


def add_question(
    session: Session,
    *,
    scope: RegionScope,
    course_id: int,
    kind: str,
    stem: str,
    options: list[str],
    answer: str,
) -> CourseQuestion:
    """Add a question to the course's pool (national admins, like the catalogue)."""
    if not scope.is_national:
        raise Forbidden("课程目录全国统一，结业测试题由部级管理员维护")
    course = catalogue.get_course(session, course_id)
    stem, kind = stem.strip(), kind.strip()
    options = (
        JUDGE_OPTIONS if kind == QuestionKind.JUDGE else [o.strip() for o in options if o.strip()]
    )
    answer = "".join(sorted(answer.strip().upper().replace(",", "").replace(" ", "")))
    if kind == QuestionKind.JUDGE and answer in ("正确", "对", "√"):
        answer = "A"
    problems = _check_question(kind, stem, options, answer)
    if problems:
        raise Invalid("试题有误：" + "；".join(problems), details=problems)
    question = CourseQuestion(kind=kind, stem=stem, options=list(options), answer=answer)
    course.questions.append(question)
    session.commit()
    return question


def remove_question(session: Session, *, scope: RegionScope, question_id: int) -> None:
    """Take a question out of the pool; attempts keep their frozen copy."""
    if not scope.is_national:
        raise Forbidden("课程目录全国统一，结业测试题由部级管理员维护")
    session.delete(get_or_404(session, CourseQuestion, question_id, "试题不存在"))
    session.commit()


def pool(session: Session, course: Course) -> list[CourseQuestion]:
    """The questions a test of the course may draw."""
    return list(
        session.scalars(
            select(CourseQuestion)
            .where(CourseQuestion.course_id == course.id, CourseQuestion.retired.is_(False))
            .order_by(CourseQuestion.id)
        )
    )


# ---- where a learner stands ------------------------------------------------------------------


@dataclass
class AttemptState:
    """A learner's final test: tries used and left, the open try, when the next may start."""

    course: Course
    attempts: list[CourseTestAttempt]
    now: dt.datetime

    @property
    def submitted(self) -> list[CourseTestAttempt]:
        return [a for a in self.attempts if a.submitted_at is not None]

    @property
    def last(self) -> CourseTestAttempt | None:
        return self.submitted[-1] if self.submitted else None

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.submitted)

    @property
    def open_attempt(self) -> CourseTestAttempt | None:
        return next((a for a in self.attempts if a.submitted_at is None), None)

    @property
    def used(self) -> int:
        return len(self.attempts)

    @property
    def left(self) -> int:
        return max(self.course.max_attempts - self.used, 0)

    @property
    def next_allowed_at(self) -> dt.datetime | None:
        """When a retake may start, if the learner must still wait."""
        if self.last is None or self.passed:
            return None
        ready = _aware(self.last.submitted_at) + dt.timedelta(
            minutes=self.course.retry_wait_minutes
        )
        return ready if ready > self.now else None


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def attempt_state(
    session: Session, *, course: Course, enrolment: Enrolment, now: dt.datetime | None = None
) -> AttemptState:
    """The learner's tries at the course's final test, oldest first."""
    attempts = session.scalars(
        select(CourseTestAttempt)
        .where(
            CourseTestAttempt.enrolment_id == enrolment.id,
            # tries drawn from the old shared bank have no frozen questions: they do not count
            CourseTestAttempt.questions.is_not(None),
        )
        .order_by(CourseTestAttempt.id)
    ).all()
    return AttemptState(course, list(attempts), now or utcnow())


# ---- taking the test ---------------------------------------------------------------------------


@dataclass
class DrawnQuestion:
    id: int
    stem: str
    kind: str
    options: list[tuple[str, str]]  # (letter, text)


def start_test(
    session: Session, *, course_id: int, user: User, now: dt.datetime | None = None
) -> tuple[CourseTestAttempt, list[DrawnQuestion]]:
    """Draw a try at the final test, or return the open one; refused until the lessons are done,
    after a pass, once the tries are used up, or while the learner must wait."""
    course = catalogue.get_course(session, course_id)
    if not course.has_test:
        raise Invalid("本课程没有结业测试")
    enrolment = enrolments.find_enrolment(session, course_id=course.id, user=user)
    if enrolment is None:
        raise Forbidden("请先报名参加本课程")
    if not enrolments.lessons_done(session, enrolment):
        raise Conflict("请先完成全部必修课时，再参加结业测试")
    state = attempt_state(session, course=course, enrolment=enrolment, now=now)
    if state.open_attempt is not None:
        return state.open_attempt, _drawn(state.open_attempt)
    if state.passed:
        raise Conflict("您已通过本课程的结业测试")
    if state.left == 0:
        raise Conflict(f"结业测试 {course.max_attempts} 次机会已用完，请联系主管部门")
    if (ready := state.next_allowed_at) is not None:
        raise Conflict(
            f"上次测试未通过，请于 {ready.astimezone(BEIJING):%Y-%m-%d %H:%M}（北京时间）后再参加"
        )
    questions = _draw(pool(session, course), course.test_question_count, state.attempts)
    attempt = CourseTestAttempt(
        enrolment_id=enrolment.id,
        question_ids=[q.id for q in questions],
        questions=[
            {"id": q.id, "kind": q.kind, "stem": q.stem, "options": q.options, "answer": q.answer}
            for q in questions
        ],
        started_at=now or utcnow(),
    )
    session.add(attempt)
    session.commit()
    return attempt, _drawn(attempt)


def _draw(
    questions: list[CourseQuestion], count: int, earlier: list[CourseTestAttempt]
) -> list[CourseQuestion]:
    """``count`` different questions, unseen ones first, in random order."""
    if len(questions) < count:
        raise Conflict(
            f"本课程结业测试需 {count} 道题，题库只有 {len(questions)} 道，请联系管理员补充试题"
        )
    seen = {qid for a in earlier for qid in a.question_ids}
    rng = secrets.SystemRandom()
    fresh = [q for q in questions if q.id not in seen]
    old = [q for q in questions if q.id in seen]
    rng.shuffle(fresh)
    rng.shuffle(old)
    drawn = (fresh + old)[:count]
    rng.shuffle(drawn)
    return drawn


def _drawn(attempt: CourseTestAttempt) -> list[DrawnQuestion]:
    out = []
    for q in attempt.questions or []:
        options = q["options"] or JUDGE_OPTIONS
        out.append(
            DrawnQuestion(q["id"], q["stem"], q["kind"], list(zip(LETTERS, options, strict=False)))
        )
    return out


def _own_attempt(session: Session, attempt_id: int, user: User) -> CourseTestAttempt:
    attempt = session.get(CourseTestAttempt, attempt_id)
    enrolment = session.get(Enrolment, attempt.enrolment_id) if attempt else None
    if (
        attempt is None
        or attempt.questions is None
        or enrolment is None
        or enrolment.user_id != user.id
    ):
        raise NotFound("测试不存在")
    return attempt


def attempt_questions(
    session: Session, *, attempt_id: int, user: User
) -> tuple[CourseTestAttempt, list[DrawnQuestion]]:
    """A try and its questions, in the drawn order (without their keys)."""
    attempt = _own_attempt(session, attempt_id, user)
    return attempt, _drawn(attempt)


def course_of_attempt(session: Session, attempt: CourseTestAttempt) -> Course:
    """The course a test attempt belongs to."""
    enrolment = session.get(Enrolment, attempt.enrolment_id)
    return session.get(Course, enrolment.course_id)


def submit_test(
    session: Session,
    *,
    attempt_id: int,
    user: User,
    answers: dict[int, str],
    now: dt.datetime | None = None,
) -> CourseTestAttempt:
    """Score a try against its frozen keys; a pass at the course's mark may complete the course."""
    attempt = _own_attempt(session, attempt_id, user)
    if attempt.submitted_at is not None:
        raise Conflict("该测试已提交")
    given = {qid: "".join(sorted(set((text or "").upper()))) for qid, text in answers.items()}
    correct = sum(1 for q in attempt.questions if given.get(q["id"]) == q["answer"])
    enrolment = session.get(Enrolment, attempt.enrolment_id)
    course = session.get(Course, enrolment.course_id)
    attempt.answers = {str(qid): text for qid, text in given.items()}
    attempt.score = round(100 * correct / max(len(attempt.questions), 1), 1)
    attempt.passed = attempt.score >= course.pass_mark
    attempt.submitted_at = now or utcnow()
    if attempt.passed:
        enrolment.test_score = attempt.score
        enrolment.test_passed_at = attempt.submitted_at
    session.commit()
    enrolments.check_completion(session, enrolment)
    return attempt
