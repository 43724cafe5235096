"""Headless Chromium: a legal representative watches a course video to the end; the unit is
covered once a bureau verifies the account."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from sqlalchemy import select

from core.accounts import service as account_service
from core.enterprises.models import Enterprise
from core.regions.scope import RegionScope
from courses import catalogue, coverage, evidence
from courses.models import TrainingRecord
from tests.support.web import ARTIFACTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Record a short real WebM in the browser itself (canvas + MediaRecorder): no video tools needed.
RECORD_WEBM = """
async (seconds) => {
  const canvas = document.createElement('canvas');
  canvas.width = 160; canvas.height = 120;
  const ctx = canvas.getContext('2d');
  const stream = canvas.captureStream(25);
  const recorder = new MediaRecorder(stream, {mimeType: 'video/webm;codecs=vp8'});
  const chunks = [];
  recorder.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
  let frame = 0;
  const timer = setInterval(() => {
    ctx.fillStyle = `hsl(${(frame * 12) % 360}, 80%, 50%)`;
    ctx.fillRect(0, 0, 160, 120);
    frame++;
  }, 40);
  recorder.start(200);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const stopped = new Promise((r) => { recorder.onstop = r; });
  recorder.stop();
  await stopped;
  clearInterval(timer);
  const blob = new Blob(chunks, {type: 'video/webm'});
  // recorded WebM has no duration header: seek far to make the browser measure it
  const probe = document.createElement('video');
  probe.muted = true;
  probe.src = URL.createObjectURL(blob);
  await new Promise((r) => { probe.onloadedmetadata = r; });
  if (!isFinite(probe.duration)) {
    await new Promise((r) => { probe.ondurationchange = r; probe.currentTime = 1e101; });
  }
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return {data: btoa(text), seconds: probe.duration};
}
"""


def test_legal_representative_watches_the_video_to_the_end_and_waits_for_verification(
    live_server, browser_page
):
    page = browser_page
    page.goto(f"{live_server.url}/login")
    recorded = page.evaluate(RECORD_WEBM, 3)
    webm, seconds = base64.b64decode(recorded["data"]), recorded["seconds"]
    assert 1 < seconds < 10
    assert webm[:4] == b"\x1a\x45\xdf\xa3"  # EBML header: a real WebM file

    with live_server.session_factory() as session:
        unit = Enterprise(
            credit_code="91320500MA1TEXT01T",
            name="苏州测试化工有限公司",
            province="江苏省",
            city="苏州市",
            division_code="320500",
            industry="化工",
            management_category="重点管理",
            permit_status="有效",
            legal_rep_name="王建国",
            legal_rep_since=dt.date(2020, 1, 1),
        )
        session.add(unit)
        session.commit()
        national = RegionScope()
        course = catalogue.create_course(
            session,
            scope=national,
            code="LR-B1",
            title="法定代表人专题培训（视频）",
            audience="法定代表人",
            kind="必修",
            credits=1,
        )
        catalogue.add_lesson(
            session,
            scope=national,
            course_id=course.id,
            title="排污许可制度三分钟",
            video_name="lesson.webm",
            video_bytes=webm,
            video_seconds=3.0,
        )
        account_service.create_user(
            session,
            username="wangjg",
            password="wangjg-pass-1",
            role="enterprise",
            credit_code=unit.credit_code,
            display_name="王建国",
        )
        course_id, unit_id = course.id, unit.id

    browser_login(page, live_server.url, "wangjg", "wangjg-pass-1")
    page.goto(f"{live_server.url}/courses/{course_id}")
    page.fill("input[name=person_name]", "王建国")
    page.click("button:has-text('报名')")
    page.click("#lessons >> text=排污许可制度三分钟")
    page.wait_for_selector("#lesson-video")
    page.evaluate(
        "() => { const v = document.getElementById('lesson-video'); v.muted = true; v.play(); }"
    )
    page.wait_for_function(
        "() => document.getElementById('video-status').textContent.includes('课程已结业')",
        timeout=60_000,
    )
    page.screenshot(path=str(ARTIFACTS / "course-video-completed.png"), full_page=True)
    page.goto(f"{live_server.url}/courses/{course_id}")
    main = page.inner_text("main")
    assert "下载结业证书" in main and "待核实" in main

    with live_server.session_factory() as session:
        records = select(TrainingRecord).where(TrainingRecord.enterprise_id == unit_id)
        assert session.scalars(records).all() == []
        report = coverage.coverage_report(session, scope=RegionScope(), as_of=dt.date.today())
        assert (report.overall.key_units, report.overall.covered) == (1, 0)
        [claim] = evidence.pending_claims(session, scope=RegionScope("江苏省", "苏州市"))
        assert claim.person_name == "王建国" and claim.completions
