"""Retries that arrive while the first delivery is still being answered (a real server, threads):
one answer, one question-log row, the same reply for all three."""

from __future__ import annotations

import threading

import httpx
import pytest
from sqlalchemy import func, select

from knowledge.models import QuestionLog
from tests.support.knowledge import plan_knowledge
from tests.support.web import LiveServer
from tests.support.wechat import AES_KEY, APP_ID, TOKEN, FakeWeChat, message_xml

pytestmark = [pytest.mark.slow]


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("PERMITHUB_WECHAT_TOKEN", TOKEN)
    monkeypatch.setenv("PERMITHUB_WECHAT_APP_ID", APP_ID)
    monkeypatch.setenv("PERMITHUB_WECHAT_AES_KEY", AES_KEY)
    live = LiveServer(tmp_path / "live.db")
    live.start()
    try:
        with live.session_factory() as session:
            with plan_knowledge(session, tmp_path / "index"):
                session.commit()
                yield live
    finally:
        live.stop()


def test_three_concurrent_deliveries_answer_once(server):
    with httpx.Client(base_url=server.url, timeout=30) as http:
        fake = FakeWeChat(http)
        xml = message_xml("老板要参加什么培训，截止到啥时候？", msg_id=fake.next_id())
        replies: list[str] = []
        errors: list[BaseException] = []

        def deliver() -> None:
            try:
                replies.append(FakeWeChat(http).send(xml))
            except BaseException as exc:  # collected, so a failing thread fails the test
                errors.append(exc)

        threads = [threading.Thread(target=deliver) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert len(replies) == 3 and "措施33" in replies[0]
    assert replies[0] == replies[1] == replies[2]
    with server.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(QuestionLog)) == 1
