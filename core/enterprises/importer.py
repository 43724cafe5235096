"""Import the registry of pollutant-discharge units (enterprises.csv / .xlsx) by credit code.

The file format is the one ``shared/tools/gen_registry.py`` writes::

    credit_code,name,province,city,division_code,industry,management_category,
    permit_status,legal_rep_name,legal_rep_since

Every row is validated first. Without ``skip_invalid`` one bad row means nothing is written;
with it the good rows are written and the bad ones reported. A re-import that names a new legal
representative updates the unit and records a ``LegalRepChange`` dated the new ``legal_rep_since``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.bulk import Writes, run_import, select_in_chunks
from core.db import utcnow
from core.enterprises.credit_code import credit_code_problem
from core.enterprises.models import Enterprise, LegalRepChange, ManagementCategory, PermitStatus
from core.imports import one_import_at_a_time
from core.regions.data import PROVINCE_BY_CODE_PREFIX, PROVINCES
from core.regions.scope import OUT_OF_SCOPE, RegionScope
from core.tabular import ImportReport, Row, RowError, check_length, open_table, parse_date

ENTERPRISE_COLUMNS: tuple[str, ...] = (
    "credit_code",
    "name",
    "province",
    "city",
    "division_code",
    "industry",
    "management_category",
    "permit_status",
    "legal_rep_name",
    "legal_rep_since",
)
# Chinese headers, for files prepared by hand in Excel.
ENTERPRISE_ALIASES: dict[str, str] = {
    "统一社会信用代码": "credit_code",
    "单位名称": "name",
    "省份": "province",
    "城市": "city",
    "行政区划代码": "division_code",
    "行业": "industry",
    "行业类别": "industry",
    "管理类别": "management_category",
    "许可证状态": "permit_status",
    "法定代表人": "legal_rep_name",
    "法定代表人任职日期": "legal_rep_since",
    # other names people give these columns
    "信用代码": "credit_code",
    "单位": "name",
    "企业名称": "name",
    "排污单位名称": "name",
    "省": "province",
    "市": "city",
    "地市": "city",
    "区划代码": "division_code",
    "所属行业": "industry",
    "排污许可管理类别": "management_category",
    "排污许可证状态": "permit_status",
    "法定代表人姓名": "legal_rep_name",
    "任职日期": "legal_rep_since",
    "法定代表人任职起始日期": "legal_rep_since",
}
# The columns compared on re-import, in the order of the SELECT below.
_FIELDS = ENTERPRISE_COLUMNS[1:]
_CATEGORIES = frozenset(c.value for c in ManagementCategory)
_STATUSES = frozenset(s.value for s in PermitStatus)
_PROVINCES = frozenset(PROVINCES)


@one_import_at_a_time
def import_enterprises(
    session: Session,
    path: Path | str | bytes,
    *,
    skip_invalid: bool = False,
    scope: RegionScope | None = None,
    filename: str | None = None,
) -> ImportReport:
    """Import units from a CSV/XLSX file (a path, or an upload's bytes with its ``filename``).

    ``scope`` limits an admin to their region: rows outside it are reported as bad.
    Wrong headers or an unreadable file raise ``Invalid``; bad rows are in the report.
    """
    with open_table(
        path, columns=ENTERPRISE_COLUMNS, aliases=ENTERPRISE_ALIASES, filename=filename
    ) as table:
        return import_enterprise_rows(
            session, table, skip_invalid=skip_invalid, scope=scope, problems=table.problems
        )


def import_enterprise_rows(
    session: Session,
    rows: Iterable[Row],
    *,
    skip_invalid: bool = False,
    scope: RegionScope | None = None,
    problems: Sequence[RowError] = (),
) -> ImportReport:
    """Validate and upsert rows in one transaction (the file importer and the demo loader)."""
    report = ImportReport(kind="排污单位", skip_invalid=skip_invalid)
    first_line: dict[str, int] = {}  # every credit code seen so far, for duplicates in the file
    now = utcnow()
    columns = [Enterprise.credit_code, Enterprise.id, *(getattr(Enterprise, f) for f in _FIELDS)]

    def process(chunk: list[Row]) -> Writes:
        valid: dict[str, tuple[int, tuple]] = {}
        for line, values in chunk:
            report.total += 1
            parsed, reasons = _validate(values)
            code = values["credit_code"].upper()
            if code in first_line and not credit_code_problem(code):
                reasons.append(f"统一社会信用代码 {code} 与第{first_line[code]}行重复")
            else:
                first_line.setdefault(code, line)
            if parsed is not None and scope is not None and not scope.allows(parsed[1], parsed[2]):
                reasons.append(scope.outside(parsed[1], parsed[2], "该行单位"))
            if reasons:
                report.add_error(line, "；".join(reasons))
            else:
                valid[code] = (line, parsed)

        existing = {
            row[0]: row[1:]
            for row in select_in_chunks(
                session,
                lambda keys: select(*columns).where(Enterprise.credit_code.in_(keys)),
                valid,
            )
        }
        inserts: list[dict] = []
        updates: list[dict] = []
        changes: list[dict] = []
        for code, (line, parsed) in valid.items():
            current = existing.get(code)
            if current is None:
                inserts.append(_as_columns(code, parsed) | {"created_at": now, "updated_at": now})
                continue
            unit_id, old = current[0], tuple(current[1:])
            if scope is not None and not scope.allows(old[1], old[2]):
                report.add_error(line, f"{OUT_OF_SCOPE}（该单位已登记在{old[1]}{old[2]}）")
                continue
            if old == parsed:
                report.unchanged += 1
                continue
            updates.append({"id": unit_id} | _as_columns(code, parsed) | {"updated_at": now})
            if old[7] != parsed[7]:  # legal_rep_name
                changes.append(
                    {
                        "enterprise_id": unit_id,
                        "previous_name": old[7],
                        "new_name": parsed[7],
                        "changed_on": parsed[8],
                        "recorded_at": now,
                    }
                )
        report.created += len(inserts)
        report.updated += len(updates)
        return [
            (Enterprise.__table__, inserts, updates),
            (LegalRepChange.__table__, changes, []),
        ]

    return run_import(
        session,
        report,
        rows,
        process,
        problems=problems,
        conflict_message="导入时排污单位名录已被其他操作修改，请重新导入",
    )


def _validate(values: dict[str, str]) -> tuple[tuple | None, list[str]]:
    """The row's fields in ``_FIELDS`` order with typed values, or the reasons it is bad."""
    reasons: list[str] = []
    code = values["credit_code"].upper()
    if not code:
        reasons.append("统一社会信用代码不能为空")
    elif problem := credit_code_problem(code):
        reasons.append(problem)
    name = values["name"]
    if problem := check_length(name, "单位名称", 200):
        reasons.append(problem)
    province = values["province"]
    if province not in _PROVINCES:
        reasons.append(
            f"省份“{province}”不是省级行政区全称（如“江苏省”“北京市”）"
            if province
            else "省份不能为空"
        )
    city = values["city"]
    if problem := check_length(city, "城市", 32):
        reasons.append(problem)
    division = values["division_code"]
    if len(division) != 6 or not division.isdigit():
        reasons.append(f"行政区划代码“{division}”应为6位数字")
    elif province in _PROVINCES and PROVINCE_BY_CODE_PREFIX.get(division[:2]) != province:
        reasons.append(f"行政区划代码 {division} 不属于{province}")
    industry = values["industry"]
    if problem := check_length(industry, "行业", 64, required=False):
        reasons.append(problem)
    category = values["management_category"]
    if category not in _CATEGORIES:
        reasons.append(f"管理类别“{category}”无效，应为重点管理、简化管理或登记管理")
    status = values["permit_status"]
    if status not in _STATUSES:
        reasons.append(
            f"许可证状态“{status}”无效，应为{'、'.join(s.value for s in PermitStatus)}之一"
        )
    rep = values["legal_rep_name"]
    if problem := check_length(rep, "法定代表人", 64):
        reasons.append(problem)
    since, problem = parse_date(values["legal_rep_since"], "法定代表人任职日期")
    if problem:
        reasons.append(problem)
    if reasons:
        return None, reasons
    return (name, province, city, division, industry, category, status, rep, since), reasons


def _as_columns(code: str, parsed: tuple) -> dict:
    return {"credit_code": code, **dict(zip(_FIELDS, parsed, strict=True))}


def legal_rep_history(session: Session, *, enterprise_id: int) -> list[LegalRepChange]:
    """A unit's recorded changes of legal representative, oldest first."""
    return list(
        session.scalars(
            select(LegalRepChange)
            .where(LegalRepChange.enterprise_id == enterprise_id)
            .order_by(LegalRepChange.changed_on, LegalRepChange.id)
        )
    )
