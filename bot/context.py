"""The handlers' context: sessions from a factory kept in ``bot_data``, and the rate limit.

Tests put a factory that yields the test's rolled-back session into ``bot_data``; production uses
``core.db.SessionLocal``. Services are synchronous, so they run in a worker thread and never block
the event loop the web server shares with the bot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

T = TypeVar("T")
SessionFactory = Callable[[], AbstractContextManager[Session]]

SESSION_FACTORY = "session_factory"
RATE_PER_MINUTE = "rate_per_minute"
BASE_URL = "base_url"


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    """``CallbackContext`` with the bot's session factory, rate limit and web address."""

    @property
    def session_factory(self) -> SessionFactory:
        return self.application.bot_data[SESSION_FACTORY]

    @property
    def rate_per_minute(self) -> int:
        """Messages a person may send per minute (counted in the database, see guards)."""
        return self.application.bot_data[RATE_PER_MINUTE]

    @property
    def base_url(self) -> str:
        return self.application.bot_data.get(BASE_URL, "").rstrip("/")

    async def run(self, work: Callable[..., T], /, **kwargs: Any) -> T:
        """Run ``work(session, **kwargs)`` in a thread, in one transaction committed on success."""
        factory = self.session_factory

        def unit_of_work() -> T:
            with factory() as session:
                try:
                    result = work(session, **kwargs)
                    session.commit()
                    return result
                except BaseException:
                    session.rollback()
                    raise

        return await asyncio.to_thread(unit_of_work)


CONTEXT_TYPES = ContextTypes(context=BotContext)


def configure(
    application: Application,
    *,
    session_factory: SessionFactory,
    rate_per_minute: int,
    base_url: str,
) -> None:
    """Store what handlers need in ``bot_data``."""
    application.bot_data[SESSION_FACTORY] = session_factory
    application.bot_data[RATE_PER_MINUTE] = rate_per_minute
    application.bot_data[BASE_URL] = base_url
