"""Beijing time, the one display time zone: PermitHub's users are in China (UTC+8, no daylight
saving). The database stores UTC (``core.db.UTCDateTime``); pages, exports, certificates and the
bot show Beijing time, and times typed into a form without a zone are read as Beijing time."""

from __future__ import annotations

import datetime as dt

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


def in_beijing(moment: dt.datetime) -> dt.datetime:
    """``moment`` in Beijing time; a moment without a zone is taken to be in Beijing already."""
    return moment.astimezone(BEIJING) if moment.tzinfo else moment.replace(tzinfo=BEIJING)


def beijing_text(moment: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """``moment`` written in Beijing time (``""`` for no moment)."""
    return in_beijing(moment).strftime(fmt) if moment else ""


def beijing_today() -> dt.date:
    """Today's date in Beijing."""
    return dt.datetime.now(BEIJING).date()
