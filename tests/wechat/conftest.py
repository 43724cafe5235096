"""WeChat fixtures: a stand-in for WeChat's servers that signs and encrypts with wechatpy's own
``WeChatCrypto`` and posts to the running app (nothing in the app is replaced)."""

from __future__ import annotations

import pytest

from core.config import get_settings
from tests.support.knowledge import plan_knowledge
from tests.support.wechat import AES_KEY, APP_ID, TOKEN, FakeWeChat


@pytest.fixture
def wechat_settings(monkeypatch):
    monkeypatch.setenv("PERMITHUB_WECHAT_TOKEN", TOKEN)
    monkeypatch.setenv("PERMITHUB_WECHAT_APP_ID", APP_ID)
    monkeypatch.setenv("PERMITHUB_WECHAT_AES_KEY", AES_KEY)
    monkeypatch.setenv("PERMITHUB_BASE_URL", "https://permithub.example")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def knowledge(session, tmp_path):
    with plan_knowledge(session, tmp_path / "index") as service:
        yield service


@pytest.fixture
def wechat(client, wechat_settings) -> FakeWeChat:
    return FakeWeChat(client)
