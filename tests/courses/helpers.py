"""Learners as the tests drive them: reading for the required time, watching in real time."""

from __future__ import annotations

import datetime as dt

from courses import learning

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def open_video(session, lesson, user, *, now=T0) -> str:
    """Open the lesson page and fetch its video, as the browser does; the view token."""
    progress = learning.open_lesson(session, lesson_id=lesson.id, user=user, now=now)
    learning.mark_video_loaded(session, lesson=lesson, user=user, view=progress.view_token)
    return progress.view_token


def study(session, lesson, user, *, start=T0):
    """Open a text lesson and mark it done once its minimum time has passed."""
    learning.open_lesson(session, lesson_id=lesson.id, user=user, now=start)
    done_at = start + dt.timedelta(seconds=learning.required_seconds(lesson))
    progress = learning.complete_text_lesson(session, lesson_id=lesson.id, user=user, now=done_at)
    return progress, done_at


def watch(
    session,
    lesson,
    user,
    *,
    until: float,
    step: float = 5.0,
    start=T0,
    begin: float = 0.0,
    speed: float = 1.0,
    view: str | None = None,
):
    """Play from ``begin`` to ``until`` at ``speed``, reporting every ``step`` seconds of wall
    time, in a freshly opened page (or the page view ``view``)."""
    view = view or open_video(session, lesson, user, now=start)
    now, position = start, begin
    status = learning.report_video_progress(
        session,
        lesson_id=lesson.id,
        user=user,
        position=position,
        previous=position,
        played=0,
        view=view,
        now=now,
    )
    while position < until:
        nxt = min(position + step * speed, until)
        now += dt.timedelta(seconds=(nxt - position) / speed)
        status = learning.report_video_progress(
            session,
            lesson_id=lesson.id,
            user=user,
            position=nxt,
            previous=position,
            played=nxt - position,
            view=view,
            now=now,
        )
        position = nxt
    return status, now
