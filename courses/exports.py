"""Exports of the uncovered-unit list: CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

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
        unit.since,
        _note(unit),
    ]


def uncovered_csv(units: Sequence[UncoveredUnit]) -> bytes:
    """The list as CSV bytes, UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for unit in units:
        row = _values(unit)
        row[5] = row[5].isoformat() if row[5] else "不详"
        writer.writerow(row)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def uncovered_xlsx(units: Sequence[UncoveredUnit], *, title: str) -> bytes:
    """The list as an XLSX workbook; dates are real dates, the credit code stays text.

    Written in openpyxl's streaming mode so a national list of hundreds of thousands of units
    stays fast and small in memory.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("未覆盖单位")
    for column, width in zip("ABCDEFG", (36, 22, 14, 12, 12, 20, 28), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    bold = Font(bold=True)

    def styled(value, **style) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        for key, item in style.items():
            setattr(cell, key, item)
        return cell

    sheet.append([styled(title, font=bold)])
    sheet.append([styled(h, font=bold) for h in HEADERS])
    for unit in units:
        row = _values(unit)
        row[5] = styled(row[5], number_format="yyyy-mm-dd") if row[5] else "不详"
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COVERED_HEADERS)
    for unit in units:
        row = _covered_values(unit)
        row[5] = row[5].isoformat()
        writer.writerow(row)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def covered_xlsx(units: Sequence[CoveredUnit], *, title: str) -> bytes:
    """The same as an XLSX workbook (streamed, dates as dates)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("已覆盖单位")
    for column, width in zip("ABCDEFG", (36, 22, 14, 12, 12, 14, 20), strict=True):
        sheet.column_dimensions[column].width = width
    bold = Font(bold=True)
    header = WriteOnlyCell(sheet, value=title)
    header.font = bold
    sheet.append([header])
    sheet.append(COVERED_HEADERS)
    for unit in units:
        row = _covered_values(unit)
        cell = WriteOnlyCell(sheet, value=row[5])
        cell.number_format = "yyyy-mm-dd"
        row[5] = cell
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
