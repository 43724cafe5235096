"""The official account's custom menu, published through WeChat's API (``permithub wechat menu``).

Two calls: ``stable_token`` (the AppSecret travels in the JSON body, never in a URL that an HTTP
log line could show) and ``menu/create``. ``transport`` lets tests answer at the HTTP level.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator

import httpx

from core.errors import Invalid
from wechat import texts
from wechat.service import MENU_BIND, MENU_CASES, MENU_FAQ, MENU_HELP, MENU_PRACTICE

API_BASE = "https://api.weixin.qq.com/cgi-bin"
TIMEOUT_SECONDS = 10.0


def menu_definition(base_url: str) -> dict:
    """The buttons: FAQ and cases, then practice, binding, help and the web chat."""
    base = base_url.rstrip("/")
    return {
        "button": [
            {"type": "click", "name": "常见问题", "key": MENU_FAQ},
            {"type": "click", "name": "典型案例", "key": MENU_CASES},
            {
                "name": "学习与绑定",
                "sub_button": [
                    {"type": "click", "name": "每日一练", "key": MENU_PRACTICE},
                    {"type": "click", "name": "绑定账号", "key": MENU_BIND},
                    {"type": "click", "name": "使用帮助", "key": MENU_HELP},
                    {"type": "view", "name": "网页版问答", "url": f"{base}/chat"},
                ],
            },
        ]
    }


def count_buttons(menu: dict) -> int:
    return sum(len(b.get("sub_button") or [None]) for b in menu["button"])


@contextlib.contextmanager
def _quiet_http_log() -> Iterator[None]:
    # httpx logs each request URL at INFO; menu/create carries the access token in its URL.
    logger = logging.getLogger("httpx")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _checked(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        raise Invalid(texts.MENU_FAILED.format(reason=f"HTTP {response.status_code}")) from None
    if response.status_code != 200 or data.get("errcode"):
        reason = f"{data.get('errcode', response.status_code)} {data.get('errmsg', '')}".strip()
        raise Invalid(texts.MENU_FAILED.format(reason=reason))
    return data


def publish_menu(
    *,
    app_id: str,
    app_secret: str,
    base_url: str,
    transport: httpx.BaseTransport | None = None,
    api_base: str = API_BASE,
) -> int:
    """Publish the menu; returns the number of buttons. ``Invalid`` with WeChat's reason."""
    menu = menu_definition(base_url)
    with _quiet_http_log(), httpx.Client(transport=transport, timeout=TIMEOUT_SECONDS) as http:
        try:
            token = _checked(
                http.post(
                    f"{api_base}/stable_token",
                    json={"grant_type": "client_credential", "appid": app_id, "secret": app_secret},
                )
            ).get("access_token")
            if not token:
                raise Invalid(texts.MENU_FAILED.format(reason="没有取得 access_token"))
            _checked(
                http.post(
                    f"{api_base}/menu/create",
                    params={"access_token": token},
                    content=json.dumps(menu, ensure_ascii=False).encode(),
                    headers={"Content-Type": "application/json; charset=utf-8"},
                )
            )
        except httpx.HTTPError as exc:
            raise Invalid(texts.MENU_FAILED.format(reason=type(exc).__name__)) from None
    return count_buttons(menu)
