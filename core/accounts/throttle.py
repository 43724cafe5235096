"""Login throttling: growing waits per (username, address), and a ceiling per address.

Nothing here locks an account: failures from one address only slow down that address's tries
for that username, so the owner logging in from elsewhere is never affected. The per-address
ceiling stops one address from spraying guesses over many usernames; it is high enough that the
people behind one NAT keep logging in while one of them mistypes.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core import ratelimit
from core.accounts.models import LoginThrottle
from core.config import Settings, get_settings
from core.db import utcnow
from core.errors import RateLimited

logger = logging.getLogger(__name__)
FORGET_AFTER = dt.timedelta(days=1)
PRUNE_EVERY_SECONDS = 60.0
_last_prune = 0.0
_prune_lock = threading.Lock()


def delay_after(failures: int, settings: Settings) -> int:
    """Seconds to wait after ``failures`` failures: none at first, then 1, 2, 4 … up to the cap."""
    if failures < settings.login_max_failures:
        return 0
    return min(2 ** (failures - settings.login_max_failures), settings.login_max_delay_seconds)


def _too_many(wait: int) -> RateLimited:
    when = f"{wait} 秒" if wait < 120 else f"{math.ceil(wait / 60)} 分钟"
    return RateLimited(f"登录失败次数过多，请 {when}后再试", retry_after=wait)


def _address_key(client: str) -> str:
    return f"login-failures:{client}"


def claim_attempt(session: Session, *, username: str, client: str) -> None:
    """Allow one password check for (username, client), or raise ``RateLimited`` with the wait.

    The attempt is counted as a failure *before* the password is checked, inside a locked row,
    so a burst of parallel guesses cannot all pass through the same free moment; a right
    password then clears the count (``clear``). Commits.
    """
    settings = get_settings()
    row = _locked_row(session, username[:64], client[:64])
    now = utcnow()
    if row.last_attempt_at < now - FORGET_AFTER:
        row.failures = 0
    if row.next_attempt_at > now:
        session.commit()
        # Who and from where, never what was typed (%r: a username cannot forge log lines).
        logger.info("登录限速：%r 自 %s 已失败 %d 次", username, client, row.failures)
        raise _too_many(math.ceil((row.next_attempt_at - now).total_seconds()))
    row.failures += 1
    row.last_attempt_at = now
    row.next_attempt_at = now + dt.timedelta(seconds=delay_after(row.failures, settings))
    session.flush()
    _maybe_prune(session, now)
    session.commit()
    wait = ratelimit.hit(
        session,
        _address_key(client),
        limit=settings.login_address_max_failures,
        seconds=settings.login_window_seconds,
    )
    if wait:
        logger.warning("登录限速：地址 %s 的失败次数已达上限", client)
        raise _too_many(wait)


def clear(session: Session, *, username: str, client: str) -> None:
    """A right password: forget this pair's failures and give the address its try back."""
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.username == username[:64], LoginThrottle.client == client[:64]
        )
    )
    ratelimit.forgive(session, _address_key(client), seconds=get_settings().login_window_seconds)


def _locked_row(session: Session, username: str, client: str) -> LoginThrottle:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    now = utcnow()
    session.execute(
        insert(LoginThrottle)
        .values(
            username=username, client=client, failures=0, next_attempt_at=now, last_attempt_at=now
        )
        .on_conflict_do_nothing(index_elements=[LoginThrottle.username, LoginThrottle.client])
    )
    # FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers.
    stmt = (
        select(LoginThrottle)
        .where(LoginThrottle.username == username, LoginThrottle.client == client)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(stmt).one()


def _maybe_prune(session: Session, now: dt.datetime) -> None:
    """Forget pairs idle for a day, at most once a minute per process."""
    global _last_prune
    with _prune_lock:
        if time.monotonic() - _last_prune < PRUNE_EVERY_SECONDS:
            return
        _last_prune = time.monotonic()
    session.execute(delete(LoginThrottle).where(LoginThrottle.last_attempt_at < now - FORGET_AFTER))
