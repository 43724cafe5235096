"""Learning time that is real: text lessons need a minimum time, videos are credited by the
content covered at up to 2× speed, and a learner's time counts for one lesson at a time.

Every lesson view takes the learner's clock (``LearningClock``): wall time is credited only to
the lesson holding it. A text lesson earns the time it held the clock (credited when another
lesson takes it or when the learner marks it done); a video earns the stretch of content played
between two reports, at most twice the wall time since the later of its last report and the
moment it took the clock. Two tabs playing two videos therefore earn nothing while both run.

A video's reports count only once the video file was fetched for the same page view (a token
issued by ``open_lesson`` and presented by the player and the video request), so a script
posting positions without loading the video earns nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.accounts.models import User
from core.db import utcnow
from core.errors import Conflict, Invalid
from courses import catalogue, enrolments
from courses.models import LearningClock, Lesson, LessonKind, LessonProgress

# reading time of a text lesson when its author set none: a brisk reader, within limits
TEXT_CHARS_PER_SECOND = 8
MIN_TEXT_SECONDS = 20
MAX_TEXT_SECONDS = 900
# one stretch on a text lesson earns at most this (a forgotten tab is not study)
MAX_TEXT_STRETCH_SECONDS = 2 * 3600
# videos: credited at normal speeds up to this factor of wall time
MAX_SPEED = 2.0
# completion needs nearly every slot seen and nearly the whole content played
MIN_SLOT_SHARE = 0.95
MIN_WATCH_SHARE = 0.9
# slack for network delay between two progress reports
REPORT_SLACK_SECONDS = 3.0
SLOT_SECONDS = enrolments.SLOT_SECONDS

VIDEO_RULE = (
    "视频按实际播放的内容计入学习进度，倍速播放最高按 2 倍速计入；拖动跳过的部分不计入；"
    "同一时间只计一个课时的学习时间。"
)


def required_seconds(lesson: Lesson) -> int:
    """The least time a text lesson must be studied (its own setting, or from its length)."""
    if lesson.min_seconds is not None:
        return lesson.min_seconds
    by_length = math.ceil(len(lesson.body or "") / TEXT_CHARS_PER_SECOND)
    return max(MIN_TEXT_SECONDS, min(MAX_TEXT_SECONDS, by_length))


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _seconds(later: dt.datetime, earlier: dt.datetime) -> float:
    return max((_aware(later) - _aware(earlier)).total_seconds(), 0.0)


# ---- the learner's clock ---------------------------------------------------------------------


def _clock(session: Session, user: User) -> LearningClock | None:
    return session.get(LearningClock, user.id)


def _take_clock(session: Session, user: User, lesson: Lesson, now: dt.datetime) -> bool:
    """Give the learner's clock to ``lesson``; True when another lesson held it."""
    clock = _clock(session, user)
    if clock is None:
        session.add(LearningClock(user_id=user.id, lesson_id=lesson.id, since=now))
        session.flush()
        return False
    if clock.lesson_id == lesson.id:
        return False
    _credit_text_holder(session, user, clock, now)
    clock.lesson_id, clock.since = lesson.id, now
    return True


def _credit_text_holder(
    session: Session, user: User, clock: LearningClock, now: dt.datetime
) -> None:
    """Credit the text lesson holding the clock with its stretch up to ``now``."""
    holder = session.get(Lesson, clock.lesson_id) if clock.lesson_id else None
    if holder is None or holder.kind != LessonKind.TEXT.value:
        return
    enrolment = enrolments.find_enrolment(session, course_id=holder.course_id, user=user)
    if enrolment is None:
        return
    progress = enrolments.progress_row(session, enrolment, holder)
    progress.watched_seconds += min(_seconds(now, clock.since), MAX_TEXT_STRETCH_SECONDS)
    clock.since = now


def open_lesson(
    session: Session, *, lesson_id: int, user: User, now: dt.datetime | None = None
) -> LessonProgress:
    """The learner opens a lesson: it takes their clock and gets a fresh view token."""
    lesson = catalogue.get_lesson(session, lesson_id)
    enrolment = enrolments.enrolment_for_lesson(session, lesson, user)
    progress = enrolments.progress_row(session, enrolment, lesson)
    now = now or utcnow()
    _take_clock(session, user, lesson, now)
    progress.view_token = secrets.token_hex(16)
    session.commit()
    return progress


def studied_seconds(
    session: Session, *, progress: LessonProgress, user: User, now: dt.datetime | None = None
) -> float:
    """Time credited to a text lesson so far, counting the current stretch if it holds the clock."""
    clock = _clock(session, user)
    extra = 0.0
    if clock is not None and clock.lesson_id == progress.lesson_id:
        extra = min(_seconds(now or utcnow(), clock.since), MAX_TEXT_STRETCH_SECONDS)
    return progress.watched_seconds + extra


# ---- text lessons ----------------------------------------------------------------------------


def complete_text_lesson(
    session: Session, *, lesson_id: int, user: User, now: dt.datetime | None = None
) -> LessonProgress:
    """Mark a text lesson as read, once it has been studied for its minimum time."""
    lesson = catalogue.get_lesson(session, lesson_id)
    if lesson.kind != LessonKind.TEXT.value:
        raise Invalid("视频课时需完整观看，不能直接标记为完成")
    enrolment = enrolments.enrolment_for_lesson(session, lesson, user)
    progress = enrolments.progress_row(session, enrolment, lesson)
    if progress.completed_at is not None:
        return progress
    if progress.view_token is None:
        raise Conflict("请先打开本课时学习")
    now = now or utcnow()
    clock = _clock(session, user)
    if clock is not None and clock.lesson_id == lesson.id:
        _credit_text_holder(session, user, clock, now)
    need = required_seconds(lesson)
    if progress.watched_seconds < need:
        session.commit()  # keep the time credited so far
        raise Conflict(
            f"本课时至少需学习 {need} 秒，已学习 {int(progress.watched_seconds)} 秒"
            "（同一时间只计一个课时），请继续学习后再标记完成"
        )
    progress.completed_at = now
    session.commit()
    enrolments.check_completion(session, enrolment)
    return progress


# ---- videos ----------------------------------------------------------------------------------


def mark_video_loaded(session: Session, *, lesson: Lesson, user: User, view: str | None) -> None:
    """The video file was fetched for this page view: its progress reports may now count."""
    if not view:
        return
    enrolment = enrolments.find_enrolment(session, course_id=lesson.course_id, user=user)
    if enrolment is None:
        return
    progress = enrolments.progress_by_lesson(session, enrolment).get(lesson.id)
    if progress is not None and progress.view_token == view and progress.loaded_token != view:
        progress.loaded_token = view
        session.commit()


@dataclass
class VideoStatus:
    """What the player is told after a progress report."""

    watched_seconds: float
    seen_share: float
    completed: bool
    course_completed: bool
    counted: bool = True
    note: str = ""


def report_video_progress(
    session: Session,
    *,
    lesson_id: int,
    user: User,
    position: float,
    previous: float,
    played: float,
    view: str | None = None,
    now: dt.datetime | None = None,
) -> VideoStatus:
    """Record a playback report: the player went from ``previous`` to ``position`` seconds,
    having played ``played`` seconds of media since its last report, in page view ``view``.

    A forward stretch no longer than what was played, nor than twice the wall time the lesson
    held the learner's clock, is credited and its slots marked seen; a jump ahead marks nothing.
    """
    lesson = catalogue.get_lesson(session, lesson_id)
    if lesson.kind != LessonKind.VIDEO.value or not lesson.video_seconds:
        raise Invalid("该课时不是视频")
    enrolment = enrolments.enrolment_for_lesson(session, lesson, user)
    progress = enrolments.progress_row(session, enrolment, lesson)
    duration = lesson.video_seconds
    if not (
        0 <= previous <= duration + 1 and 0 <= position <= duration + 1 and 0 <= played <= 3600
    ):
        raise Invalid("播放进度数据无效")
    now = now or utcnow()
    if not view or view != progress.view_token or progress.loaded_token != view:
        return _status(progress, False, False, "视频未在本页加载，本次进度不计入")
    clock = _clock(session, user)
    holds = clock is not None and clock.lesson_id == lesson.id
    note = ""
    if holds:
        start = clock.since
        if progress.last_report_at is not None and _aware(progress.last_report_at) > _aware(start):
            start = progress.last_report_at
        wall = _seconds(now, start)
    else:
        # the clock was elsewhere: this report only starts it, the time before is not ours
        if _take_clock(session, user, lesson, now):
            note = "同一时间只计一个课时：其他课时的学习时间不计入本视频"
        wall = 0.0
    _credit_stretch(progress, duration, previous, position, played, wall)
    progress.last_position = position
    progress.last_report_at = now
    if (
        progress.completed_at is None
        and _seen_share(progress) >= MIN_SLOT_SHARE
        and progress.watched_seconds >= duration * MIN_WATCH_SHARE
    ):
        progress.completed_at = now
    session.commit()
    course_done = (
        enrolments.check_completion(session, enrolment) if progress.completed_at else False
    )
    return _status(progress, True, course_done, note)


def _credit_stretch(
    progress: LessonProgress,
    duration: float,
    previous: float,
    position: float,
    played: float,
    wall: float,
) -> None:
    advance = position - previous
    slots = list(progress.slots or "0" * math.ceil(duration / SLOT_SECONDS))
    limit = min(played + 1.0, MAX_SPEED * wall + REPORT_SLACK_SECONDS)
    if not 0 < advance <= limit:
        return
    first = int(previous // SLOT_SECONDS)
    last_slot = min(int(math.ceil(position / SLOT_SECONDS)), len(slots))
    for i in range(first, last_slot):
        # a slot counts once the stretch covers most of it
        covered = min(position, (i + 1) * SLOT_SECONDS) - max(previous, i * SLOT_SECONDS)
        if covered >= min(SLOT_SECONDS, duration - i * SLOT_SECONDS) * 0.5:
            slots[i] = "1"
    progress.slots = "".join(slots)
    # content covered, at most twice the wall time: the slack above lets a late report's slots
    # count but earns no time, so many tiny reports add up to nothing; never more than twice
    # the video (replays are no extra credit)
    credit = min(advance, MAX_SPEED * wall)
    progress.watched_seconds = min(progress.watched_seconds + credit, duration * 2)


def _seen_share(progress: LessonProgress) -> float:
    slots = progress.slots or ""
    return slots.count("1") / max(len(slots), 1)


def _status(progress: LessonProgress, counted: bool, course_done: bool, note: str) -> VideoStatus:
    return VideoStatus(
        progress.watched_seconds,
        _seen_share(progress),
        progress.completed_at is not None,
        course_done,
        counted,
        note,
    )
