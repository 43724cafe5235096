"""The coverage report page: overall against the target, burn-up chart, regions worst first."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup

from core.accounts import service as account_service
from core.deps import RequestSessionRoute, SessionDep
from core.errors import Invalid
from courses import archive, coverage, coverage_view, evidence, reminders
from courses.coverage import Bucket, CoverageReport, Projection
from courses.models import EVIDENCE_LABELS, EvidenceSource
from web.deps import CsrfChecked, PageAdmin
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)
UNITS_PER_PAGE = 100


@dataclass
class RegionRow:
    """One line of the table of provinces or cities."""

    name: str
    bucket: Bucket
    projection: Projection
    url: str


def _parse_as_of(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"统计日期“{value}”格式不正确，应为 YYYY-MM-DD") from None
    if not coverage.START.year - 10 <= day.year <= 2100:
        raise Invalid(f"统计日期“{value}”超出范围")
    return day


def _query(**params) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v})


def _page_url(**params) -> str:
    return "/coverage" + _query(**params)


@router.get("/coverage")
def coverage_page(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    as_of: str | None = None,
    province: str | None = None,
    city: str | None = None,
    page: int = 1,
):
    own = account_service.region_scope(user)
    scope = coverage_view.resolve_region(session, scope=own, province=province, city=city)
    chosen = coverage_view.resolve_as_of(session, scope=scope, as_of=_parse_as_of(as_of))
    day = chosen.day
    report = archive.coverage_report(session, scope=scope, as_of=day)
    iso = day.isoformat()
    rows: list[RegionRow] = []
    level = "city-units"
    if scope.province is None:
        level = "provinces"
        for name, bucket in report.by_province.items():
            rows.append(
                RegionRow(name, bucket, report.project(bucket), _page_url(as_of=iso, province=name))
            )
    elif scope.city is None:
        level = "cities"
        for name, bucket in report.cities_of(scope.province):
            rows.append(
                RegionRow(
                    name,
                    bucket,
                    report.project(bucket),
                    _page_url(as_of=iso, province=scope.province, city=name),
                )
            )
    rows.sort(
        key=lambda r: (r.bucket.rate if r.bucket.rate is not None else 2, -r.bucket.uncovered)
    )
    page = max(page, 1)
    units, pages = [], 1
    if level == "city-units":
        pages = max(1, math.ceil(report.overall.uncovered / UNITS_PER_PAGE))
        page = min(page, pages)
        units = coverage.uncovered_units(
            session,
            scope=scope,
            as_of=day,
            limit=UNITS_PER_PAGE,
            offset=(page - 1) * UNITS_PER_PAGE,
        )
    export_query = dict(as_of=iso, province=scope.province, city=scope.city)
    breadcrumbs = _breadcrumbs(own, scope, iso)
    projection = report.project(report.overall)
    return render(
        request,
        "courses/coverage.html",
        {
            "report": report,
            "scope": scope,
            "as_of": iso,
            "overall": report.overall,
            "projection": projection,
            "expected_rate": _expected_rate(day),
            "target_date": coverage.TARGET_DATE,
            "chart": burnup_svg(report, report.overall, projection),
            "rows": rows,
            "level": level,
            "units": units,
            "page": page,
            "pages": pages,
            "page_url": lambda p: _page_url(
                as_of=iso, province=scope.province, city=scope.city, page=p
            ),
            "csv_url": "/api/coverage/uncovered" + _query(format="csv", **export_query),
            "xlsx_url": "/api/coverage/uncovered" + _query(format="xlsx", **export_query),
            "covered_url": "/api/coverage/covered" + _query(format="xlsx", **export_query),
            "summary_urls": _summary_urls(scope, export_query),
            "as_of_note": chosen.note,
            "breadcrumbs": breadcrumbs,
            "sources": [(EVIDENCE_LABELS[EvidenceSource(s)], n) for s, n in _by_source(report)],
            "claims": evidence.pending_claims(session, scope=scope),
            "back": _page_url(as_of=as_of, province=province, city=city, page=page),
            "archive": archive.archive_summary(session),
            "archived_as_of": day in archive.archived_months(session),
            "can_rearchive": own.is_national,
            "ended_months": [m.isoformat()[:7] for m in archive.ended_months(dt.date.today())],
        },
    )


@router.post("/coverage/archive", dependencies=[CsrfChecked])
def rearchive_month(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    month: Annotated[str, Form()] = "",
):
    """A national admin recomputes an archived month; the page shows what changed."""
    result = archive.rearchive(
        session, scope=account_service.region_scope(user), actor=user, month=month
    )
    return render(request, "courses/rearchive.html", {"result": result})


def _summary_urls(scope, export_query: dict) -> list[tuple[str, str]]:
    """(label, url) of the summary downloads that make sense at this level."""
    levels = (
        [("city", "按城市")]
        if scope.province is not None
        else [("province", "按省份"), ("city", "按城市")]
    )
    if scope.city is not None:
        return []
    return [
        (
            f"汇总{label}（{fmt.upper()}）",
            "/api/coverage/summary" + _query(level=level, format=fmt, **export_query),
        )
        for level, label in levels
        for fmt in ("csv", "xlsx")
    ]


def _by_source(report: CoverageReport) -> list[tuple[str, int]]:
    return [(source, report.overall.by_source.get(source, 0)) for source in coverage.SOURCES]


@router.post("/coverage/claims/{claim_id}/{decision}", dependencies=[CsrfChecked])
def decide_claim(
    session: SessionDep,
    user: PageAdmin,
    claim_id: int,
    decision: str,
    back: Annotated[str, Form()] = "/coverage",
):
    """One click in the 待核实 queue: approve or reject an account's legal-representative claim."""
    if decision not in ("approve", "reject"):
        raise Invalid("操作只能是核实通过（approve）或驳回（reject）")
    evidence.decide_claim(
        session,
        scope=account_service.region_scope(user),
        actor=user,
        claim_id=claim_id,
        approve=decision == "approve",
    )
    # only back to the coverage page: the form field must not send anyone elsewhere
    target = back if back.startswith("/coverage") and "//" not in back else "/coverage"
    return RedirectResponse(target + "#claims", status_code=303)


def _breadcrumbs(own, scope, iso: str) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = []
    if own.province is None:
        crumbs.append(("全国", _page_url(as_of=iso)))
    if scope.province is not None and own.city is None:
        crumbs.append((scope.province, _page_url(as_of=iso, province=scope.province)))
    if scope.city is not None:
        crumbs.append((scope.city, None))
    if crumbs:
        crumbs[-1] = (crumbs[-1][0], None)
    return crumbs


def _expected_rate(day: dt.date) -> float:
    """Where the straight line from 2022-01-01 to 100 % at 2024-12-31 stands on ``day``."""
    total = (coverage.TARGET_DATE - coverage.START).days + 1
    return min(max((day - coverage.START).days + 1, 0) / total, 1.0)


# --- the burn-up chart, drawn on the server as SVG ------------------------------------------


def nice_step(raw: float) -> int:
    """A whole-unit gridline step of 1, 2 or 5 times a power of ten, at least ``raw``."""
    if raw <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 92, 20, 20, 56


def burnup_svg(report: CoverageReport, bucket: Bucket, projection: Projection) -> Markup:
    """Covered units by month against the straight line to 100 % at 2024-12-31."""
    x0 = coverage.START
    x1 = max(coverage.TARGET_DATE, report.as_of)
    if projection.projected_on and projection.projected_on > x1:
        x1 = min(projection.projected_on, dt.date(x1.year + 2, 12, 31))
    span = (x1 - x0).days or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = nice_step(max(bucket.key_units, 1) / 4)
    top_value = max(math.ceil(max(bucket.key_units, 1) / step) * step, step)

    def x(day: dt.date) -> float:
        return round(LEFT + (min(max(day, x0), x1) - x0).days / span * plot_w, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h - min(value, top_value) / top_value * plot_h, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="burnup" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="burnup-title burnup-desc">',
        '<title id="burnup-title">法定代表人培训覆盖燃尽图（累计覆盖单位数）</title>',
        f'<desc id="burnup-desc">截至{report.as_of.isoformat()}已覆盖{bucket.covered}家，'
        f"重点管理单位共{bucket.key_units}家；虚线为2024年12月31日达到100%的目标线。</desc>",
    ]
    # gridlines at whole units, labelled with exactly the value they stand for
    for value in range(0, top_value + 1, step):
        gy = y(value)
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{gy}" x2="{WIDTH - RIGHT}" y2="{gy}"/>')
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{gy + 4}" text-anchor="end">{value}</text>'
        )
    parts.append(f'<text class="axis" x="{LEFT - 6}" y="{TOP - 6}" text-anchor="end">单位数</text>')
    year, month = x0.year, x0.month
    while dt.date(year, month, 1) <= x1:
        tick = dt.date(year, month, 1)
        tx = x(tick)
        parts.append(
            f'<line class="tick" x1="{tx}" y1="{TOP + plot_h}" x2="{tx}" y2="{TOP + plot_h + 5}"/>'
        )
        if month in (1, 7):
            parts.append(
                f'<text class="axis" x="{tx}" y="{TOP + plot_h + 20}" text-anchor="middle">'
                f"{year}-{month:02d}</text>"
            )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    target_x = x(coverage.TARGET_DATE)
    parts.append(
        f'<line class="target" x1="{x(x0)}" y1="{y(0)}" x2="{target_x}" y2="{y(top_value)}">'
        "<title>目标线：2024-12-31 达到 100%</title></line>"
    )
    parts.append(
        f'<line class="deadline" x1="{target_x}" y1="{TOP}" x2="{target_x}" y2="{TOP + plot_h}"/>'
    )
    points = [(x(x0), y(0))] + [
        (x(m), y(v)) for m, v in zip(report.months, bucket.monthly, strict=True)
    ]
    path = " ".join(f"{px},{py}" for px, py in points)
    area = f"{points[0][0]},{y(0)} {path} {points[-1][0]},{y(0)}"
    parts.append(f'<polygon class="covered-area" points="{area}"/>')
    parts.append(f'<polyline class="covered" points="{path}"/>')
    for m, v in zip(report.months, bucket.monthly, strict=True):
        parts.append(
            f'<circle class="point" cx="{x(m)}" cy="{y(v)}" r="2.5">'
            f"<title>{m.isoformat()[:7]}：已覆盖 {v} 家</title></circle>"
        )
    projection_drawn = projection.pace_per_month > 0 and not projection.complete
    if projection_drawn:
        end_day = projection.projected_on or x1
        end_day = min(end_day, x1)
        months_ahead = (end_day - report.as_of).days / coverage.DAYS_PER_MONTH
        end_value = bucket.covered + projection.pace_per_month * months_ahead
        parts.append(
            f'<line class="projection" x1="{x(report.as_of)}" y1="{y(bucket.covered)}" '
            f'x2="{x(end_day)}" y2="{y(end_value)}"><title>按近三个月进度的预测</title></line>'
        )
    legend_y = HEIGHT - 14
    parts.append(
        '<g class="legend">'
        f'<line class="covered" x1="{LEFT}" y1="{legend_y}" x2="{LEFT + 24}" y2="{legend_y}"/>'
        f'<text x="{LEFT + 30}" y="{legend_y + 4}">累计已覆盖</text>'
        f'<line class="target" x1="{LEFT + 130}" y1="{legend_y}" '
        f'x2="{LEFT + 154}" y2="{legend_y}"/>'
        f'<text x="{LEFT + 160}" y="{legend_y + 4}">目标线（2024-12-31 达到100%）</text>'
    )
    if projection_drawn:  # the legend names only what is drawn
        parts.append(
            f'<line class="projection" x1="{LEFT + 390}" y1="{legend_y}" '
            f'x2="{LEFT + 414}" y2="{legend_y}"/>'
            f'<text x="{LEFT + 420}" y="{legend_y + 4}">按近三个月进度预测</text>'
        )
    parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - built from numbers and escaped text only


# --- home page panel: coverage at a glance; city admins see whom to chase -------------------

PANEL_UNITS = 8


def home_panel(session, user):
    """Home-page panel for admins: training coverage of their region and who to remind."""
    if not user.role_enum.is_admin:
        return None
    scope = account_service.region_scope(user)
    today = coverage_view.default_as_of(session, scope=scope).day
    report = archive.coverage_report(session, scope=scope, as_of=today)
    reminder = None
    # a national list can hold hundreds of thousands of units: national admins use /coverage
    if scope.province is not None:
        reminder = reminders.reminders(session, as_of=today, scope=scope).for_admin(user)
    return "courses/_home_coverage.html", {
        "coverage_scope": scope,
        "coverage_overall": report.overall,
        "coverage_reminder": reminder,
        "coverage_units": reminder.units[:PANEL_UNITS] if reminder else [],
    }
