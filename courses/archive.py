"""Figures that keep their past: month-end coverage archived once, never recomputed on read.

The first time coverage is computed after a month has ended (a page, the API, ``remind``, or
``permithub coverage archive``), every ended month not yet archived is frozen per city: key
units, covered units and their evidence sources at the month's last day. Reports then take
those months from the archive — the burn-up's past points and any report dated on an archived
month end, such as the 2024-12-31 deadline — and only the current month live. A national admin
may re-archive a month; the change is audited with the difference.

Nothing is archived while the registry holds no key unit, so a fresh installation does not
freeze zeros before its first import.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.audit.service import record_audit
from core.errors import Forbidden, Invalid
from core.regions.scope import NATIONAL, RegionScope
from courses import coverage
from courses.coverage import SOURCES, Bucket, CoverageReport
from courses.models import CoverageArchive

logger = logging.getLogger(__name__)

_SOURCE_COLUMNS = {
    "class": "covered_class",
    "import": "covered_import",
    "platform": "covered_platform",
}


def ended_months(today: dt.date) -> list[dt.date]:
    """Month ends from 2022-01 whose month is over on ``today``."""
    first_of_month = today.replace(day=1)
    if first_of_month <= coverage.START:
        return []
    return coverage.month_ends(coverage.START, first_of_month - dt.timedelta(days=1))


def archived_months(session: Session) -> set[dt.date]:
    """The month ends already in the archive."""
    return set(session.scalars(select(CoverageArchive.month_on).distinct()))


def ensure_archived(session: Session, *, today: dt.date | None = None) -> list[dt.date]:
    """Archive every ended month not archived yet (one national report); the months archived."""
    today = today or dt.date.today()
    missing = sorted(set(ended_months(today)) - archived_months(session))
    if not missing:
        return []
    report = coverage.coverage_report(session, scope=NATIONAL, as_of=missing[-1])
    if report.overall.key_units == 0:
        return []
    rows = [
        _row(month, province, city, report, bucket, "")
        for month in missing
        for (province, city), bucket in report.by_city.items()
    ]
    try:
        with session.begin_nested():
            session.add_all(rows)
    except IntegrityError:
        # another request archived the same months at the same moment: theirs stand
        logger.info("coverage months archived concurrently: %s", missing)
        return []
    session.commit()
    logger.info("archived coverage for %d month(s) up to %s", len(missing), missing[-1])
    return missing


def _row(
    month: dt.date,
    province: str,
    city: str,
    report: CoverageReport,
    bucket: Bucket,
    actor: str,
) -> CoverageArchive:
    i = report.months.index(month)
    by_source = {
        column: bucket.monthly_by_source[source][i] for source, column in _SOURCE_COLUMNS.items()
    }
    return CoverageArchive(
        month_on=month,
        province=province,
        city=city,
        key_units=bucket.key_units,
        covered=bucket.monthly[i],
        archived_by=actor,
        **by_source,
    )


def coverage_report(
    session: Session, *, scope: RegionScope, as_of: dt.date, today: dt.date | None = None
) -> CoverageReport:
    """The report as pages show it: archived months from the archive, the rest live."""
    ensure_archived(session, today=today)
    report = coverage.coverage_report(session, scope=scope, as_of=as_of)
    archived = _archived(session, scope, report.months)
    if not archived:
        return report
    as_of_archived = as_of in archived
    cities = {city for rows in archived.values() for city in rows} | set(report.by_city)
    for city in cities:
        bucket = report.by_city.get(city) or _empty(len(report.months))
        for i, month in enumerate(report.months):
            if month in archived:
                row = archived[month].get(city)
                bucket.monthly[i] = row.covered if row else 0
                for source, column in _SOURCE_COLUMNS.items():
                    bucket.monthly_by_source[source][i] = getattr(row, column) if row else 0
        if as_of_archived:
            row = archived[as_of].get(city)
            bucket.key_units = row.key_units if row else 0
        bucket.covered = bucket.monthly[-1]
        report.by_city[city] = bucket
    report.by_city = {c: b for c, b in report.by_city.items() if b.key_units or b.covered}
    _reaggregate(report)
    return report


def _archived(session: Session, scope: RegionScope, months: list[dt.date]) -> dict[dt.date, dict]:
    """Archived rows (plain rows, not ORM objects: a national report reads tens of thousands)
    by month end and (province, city)."""
    table = CoverageArchive.__table__
    stmt = scope.apply(
        select(table).where(table.c.month_on.in_(months)),
        CoverageArchive.province,
        CoverageArchive.city,
    )
    out: dict[dt.date, dict] = {}
    for row in session.execute(stmt):
        out.setdefault(row.month_on, {})[(row.province, row.city)] = row
    return out


def _empty(n: int) -> Bucket:
    return Bucket(monthly=[0] * n, monthly_by_source={s: [0] * n for s in SOURCES})


def _reaggregate(report: CoverageReport) -> None:
    """Provinces and the whole report again as the sums of their cities."""
    n = len(report.months)
    report.overall, report.by_province = _empty(n), {}
    for (province, _city), bucket in sorted(report.by_city.items()):
        for target in (report.by_province.setdefault(province, _empty(n)), report.overall):
            coverage._add_into(target, bucket)


# ---- re-archiving (national admins) ---------------------------------------------------------


@dataclass
class RegionChange:
    region: str
    before: tuple[int, int] | None  # (covered, key_units); None: not in the archive
    after: tuple[int, int] | None


@dataclass
class Rearchived:
    """What a re-archive changed: the national figure before and after, and each city that moved."""

    month_on: dt.date
    before: tuple[int, int]
    after: tuple[int, int]
    changes: list[RegionChange]


def rearchive(
    session: Session, *, scope: RegionScope, actor: User | None, month: str | dt.date
) -> Rearchived:
    """Recompute an ended month from today's data and replace its archive (national only)."""
    if not scope.is_national:
        raise Forbidden("只有部级管理员可以重新存档月度覆盖数据")
    month_on = _month_end(month)
    if month_on not in ended_months(dt.date.today()):
        raise Invalid(f"{month_on.isoformat()[:7]} 尚未结束或早于 2022-01，不能存档")
    old = _archived(session, NATIONAL, [month_on]).get(month_on, {})
    report = coverage.coverage_report(session, scope=NATIONAL, as_of=month_on)
    actor_name = getattr(actor, "username", None) or "cli"
    new = {c: _row(month_on, *c, report, b, actor_name) for c, b in report.by_city.items()}
    changes = []
    for city in sorted(set(old) | set(new)):
        before = (old[city].covered, old[city].key_units) if city in old else None
        after = (new[city].covered, new[city].key_units) if city in new else None
        if before != after:
            changes.append(RegionChange(RegionScope(*city).label, before, after))
    result = Rearchived(
        month_on,
        (sum(r.covered for r in old.values()), sum(r.key_units for r in old.values())),
        (report.overall.covered, report.overall.key_units),
        changes,
    )
    session.execute(delete(CoverageArchive).where(CoverageArchive.month_on == month_on))
    session.add_all(new.values())
    record_audit(
        session,
        actor=actor,
        action="coverage.rearchive",
        target_kind="coverage_archive",
        target_id=month_on.isoformat()[:7],
        detail={
            "before": {"covered": result.before[0], "key_units": result.before[1]},
            "after": {"covered": result.after[0], "key_units": result.after[1]},
            "cities": {c.region: {"before": c.before, "after": c.after} for c in changes},
        },
    )
    session.commit()
    return result


def _month_end(month: str | dt.date) -> dt.date:
    if isinstance(month, dt.date):
        first = month.replace(day=1)
    else:
        try:
            first = dt.date.fromisoformat(f"{month.strip()[:7]}-01")
        except ValueError:
            raise Invalid(f"月份“{month}”格式不正确，应为 YYYY-MM") from None
    return coverage.month_ends(first, first.replace(day=28) + dt.timedelta(days=4))[0]


def archive_summary(session: Session) -> tuple[dt.date | None, dt.date | None, dt.datetime | None]:
    """First and last archived month ends and when the archive last changed."""
    first, last, changed = session.execute(
        select(
            func.min(CoverageArchive.month_on),
            func.max(CoverageArchive.month_on),
            func.max(CoverageArchive.archived_at),
        )
    ).one()
    return first, last, changed
