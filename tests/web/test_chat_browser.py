"""The chat page in headless Chromium: ask, read the cited answer, press 👎, find the vote."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from knowledge.models import AnswerFeedback, QuestionLog
from tests.support.knowledge import plan_knowledge
from tests.support.web import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def live_knowledge(live_server, tmp_path):
    with live_server.session_factory() as session:
        with plan_knowledge(session, tmp_path / "index") as service:
            session.commit()
            yield service


def test_ask_read_citation_and_vote_down_with_the_keyboard(
    live_server, live_knowledge, browser_page
):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/chat")
    page.fill("#question", "老板要参加什么培训，截止到啥时候？")
    page.press("#question", "Enter")
    reply = page.locator(".turn .bubble.reply").last
    reply.locator(".citations").wait_for()
    assert "法定代表人专题培训班" in reply.inner_text()
    citation = reply.locator(".citations").inner_text()
    assert "措施33" in citation and "完成时限：2024年12月" in citation
    assert "责任部门：生态环境部、省级生态环境部门" in citation
    assert page.locator("#question").input_value() == ""

    down = reply.locator("button[name=helpful][value='0']")
    down.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".turn button[value='0'][aria-pressed='true']")
    assert "感谢" in reply.locator(".feedback-status").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-answer-feedback.png"), full_page=True)

    with live_server.session_factory() as session:
        log = session.scalar(select(QuestionLog))
        votes = session.scalars(select(AnswerFeedback)).all()
        assert log.channel == "web"
        assert [(v.question_log_id, v.helpful) for v in votes] == [(log.id, False)]

    page.reload()  # the conversation is kept for the browser session
    assert "措施33" in page.locator(".citations").inner_text()
