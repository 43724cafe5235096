"""Webhook mode: the update route in the FastAPI app checks Telegram's secret header."""

from __future__ import annotations

import json
from contextlib import nullcontext

import pytest
from fastapi.testclient import TestClient

from core.config import get_settings
from tests.support.telegram import CHAT_ID, USER_ID, FakeTelegram

WEBHOOK_URL = "https://permithub.example/telegram/webhook"
SECRET = "s3cret-from-settings"


def start_update(update_id: int = 1) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 10,
            "date": 1_700_000_000,
            "chat": {"id": CHAT_ID, "type": "private", "first_name": "张三"},
            "from": {"id": USER_ID, "is_bot": False, "first_name": "张三"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


@pytest.fixture
def webhook_settings(monkeypatch):
    monkeypatch.setenv("PERMITHUB_TELEGRAM_TOKEN", "123:TEST")
    monkeypatch.setenv("PERMITHUB_TELEGRAM_WEBHOOK_URL", WEBHOOK_URL)
    monkeypatch.setenv("PERMITHUB_TELEGRAM_WEBHOOK_SECRET", SECRET)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def webhook_client(webhook_settings, app, session):
    """The app started with a token and a webhook URL, talking to the fake Bot API."""
    telegram = FakeTelegram()
    app.state.telegram_request = telegram
    app.state.telegram_session_factory = lambda: nullcontext(session)
    with TestClient(app) as client:
        client.telegram = telegram
        yield client


def test_startup_registers_the_webhook_with_its_secret_and_the_commands(webhook_client):
    telegram = webhook_client.telegram
    (webhook,) = telegram.sent("setWebhook")
    assert webhook["url"] == WEBHOOK_URL
    assert webhook["secret_token"] == SECRET
    assert len(telegram.sent("setMyCommands")) == 1
    assert telegram.sent("getUpdates") == []  # no polling in webhook mode


def test_update_with_the_right_secret_is_processed(webhook_client):
    response = webhook_client.post(
        "/telegram/webhook",
        content=json.dumps(start_update()),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 200
    (message,) = webhook_client.telegram.sent("sendMessage")
    assert message["chat_id"] == CHAT_ID and "排污许可问答助手" in message["text"]


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}])
def test_update_with_a_wrong_or_missing_secret_is_refused_unprocessed(webhook_client, headers):
    response = webhook_client.post(
        "/telegram/webhook", content=json.dumps(start_update()), headers=headers
    )
    assert response.status_code == 403
    assert webhook_client.telegram.sent("sendMessage") == []


def test_webhook_route_is_absent_without_a_bot(client):
    response = client.post(
        "/telegram/webhook",
        content=json.dumps(start_update()),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 404


def test_without_a_configured_secret_one_is_derived_and_still_required(
    monkeypatch, webhook_settings, app, session
):
    monkeypatch.delenv("PERMITHUB_TELEGRAM_WEBHOOK_SECRET")
    get_settings.cache_clear()
    telegram = FakeTelegram()
    app.state.telegram_request = telegram
    app.state.telegram_session_factory = lambda: nullcontext(session)
    with TestClient(app) as client:
        (webhook,) = telegram.sent("setWebhook")
        derived = webhook["secret_token"]
        assert len(derived) >= 32 and "123:TEST" not in derived
        refused = client.post("/telegram/webhook", content=json.dumps(start_update()))
        accepted = client.post(
            "/telegram/webhook",
            content=json.dumps(start_update(2)),
            headers={"X-Telegram-Bot-Api-Secret-Token": derived},
        )
    assert (refused.status_code, accepted.status_code) == (403, 200)
    assert len(telegram.sent("sendMessage")) == 1


@pytest.mark.parametrize(
    "body",
    [
        "{}",
        "[]",
        "null",
        '"text"',
        '{"update_id": "1"}',
        '{"update_id": 1, "message": 5}',
        '{"update_id": 1, "message": {"message_id": 1}}',
    ],
)
def test_json_that_is_not_an_update_is_a_422_even_with_the_right_secret(webhook_client, body):
    response = webhook_client.post(
        "/telegram/webhook", content=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert response.status_code == 422
    assert "update_id" in response.text
    assert webhook_client.telegram.sent("sendMessage") == []
