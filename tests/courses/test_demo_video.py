"""The demo's lesson videos are made on the spot and play in a real browser."""

from __future__ import annotations

import pytest

from core.accounts import service as account_service
from core.regions.scope import RegionScope
from courses import catalogue, demo_video
from tests.support.web import ARTIFACTS, browser_login

SLIDES = [("排污许可", ["第一页"]), ("执行报告", ["第二页", "按时提交"])]


def test_the_generated_video_is_an_mp4_of_the_slides_length():
    data = demo_video.lesson_video(SLIDES, seconds_per_slide=3)
    assert data[4:8] == b"ftyp" and b"avcC" in data and b"mdat" in data
    assert catalogue.mp4_duration(data) == pytest.approx(6)
    # one uncompressed picture per slide, the rest are repeats of a few bytes
    assert len(data) < 2 * (demo_video.WIDTH * demo_video.HEIGHT * 3 // 2) + 10_000


@pytest.mark.browser
@pytest.mark.slow
def test_the_generated_video_plays_to_the_end_in_chromium(live_server, browser_page):
    with live_server.session_factory() as session:
        course = catalogue.create_course(
            session,
            scope=RegionScope(),
            code="AP-V1",
            title="平台操作（短视频）",
            audience="审批人员",
            kind="选修",
        )
        catalogue.add_lesson(
            session,
            scope=RegionScope(),
            course_id=course.id,
            title="演示视频",
            video_name="demo.mp4",
            video_bytes=demo_video.lesson_video(SLIDES, seconds_per_slide=2),
        )
        account_service.create_user(
            session,
            username="viewer",
            password="viewer-pass-1",
            role="staff",
            province="江苏省",
            city="苏州市",
            staff_kind="审批人员",
        )
        course_id = course.id
    page = browser_page
    browser_login(page, live_server.url, "viewer", "viewer-pass-1")
    page.goto(f"{live_server.url}/courses/{course_id}")
    page.click("button:has-text('报名')")
    page.click("#lessons >> text=演示视频")
    page.wait_for_selector("#lesson-video")
    width = page.evaluate(
        "() => new Promise(r => { const v = document.getElementById('lesson-video');"
        " if (v.readyState >= 1) r(v.videoWidth);"
        " else v.onloadedmetadata = () => r(v.videoWidth); })"
    )
    assert width == demo_video.WIDTH
    page.evaluate(
        "() => { const v = document.getElementById('lesson-video'); v.muted = true; v.play(); }"
    )
    page.wait_for_function(
        "() => document.getElementById('video-status').textContent.includes('课程已结业')",
        timeout=20_000,
    )
    page.screenshot(path=str(ARTIFACTS / "demo-video-completed.png"), full_page=True)
