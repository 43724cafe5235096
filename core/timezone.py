"""The one display time zone: Beijing time (UTC+8, no daylight saving) on every page and export.

Times are stored in UTC (``core.db.UTCDateTime``); people read them here.
"""

from __future__ import annotations

import datetime as dt

from core.times import BEIJING, beijing_today  # noqa: F401 - the one definition of Beijing time


def to_beijing(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored time in Beijing time (naive values are taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(BEIJING)


def beijing_time(moment: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time as people read it, e.g. ``2026-11-20 17:02`` (Beijing time)."""
    local = to_beijing(moment)
    return local.strftime(fmt) if local else ""
