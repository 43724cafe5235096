"""API shapes of the courses domain: coverage report and uncovered units."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class CoverageBucketRead(BaseModel):
    key_units: int
    covered: int
    rate: float | None


class CoverageRead(BaseModel):
    """The coverage report; the same shape as the generator's truth.json."""

    as_of: dt.date
    scope: str
    overall: CoverageBucketRead
    by_province: dict[str, CoverageBucketRead]
    by_city: dict[str, CoverageBucketRead]
    monthly_covered: dict[str, int]


class UncoveredUnitRead(BaseModel):
    credit_code: str
    name: str
    province: str
    city: str
    legal_rep_name: str
    since: dt.date
    previous_rep_trained: bool


class UncoveredListRead(BaseModel):
    as_of: dt.date
    scope: str
    count: int
    items: list[UncoveredUnitRead]
