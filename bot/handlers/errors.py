"""The one error handler, and a decorator turning expected domain errors into polite replies."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.error import TelegramError

from bot import texts
from bot.context import BotContext
from core.errors import DomainError

logger = logging.getLogger(__name__)

Handler = Callable[[Update, BotContext], Awaitable[None]]


async def _tell(update: object, text: str) -> None:
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text[:200], show_alert=True)
        elif update.effective_chat is not None:
            await update.get_bot().send_message(update.effective_chat.id, text)
    except TelegramError:
        logger.warning("could not send the error reply to the user", exc_info=True)


def domain_errors_as_replies(handler: Handler) -> Handler:
    """Answer a ``DomainError`` raised by ``handler`` with its Chinese message (not an error)."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: BotContext) -> None:
        try:
            await handler(update, context)
        except DomainError as exc:
            await _tell(update, exc.message)

    return wrapper


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure and apologise to the user; the application keeps running."""
    error = context.error
    if isinstance(error, DomainError):
        await _tell(update, error.message)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("处理 Telegram 更新 %s 时出错", update_id, exc_info=error)
    await _tell(update, texts.ERROR)
