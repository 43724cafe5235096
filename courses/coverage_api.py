"""Coverage API: the report and the uncovered units, scoped to the admin's region."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Response

from core.accounts import service as account_service
from core.bounds import Day, IdPath
from core.deps import AdminScope, AdminUser, RequestSessionRoute, SessionDep
from core.openapi import XLSX, error_responses, file_responses
from courses import archive, coverage, coverage_view, evidence, exports
from courses.schemas import (
    ClaimDecisionRead,
    CoverageRead,
    PendingClaimRead,
    UncoveredListRead,
    UncoveredUnitRead,
)

router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/coverage", tags=["coverage"], responses=error_responses(401, 403, 404, 409, 422)
)

AsOf = Annotated[
    Day | None,
    Query(
        description="统计截止日期 YYYY-MM-DD；默认今天，数据中最新培训日期早于今天时默认为该日期"
    ),
]
Province = Annotated[
    str | None, Query(max_length=32, description="省份全称或简称，如“江苏省”“江苏”")
]
City = Annotated[str | None, Query(max_length=32, description="城市，如“苏州市”“苏州”")]


def _region_and_day(session, scope, province, city, as_of):
    narrowed = coverage_view.resolve_region(session, scope=scope, province=province, city=city)
    return narrowed, coverage_view.resolve_as_of(session, scope=narrowed, as_of=as_of)


def _download(content: bytes, media_type: str, filename: str, ascii_name: str = "uncovered"):
    # RFC 5987: browsers decode the UTF-8 name; the ASCII fallback keeps old clients working
    disposition = f'attachment; filename="{ascii_name}.{filename.rsplit(".", 1)[-1]}"; ' + (
        f"filename*=UTF-8''{quote(filename)}"
    )
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("", response_model=CoverageRead, summary="法定代表人培训覆盖率")
def coverage_report(
    session: SessionDep,
    scope: AdminScope,
    as_of: AsOf = None,
    province: Province = None,
    city: City = None,
) -> dict:
    narrowed, day = _region_and_day(session, scope, province, city, as_of)
    report = archive.coverage_report(session, scope=narrowed, as_of=day.day)
    return report.as_dict() | {"as_of_default": not day.chosen, "as_of_note": day.reason}


@router.get(
    "/summary",
    response_class=Response,
    responses=file_responses("text/csv", XLSX, description="按省份或城市汇总的覆盖情况"),
    summary="覆盖情况汇总导出：按省份（level=province）或按城市（level=city），CSV 或 XLSX",
)
def coverage_summary(
    session: SessionDep,
    scope: AdminScope,
    as_of: AsOf = None,
    province: Province = None,
    city: City = None,
    level: Literal["province", "city"] = "province",
    format: Literal["csv", "xlsx"] = "xlsx",
) -> Response:
    narrowed, day = _region_and_day(session, scope, province, city, as_of)
    report = archive.coverage_report(session, scope=narrowed, as_of=day.day)
    by = "按城市" if level == "city" else "按省份"
    name = f"培训覆盖汇总_{by}_{narrowed.label}_{day.day.isoformat()}.{format}"
    media = "text/csv; charset=utf-8" if format == "csv" else XLSX
    return _download(
        coverage_view.summary_file(report, level=level, fmt=format),
        media,
        name,
        f"coverage-by-{level}",
    )


@router.get(
    "/uncovered",
    response_model=UncoveredListRead,
    responses=file_responses("text/csv", XLSX, description="未培训的单位（csv、xlsx 为文件）"),
    summary="法定代表人尚未培训的重点管理单位（JSON、CSV 或 XLSX）",
)
def uncovered(
    session: SessionDep,
    scope: AdminScope,
    as_of: AsOf = None,
    province: Province = None,
    city: City = None,
    format: Literal["json", "csv", "xlsx"] = "json",
):
    narrowed, day = _region_and_day(session, scope, province, city, as_of)
    as_of = day.day
    units = coverage.uncovered_units(session, scope=narrowed, as_of=as_of)
    if format == "csv":
        return _download(
            exports.uncovered_csv(units),
            "text/csv; charset=utf-8",
            exports.export_filename(narrowed.label, as_of, "csv"),
        )
    if format == "xlsx":
        title = f"{narrowed.label}法定代表人尚未培训的重点管理排污单位（截至{as_of.isoformat()}）"
        return _download(
            exports.uncovered_xlsx(units, title=title),
            XLSX,
            exports.export_filename(narrowed.label, as_of, "xlsx"),
        )
    return UncoveredListRead(
        as_of=as_of,
        scope=narrowed.label,
        count=len(units),
        items=[
            UncoveredUnitRead(
                credit_code=u.credit_code,
                name=u.name,
                province=u.province,
                city=u.city,
                legal_rep_name=u.legal_rep_name,
                since=u.since,
                previous_rep_trained=u.previous_rep_trained,
                pending_verification=u.pending_verification,
            )
            for u in units
        ],
    )


@router.get(
    "/covered",
    responses=file_responses("text/csv", XLSX, description="已覆盖的单位（csv、xlsx 为文件）"),
    summary="已覆盖的重点管理单位及其证据来源（JSON、CSV 或 XLSX）",
)
def covered(
    session: SessionDep,
    scope: AdminScope,
    as_of: AsOf = None,
    province: Province = None,
    city: City = None,
    format: Literal["json", "csv", "xlsx"] = "json",
):
    narrowed, day = _region_and_day(session, scope, province, city, as_of)
    as_of = day.day
    units = coverage.covered_units(session, scope=narrowed, as_of=as_of)
    name = f"法定代表人已培训单位_{narrowed.label}_{as_of.isoformat()}"
    if format == "csv":
        return _download(
            exports.covered_csv(units), "text/csv; charset=utf-8", f"{name}.csv", "covered"
        )
    if format == "xlsx":
        title = (
            f"{narrowed.label}法定代表人已培训的重点管理排污单位及证据来源"
            f"（截至{as_of.isoformat()}）"
        )
        return _download(
            exports.covered_xlsx(units, title=title),
            XLSX,
            f"{name}.xlsx",
            "covered",
        )
    return {
        "as_of": as_of.isoformat(),
        "scope": narrowed.label,
        "count": len(units),
        "items": [
            {
                "credit_code": u.credit_code,
                "name": u.name,
                "province": u.province,
                "city": u.city,
                "legal_rep_name": u.legal_rep_name,
                "trained_on": u.trained_on.isoformat(),
                "source": u.source,
            }
            for u in units
        ],
    }


@router.get("/claims", response_model=list[PendingClaimRead], summary="待核实的法定代表人身份")
def pending_claims(session: SessionDep, scope: AdminScope) -> list[PendingClaimRead]:
    return [
        PendingClaimRead.model_validate(c) for c in evidence.pending_claims(session, scope=scope)
    ]


@router.post(
    "/claims/{claim_id}/approve", response_model=ClaimDecisionRead, summary="核实通过（计入覆盖）"
)
def approve_claim(claim_id: IdPath, session: SessionDep, user: AdminUser) -> ClaimDecisionRead:
    claim = evidence.decide_claim(
        session,
        scope=account_service.region_scope(user),
        actor=user,
        claim_id=claim_id,
        approve=True,
    )
    return ClaimDecisionRead(id=claim.id, status=claim.status)


@router.post("/claims/{claim_id}/reject", response_model=ClaimDecisionRead, summary="驳回")
def reject_claim(claim_id: IdPath, session: SessionDep, user: AdminUser) -> ClaimDecisionRead:
    claim = evidence.decide_claim(
        session,
        scope=account_service.region_scope(user),
        actor=user,
        claim_id=claim_id,
        approve=False,
    )
    return ClaimDecisionRead(id=claim.id, status=claim.status)
