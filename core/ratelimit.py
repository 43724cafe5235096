"""Rate limits kept in the database, so every worker process counts against the same budget.

Fixed windows: one row per key and window (e.g. ``ask:user:7`` in minute 29,000,123) holding the
number of hits. A hit is one atomic upsert that returns the new count, so two workers counting
the same key at once never both get the last free slot. Rows of ended windows are deleted now
and then by whichever request passes by.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from functools import lru_cache

from sqlalchemy import BigInteger, Integer, String, bindparam, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base, UTCDateTime, utcnow
from core.errors import RateLimited

MAX_KEY_CHARS = 160
PRUNE_EVERY_SECONDS = 60.0
_last_prune = 0.0
_prune_lock = threading.Lock()


class RateLimitWindow(Base):
    """Hits of one key in one fixed window (``window_no`` = start time // window length)."""

    __tablename__ = "rate_limit_window"

    key: Mapped[str] = mapped_column(String(MAX_KEY_CHARS), primary_key=True)
    window_no: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


def caller_key(user, address: str) -> str:
    """A logged-in user is counted as themselves (wherever they are); anyone else by address."""
    return f"user:{user.id}" if user is not None else f"ip:{address}"


@lru_cache(maxsize=4)
def _upsert(dialect: str):
    """The counting upsert for a dialect, built once: every question, chat message and practice
    answer passes here, and building the statement anew cost more than running it."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # On the table, not the mapped class: the ORM's bulk-insert path costs about 0.1 ms more.
    table = RateLimitWindow.__table__
    stmt = insert(table).values(
        key=bindparam("key"),
        window_no=bindparam("window_no"),
        hits=bindparam("cost"),
        expires_at=bindparam("expires_at"),
    )
    return stmt.on_conflict_do_update(
        index_elements=[table.c.key, table.c.window_no],
        set_={"hits": table.c.hits + bindparam("cost")},
    ).returning(table.c.hits)


def hit(session: Session, key: str, *, limit: int, seconds: int = 60, cost: int = 1) -> int:
    """Count ``cost`` hits for ``key`` in the current window and commit.

    Returns:
        0 when the hits are within ``limit``, else the seconds until the window ends.
    """
    now = utcnow()
    epoch = now.timestamp()
    window = int(epoch // seconds)
    ends = (window + 1) * seconds
    stmt = _upsert(session.get_bind().dialect.name)
    hits = session.execute(
        stmt,
        {
            "key": key[:MAX_KEY_CHARS],
            "window_no": window,
            "cost": cost,
            "expires_at": dt.datetime.fromtimestamp(ends, dt.UTC),
        },
    ).scalar_one()
    _maybe_prune(session, now)
    session.commit()
    return 0 if hits <= limit else max(1, math.ceil(ends - epoch))


def forgive(session: Session, key: str, *, seconds: int = 60, cost: int = 1) -> None:
    """Take back hits counted in the current window (e.g. a login that turned out right)."""
    window = int(utcnow().timestamp() // seconds)
    session.execute(
        update(RateLimitWindow)
        .where(RateLimitWindow.key == key[:MAX_KEY_CHARS], RateLimitWindow.window_no == window)
        .values(hits=RateLimitWindow.hits - cost)
    )
    session.commit()


def enforce(session: Session, key: str, *, limit: int, message: str, seconds: int = 60) -> None:
    """Count a hit; over the limit → ``RateLimited`` carrying the seconds to wait."""
    wait = hit(session, key, limit=limit, seconds=seconds)
    if wait:
        raise RateLimited(message, retry_after=wait)


def _maybe_prune(session: Session, now: dt.datetime) -> None:
    """Delete ended windows at most once a minute per process (cheap: ``expires_at`` is indexed)."""
    global _last_prune
    with _prune_lock:
        if time.monotonic() - _last_prune < PRUNE_EVERY_SECONDS:
            return
        _last_prune = time.monotonic()
    session.execute(delete(RateLimitWindow).where(RateLimitWindow.expires_at < now))
