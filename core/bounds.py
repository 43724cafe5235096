"""Bounds on the numbers and dates requests carry, shared by every route and schema.

No row has an id beyond a 32-bit integer (PostgreSQL's ``integer``; SQLite overflows past 2**63),
no list needs a page beyond ``MAX_PAGE``, and a year outside 2000–2100 is a typo. Declared here,
each bound is a 422 with a Chinese message at the edge and a ``maximum`` in the OpenAPI schema,
never an OverflowError, a database error or a ``date`` that cannot be built deep inside a service.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

MAX_ID = 2**31 - 1
MAX_PAGE = 100_000
FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)


def within_years(day: dt.date | None) -> dt.date | None:
    """Refuse a date outside FIRST_YEAR..LAST_YEAR (a pydantic validator)."""
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise PydanticCustomError(
            "date_range",
            "日期应在 {first} 至 {last} 之间",
            {"first": str(FIRST_DAY), "last": str(LAST_DAY)},
        )
    return day


# In request bodies.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Day = Annotated[dt.date, AfterValidator(within_years)]

# In paths and query strings.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
PageQuery = Annotated[int, Query(ge=1, le=MAX_PAGE)]
YearQuery = Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)]
