"""Exports of the uncovered and covered unit lists: CSV (UTF-8 with BOM, so Excel shows Chinese)
and XLSX.

All go through ``core.spreadsheets``: a unit named ``=HYPERLINK(…)`` stays text, control
characters in names are dropped, all-digit credit codes stay text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from core.spreadsheets import csv_bytes, xlsx_bytes
from courses.coverage import CoveredUnit, UncoveredUnit
from courses.models import EVIDENCE_LABELS, EvidenceSource

HEADERS = [
    "单位名称",
    "统一社会信用代码",
    "省份",
    "城市",
    "法定代表人",
    "未覆盖起始日期（现任法定代表人任职日期）",
    "备注",
]


def _note(unit: UncoveredUnit) -> str:
    if unit.pending_verification:
        return "在线结业，法定代表人身份待核实"
    return "法定代表人已变更，新任尚未培训" if unit.previous_rep_trained else "法定代表人尚未培训"


def _values(unit: UncoveredUnit) -> list:
    return [
        unit.name,
        unit.credit_code,
        unit.province,
        unit.city,
        unit.legal_rep_name,
        unit.since or "不详",
        _note(unit),
    ]


def uncovered_csv(units: Sequence[UncoveredUnit]) -> bytes:
    """The list as CSV bytes, UTF-8 with a byte-order mark, safe to open in a spreadsheet."""
    return csv_bytes(HEADERS, (_values(u) for u in units))


def uncovered_xlsx(units: Sequence[UncoveredUnit], *, title: str) -> bytes:
    """The list as an XLSX workbook (streamed); dates are real dates, names and codes text."""
    return xlsx_bytes(
        HEADERS,
        (_values(u) for u in units),
        sheet_title="未覆盖单位",
        title=title,
        widths=(36, 22, 14, 12, 12, 20, 28),
    )


def export_filename(scope_label: str, as_of: dt.date, ext: str) -> str:
    """A Chinese file name such as ``未覆盖单位_江苏省_2024-06-30.csv``."""
    return f"法定代表人未培训单位_{scope_label}_{as_of.isoformat()}.{ext}"


COVERED_HEADERS = [
    "单位名称",
    "统一社会信用代码",
    "省份",
    "城市",
    "法定代表人",
    "首次培训日期",
    "证据来源",
]


def _covered_values(unit: CoveredUnit) -> list:
    label = EVIDENCE_LABELS[EvidenceSource(unit.source)]
    return [
        unit.name,
        unit.credit_code,
        unit.province,
        unit.city,
        unit.legal_rep_name,
        unit.trained_on,
        label,
    ]


def covered_csv(units: Sequence[CoveredUnit]) -> bytes:
    """Covered units with the date and source of their first evidence, as CSV with a BOM."""
    return csv_bytes(COVERED_HEADERS, (_covered_values(u) for u in units))


def covered_xlsx(units: Sequence[CoveredUnit], *, title: str) -> bytes:
    """The same as an XLSX workbook (streamed, dates as dates)."""
    return xlsx_bytes(
        COVERED_HEADERS,
        (_covered_values(u) for u in units),
        sheet_title="已覆盖单位",
        title=title,
        widths=(36, 22, 14, 12, 12, 14, 20),
    )
