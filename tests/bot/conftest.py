"""Telegram fixtures, the way python-telegram-bot tests itself: a fake Bot API transport.

``FakeTelegram`` is a ``telegram.request.BaseRequest`` whose ``do_request`` records each call
``(endpoint, parameters)`` and answers like the Bot API; updates are built with
``Update.de_json``; an error handler collects ``context.error`` so a failing handler fails the test.
"""

from __future__ import annotations

import datetime as dt
import itertools
from contextlib import nullcontext

import pytest
from telegram.ext import Application, ApplicationBuilder

from bot.app import install
from bot.context import CONTEXT_TYPES
from tests.support.knowledge import plan_knowledge
from tests.support.telegram import BASE_URL, TOKEN, FakeTelegram, credit_code


@pytest.fixture
def telegram() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
def handler_errors() -> list[BaseException]:
    """Errors raised in handlers; the ``bot_app`` fixture fails the test if any is left."""
    return []


@pytest.fixture
async def bot_app(session, telegram, handler_errors):
    """The bot with every handler, on the fake transport and the test's session."""
    application: Application = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(telegram)
        .get_updates_request(telegram)
        .updater(None)
        .context_types(CONTEXT_TYPES)
        .build()
    )
    install(
        application,
        session_factory=lambda: nullcontext(session),
        rate_per_minute=20,
        base_url=BASE_URL,
    )

    async def collect(update, context) -> None:
        handler_errors.append(context.error)

    application.add_error_handler(collect)
    async with application:
        telegram.clear()  # forget getMe
        yield application
    assert handler_errors == [], f"a handler failed: {handler_errors!r}"


@pytest.fixture
def make_enterprise(session):
    """Add a unit to the registry: ``make_enterprise(name="…", city="苏州市")``."""
    from core.enterprises.models import Enterprise

    counter = itertools.count(1)

    def _make(**fields) -> Enterprise:
        n = next(counter)
        unit = Enterprise(
            credit_code=fields.pop("credit_code", None) or credit_code(f"91320500MA1AB{n:04d}"),
            name=fields.pop("name", f"苏州第{n}化工有限公司"),
            province=fields.pop("province", "江苏省"),
            city=fields.pop("city", "苏州市"),
            division_code=fields.pop("division_code", "320500"),
            industry=fields.pop("industry", "化学原料和化学制品制造业"),
            management_category=fields.pop("management_category", "重点管理"),
            permit_status=fields.pop("permit_status", "有效"),
            legal_rep_name=fields.pop("legal_rep_name", "王五"),
            legal_rep_since=fields.pop("legal_rep_since", dt.date(2020, 1, 1)),
            **fields,
        )
        session.add(unit)
        session.flush()
        return unit

    return _make


@pytest.fixture
def knowledge(session, tmp_path):
    """The knowledge service with the action plan in its index."""
    with plan_knowledge(session, tmp_path / "index") as service:
        yield service
