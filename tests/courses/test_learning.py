"""Learning time that is real (issue 14 item 3, issue 10 finding 16)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import Conflict, Forbidden
from core.regions.scope import RegionScope
from courses import catalogue, enrolments, learning
from tests.support.courses import T0, make_course, make_mp4, open_video, watch
from tests.support.web import csrf_from

NATIONAL = RegionScope()


def _video(session, course, seconds: float = 60, title: str = "视频"):
    return catalogue.add_lesson(
        session,
        scope=NATIONAL,
        course_id=course.id,
        title=title,
        video_name="v.mp4",
        video_bytes=make_mp4(seconds),
    )


def _text(session, course, title: str = "讲义", body: str = "排污许可制度……", **kw):
    return catalogue.add_lesson(
        session, scope=NATIONAL, course_id=course.id, title=title, body=body, **kw
    )


def _learner(session, make_user, course):
    user = make_user("staff", province="江苏省", city="苏州市")
    enrolments.enrol(session, course_id=course.id, user=user)
    return user


def _report(session, lesson, user, view, *, position, previous, played, now):
    return learning.report_video_progress(
        session,
        lesson_id=lesson.id,
        user=user,
        position=position,
        previous=previous,
        played=played,
        view=view,
        now=now,
    )


# ---- videos ----------------------------------------------------------------------------------


def test_a_video_counts_only_when_watched_to_the_end(session, make_user):
    course = make_course(session)
    lesson = _video(session, course)
    user = _learner(session, make_user, course)
    status, _ = watch(session, lesson, user, until=40)
    assert not status.completed and status.seen_share < 0.95
    status, _ = watch(session, lesson, user, until=60, begin=40, start=T0 + dt.timedelta(minutes=5))
    assert status.completed


def test_watching_at_double_speed_is_credited_by_the_content_covered(session, make_user):
    course = make_course(session)
    lesson = _video(session, course, 60)
    user = _learner(session, make_user, course)
    status, now = watch(session, lesson, user, until=60, speed=2.0)
    assert status.completed and status.watched_seconds == pytest.approx(60)
    assert now - T0 == dt.timedelta(seconds=30)


def test_watching_faster_than_double_speed_is_not_credited(session, make_user):
    course = make_course(session)
    lesson = _video(session, course, 60)
    user = _learner(session, make_user, course)
    status, _ = watch(session, lesson, user, until=60, speed=3.0)
    assert not status.completed and status.watched_seconds == 0


def test_the_rule_is_shown_to_the_learner(client, session, make_user, login):
    course = make_course(session)
    lesson = _video(session, course)
    user = _learner(session, make_user, course)
    login(user.username)
    page = client.get(f"/courses/lessons/{lesson.id}")
    assert "最高按 2 倍速计入" in page.text and 'id="video-rule"' in page.text
    assert "同一时间只计一个课时" in client.get(f"/courses/{course.id}").text


def test_skipping_ahead_does_not_complete_a_video(session, make_user):
    course = make_course(session)
    lesson = _video(session, course, 120)
    user = _learner(session, make_user, course)
    view = open_video(session, lesson, user)
    _, now = watch(session, lesson, user, until=10, view=view)
    # jump to the end and claim to have played the whole time
    status = _report(
        session,
        lesson,
        user,
        view,
        position=120,
        previous=10,
        played=110,
        now=now + dt.timedelta(seconds=2),
    )
    assert not status.completed and status.watched_seconds < 20


def test_reports_faster_than_real_time_are_not_credited(session, make_user):
    course = make_course(session)
    lesson = _video(session, course)
    user = _learner(session, make_user, course)
    view = open_video(session, lesson, user)
    now, position, status = T0, 0.0, None
    # a script posting 5-second stretches every 0.1 s of real time
    while position < 60:
        now += dt.timedelta(milliseconds=100)
        status = _report(
            session, lesson, user, view, position=position + 5, previous=position, played=5, now=now
        )
        position += 5
    assert not status.completed


def test_many_small_instant_reports_earn_no_watching_time(session, make_user):
    course = make_course(session)
    lesson = _video(session, course)
    user = _learner(session, make_user, course)
    view = open_video(session, lesson, user)
    now, position, status = T0, 0.0, None
    for _ in range(40):  # 2-second stretches posted every 10 ms: 80 s claimed in 0.4 s
        now += dt.timedelta(milliseconds=10)
        status = _report(
            session,
            lesson,
            user,
            view,
            position=min(position + 2, 60),
            previous=position,
            played=2,
            now=now,
        )
        position = min(position + 2, 60)
    assert status.watched_seconds < 4 and not status.completed


def test_reports_without_a_loaded_video_do_not_count(session, make_user):
    course = make_course(session)
    lesson = _video(session, course, 30)
    user = _learner(session, make_user, course)
    # the page was opened, but the video itself never fetched
    progress = learning.open_lesson(session, lesson_id=lesson.id, user=user, now=T0)
    now, position = T0, 0.0
    for _ in range(8):
        now += dt.timedelta(seconds=5)
        status = _report(
            session,
            lesson,
            user,
            progress.view_token,
            position=min(position + 5, 30),
            previous=position,
            played=5,
            now=now,
        )
        position = min(position + 5, 30)
    assert not status.counted and not status.completed and status.watched_seconds == 0
    assert "未在本页加载" in status.note
    # nor does a report without a view, or with a made-up one
    for view in (None, "0" * 32):
        status = _report(session, lesson, user, view, position=5, previous=0, played=5, now=now)
        assert not status.counted


def test_a_new_page_view_retires_the_old_views_token(session, make_user):
    course = make_course(session)
    lesson = _video(session, course, 30)
    user = _learner(session, make_user, course)
    first = open_video(session, lesson, user)
    open_video(session, lesson, user, now=T0 + dt.timedelta(seconds=1))
    status = _report(
        session,
        lesson,
        user,
        first,
        position=5,
        previous=0,
        played=5,
        now=T0 + dt.timedelta(seconds=6),
    )
    assert not status.counted


def test_two_videos_played_at_once_earn_nothing_together(session, make_user):
    """Issue 14: two muted tabs completed two lessons in the same 30 s."""
    course = make_course(session)
    a, b = _video(session, course, 30, "甲"), _video(session, course, 30, "乙")
    user = _learner(session, make_user, course)
    views = {a.id: open_video(session, a, user), b.id: open_video(session, b, user)}
    now, position = T0, 0.0
    statuses = {}
    while position < 30:
        for lesson in (a, b):
            now += dt.timedelta(seconds=2.5)
            statuses[lesson.id] = _report(
                session,
                lesson,
                user,
                views[lesson.id],
                position=position + 5,
                previous=position,
                played=5,
                now=now,
            )
        position += 5
    assert not statuses[a.id].completed and not statuses[b.id].completed
    assert "同一时间只计一个课时" in statuses[b.id].note
    # one at a time, each completes
    status, now = watch(session, a, user, until=30, start=now)
    assert status.completed
    status, _ = watch(session, b, user, until=30, start=now)
    assert status.completed


def test_progress_needs_an_enrolment(session, make_user):
    course = make_course(session)
    lesson = _video(session, course)
    user = make_user("staff", province="江苏省", city="苏州市")
    with pytest.raises(Forbidden):
        learning.report_video_progress(
            session, lesson_id=lesson.id, user=user, position=5, previous=0, played=5, view="x"
        )


# ---- text lessons ----------------------------------------------------------------------------


def test_a_text_lesson_needs_its_minimum_time(session, make_user):
    course = make_course(session)
    lesson = _text(session, course, body="排" * 400)
    assert learning.required_seconds(lesson) == 50  # 400 characters at 8 a second
    user = _learner(session, make_user, course)
    with pytest.raises(Conflict) as unopened:
        learning.complete_text_lesson(session, lesson_id=lesson.id, user=user, now=T0)
    assert "请先打开" in unopened.value.message
    learning.open_lesson(session, lesson_id=lesson.id, user=user, now=T0)
    with pytest.raises(Conflict) as early:
        learning.complete_text_lesson(
            session, lesson_id=lesson.id, user=user, now=T0 + dt.timedelta(seconds=1)
        )
    assert "至少需学习 50 秒" in early.value.message
    done = learning.complete_text_lesson(
        session, lesson_id=lesson.id, user=user, now=T0 + dt.timedelta(seconds=50)
    )
    assert done.completed_at is not None


def test_an_author_sets_a_text_lessons_minimum(session):
    course = make_course(session)
    assert learning.required_seconds(_text(session, course, min_seconds=300)) == 300
    assert learning.required_seconds(_text(session, course, body="短")) == learning.MIN_TEXT_SECONDS


def test_only_one_text_lesson_is_credited_at_a_time(session, make_user):
    course = make_course(session)
    a = _text(session, course, "第一讲", min_seconds=60)
    b = _text(session, course, "第二讲", min_seconds=60)
    user = _learner(session, make_user, course)
    learning.open_lesson(session, lesson_id=a.id, user=user, now=T0)
    learning.open_lesson(session, lesson_id=b.id, user=user, now=T0 + dt.timedelta(seconds=10))
    later = T0 + dt.timedelta(seconds=70)
    # the first tab stopped counting when the second was opened: 10 s, not 70 s
    with pytest.raises(Conflict) as paused:
        learning.complete_text_lesson(session, lesson_id=a.id, user=user, now=later)
    assert "已学习 10 秒" in paused.value.message
    learning.complete_text_lesson(session, lesson_id=b.id, user=user, now=later)
    # back on the first: its time resumes from where it stopped
    learning.open_lesson(session, lesson_id=a.id, user=user, now=later)
    done = learning.complete_text_lesson(
        session, lesson_id=a.id, user=user, now=later + dt.timedelta(seconds=50)
    )
    assert done.completed_at is not None


def test_posting_every_lessons_done_at_once_earns_no_certificate(client, session, make_user, login):
    """Issue 10 finding 16: a 1-credit certificate issued within a second."""
    course = make_course(session, credits=1)
    lessons = [_text(session, course, f"第{i}讲", body="排污许可" * 60) for i in range(1, 4)]
    user = make_user("staff", province="江苏省", city="苏州市")
    login(user.username)
    page = client.get(f"/courses/{course.id}")
    token = csrf_from(page.text)
    client.post(f"/courses/{course.id}/enrol", data={"csrf_token": token, "person_name": "赵敏"})
    for lesson in lessons:
        client.get(f"/courses/lessons/{lesson.id}")
        refused = client.post(f"/courses/lessons/{lesson.id}/done", data={"csrf_token": token})
        assert refused.status_code == 409 and "至少需学习" in refused.text
    enrolment = enrolments.find_enrolment(session, course_id=course.id, user=user)
    assert enrolment.completed_on is None and enrolment.certificate_code is None


def test_the_lesson_page_counts_down_the_minimum(client, session, make_user, login):
    course = make_course(session)
    lesson = _text(session, course, min_seconds=120)
    user = _learner(session, make_user, course)
    login(user.username)
    page = client.get(f"/courses/lessons/{lesson.id}")
    assert 'data-remaining="120"' in page.text and "至少需学习 120 秒" in page.text
    assert "/static/courses-reading.js" in page.text


def test_a_page_video_counts_once_the_video_was_fetched(client, session, make_user, login):
    course = make_course(session)
    lesson = _video(session, course, 10)
    user = _learner(session, make_user, course)
    login(user.username)
    page = client.get(f"/courses/lessons/{lesson.id}")
    view = page.text.split('data-view="')[1].split('"')[0]
    headers = {"X-CSRF-Token": csrf_from(page.text)}
    body = {"position": 0, "previous": 0, "played": 0, "view": view}
    url = f"/courses/lessons/{lesson.id}/progress"
    assert client.post(url, json=body, headers=headers).json()["counted"] is False
    assert client.get(f"/courses/lessons/{lesson.id}/video?v={view}").status_code == 200
    assert client.post(url, json=body, headers=headers).json()["counted"] is True
