"""`permithub serve` with a token: the bot polls in the same process, one poller per DATA_DIR."""

from __future__ import annotations

import time
from contextlib import nullcontext

import pytest
from fastapi.testclient import TestClient

from core.config import get_settings
from tests.support.telegram import FakeTelegram


@pytest.fixture
def polling_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("PERMITHUB_TELEGRAM_TOKEN", "123:TEST")
    monkeypatch.delenv("PERMITHUB_TELEGRAM_WEBHOOK_URL", raising=False)
    monkeypatch.setenv("PERMITHUB_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def started(app, session) -> FakeTelegram:
    telegram = FakeTelegram()
    app.state.telegram_request = telegram
    app.state.telegram_session_factory = lambda: nullcontext(session)
    return telegram


def test_serve_with_a_token_polls_in_the_same_process(polling_settings, app, session):
    telegram = started(app, session)
    with TestClient(app):
        wait_for(lambda: telegram.sent("getUpdates"))
        assert telegram.sent("deleteWebhook")  # leaves webhook mode before polling
        assert telegram.sent("setMyCommands")
        assert app.state.telegram.updater.running
    assert app.state.telegram is None


def test_only_one_process_polls_per_data_dir(polling_settings, session):
    from web.main import create_app

    first_app, second_app = create_app(), create_app()
    first, second = started(first_app, session), started(second_app, session)
    with TestClient(first_app), TestClient(second_app):
        wait_for(lambda: first.sent("getUpdates"))
        assert second.calls == []
        assert getattr(second_app.state, "telegram", None) is None


def test_serve_without_a_token_starts_no_bot(client):
    assert getattr(client.app.state, "telegram", None) is None


def test_bot_starts_later_when_telegram_was_unreachable_at_startup(
    polling_settings, app, session, monkeypatch, caplog
):
    from bot import runner

    monkeypatch.setattr(runner, "RETRY_FIRST_SECONDS", 0.05)
    telegram = started(app, session)
    telegram.unreachable_calls = 2
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200  # the site works meanwhile
        wait_for(lambda: telegram.sent("getUpdates"))
        assert app.state.telegram is not None
    assert "Telegram 机器人启动失败" in caplog.text and "123:TEST" not in caplog.text
