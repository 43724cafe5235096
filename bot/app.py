"""Build the Telegram application: handlers, context, Chinese command menu."""

from __future__ import annotations

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot import context as bot_context
from bot import handlers, texts
from bot.context import CONTEXT_TYPES, SessionFactory
from core.config import get_settings


def install(
    application: Application,
    *,
    session_factory: SessionFactory | None = None,
    rate_per_minute: int | None = None,
    base_url: str | None = None,
) -> Application:
    """Add the handlers to an application built with ``CONTEXT_TYPES`` and store their needs."""
    settings = get_settings()
    if session_factory is None:
        from core.db import SessionLocal

        session_factory = SessionLocal
    bot_context.configure(
        application,
        session_factory=session_factory,
        rate_per_minute=rate_per_minute or settings.chat_rate_per_minute,
        base_url=base_url if base_url is not None else settings.base_url,
    )
    handlers.register(application)
    return application


def build_application(
    token: str,
    *,
    request: BaseRequest | None = None,
    updater: bool = True,
    session_factory: SessionFactory | None = None,
) -> Application:
    """The bot for ``token``; ``request`` swaps the transport (tests); no updater for webhooks."""
    builder = ApplicationBuilder().token(token).context_types(CONTEXT_TYPES).post_init(setup_bot)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if not updater:
        builder = builder.updater(None)
    return install(builder.build(), session_factory=session_factory)


async def setup_bot(application: Application) -> None:
    """Register the command menu with Chinese descriptions (setMyCommands)."""
    await application.bot.set_my_commands(
        [BotCommand(name, description) for name, description in texts.COMMANDS]
    )
