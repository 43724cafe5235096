"""The curation loop in headless Chromium: a refused question becomes a FAQ entry in two steps."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.accounts import service as account_service
from knowledge.curation_models import QuestionReview
from knowledge.models import FaqEntry
from tests.knowledge.curation_support import log_question
from tests.support.web import ARTIFACTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_admin_turns_a_group_of_refused_questions_into_an_answer(live_server, browser_page):
    with live_server.session_factory() as session:
        account_service.create_user(
            session,
            username="kb-admin",
            password="correct-horse-1",
            role="province",
            province="江苏省",
        )
        for minutes, text in enumerate(
            ["危废台账保存几年", "危废台账要保存多久", "危废台账保存几年"]
        ):
            log_question(session, text, province="江苏省", minutes=minutes)
        log_question(session, "平台密码忘了怎么办", province="浙江省", minutes=9)

    page = browser_page
    browser_login(page, live_server.url, "kb-admin", "correct-horse-1")
    page.click("text=知识库")
    page.wait_for_url(f"{live_server.url}/admin/knowledge")
    group = page.locator("section.kb-group").first
    assert "3 次" in group.inner_text()
    assert "平台密码" not in page.content()  # another province's question
    assert group.locator("input[name=question]").input_value() == "危废台账保存几年"

    group.locator("textarea[name=answer]").fill("危险废物管理台账一般保存不少于五年。")
    group.locator("input[name=basis]").fill("危险废物管理台账制定技术导则")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "knowledge-curation-queue.png"), full_page=True)
    group.get_by_role("button", name="新建条目").click()

    page.wait_for_selector("p.alert[role=status]")
    assert "3 条问题已处理" in page.locator("p.alert[role=status]").inner_text()
    assert "暂无待处理的问题" in page.content()
    page.screenshot(path=str(ARTIFACTS / "knowledge-curation-after-promote.png"), full_page=True)

    # As the admin (a regional answer): the page's CSRF token goes with the session cookie.
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    reply = page.request.post(
        f"{live_server.url}/api/ask",
        data={"question": "危废台账要保存多久"},
        headers={"X-CSRF-Token": csrf},
    ).json()
    assert reply["answered"] and "五年" in reply["answer"]
    with live_server.session_factory() as session:
        entry = session.scalar(select(FaqEntry))
        assert reply["faq_id"] == entry.id
        assert len(session.scalars(select(QuestionReview)).all()) == 3
