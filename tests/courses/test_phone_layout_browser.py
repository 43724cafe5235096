"""Headless Chromium at 390 px (a phone) and desktop width: pages fit, tables become cards."""

from __future__ import annotations

import pytest

from core.accounts import service as account_service
from tests.support.registry import load_registry
from tests.support.web import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_coverage_accounts_and_knowledge_fit_a_phone(live_server, browser_page, generated):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    with live_server.session_factory() as session:
        load_registry(session, gen)
        session.commit()
        account_service.create_user(
            session, username="boss", password="boss-pass-1234", role="national"
        )
        from knowledge.models import QuestionLog

        for text in (
            [
                "排污许可证到期后如何延续？",
                "排污许可证到期后怎么办理延续手续",
                "重点管理排污单位自行监测方案应包括哪些内容",
            ]
            * 2
        ):
            session.add(
                QuestionLog(
                    question=text,
                    normalized=text,
                    answered=False,
                    answer="",
                    channel="web",
                    province="江苏省",
                    city="苏州市",
                )
            )
        session.commit()
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", "boss-pass-1234")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    for path in (
        "/coverage",
        "/coverage?province=江苏",
        "/admin/accounts",
        "/admin/knowledge",
        "/admin/knowledge/faq",
        "/admin/knowledge/synonyms",
        "/admin/knowledge/search-test",
        "/admin/knowledge/documents",
        "/admin/import",
        "/",
        "/admin/accounts/audit",
    ):
        page.goto(f"{live_server.url}{path}")
        name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"
        page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
        assert _page_width(page) <= PHONE["width"], f"{path} is {_page_width(page)} px wide"
    page.goto(f"{live_server.url}/coverage")
    assert "最新的培训日期" in page.inner_text("#as-of-note")
    # the province table is a stack of cards: its header row is hidden, each cell names its column
    assert (
        not page.locator("#regions thead").is_visible()
        or page.locator("#regions thead").bounding_box()["height"] <= 1
    )
    first = page.locator("#regions tbody tr").first
    assert first.bounding_box()["width"] <= PHONE["width"]
    label = page.evaluate(
        "getComputedStyle(document.querySelector('#regions tbody td'), '::before').content"
    )
    assert "省份" in label
    # the chart keeps a readable size and scrolls inside its own box
    chart = page.locator(".chart-scroll svg.burnup").bounding_box()
    assert chart["width"] >= 600
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/coverage")
    assert page.locator("#regions thead").is_visible()
    assert _page_width(page) <= 1280
