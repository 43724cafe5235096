"""The webhook route: Telegram posts updates here when PERMITHUB_TELEGRAM_WEBHOOK_URL is set."""

from __future__ import annotations

import hmac
import json
import logging

from fastapi import APIRouter, Request, Response
from telegram import Update

from bot.runner import STATE_APPLICATION, STATE_SECRET, WEBHOOK_PATH
from core.deps import RequestSessionRoute
from core.errors import Forbidden, Invalid, NotFound

logger = logging.getLogger(__name__)

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
NOT_AN_UPDATE = "请求体不是 Telegram 的更新（update）：应为含 update_id 的 JSON 对象"


def _update(data: object, bot) -> Update:
    """The Telegram update in ``data``; 422 for JSON that is not one (``{}``, a list, a message
    without its date), which python-telegram-bot would otherwise fail on with a TypeError."""
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise Invalid(NOT_AN_UPDATE)
    try:
        return Update.de_json(data, bot)
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        raise Invalid(NOT_AN_UPDATE) from exc


@router.post(WEBHOOK_PATH)
async def telegram_webhook(request: Request) -> Response:
    """Check Telegram's secret header, then process the update (nothing is processed on 403)."""
    application = getattr(request.app.state, STATE_APPLICATION, None)
    expected = getattr(request.app.state, STATE_SECRET, None)
    if application is None or not expected:
        raise NotFound("未启用 Telegram 机器人的 webhook 模式")
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        logger.warning("拒绝了一个密钥不符的 Telegram webhook 请求")
        raise Forbidden("webhook 密钥不正确")
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid("请求体不是合法的 JSON") from exc
    update = _update(data, application.bot)
    # Processed before answering: errors go to the bot's error handler, never to Telegram.
    await application.process_update(update)
    return Response(status_code=200)
