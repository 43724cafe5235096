"""Spreadsheet-safe text: every CSV and XLSX the platform writes goes through here.

Exported values come from people (unit names, legal representatives, question stems) and are
opened in Excel or WPS, which run anything that looks like a formula. So:

- In CSV a text value starting with ``= + - @``, a tab or a carriage return gets a leading
  ``'`` (OWASP's advice for CSV injection); plain numbers such as ``-3`` or ``2.5`` are left as
  they are, and real numbers stay numbers.
- In XLSX text is always stored as text (``data_type = "s"``), never as a formula; numbers and
  dates keep their types.
- Times (stored in UTC) are written in Beijing time, the one time zone people read.
- Control characters that XLSX cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``) are removed
  on the way out here and on the way in by ``core.tabular`` for every import; a single one used
  to make openpyxl raise and the whole export answer 500.
- Long digit strings (credit codes such as ``913701001781286508``, anything with a leading
  zero) stay text: in XLSX because they are strings, in CSV with a leading tab, the usual way
  to stop Excel turning them into ``9.13701E+17``. Imports strip the tab (and the ``'`` added
  before a formula character), so an exported file imports back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from numbers import Number

from fastapi.responses import Response

from core.timezone import to_beijing

ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # as in openpyxl
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
# Excel shows at most 11 digits in its General format and keeps 15; longer numbers lose digits.
_LONG_DIGITS = 12
XLSX_MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
TABLE_FORMATS = ("csv", "xlsx")


def clean_text(text: str) -> str:
    """``text`` without the control characters XLSX cannot hold (tab and line breaks stay)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text) if ILLEGAL_CHARACTERS_RE.search(text) else text


def csv_value(value: object) -> str:
    """One value as CSV text that a spreadsheet shows literally."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):  # stored in UTC, read in Beijing time
        return to_beijing(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Number) and not isinstance(value, bool):
        return str(value)
    text = clean_text(str(value))
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    if text.isdigit() and text.isascii() and (len(text) >= _LONG_DIGITS or text[0] == "0"):
        return "\t" + text if len(text) > 1 else text
    return text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file: UTF-8 with a byte-order mark (so Excel shows Chinese), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_value(h) for h in header])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    sheet_title: str,
    title: str | None = None,
    widths: Sequence[float] = (),
    date_format: str = "yyyy-mm-dd",
) -> bytes:
    """An XLSX workbook of one sheet: an optional bold title row, a bold header, the rows.

    Streamed (openpyxl's write-only mode), so a national list stays fast and small in memory.
    Text is stored as text, dates as dates shown with ``date_format``, numbers as numbers.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(clean_text(sheet_title)[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    # Before the first row: the write-only sheet writes its view settings with it.
    sheet.freeze_panes = f"A{3 if title is not None else 2}"
    bold = Font(bold=True)
    if title is not None:
        sheet.append([_xlsx_cell(sheet, title, font=bold)])
    sheet.append([_xlsx_cell(sheet, h, font=bold) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v, date_format=date_format) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_response(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    fmt: str,
    name: str,
    sheet_title: str,
    title: str | None = None,
    no_store: bool = False,
) -> Response:
    """A download ``name.fmt``: CSV when ``fmt`` is ``"csv"``, otherwise XLSX.

    ``no_store`` keeps browsers and proxies from keeping a copy (files with one-time passwords).
    """
    if fmt == "csv":
        body, media = csv_bytes(header, rows), CSV_MEDIA_TYPE
    else:
        body = xlsx_bytes(header, rows, sheet_title=sheet_title, title=title)
        media = XLSX_MEDIA_TYPE
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if no_store:
        headers["Cache-Control"] = "no-store"
    return Response(body, media_type=media, headers=headers)


def _xlsx_cell(sheet, value: object, *, font=None, date_format: str = "yyyy-mm-dd"):
    """A write-only cell whose text can never become a formula."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or (isinstance(value, Number) and not isinstance(value, bool)):
        cell = WriteOnlyCell(sheet, value=value)
    elif isinstance(value, dt.datetime):  # Excel has no time zones: Beijing time, said in a header
        cell = WriteOnlyCell(sheet, value=to_beijing(value).replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = date_format
    else:
        cell = WriteOnlyCell(sheet, value=clean_text(str(value))[:XLSX_MAX_CELL_CHARS])
        cell.data_type = "s"  # openpyxl would store "=…" as a formula
    if font is not None:
        cell.font = font
    return cell
