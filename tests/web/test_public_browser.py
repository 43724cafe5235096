"""/faq, /cases and a public answer page in headless Chromium, on a phone and a desktop; an admin
publishes a case and it appears on /cases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import service as chat_service
from cases.demo import load_demo_cases
from core.regions.scope import RegionScope
from knowledge import faq
from knowledge.models import AnswerFeedback
from tests.support.knowledge import plan_knowledge
from tests.support.web import ARTIFACTS, browser_login
from wechat.service import answer_token

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def seeded(live_server, tmp_path):
    with live_server.session_factory() as session:
        with plan_knowledge(session, tmp_path / "index"):
            faq.create_faq(
                session,
                scope=RegionScope(),
                question="执行报告多久提交一次？",
                answer="按排污许可证规定的频次提交年度、季度或月度执行报告。",
                basis="行动计划措施21",
                tags="执行报告",
            )
            faq.create_faq(
                session,
                scope=RegionScope(),
                question="排污许可证有效期多久？",
                answer="排污许可证有效期为五年。",
                basis="排污许可管理条例第十四条",
                tags="许可证核发",
            )
            load_demo_cases(session)
            turn = chat_service.ask(
                session,
                channel="wechat",
                conversation="wx:browser",
                question="老板要参加什么培训，截止到啥时候？",
            )
            session.commit()
            yield {"turn": turn}


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"page is {width}px wide"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_faq_cases_and_answer_page(live_server, seeded, browser_page, size):
    page = browser_page
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server.url}/faq")
    assert "执行报告多久提交一次？" in page.inner_text("#faq-entries")
    _fits(page)
    page.click("text=许可证核发（1）")
    page.wait_for_url("**/faq?tag=*")
    assert "执行报告多久提交一次？" not in page.inner_text("#faq-entries")
    page.fill("#faq-q", "执行报告")
    page.press("#faq-q", "Enter")
    page.wait_for_url("**q=*")
    page.goto(f"{live_server.url}/faq")
    page.click("text=执行报告多久提交一次？")
    assert "行动计划措施21" in page.inner_text("#faq-basis")
    assert "最后更新" in page.inner_text("#faq-entry")
    _fits(page)

    page.goto(f"{live_server.url}/cases")
    assert "共 8 个案例" in page.inner_text("#case-count")
    page.select_option("#case-kind", "台账")
    page.click("#case-kind ~ button")
    page.wait_for_url("**kind=*")
    entries = page.inner_text("#case-entries")
    assert "台账记录不全" in entries and "未取得排污许可证" not in entries
    page.click("text=某造纸企业环境管理台账记录不全被责令整改")
    assert "对企业的启示" in page.inner_text("#case")
    _fits(page)

    turn = seeded["turn"]
    page.goto(f"{live_server.url}/a/{answer_token(turn.id)}")
    body = page.inner_text("#answer")
    assert "法定代表人专题培训班" in body and "措施33" in body
    page.click("button[name=helpful][value='1']")
    page.wait_for_selector("button[value='1'][aria-pressed='true']")
    _fits(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"public-answer-{size}.png"), full_page=True)
    with live_server.session_factory() as session:
        votes = session.scalars(select(AnswerFeedback)).all()
        assert [(v.question_log_id, v.helpful) for v in votes] == [(turn.log_id, True)]


def test_admin_publishes_a_case_and_it_appears(live_server, seeded, browser_page):
    from core.accounts import service as accounts

    with live_server.session_factory() as session:
        accounts.create_user(
            session,
            username="js-admin",
            password="correct-horse-1",
            role="province",
            province="江苏省",
        )
        session.commit()
    page = browser_page
    page.set_viewport_size(SIZES["phone"])
    browser_login(page, live_server.url, "js-admin", "correct-horse-1")
    page.goto(f"{live_server.url}/admin/cases")
    form = page.locator("#case-form")
    form.locator("input[name=title]").fill("某纺织企业规范台账的做法")
    form.locator("input[name=occurred_on]").fill("2024-03-05")
    form.locator("select[name=kind]").select_option("良好实践")
    form.locator("input[name=city]").fill("无锡市")
    form.locator("textarea[name=summary]").fill("企业建立电子台账，按月自查。")
    form.locator("button[type=submit]").click()
    row = page.locator("tr", has_text="某纺织企业规范台账的做法")
    assert "草稿" in row.inner_text()
    page.goto(f"{live_server.url}/cases?q=纺织")
    assert "某纺织企业" not in page.inner_text("#case-entries")
    page.goto(f"{live_server.url}/admin/cases")
    page.locator("tr", has_text="某纺织企业规范台账的做法").locator("text=发布").click()
    assert "已发布" in page.locator("tr", has_text="某纺织企业规范台账的做法").inner_text()
    page.goto(f"{live_server.url}/cases?q=纺织")
    assert "某纺织企业规范台账的做法" in page.inner_text("#case-entries")
    assert "江苏省无锡市" in page.inner_text("#case-entries")
