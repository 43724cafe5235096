"""Legal-representative training coverage (measure 33), by the rule of gen_registry.py.

Denominator: units with management_category 重点管理 and permit_status 有效. A unit is covered
as of a date when the legal representative registered ON THAT DATE has a passed training record
for that unit with a course whose audience is 法定代表人, completed on or before the date. The
monthly burn-up counts, for each month end from 2022-01 to the as-of month (the last point being
``as_of`` itself), today's key units covered at that month end.

Every training record is evidence a bureau stands behind (``EvidenceSource``): attendance at a
class recorded by an admin under the registered name, records an admin imported, or an online
completion by an account a city or province admin verified (``courses.evidence``). Unverified
online completions have no training record, so they count nowhere until approved.

The registered representative on a date comes from the registry's change history: a change
recorded with a later effective date means its previous holder was still in office, so a change
imported today never rewrites a figure as of an earlier date. Without recorded changes the
representative is the registry's current one, which is exactly the generator's rule.

The aggregation runs in the database: one grouped query for the units whose representative did
not change inside the reported months (nearly all), then the few others unit by unit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import and_, case, exists, extract, func, literal, select
from sqlalchemy.orm import Session

from core.bulk import select_in_chunks
from core.enterprises.models import Enterprise
from core.regions.scope import RegionScope
from courses.legal_reps import (
    changes_after,
    is_key_unit,
    key_units_with_rep,
    rep_on,
    reps_on,
    units_changed_after,
    without_jit,
)
from courses.models import (
    Audience,
    Course,
    EvidenceSource,
    RepVerification,
    TrainingRecord,
    VerificationStatus,
)

START = dt.date(2022, 1, 1)
TARGET_DATE = dt.date(2024, 12, 31)
DAYS_PER_MONTH = 365.25 / 12
PACE_WINDOW_MONTHS = 3
# on the same day, a class attended beats an import, which beats an online completion
SOURCES = (EvidenceSource.CLASS.value, EvidenceSource.IMPORT.value, EvidenceSource.PLATFORM.value)


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
    # covered units by evidence source at each month end; the sources add up to ``monthly``
    monthly_by_source: dict[str, list[int]] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        return round(self.covered / self.key_units, 6) if self.key_units else None

    @property
    def uncovered(self) -> int:
        return self.key_units - self.covered

    @property
    def by_source(self) -> dict[str, int]:
        """Covered units as of the report's date, by the source of their first evidence."""
        return {s: (v[-1] if v else 0) for s, v in self.monthly_by_source.items()}

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
            "covered_by_source": self.overall.by_source,
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
    """Passed 法定代表人 training up to ``as_of`` (every source counts: see the module doc)."""
    return select(
        TrainingRecord.enterprise_id, TrainingRecord.person_name, TrainingRecord.completed_on
    ).where(
        TrainingRecord.course_id.in_(lr_course_ids),
        TrainingRecord.passed.is_(True),
        TrainingRecord.completed_on <= as_of,
    )


def _key_units(scope: RegionScope):
    stmt = select(Enterprise).where(is_key_unit())
    return scope.apply(stmt, Enterprise.province, Enterprise.city)


# ---- the report -------------------------------------------------------------------------------


def _report_stmt(scope: RegionScope, as_of: dt.date, lr_course_ids: list[int]):
    """Key units counted by province, city, the month their current representative was first
    trained (NULL: not covered) and the source of that first evidence. The few units whose
    representative changed during the report's months are corrected afterwards.

    The inner query walks the key units in (id, legal_rep_name) order and finds each one's first
    qualifying completion through the covering index on training_record: a merge join on
    PostgreSQL, index lookups on SQLite; nothing is aggregated for units outside the denominator.
    """
    first_on = func.min(TrainingRecord.completed_on)

    def first_from(source: str):
        return func.min(case((TrainingRecord.source == source, TrainingRecord.completed_on)))

    source = case(
        (first_from(SOURCES[0]) == first_on, literal(SOURCES[0])),
        (first_from(SOURCES[1]) == first_on, literal(SOURCES[1])),
        (first_on.is_not(None), literal(SOURCES[2])),
    )
    per_unit = (
        select(
            Enterprise.province,
            Enterprise.city,
            first_on.label("first_on"),
            source.label("source"),
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
        .where(is_key_unit())
        .group_by(Enterprise.id, Enterprise.province, Enterprise.city)
    )
    per_unit = scope.apply(per_unit, Enterprise.province, Enterprise.city).subquery("per_unit")
    year = extract("year", per_unit.c.first_on)
    month = extract("month", per_unit.c.first_on)
    return select(
        per_unit.c.province, per_unit.c.city, year, month, per_unit.c.source, func.count()
    ).group_by(per_unit.c.province, per_unit.c.city, year, month, per_unit.c.source)


class _Tally:
    """Counts per city: key units, and covered units per source at each month end."""

    def __init__(self, months: list[dt.date]) -> None:
        self.months = months
        self.index_of = {(m.year, m.month): i for i, m in enumerate(months)}
        self.key_units: dict[tuple[str, str], int] = defaultdict(int)
        # increments: newly covered units in a month (for units whose representative is stable)
        self.increments: dict[tuple[str, str], dict[str, list[int]]] = {}
        # levels: covered units at each month end (for units whose representative changed)
        self.levels: dict[tuple[str, str], dict[str, list[int]]] = {}

    def _series(self, table: dict, city: tuple[str, str], source: str) -> list[int]:
        per_source = table.setdefault(city, {})
        return per_source.setdefault(source, [0] * len(self.months))

    def add_stable(self, city: tuple[str, str], y, m, source: str | None, count: int) -> None:
        self.key_units[city] += count
        if y is not None:
            self._series(self.increments, city, source)[self._index(int(y), int(m))] += count

    def _index(self, y: int, m: int) -> int:
        """The month a completion counts from (completions before 2022-01 from the first)."""
        first = self.months[0]
        return 0 if (y, m) < (first.year, first.month) else self.index_of.get((y, m), -1)

    def correct(
        self,
        city: tuple[str, str],
        counted: tuple[dt.date, str] | None,
        covered: list[str | None],
    ) -> None:
        """One unit whose representative changed: take back what the grouped query counted for
        it (``counted``: its current representative's first training and source) and count the
        source covering it at each month end under the representative of that month end."""
        if counted is not None:
            day, source = counted
            self._series(self.increments, city, source)[self._index(day.year, day.month)] -= 1
        for i, source in enumerate(covered):
            if source is not None:
                self._series(self.levels, city, source)[i] += 1

    def report(self, as_of: dt.date, scope: RegionScope) -> CoverageReport:
        n = len(self.months)

        def new_bucket() -> Bucket:
            return Bucket(monthly=[0] * n, monthly_by_source={s: [0] * n for s in SOURCES})

        overall, by_province, by_city = new_bucket(), {}, {}
        for city in sorted(self.key_units):
            bucket = by_city[city] = new_bucket()
            bucket.key_units = self.key_units[city]
            for source in SOURCES:
                running, series = 0, bucket.monthly_by_source[source]
                increments = self.increments.get(city, {}).get(source, [0] * n)
                levels = self.levels.get(city, {}).get(source, [0] * n)
                for i in range(n):
                    running += increments[i]
                    series[i] = running + levels[i]
            bucket.monthly = [sum(v) for v in zip(*bucket.monthly_by_source.values(), strict=True)]
            bucket.covered = bucket.monthly[-1]
            for target in (by_province.setdefault(city[0], new_bucket()), overall):
                _add_into(target, bucket)
        return CoverageReport(as_of, scope, self.months, overall, by_province, by_city)


def _add_into(target: Bucket, bucket: Bucket) -> None:
    target.key_units += bucket.key_units
    target.covered += bucket.covered
    target.monthly = [a + b for a, b in zip(target.monthly, bucket.monthly, strict=True)]
    for source, series in bucket.monthly_by_source.items():
        mine = target.monthly_by_source[source]
        target.monthly_by_source[source] = [a + b for a, b in zip(mine, series, strict=True)]


def coverage_report(session: Session, *, scope: RegionScope, as_of: dt.date) -> CoverageReport:
    """Coverage of the key units in ``scope`` as of ``as_of``, by province, city and month."""
    lr_course_ids = _lr_course_ids(session)
    months = month_ends(START, as_of)
    tally = _Tally(months)
    for province, city, y, m, source, count in session.execute(
        _report_stmt(scope, as_of, lr_course_ids)
    ):
        tally.add_stable((province, city), y, m, source, count)
    for city, counted, covered in _changed_units(session, scope, months, lr_course_ids):
        tally.correct(city, counted, covered)
    return tally.report(as_of, scope)


def _changed_units(
    session: Session, scope: RegionScope, months: list[dt.date], lr_course_ids: list[int]
) -> Iterator[tuple[tuple[str, str], tuple[dt.date, str] | None, list[str | None]]]:
    """Key units whose representative changed after the first month end: the current
    representative's first training (what the grouped query counted), and the covering source
    at each month end with the representative registered at that month end."""
    units = session.execute(
        _key_units(scope)
        .with_only_columns(
            Enterprise.id, Enterprise.province, Enterprise.city, Enterprise.legal_rep_name
        )
        .where(Enterprise.id.in_(units_changed_after(months[0])))
    ).all()
    if not units:
        return
    ids = [u[0] for u in units]
    changes = changes_after(session, ids, months[0])
    first: dict[tuple[int, str], tuple[dt.date, int]] = {}
    for uid, person, day, source in select_in_chunks(
        session,
        lambda chunk: select(
            TrainingRecord.enterprise_id,
            TrainingRecord.person_name,
            TrainingRecord.completed_on,
            TrainingRecord.source,
        ).where(
            TrainingRecord.enterprise_id.in_(chunk),
            TrainingRecord.course_id.in_(lr_course_ids),
            TrainingRecord.passed.is_(True),
            TrainingRecord.completed_on <= months[-1],
        ),
        ids,
    ):
        rank = SOURCES.index(source) if source in SOURCES else len(SOURCES) - 1
        key = (uid, person)
        first[key] = min(first.get(key, (day, rank)), (day, rank))
    for uid, province, city, current in units:
        covered: list[str | None] = []
        for month_end in months:
            done = first.get((uid, rep_on(changes.get(uid, []), current, month_end)))
            covered.append(SOURCES[done[1]] if done and done[0] <= month_end else None)
        counted = first.get((uid, current))
        yield (province, city), (counted[0], SOURCES[counted[1]]) if counted else None, covered


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
    """A key unit whose legal representative (registered on the as-of date) is not trained."""

    credit_code: str
    name: str
    province: str
    city: str
    legal_rep_name: str
    legal_rep_since: dt.date | None  # None: in office before the first recorded change
    # the representative changed after a predecessor was trained (not merely: someone else of
    # the unit was trained, which a wrong name on an attendance list must never suggest)
    previous_rep_trained: bool
    # an online completion under this name waits for a bureau to verify the account (待核实)
    pending_verification: bool = False

    @property
    def since(self) -> dt.date | None:
        """Since when the unit has been waiting: the representative's start date."""
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
    without_jit(session)
    u = key_units_with_rep(scope, as_of)

    def trained(*conditions):
        return exists().where(
            TrainingRecord.enterprise_id == u.c.id,
            TrainingRecord.course_id.in_(lr_course_ids),
            TrainingRecord.passed.is_(True),
            TrainingRecord.completed_on <= as_of,
            *conditions,
        )

    predecessor_trained = trained(
        TrainingRecord.person_name != u.c.rep,
        TrainingRecord.role == Audience.LEGAL_REP.value,
        TrainingRecord.completed_on < u.c.since,
    )
    day_after = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    pending = exists().where(
        RepVerification.enterprise_id == u.c.id,
        RepVerification.person_name == u.c.rep,
        RepVerification.status == VerificationStatus.PENDING.value,
        RepVerification.requested_at < day_after,
    )
    stmt = (
        select(
            u.c.credit_code,
            u.c.name,
            u.c.province,
            u.c.city,
            u.c.rep,
            u.c.since,
            predecessor_trained.label("prev"),
            pending.label("pending"),
        )
        .where(~trained(TrainingRecord.person_name == u.c.rep))
        .order_by(u.c.province, u.c.city, u.c.name, u.c.credit_code)
        .offset(offset)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [UncoveredUnit(*row[:6], bool(row[6]), bool(row[7])) for row in session.execute(stmt)]


def unit_coverage(session: Session, *, enterprise: Enterprise, as_of: dt.date) -> dt.date | None:
    """The date the unit's representative (registered on ``as_of``) was first trained, or None."""
    rep = reps_on(session, [enterprise.id], as_of).get(enterprise.id, enterprise.legal_rep_name)
    q = _qualifying(as_of, _lr_course_ids(session)).subquery("q")
    return session.scalar(
        select(func.min(q.c.completed_on)).where(
            q.c.enterprise_id == enterprise.id, q.c.person_name == rep
        )
    )


@dataclass
class CoveredUnit:
    """A key unit covered as of the date asked about, with its first evidence."""

    credit_code: str
    name: str
    province: str
    city: str
    legal_rep_name: str
    trained_on: dt.date
    source: str  # EvidenceSource value


def covered_units(session: Session, *, scope: RegionScope, as_of: dt.date) -> list[CoveredUnit]:
    """The key units in ``scope`` covered as of ``as_of``, with the date and source of the
    first qualifying evidence (on the same day: class, then import, then online)."""
    lr_course_ids = _lr_course_ids(session)
    u = key_units_with_rep(scope, as_of)

    def first_from(source: str):
        return func.min(case((TrainingRecord.source == source, TrainingRecord.completed_on)))

    stmt = (
        select(
            u.c.credit_code,
            u.c.name,
            u.c.province,
            u.c.city,
            u.c.rep,
            func.min(TrainingRecord.completed_on),
            first_from(SOURCES[0]),
            first_from(SOURCES[1]),
        )
        .join(
            TrainingRecord,
            and_(
                TrainingRecord.enterprise_id == u.c.id,
                TrainingRecord.person_name == u.c.rep,
                TrainingRecord.course_id.in_(lr_course_ids),
                TrainingRecord.passed.is_(True),
                TrainingRecord.completed_on <= as_of,
            ),
        )
        .group_by(u.c.id, u.c.credit_code, u.c.name, u.c.province, u.c.city, u.c.rep)
        .order_by(u.c.province, u.c.city, u.c.name, u.c.credit_code)
    )
    out = []
    for code, name, province, city, rep, first, by_class, by_import in session.execute(stmt):
        source = (
            SOURCES[0] if by_class == first else SOURCES[1] if by_import == first else SOURCES[2]
        )
        out.append(CoveredUnit(code, name, province, city, rep, first, source))
    return out
