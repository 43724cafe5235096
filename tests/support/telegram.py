"""A fake Telegram Bot API and update builders, the way python-telegram-bot tests itself.

``FakeTelegram`` is a ``telegram.request.BaseRequest`` whose ``do_request`` records each call
``(endpoint, parameters)`` and answers like the Bot API; updates are built with
``Update.de_json``. The fixtures on top of them are in ``tests/bot/conftest.py``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json

from telegram import Update
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

TOKEN = "123:TEST"
BOT_ID = 123
BOT_USERNAME = "PermitHubBot"
USER_ID = 4242
CHAT_ID = 4242  # a private chat has the user's id
GROUP_ID = -100500
BASE_URL = "https://permithub.example"


class FakeTelegram(BaseRequest):
    """Answers Bot API calls offline and records them as ``(endpoint, parameters)``."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self._message_ids = itertools.count(1000)
        self.unreachable_calls = 0  # how many of the next calls fail as if the network were down
        self._markups: dict[
            tuple[int, int], object
        ] = {}  # what each message shows, to refuse no-ops

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=None,
        write_timeout=None,
        connect_timeout=None,
        pool_timeout=None,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        parameters = dict(request_data.parameters) if request_data else {}
        if self.unreachable_calls:
            self.unreachable_calls -= 1
            raise NetworkError("api.telegram.org: Name or service not known")
        self.calls.append((endpoint, parameters))
        if endpoint == "editMessageReplyMarkup":
            key = (int(parameters["chat_id"]), int(parameters["message_id"]))
            if self._markups.get(key) == parameters.get("reply_markup"):
                description = "Bad Request: message is not modified: specified new message content"
                body = {"ok": False, "error_code": 400, "description": description}
                return 400, json.dumps(body).encode()
            self._markups[key] = parameters.get("reply_markup")
        if endpoint == "getUpdates":
            await asyncio.sleep(0.05)  # long polling: nothing new
            return 200, b'{"ok": true, "result": []}'
        return 200, json.dumps({"ok": True, "result": self._result(endpoint, parameters)}).encode()

    def _result(self, endpoint: str, parameters: dict):
        if endpoint == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "PermitHub",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if endpoint in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            chat_id = int(parameters.get("chat_id", CHAT_ID))
            message = {
                "message_id": int(parameters.get("message_id") or next(self._message_ids)),
                "date": int(dt.datetime.now(dt.UTC).timestamp()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "PermitHub"},
                "text": parameters.get("text", "…"),
            }
            if "reply_markup" in parameters:
                message["reply_markup"] = parameters["reply_markup"]
            return message
        return True

    def sent(self, endpoint: str = "sendMessage") -> list[dict]:
        """The parameters of every call to ``endpoint``, in order."""
        return [parameters for name, parameters in self.calls if name == endpoint]

    def texts(self) -> list[str]:
        """The text of every message sent."""
        return [p["text"] for p in self.sent("sendMessage")]

    def clear(self) -> None:
        self.calls.clear()


_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


def _user(user_id: int = USER_ID) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": "张三", "language_code": "zh-hans"}


def _chat(chat_id: int) -> dict:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "张三"}
    return {"id": chat_id, "type": "supergroup", "title": "排污许可交流群"}


def message_update(
    bot,
    text: str | None = None,
    *,
    chat_id: int = CHAT_ID,
    user_id: int = USER_ID,
    reply_to_bot: bool = False,
    **fields,
) -> Update:
    """An update with a new message; a leading ``/command`` gets its bot_command entity."""
    message = {
        "message_id": next(_message_ids),
        "date": int(dt.datetime.now(dt.UTC).timestamp()),
        "chat": _chat(chat_id),
        "from": _user(user_id),
        **fields,
    }
    if text is not None:
        message["text"] = text
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        mention = f"@{BOT_USERNAME}"
        if mention in text:
            entities.append(
                {"type": "mention", "offset": _utf16_offset(text, mention), "length": len(mention)}
            )
        if entities:
            message["entities"] = entities
    if reply_to_bot:
        message["reply_to_message"] = {
            "message_id": 1,
            "date": message["date"],
            "chat": _chat(chat_id),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "PermitHub"},
            "text": "之前的回答",
        }
    return Update.de_json({"update_id": next(_update_ids), "message": message}, bot)


def _utf16_offset(text: str, part: str) -> int:
    return len(text[: text.index(part)].encode("utf-16-le")) // 2


def callback_update(
    bot,
    data: str,
    *,
    message: dict | None = None,
    chat_id: int = CHAT_ID,
    user_id: int = USER_ID,
) -> Update:
    """A button press on ``message`` (a message dict as the bot sent it)."""
    message = message or {
        "message_id": 999,
        "date": int(dt.datetime.now(dt.UTC).timestamp()),
        "chat": _chat(chat_id),
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "PermitHub"},
        "text": "…",
    }
    query = {
        "id": str(next(_update_ids)),
        "from": _user(user_id),
        "chat_instance": "ci-1",
        "data": data,
        "message": message,
    }
    return Update.de_json({"update_id": next(_update_ids), "callback_query": query}, bot)


def sent_message(parameters: dict, message_id: int = 999) -> dict:
    """The message a sendMessage call produced, as it comes back inside a callback query."""
    chat_id = int(parameters["chat_id"])
    message = {
        "message_id": message_id,
        "date": int(dt.datetime.now(dt.UTC).timestamp()),
        "chat": _chat(chat_id),
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "PermitHub"},
        "text": parameters["text"],
    }
    if "reply_markup" in parameters:
        message["reply_markup"] = parameters["reply_markup"]
    return message


def buttons(parameters: dict) -> list[dict]:
    """Every inline button of a sent message, row by row flattened."""
    markup = parameters.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def credit_code(body: str) -> str:
    """A valid 统一社会信用代码 for a 17-character ``body`` (the check digit appended)."""
    from core.enterprises.credit_code import _VALUE, _WEIGHTS, CREDIT_CHARS

    total = sum(_VALUE[c] * w for c, w in zip(body, _WEIGHTS, strict=True))
    return body + CREDIT_CHARS[(31 - total % 31) % 31]
