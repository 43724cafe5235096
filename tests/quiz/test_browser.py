"""Headless Chromium on a phone-sized screen: take a contest, answers saved as they are chosen."""

from __future__ import annotations

import datetime as dt

import pytest

from core.accounts import service as account_service
from core.db import utcnow
from quiz import bank as question_bank
from quiz import contests, ranking, schemas
from tests.support.web import ARTIFACTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _seed(session) -> int:
    admin = account_service.create_user(session, username="boss", password="boss-pass-1")
    account_service.create_user(
        session,
        username="zhang",
        password="zhang-pass-1",
        role="staff",
        display_name="张三",
        province="江苏省",
        city="苏州市",
    )
    for i in range(6):
        question_bank.create_question(
            session,
            data=schemas.QuestionCreate(
                kind="多选" if i % 2 else "单选",
                stem=f"手机答题第{i}题：以下哪项符合行动计划要求？",
                options=["选项甲", "选项乙", "选项丙", "选项丁"],
                answer="AB" if i % 2 else "A",
                explanation=f"浏览器解析{i}",
                tags=["证后监管"],
            ),
        )
    contest = contests.create_contest(
        session,
        admin=admin,
        data=schemas.ContestCreate(
            title="手机端知识竞赛",
            audience_roles=["staff"],
            opens_at=utcnow() - dt.timedelta(hours=1),
            closes_at=utcnow() + dt.timedelta(hours=2),
            time_limit_minutes=10,
            quotas=[{"count": 6}],
        ),
    )
    return contest.id


def test_contest_on_a_phone_saves_each_answer_and_hands_in(live_server, browser_page):
    with live_server.session_factory() as session:
        contest_id = _seed(session)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server.url, "zhang", "zhang-pass-1")
    page.goto(f"{live_server.url}/quiz")
    page.click("text=手机端知识竞赛")
    page.click("button:has-text('开始答题')")
    page.wait_for_url(f"{live_server.url}/quiz/attempts/*")
    assert "浏览器解析" not in page.content()
    first = page.locator("fieldset.question").first
    first.locator("label.option").first.click()
    first.locator(".save-state", has_text="已保存").wait_for()
    page.screenshot(path=str(ARTIFACTS / "quiz-attempt-phone.png"), full_page=True)
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, "the answer page scrolls sideways on a phone"

    page.reload()  # what the server saved comes back: nothing lives only in the browser
    assert page.locator("fieldset.question").first.locator("input:checked").count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-button")
    page.wait_for_url(f"{live_server.url}/quiz/attempts/*/result")
    assert "答对" in page.inner_text("main") and "浏览器解析" in page.content()
    page.screenshot(path=str(ARTIFACTS / "quiz-result-phone.png"), full_page=True)
    with live_server.session_factory() as session:
        board = ranking.leaderboard(
            session, contest_id=contest_id, viewer=account_service.get_user(session, 1)
        )
    assert [e.name for e in board.entries] == ["张三"]
