"""Shared table reading and import reports for every importer (registry, courses, quiz …).

An importer does three things with this module:

1. ``open_table(source, columns=..., filename=...)`` opens a ``.csv`` (UTF-8 with or without
   BOM, or GBK/GB18030 as Excel in China writes it) or an ``.xlsx`` (first sheet) and checks its
   header; iterating it yields ``Row(line, values)`` one at a time, where ``line`` is the line in
   the file (the header is line 1) and ``values`` maps each column name to a stripped string
   (control characters removed, and the ``'`` our exports put before ``= + - @`` dropped).
   ``read_table`` does the same but returns every row in a list (for small files).
   The input is bounded: ZIP checks before openpyxl opens an .xlsx (``core.uploads``), caps on
   rows, cells and line length while reading (settings ``PERMITHUB_IMPORT_MAX_*``).
   An unreadable file, wrong headers or a file without data rows raise one
   ``core.errors.Invalid`` with a clear message. Rows whose number of fields does not match the
   header are not yielded; they are collected in ``problems`` so the importer reports them like
   any other bad row.
2. It validates each row and adds ``RowError(line, reason)`` to an ``ImportReport``.
3. It writes the good rows (all or nothing unless ``skip_invalid``) and fills in the counts.

The report types (``Row``, ``RowError``, ``ErrorLog``, ``ImportReport``) live in
``core.import_report`` and are importable from here too.

Example::

    with open_table(path, columns=("code", "title")) as table:
        for line, values in table:
            ...
        report.errors.extend(table.problems)
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from core.config import get_settings
from core.errors import Invalid
from core.import_report import (  # noqa: F401 - re-exported: importers read and report via here
    ErrorLog,
    ImportReport,
    Row,
    RowError,
)
from core.spreadsheets import ILLEGAL_CHARACTERS_RE, clean_text
from core.uploads import FileKind, check_zip, is_zip

# Enough of the file's start to tell its format and encoding.
_SNIFF_BYTES = 64 * 1024

_UTF8_BOM = b"\xef\xbb\xbf"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "是", "通过", "合格", "t"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "否", "未通过", "不通过", "不合格", "f"})


@dataclass
class Table:
    """The rows of a file whose header matched; ``problems`` are rows that could not be split."""

    columns: list[str]
    rows: list[Row]
    problems: ErrorLog = field(default_factory=ErrorLog)
    encoding: str = ""

    @property
    def row_count(self) -> int:
        """Data rows in the file, including the malformed ones."""
        return len(self.rows) + len(self.problems)


def open_table(
    source: Path | str | bytes,
    *,
    columns: Sequence[str],
    optional: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
    filename: str | None = None,
    max_rows: int | None = None,
) -> TableReader:
    """Open a CSV or XLSX file and check its header; iterate the result for its rows (streamed).

    Args:
        source: a path, or the file's bytes (an upload); ``filename`` then gives its name.
        columns: required column names; ``optional`` may also appear, nothing else may.
        aliases: other accepted header names (e.g. Chinese ones) mapped to the column name.
        max_rows: rows the file may have, header and blank rows included
            (default ``PERMITHUB_IMPORT_MAX_ROWS``); cells are capped by
            ``PERMITHUB_IMPORT_MAX_CELLS``. A file past either cap is refused with ``Invalid``.

    Returns:
        A ``TableReader`` (also a context manager that closes the file). Rows are read as they
        are iterated, so a registry of millions of lines never sits in memory at once.
    """
    raw, name = _open_binary(source, filename)
    settings = get_settings()
    budget = _Budget(name, max_rows or settings.import_max_rows, settings.import_max_cells)
    try:
        head = raw.read(_SNIFF_BYTES)
        raw.seek(0)
        if not head.strip():
            raise Invalid(f"文件{_quoted(name)}是空的，没有表头和数据")
        if head.startswith(_OLE_MAGIC) or name.lower().endswith(".xls"):
            raise Invalid(
                "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后再导入"
            )
        if is_zip(head, name):
            if name.lower().endswith(".docx"):
                raise Invalid(f"文件{_quoted(name)}是 Word 文档，请上传 CSV 或 .xlsx 表格")
            check_zip(raw, filename=name, kind=FileKind.TABLE)  # before openpyxl sees a byte
            records, encoding = _xlsx_records(raw, name, budget), "xlsx"
        else:
            encoding = sniff_encoding(head, name)
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            records = _csv_records(text, encoding, budget)
        return _open_reader(records, columns, optional, aliases or {}, name, encoding, raw)
    except BaseException:
        raw.close()
        raise


def read_table(
    source: Path | str | bytes,
    *,
    columns: Sequence[str],
    optional: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
    filename: str | None = None,
    max_rows: int | None = None,
) -> Table:
    """Read a whole CSV or XLSX file into memory (see ``open_table`` for the arguments).

    The row cap defaults to ``PERMITHUB_IMPORT_MAX_ROWS_IN_MEMORY``: every row is held at once.
    """
    with open_table(
        source,
        columns=columns,
        optional=optional,
        aliases=aliases,
        filename=filename,
        max_rows=max_rows or get_settings().import_max_rows_in_memory,
    ) as reader:
        rows = list(reader)
    return Table(
        columns=reader.columns, rows=rows, problems=reader.problems, encoding=reader.encoding
    )


@dataclass
class _Budget:
    """Rows and cells read so far; the file is refused as soon as it passes a cap."""

    name: str
    max_rows: int
    max_cells: int
    rows: int = 0
    cells: int = 0

    def count(self, width: int) -> None:
        self.rows += 1
        self.cells += width
        if self.rows > self.max_rows:
            raise Invalid(
                f"文件{_quoted(self.name)}超过 {self.max_rows} 行（含表头），请拆分后分批导入"
            )
        if self.cells > self.max_cells:
            raise Invalid(
                f"文件{_quoted(self.name)}的单元格超过 {self.max_cells} 个，"
                "请删除多余的列或拆分后分批导入"
            )


def sniff_encoding(head: bytes, name: str = "") -> str:
    """The encoding of CSV bytes from their start: UTF-8 (BOM or not), else GB18030 (⊇ GBK).

    UTF-16 with a byte-order mark (Excel's “Unicode 文本” export) is recognised too.
    """
    if head.startswith(_UTF8_BOM):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            # Incremental: the sample may end in the middle of a multi-byte character.
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        # Binary files sometimes decode by chance; control characters give them away.
        if not _looks_binary(text):
            return encoding
        break
    raise Invalid(
        f"无法读取文件{_quoted(name)}：不是 UTF-8 或 GBK 编码的 CSV 文本，也不是 .xlsx 文件"
    )


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    return "\x00" in sample or sum(ch < " " and ch not in "\r\n\t" for ch in sample) > 2


def _open_binary(source: Path | str | bytes, filename: str | None) -> tuple[BinaryIO, str]:
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source), filename or ""
    path = Path(source)
    try:
        return path.open("rb"), filename or path.name
    except FileNotFoundError:
        raise Invalid(f"找不到文件{_quoted(str(path))}") from None
    except IsADirectoryError:
        raise Invalid(f"{_quoted(str(path))}是文件夹，不是文件") from None
    except PermissionError:
        raise Invalid(f"没有权限读取文件{_quoted(str(path))}") from None


def _quoted(name: str) -> str:
    return f"“{name}”" if name else ""


# A physical CSV line longer than this is not a table row (the csv module's own field limit).
MAX_LINE_CHARS = 131_072


def _csv_records(text: TextIO, encoding: str, budget: _Budget) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, fields) for each non-blank record; lines count from 1.

    The delimiter is whichever of comma, tab or semicolon the header line uses most (Excel
    writes tabs in “Unicode 文本” and semicolons in some locales).
    """
    start = 1
    try:
        lines = _bounded_lines(text)
        leading = [next(lines, "")]
        while leading[-1] and not leading[-1].strip():  # blank lines before the header
            leading.append(next(lines, ""))
        delimiter = max(",\t;", key=leading[-1].count)
        reader = csv.reader(itertools.chain(leading, lines), delimiter=delimiter)
        for fields in reader:
            line, start = start, reader.line_num + 1
            budget.count(len(fields))
            if fields and any(f.strip() for f in fields):
                yield line, fields
    except csv.Error as exc:
        raise Invalid(f"第{start}行: CSV 格式错误（{exc}），请检查引号是否成对") from None
    except UnicodeDecodeError:
        label = {"gb18030": "GBK", "utf-16": "UTF-16"}.get(encoding, "UTF-8")
        raise Invalid(
            f"第{start}行附近的内容无法按 {label} 编码读取：文件中混有不同编码，"
            "请将整个文件另存为 UTF-8 编码的 CSV 后重新导入"
        ) from None


def _bounded_lines(text: TextIO) -> Iterator[str]:
    """The file's lines without control characters; a line past ``MAX_LINE_CHARS`` is refused.

    Reading with a limit keeps one enormous line (a 50 MB row of commas) out of memory and out
    of the csv module, which would split it into millions of fields.
    """
    number = 0
    while line := text.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS and line[-1] not in "\r\n":
            raise Invalid(f"第{number}行超过 {MAX_LINE_CHARS} 个字符，请检查文件是否为正确的 CSV")
        yield ILLEGAL_CHARACTERS_RE.sub("", line) if ILLEGAL_CHARACTERS_RE.search(line) else line


def _xlsx_records(raw: BinaryIO, name: str, budget: _Budget) -> Iterator[tuple[int, list[str]]]:
    """(sheet row number, cell texts) for each non-empty row of the first worksheet.

    openpyxl raises a dozen unrelated exception types for a broken part (KeyError, TypeError,
    ParseError …), when opening the workbook and later while rows are read; each becomes one
    ``Invalid`` that says where.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(raw, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of the parser means a broken file
        raise Invalid(f"无法读取 Excel 文件{_quoted(name)}：文件已损坏或不是 .xlsx 格式") from exc
    number = 0
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # A declared size (A1:XFD1048576) would make openpyxl pad every row to 16,384 cells;
        # without it rows are as wide as their last cell.
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            budget.count(len(cells))
            texts = [_cell_text(c) for c in cells]
            while texts and texts[-1] == "":
                texts.pop()
            if texts and any(t.strip() for t in texts):
                yield number, texts
    except Invalid:
        raise
    except Exception as exc:  # noqa: BLE001
        raise Invalid(
            f"无法读取 Excel 文件{_quoted(name)}：第{number + 1}行附近的内容已损坏，"
            "请在 Excel 中打开后另存为 .xlsx 或 CSV 再导入"
        ) from exc
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A cell as the text a CSV would hold: dates as YYYY-MM-DD, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))


def _imported(text: str) -> str:
    """A field as importers see it: stripped, without the ' our exports put before = + - @.

    Control characters are already gone (removed per line for CSV, per cell for XLSX).
    """
    text = text.strip()
    if text[:1] == "'" and text[1:2] in _ESCAPED_TRIGGERS and text[1:2]:
        return text[1:].strip()
    return text


_ESCAPED_TRIGGERS = "=+-@\t\r"


def _normalise_header(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


class TableReader:
    """An open table whose header matched: iterate for ``Row``s; malformed rows go to ``problems``.

    ``problems`` and ``rows_read`` are complete once iteration has finished. A file with a header
    but no data rows raises ``Invalid`` at the end of the iteration.
    """

    def __init__(
        self,
        records: Iterator[tuple[int, list[str]]],
        columns: list[str],
        absent: list[str],
        name: str,
        encoding: str,
        raw: BinaryIO,
    ) -> None:
        self.columns = columns
        self.encoding = encoding
        self.problems = ErrorLog()
        self.rows_read = 0
        self._records = records
        self._absent = absent
        self._name = name
        self._raw = raw

    def __iter__(self) -> Iterator[Row]:
        names, absent, width = self.columns, self._absent, len(self.columns)
        try:
            for line, fields in self._records:
                self.rows_read += 1
                if len(fields) < width and self.encoding == "xlsx":
                    # Excel rows end at the last filled cell: trailing empty cells are absent.
                    fields = fields + [""] * (width - len(fields))
                if len(fields) != width:
                    # Trailing empty cells are harmless (Excel adds them); others are misaligned.
                    if len(fields) > width and not any(f.strip() for f in fields[width:]):
                        fields = fields[:width]
                    else:
                        self.problems.append(
                            RowError(
                                line, f"有 {len(fields)} 列，表头有 {width} 列，请检查分隔符和引号"
                            )
                        )
                        continue
                values = {c: _imported(v) for c, v in zip(names, fields, strict=True)}
                for column in absent:
                    values[column] = ""
                yield Row(line, values)
            if self.rows_read == 0:
                raise Invalid(f"文件{_quoted(self._name)}只有表头，没有数据行")
        finally:
            self.close()

    def close(self) -> None:
        """Close the file (also done when iteration ends)."""
        close = getattr(self._records, "close", None)
        if close is not None:
            close()
        self._raw.close()

    def __enter__(self) -> TableReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _open_reader(
    records: Iterator[tuple[int, list[str]]],
    columns: Sequence[str],
    optional: Sequence[str],
    aliases: Mapping[str, str],
    name: str,
    encoding: str,
    raw: BinaryIO,
) -> TableReader:
    first = next(records, None)
    if first is None:
        raise Invalid(f"文件{_quoted(name)}是空的，没有表头和数据")
    header_line, header = first
    while header and not header[-1].strip():  # Excel leaves empty cells after the last column
        header = header[:-1]
    known = {_normalise_header(c): c for c in (*columns, *optional)}
    known.update({_normalise_header(a): c for a, c in aliases.items()})
    mapped: list[str | None] = []
    unknown: list[str] = []
    for raw_name in header:
        column = known.get(_normalise_header(raw_name))
        mapped.append(column)
        if column is None and raw_name.strip():
            unknown.append(raw_name.strip())
    missing = [c for c in columns if c not in mapped]
    repeated = sorted({c for c in mapped if c is not None and mapped.count(c) > 1})
    if missing or unknown or repeated or any(c is None for c in mapped):
        raise Invalid(_header_message(name, header_line, missing, unknown, repeated, columns))
    names: list[str] = mapped  # type: ignore[assignment] - checked above: no None left
    absent = [c for c in optional if c not in names]
    return TableReader(records, names, absent, name, encoding, raw)


def _header_message(
    name: str,
    line: int,
    missing: list[str],
    unknown: list[str],
    repeated: list[str],
    columns: Sequence[str],
) -> str:
    parts = []
    if missing:
        parts.append("缺少列：" + "、".join(missing))
    if unknown:
        parts.append("无法识别的列：" + "、".join(unknown))
    if repeated:
        parts.append("重复的列：" + "、".join(repeated))
    if not parts:
        parts.append("表头中有空白列名")
    where = f"文件{_quoted(name)}" if name else "文件"
    return f"{where}表头（第{line}行）不正确：{'；'.join(parts)}。应为：{','.join(columns)}"


# ---- small parsers shared by importers; each returns (value, problem) -------------------


def parse_date(text: str, label: str) -> tuple[dt.date | None, str | None]:
    """A date written YYYY-MM-DD (or YYYY/M/D as Excel writes it)."""
    if not text:
        return None, f"{label}不能为空"
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # the usual case, parsed in C
        try:
            return dt.date.fromisoformat(text), None
        except ValueError:
            pass
    candidate = text.replace("/", "-").replace(".", "-")
    if " " in candidate:
        date_part, _, time_part = candidate.partition(" ")
        if time_part.strip() in ("00:00:00", "00:00"):
            candidate = date_part
    parts = candidate.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        try:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2])), None
        except ValueError:
            pass
    return None, f"{label}“{text}”不是有效日期（应为 YYYY-MM-DD）"


def parse_bool(text: str, label: str) -> tuple[bool | None, str | None]:
    """true/false, 是/否, 1/0, 通过/未通过."""
    lowered = text.strip().lower()
    if lowered in TRUE_WORDS:
        return True, None
    if lowered in FALSE_WORDS:
        return False, None
    return None, f"{label}“{text}”无法识别（应为 true 或 false）"


def check_length(text: str, label: str, maximum: int, *, required: bool = True) -> str | None:
    """Why ``text`` is empty or too long for a column of ``maximum`` characters, else ``None``."""
    if required and not text:
        return f"{label}不能为空"
    if len(text) > maximum:
        return f"{label}过长（最多 {maximum} 个字）"
    return None
