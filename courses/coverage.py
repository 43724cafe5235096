"""Legal-representative training coverage (measure 33), exactly by the rule of gen_registry.py.

Denominator: units with management_category 重点管理 and permit_status 有效. A unit is covered
when its CURRENT legal representative (``Enterprise.legal_rep_name``) has a passed training record
for that unit with a course whose audience is 法定代表人, completed on or before ``as_of``. The
monthly burn-up counts, for each month end from 2022-01 to the as-of month (the last point being
``as_of`` itself), today's key units whose current representative had completed by then.

The aggregation runs in the database: one grouped query per report, so 100,000 units stay well
under half a second on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, extract, func, literal, select
from sqlalchemy.orm import Session

from core.enterprises.models import Enterprise, ManagementCategory, PermitStatus
from core.regions.scope import RegionScope
from courses.models import Audience, Course, TrainingRecord

START = dt.date(2022, 1, 1)
TARGET_DATE = dt.date(2024, 12, 31)
DAYS_PER_MONTH = 365.25 / 12
PACE_WINDOW_MONTHS = 3


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """Month ends from ``start``'s month up to ``end``; a partial last month ends at ``end``."""
    out: list[dt.date] = []
    y, m = start.year, start.month
    while True:
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        last = nxt - dt.timedelta(days=1)
        if last > end:
            if not out or out[-1] < end:
                out.append(end)
            return out
        out.append(last)
        y, m = nxt.year, nxt.month


@dataclass
class Projection:
    """Where a region is heading at its recent pace."""

    pace_per_month: float
    projected_on: dt.date | None  # None: never at the current pace (or already complete)
    needed_per_month: float | None  # None: the target date has passed or nothing remains
    remaining: int
    complete: bool
    on_track: bool


@dataclass
class Bucket:
    """Key units and covered units of one region, with its monthly burn-up."""

    key_units: int = 0
    covered: int = 0
    monthly: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return round(self.covered / self.key_units, 6) if self.key_units else None

    @property
    def uncovered(self) -> int:
        return self.key_units - self.covered

    def as_dict(self) -> dict:
        """The API shape: key_units, covered, rate."""
        return {"key_units": self.key_units, "covered": self.covered, "rate": self.rate}


@dataclass
class CoverageReport:
    """The whole report for one scope and date."""

    as_of: dt.date
    scope: RegionScope
    months: list[dt.date]
    overall: Bucket
    by_province: dict[str, Bucket]
    by_city: dict[tuple[str, str], Bucket]

    @property
    def month_labels(self) -> list[str]:
        return [m.isoformat()[:7] for m in self.months]

    def as_dict(self) -> dict:
        """The JSON answer of ``GET /api/coverage`` (the shape of the generator's truth.json)."""
        return {
            "as_of": self.as_of.isoformat(),
            "scope": self.scope.label,
            "overall": self.overall.as_dict(),
            "by_province": {k: b.as_dict() for k, b in sorted(self.by_province.items())},
            "by_city": {f"{p}/{c}": b.as_dict() for (p, c), b in sorted(self.by_city.items())},
            "monthly_covered": dict(zip(self.month_labels, self.overall.monthly, strict=True)),
        }

    def monthly_at(self, label: str, bucket: Bucket | None = None) -> int:
        """Covered units at the end of month ``label`` (``YYYY-MM``), overall or of ``bucket``."""
        return (bucket or self.overall).monthly[self.month_labels.index(label)]

    def project(self, bucket: Bucket) -> Projection:
        """The projection of one bucket of this report."""
        return project(bucket, self.months, self.as_of)

    def cities_of(self, province: str) -> Iterator[tuple[str, Bucket]]:
        """The cities of ``province`` in this report, by name."""
        for (p, c), bucket in sorted(self.by_city.items()):
            if p == province:
                yield c, bucket


def _lr_course_ids(session: Session) -> list[int]:
    """Ids of the courses whose audience is 法定代表人 (a handful)."""
    return list(
        session.scalars(select(Course.id).where(Course.audience == Audience.LEGAL_REP.value))
    )


def _qualifying(as_of: dt.date, lr_course_ids: list[int]):
    """Passed 法定代表人 training up to ``as_of`` (imports and platform completions alike)."""
    return select(
        TrainingRecord.enterprise_id, TrainingRecord.person_name, TrainingRecord.completed_on
    ).where(
        TrainingRecord.course_id.in_(lr_course_ids),
        TrainingRecord.passed.is_(True),
        TrainingRecord.completed_on <= as_of,
    )


def _key_units(scope: RegionScope):
    stmt = select(Enterprise).where(_is_key_unit())
    return scope.apply(stmt, Enterprise.province, Enterprise.city)


def _is_key_unit():
    # literal values (not bound parameters) so SQLite and PostgreSQL can use the partial index
    return and_(
        Enterprise.management_category
        == literal(ManagementCategory.KEY.value, literal_execute=True),
        Enterprise.permit_status == literal(PermitStatus.VALID.value, literal_execute=True),
    )


def _report_stmt(scope: RegionScope, as_of: dt.date, lr_course_ids: list[int]):
    """Key units counted by province, city and the month their current representative was first
    trained (NULL year/month: not covered).

    The inner query walks the key units in (id, legal_rep_name) order and finds each one's first
    qualifying completion through the covering index on training_record: a merge join on
    PostgreSQL, index lookups on SQLite; nothing is aggregated for units outside the denominator.
    """
    per_unit = (
        select(
            Enterprise.province,
            Enterprise.city,
            func.min(TrainingRecord.completed_on).label("first_on"),
        )
        .select_from(Enterprise)
        .outerjoin(
            TrainingRecord,
            and_(
                TrainingRecord.enterprise_id == Enterprise.id,
                TrainingRecord.person_name == Enterprise.legal_rep_name,
                TrainingRecord.passed.is_(True),
                TrainingRecord.completed_on <= as_of,
                # the few course ids as literals: a filter on the index, no join per record
                TrainingRecord.course_id.in_(lr_course_ids),
            ),
        )
        .where(_is_key_unit())
        .group_by(Enterprise.id, Enterprise.province, Enterprise.city)
    )
    per_unit = scope.apply(per_unit, Enterprise.province, Enterprise.city).subquery("per_unit")
    year = extract("year", per_unit.c.first_on)
    month = extract("month", per_unit.c.first_on)
    return select(per_unit.c.province, per_unit.c.city, year, month, func.count()).group_by(
        per_unit.c.province, per_unit.c.city, year, month
    )


def coverage_report(session: Session, *, scope: RegionScope, as_of: dt.date) -> CoverageReport:
    """Coverage of the key units in ``scope`` as of ``as_of``, by province, city and month."""
    stmt = _report_stmt(scope, as_of, _lr_course_ids(session))
    months = month_ends(START, as_of)
    index_of = {(m.year, m.month): i for i, m in enumerate(months)}
    first_year, first_month = months[0].year, months[0].month
    n = len(months)

    def new_bucket() -> Bucket:
        return Bucket(monthly=[0] * n)

    overall = new_bucket()
    by_province: dict[str, Bucket] = {}
    by_city: dict[tuple[str, str], Bucket] = {}
    # rows arrive as counts of newly covered units per completion month; turn them into a burn-up
    increments: dict[tuple[str, str], list[int]] = {}
    for province, city, y, m, count in session.execute(stmt):
        city_bucket = by_city.get((province, city))
        if city_bucket is None:
            city_bucket = by_city[(province, city)] = new_bucket()
            increments[(province, city)] = [0] * n
        city_bucket.key_units += count
        if y is None:
            continue
        city_bucket.covered += count
        y, m = int(y), int(m)
        # completions before 2022-01 count from the first month on
        i = 0 if (y, m) < (first_year, first_month) else index_of.get((y, m), n - 1)
        increments[(province, city)][i] += count
    for key, bucket in by_city.items():
        running = 0
        for i, inc in enumerate(increments[key]):
            running += inc
            bucket.monthly[i] = running
        prov = by_province.setdefault(key[0], new_bucket())
        for target in (prov, overall):
            target.key_units += bucket.key_units
            target.covered += bucket.covered
            target.monthly = [a + b for a, b in zip(target.monthly, bucket.monthly, strict=True)]
    return CoverageReport(as_of, scope, months, overall, by_province, by_city)


def project(bucket: Bucket, months: list[dt.date], as_of: dt.date) -> Projection:
    """Projected completion at the pace of the last three months, and the pace the target needs."""
    remaining = bucket.uncovered
    complete = bucket.key_units > 0 and remaining == 0
    # the latest month end at least three months before as_of anchors the recent pace
    window_start = _months_before(as_of, PACE_WINDOW_MONTHS)
    anchor_i = None
    for i, m in enumerate(months):
        if m <= window_start:
            anchor_i = i
    if anchor_i is None:
        anchor_date, anchor_value = START - dt.timedelta(days=1), 0
    else:
        anchor_date, anchor_value = months[anchor_i], bucket.monthly[anchor_i]
    span_months = max((as_of - anchor_date).days, 1) / DAYS_PER_MONTH
    pace = max(bucket.covered - anchor_value, 0) / span_months
    projected_on = None
    if not complete and pace > 0:
        projected_on = as_of + dt.timedelta(days=round(remaining / pace * DAYS_PER_MONTH))
    needed = None
    if remaining > 0 and as_of < TARGET_DATE:
        needed = remaining / max((TARGET_DATE - as_of).days / DAYS_PER_MONTH, 1 / DAYS_PER_MONTH)
    on_track = complete or (projected_on is not None and projected_on <= TARGET_DATE)
    return Projection(
        pace_per_month=pace,
        projected_on=projected_on,
        needed_per_month=needed,
        remaining=remaining,
        complete=complete,
        on_track=on_track,
    )


def _months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    last_day = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(day.day, last_day))


@dataclass
class UncoveredUnit:
    """A key unit whose current legal representative has not been trained."""

    credit_code: str
    name: str
    province: str
    city: str
    legal_rep_name: str
    legal_rep_since: dt.date
    previous_rep_trained: bool  # someone else of the unit was trained: the representative changed

    @property
    def since(self) -> dt.date:
        """Since when the unit has been waiting: the current representative's start date."""
        return self.legal_rep_since


def uncovered_units(
    session: Session,
    *,
    scope: RegionScope,
    as_of: dt.date,
    limit: int | None = None,
    offset: int = 0,
) -> list[UncoveredUnit]:
    """The key units in ``scope`` not covered as of ``as_of``, by province, city and name."""
    lr_course_ids = _lr_course_ids(session)
    q = _qualifying(as_of, lr_course_ids).subquery("q")
    trained_now = exists().where(
        q.c.enterprise_id == Enterprise.id, q.c.person_name == Enterprise.legal_rep_name
    )
    other = _qualifying(as_of, lr_course_ids).subquery("other")
    trained_before = exists().where(
        other.c.enterprise_id == Enterprise.id, other.c.person_name != Enterprise.legal_rep_name
    )
    stmt = (
        _key_units(scope)
        .with_only_columns(
            Enterprise.credit_code,
            Enterprise.name,
            Enterprise.province,
            Enterprise.city,
            Enterprise.legal_rep_name,
            Enterprise.legal_rep_since,
            trained_before.label("prev"),
        )
        .where(~trained_now)
        .order_by(Enterprise.province, Enterprise.city, Enterprise.name, Enterprise.credit_code)
        .offset(offset)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [UncoveredUnit(*row[:6], bool(row[6])) for row in session.execute(stmt)]


def unit_coverage(session: Session, *, enterprise: Enterprise, as_of: dt.date) -> dt.date | None:
    """The date the unit's current representative was first trained, or None."""
    q = _qualifying(as_of, _lr_course_ids(session)).subquery("q")
    return session.scalar(
        select(func.min(q.c.completed_on)).where(
            q.c.enterprise_id == enterprise.id, q.c.person_name == enterprise.legal_rep_name
        )
    )


RECENT_CHANGE_DAYS = 90


@dataclass
class CityReminder:
    """What one city bureau should chase: its uncovered key units, the newly changed first."""

    province: str
    city: str
    admins: list[str]
    units: list[UncoveredUnit]
    as_of: dt.date

    def is_new(self, unit: UncoveredUnit) -> bool:
        """The representative changed after a colleague was trained, or took office lately."""
        return unit.previous_rep_trained or (
            (self.as_of - unit.legal_rep_since).days <= RECENT_CHANGE_DAYS
        )

    @property
    def newly_changed(self) -> list[UncoveredUnit]:
        return [u for u in self.units if self.is_new(u)]

    @property
    def untrained(self) -> list[UncoveredUnit]:
        return [u for u in self.units if not self.is_new(u)]


def city_reminders(
    session: Session, *, as_of: dt.date, scope: RegionScope | None = None
) -> list[CityReminder]:
    """Per city with a city admin: the key units whose representative is untrained or new."""
    from core.accounts.models import Role, User

    stmt = select(User.province, User.city, User.username).where(
        User.role == Role.CITY.value, User.is_active.is_(True)
    )
    if scope is not None:
        stmt = scope.apply(stmt, User.province, User.city)
    admins: dict[tuple[str, str], list[str]] = {}
    for province, city, username in session.execute(stmt.order_by(User.username)):
        admins.setdefault((province, city), []).append(username)
    reminders = []
    for (province, city), names in sorted(admins.items()):
        units = uncovered_units(session, scope=RegionScope(province, city), as_of=as_of)
        reminder = CityReminder(province, city, names, units, as_of)
        reminder.units.sort(key=lambda u: (not reminder.is_new(u), u.name))
        reminders.append(reminder)
    return reminders
