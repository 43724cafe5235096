"""`permithub wechat menu`: the token and menu calls as WeChat's API sees them (httpx transport)."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
import typer
from typer.testing import CliRunner

from core.config import get_settings
from wechat.cli import register

APP_ID = "wx1234567890abcdef"
APP_SECRET = "the-app-secret-0123456789abcdef"


class FakeWeChatApi:
    """Answers ``stable_token`` and ``menu/create`` like api.weixin.qq.com."""

    def __init__(self, *, menu_error: dict | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.menu_error = menu_error

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/cgi-bin/stable_token":
            body = json.loads(request.content)
            if (body["appid"], body["secret"]) != (APP_ID, APP_SECRET):
                return httpx.Response(200, json={"errcode": 40125, "errmsg": "invalid appsecret"})
            return httpx.Response(200, json={"access_token": "ACCESS-TOKEN-1", "expires_in": 7200})
        if request.url.path == "/cgi-bin/menu/create":
            if request.url.params.get("access_token") != "ACCESS-TOKEN-1":
                return httpx.Response(200, json={"errcode": 40001, "errmsg": "invalid credential"})
            if self.menu_error:
                return httpx.Response(200, json=self.menu_error)
            return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})
        return httpx.Response(404)


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command("noop")(lambda: None)  # a group of one command would swallow its name
    register(app, typer.Typer())
    return app


@pytest.fixture
def settings(monkeypatch):
    monkeypatch.setenv("PERMITHUB_WECHAT_APP_ID", APP_ID)
    monkeypatch.setenv("PERMITHUB_WECHAT_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("PERMITHUB_BASE_URL", "https://permithub.example")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def run(monkeypatch, api: FakeWeChatApi):
    monkeypatch.setattr("wechat.cli._TRANSPORT", httpx.MockTransport(api))
    return CliRunner().invoke(_cli(), ["wechat", "menu"])


def test_menu_is_published_with_the_four_click_keys(settings, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    api = FakeWeChatApi()
    result = run(monkeypatch, api)
    assert result.exit_code == 0, result.output
    assert "已发布公众号菜单（6 个按钮）" in result.output
    token_call, menu_call = api.requests
    assert APP_SECRET not in str(token_call.url)  # the secret travels in the body only
    menu = json.loads(menu_call.content)
    keys = {b.get("key") for top in menu["button"] for b in top.get("sub_button", [top])}
    assert {"FAQ", "CASES", "PRACTICE", "BIND"} <= keys
    assert "常见问题" in menu_call.content.decode()  # UTF-8, not \\u escapes
    assert APP_SECRET not in caplog.text and "ACCESS-TOKEN-1" not in caplog.text


def test_wechat_refusal_is_reported_without_the_secret(settings, monkeypatch):
    api = FakeWeChatApi(menu_error={"errcode": 40018, "errmsg": "invalid button name size"})
    result = run(monkeypatch, api)
    assert result.exit_code == 1
    assert "发布菜单失败：40018 invalid button name size" in result.output
    assert APP_SECRET not in result.output


def test_missing_settings_are_named(monkeypatch):
    monkeypatch.delenv("PERMITHUB_WECHAT_APP_SECRET", raising=False)
    get_settings.cache_clear()
    result = CliRunner().invoke(_cli(), ["wechat", "menu"])
    assert result.exit_code == 2 and "PERMITHUB_WECHAT_APP_SECRET" in result.output
    get_settings.cache_clear()
