"""What the coverage page and API need around the report: the date it defaults to, the region
asked for (full or short names, 404 for one that does not exist) and the summary export.

The default date: a registry whose training records end before today (the demo data ends on
2024-06-30) would show every region as "no progress in three months" if the report ran to
today, so the report defaults to the newest training date in the data when that is earlier
than today, and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.enterprises.models import Enterprise
from core.errors import NotFound
from core.regions.names import city_variants, full_province_name
from core.regions.scope import RegionScope
from core.spreadsheets import csv_bytes, xlsx_bytes
from core.timezone import beijing_today
from courses.coverage import CoverageReport, Projection
from courses.models import TrainingRecord


@dataclass(frozen=True)
class AsOf:
    """The report's date and why it was chosen."""

    day: dt.date
    chosen: bool  # True: asked for; False: the default
    reason: str  # said on the page and in the API answer

    @property
    def note(self) -> str | None:
        return None if self.chosen else self.reason


def default_as_of(session: Session, *, scope: RegionScope, today: dt.date | None = None) -> AsOf:
    """Today, or the newest training date of the region when the data ends before today."""
    today = today or beijing_today()
    stmt = select(func.max(TrainingRecord.completed_on)).join(
        Enterprise, Enterprise.id == TrainingRecord.enterprise_id
    )
    newest = session.scalar(scope.apply(stmt, Enterprise.province, Enterprise.city))
    if newest is not None and newest < today:
        return AsOf(
            newest,
            False,
            f"统计日期默认为数据中最新的培训日期 {newest.isoformat()}"
            f"（早于今天 {today.isoformat()}）",
        )
    return AsOf(today, False, f"统计日期默认为今天 {today.isoformat()}")


def resolve_as_of(
    session: Session, *, scope: RegionScope, as_of: dt.date | None, today: dt.date | None = None
) -> AsOf:
    """``as_of`` when given, else the default."""
    if as_of is not None:
        return AsOf(as_of, True, f"统计日期 {as_of.isoformat()}")
    return default_as_of(session, scope=scope, today=today)


def resolve_region(
    session: Session, *, scope: RegionScope, province: str | None, city: str | None
) -> RegionScope:
    """The admin's scope narrowed to ``province``/``city`` (short names accepted).

    A region that does not exist is ``NotFound`` with its name; one outside the admin's scope
    ``Forbidden`` (from ``RegionScope.narrow``).
    """
    province_text = (province or "").strip()
    city_text = (city or "").strip()
    full = full_province_name(province_text) if province_text else None
    if province_text and full is None:
        raise NotFound(f"没有名为“{province_text}”的省份，请使用如“江苏省”或“江苏”的名称")
    if city_text:
        in_province = full or scope.province
        if in_province is None:
            return scope.narrow(None, city_text)  # narrow explains that a province is needed
        names = city_variants(city_text)
        found = session.scalar(
            select(Enterprise.city)
            .where(Enterprise.province == in_province, Enterprise.city.in_(names))
            .limit(1)
        )
        if found is None:
            raise NotFound(
                f"{in_province}没有名为“{city_text}”的城市（名录中没有该城市的排污单位）"
            )
        city_text = found
    return scope.narrow(full, city_text or None)


# ---- the summary export: one row per province or per city ---------------------------------------

SUMMARY_HEADER = (
    "省份",
    "城市",
    "重点管理单位",
    "已覆盖",
    "未覆盖",
    "覆盖率（%）",
    "近三月进度（家/月）",
    "预计全覆盖日期",
    "按期每月需覆盖（家）",
)


def _projection_text(projection: Projection) -> str:
    if projection.complete:
        return "已全覆盖"
    if projection.projected_on is None:
        return "按当前进度无法完成"
    return projection.projected_on.isoformat()


def summary_rows(report: CoverageReport, *, level: str) -> list[tuple]:
    """Rows of the summary: ``level`` is ``province`` or ``city``; the total comes last."""
    rows: list[tuple] = []
    if level == "province":
        items = [((p, ""), b) for p, b in sorted(report.by_province.items())]
    else:
        items = sorted(report.by_city.items())
    for (province, city), bucket in items:
        projection = report.project(bucket)
        rows.append(_row(province, city, bucket, projection))
    rows.append(_row("合计", "", report.overall, report.project(report.overall)))
    return rows


def _row(province: str, city: str, bucket, projection: Projection) -> tuple:
    return (
        province,
        city,
        bucket.key_units,
        bucket.covered,
        bucket.uncovered,
        round(bucket.rate * 100, 1) if bucket.rate is not None else None,
        round(projection.pace_per_month, 1),
        _projection_text(projection),
        round(projection.needed_per_month, 1) if projection.needed_per_month is not None else None,
    )


def summary_file(report: CoverageReport, *, level: str, fmt: str) -> bytes:
    """The summary as CSV or XLSX bytes."""
    rows: Sequence[tuple] = summary_rows(report, level=level)
    header = SUMMARY_HEADER if level == "city" else SUMMARY_HEADER[:1] + SUMMARY_HEADER[2:]
    if level != "city":
        rows = [row[:1] + row[2:] for row in rows]
    if fmt == "csv":
        return csv_bytes(header, rows)
    by = "城市" if level == "city" else "省份"
    title = f"{report.scope.label}法定代表人培训覆盖情况（按{by}，截至{report.as_of.isoformat()}）"
    return xlsx_bytes(header, rows, sheet_title=f"按{by}汇总", title=title)
