"""Shared table reading and import reports for every importer (registry, courses, quiz …).

An importer does three things with this module:

1. ``read_table(source, columns=..., filename=...)`` reads a ``.csv`` (UTF-8 with or without BOM,
   or GBK/GB18030 as Excel in China writes it) or an ``.xlsx`` (first sheet) into a ``Table``:
   its data rows as ``Row(line, values)`` where ``line`` is the line in the file (the header is
   line 1) and ``values`` maps each column name to a stripped string. An unreadable file, wrong
   headers or a file without data rows raise one ``core.errors.Invalid`` with a clear message.
   Rows whose number of fields does not match the header are not in ``rows``; they are listed in
   ``Table.problems`` so the importer reports them like any other bad row.
2. It validates each row and adds ``RowError(line, reason)`` to an ``ImportReport``.
3. It writes the good rows (all or nothing unless ``skip_invalid``) and fills in the counts.

``ImportReport.error_lines()`` yields ``第N行: 原因`` for the CLI and the upload page, and
``summary()`` one Chinese sentence with the counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from core.errors import Invalid

# Refuse anything bigger outright: a registry of 100,000 units is about 15 MB as CSV.
MAX_FILE_BYTES = 200 * 1024 * 1024

_UTF8_BOM = b"\xef\xbb\xbf"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "是", "通过", "合格", "t"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "否", "未通过", "不通过", "不合格", "f"})


class Row(NamedTuple):
    """One data row: its line in the file (header = 1) and its values by column name."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class RowError:
    """Why one line of the file was not imported."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行: {self.message}"


@dataclass
class Table:
    """The rows of a file whose header matched; ``problems`` are rows that could not be split."""

    columns: list[str]
    rows: list[Row]
    problems: list[RowError] = field(default_factory=list)
    encoding: str = ""

    @property
    def row_count(self) -> int:
        """Data rows in the file, including the malformed ones."""
        return len(self.rows) + len(self.problems)


@dataclass
class ImportReport:
    """What an import did: counts of created/updated/unchanged records and every bad line."""

    kind: str = "数据"
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    skip_invalid: bool = False
    written: bool = False

    def add_error(self, line: int, message: str) -> None:
        """Record a bad line."""
        self.errors.append(RowError(line, message))

    @property
    def bad_lines(self) -> set[int]:
        """Line numbers that had at least one problem."""
        return {e.line for e in self.errors}

    def error_lines(self) -> Iterator[str]:
        """``第N行: 原因`` for every bad line, in file order (several reasons joined by ；)."""
        by_line: dict[int, list[str]] = {}
        for error in self.errors:
            reasons = by_line.setdefault(error.line, [])
            if error.message not in reasons:
                reasons.append(error.message)
        for line in sorted(by_line):
            yield f"第{line}行: {'；'.join(by_line[line])}"

    def summary(self) -> str:
        """One Chinese sentence with the counts, saying whether anything was written."""
        bad = len(self.bad_lines)
        if bad and not self.skip_invalid:
            return (
                f"{self.kind}导入未执行：共 {self.total} 行数据，其中 {bad} 行有误，未导入任何数据。"
                "请修正后重新导入，或选择跳过有误的行。"
            )
        text = (
            f"{self.kind}导入完成：共 {self.total} 行数据，新增 {self.created} 条，"
            f"更新 {self.updated} 条，未变化 {self.unchanged} 条"
        )
        if bad:
            text += f"，跳过有误的 {bad} 行"
        return text + "。"

    @property
    def ok(self) -> bool:
        """True when there were no bad lines."""
        return not self.errors


def read_table(
    source: Path | str | bytes,
    *,
    columns: Sequence[str],
    optional: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
    filename: str | None = None,
) -> Table:
    """Read a CSV or XLSX file whose header must name every column in ``columns``.

    Args:
        source: a path, or the file's bytes (an upload); ``filename`` then gives its name.
        columns: required column names; ``optional`` may also appear, nothing else may.
        aliases: other accepted header names (e.g. Chinese ones) mapped to the column name.

    Returns:
        The rows with stripped string values; optional columns missing from the file are ``""``.
    """
    data, name = _read_bytes(source, filename)
    if not data.strip():
        raise Invalid(f"文件{_quoted(name)}是空的，没有表头和数据")
    if data.startswith(_OLE_MAGIC) or name.lower().endswith(".xls"):
        raise Invalid("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后再导入")
    if data.startswith(_ZIP_MAGIC) or name.lower().endswith((".xlsx", ".xlsm")):
        records, encoding = _xlsx_records(data, name), "xlsx"
    else:
        text, encoding = decode_text(data, name)
        records = _csv_records(text)
    return _build_table(records, columns, optional, aliases or {}, name, encoding)


def decode_text(data: bytes, name: str = "") -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (BOM or not), else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(_UTF8_BOM):
        try:
            return data[len(_UTF8_BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = None
        # Binary files sometimes decode as GB18030 by chance; control characters give them away.
        if text is not None and not _looks_binary(text):
            return text, "gb18030"
    raise Invalid(
        f"无法读取文件{_quoted(name)}：不是 UTF-8 或 GBK 编码的 CSV 文本，也不是 .xlsx 文件"
    )


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    return "\x00" in sample or sum(ch < " " and ch not in "\r\n\t" for ch in sample) > 2


def _read_bytes(source: Path | str | bytes, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        name = filename or ""
    else:
        path = Path(source)
        name = filename or path.name
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise Invalid(f"文件{_quoted(name)}太大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB）")
            data = path.read_bytes()
        except FileNotFoundError:
            raise Invalid(f"找不到文件{_quoted(str(path))}") from None
        except IsADirectoryError:
            raise Invalid(f"{_quoted(str(path))}是文件夹，不是文件") from None
        except PermissionError:
            raise Invalid(f"没有权限读取文件{_quoted(str(path))}") from None
    if len(data) > MAX_FILE_BYTES:
        raise Invalid(f"文件{_quoted(name)}太大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB）")
    return data, name


def _quoted(name: str) -> str:
    return f"“{name}”" if name else ""


def _csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, fields) for each non-blank record; lines count from 1."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for fields in reader:
            line, start = start, reader.line_num + 1
            if fields and any(f.strip() for f in fields):
                yield line, fields
    except csv.Error as exc:
        raise Invalid(f"第{start}行: CSV 格式错误（{exc}），请检查引号是否成对") from None


def _xlsx_records(data: bytes, name: str) -> Iterator[tuple[int, list[str]]]:
    """(sheet row number, cell texts) for each non-empty row of the first worksheet."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise Invalid(f"无法读取 Excel 文件{_quoted(name)}：文件已损坏或不是 .xlsx 格式") from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            texts = [_cell_text(c) for c in cells]
            while texts and texts[-1] == "":
                texts.pop()
            if texts and any(t.strip() for t in texts):
                yield number, texts
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A cell as the text a CSV would hold: dates as YYYY-MM-DD, whole numbers without .0."""
    if value is None:
        return ""
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
    return str(value)


def _normalise_header(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


def _build_table(
    records: Iterator[tuple[int, list[str]]],
    columns: Sequence[str],
    optional: Sequence[str],
    aliases: Mapping[str, str],
    name: str,
    encoding: str,
) -> Table:
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
    for raw in header:
        column = known.get(_normalise_header(raw))
        mapped.append(column)
        if column is None and raw.strip():
            unknown.append(raw.strip())
    missing = [c for c in columns if c not in mapped]
    repeated = sorted({c for c in mapped if c is not None and mapped.count(c) > 1})
    if missing or unknown or repeated or any(c is None for c in mapped):
        raise Invalid(_header_message(name, header_line, missing, unknown, repeated, columns))

    width = len(mapped)
    names: list[str] = mapped  # type: ignore[assignment] - checked above: no None left
    absent = [c for c in optional if c not in names]
    rows: list[Row] = []
    problems: list[RowError] = []
    for line, fields in records:
        if len(fields) < width and encoding == "xlsx":
            # Excel rows end at the last filled cell: empty optional cells at the end are absent.
            fields = fields + [""] * (width - len(fields))
        if len(fields) != width:
            # Trailing empty cells are harmless (Excel adds them); anything else is misaligned.
            if len(fields) > width and not any(f.strip() for f in fields[width:]):
                fields = fields[:width]
            else:
                problems.append(
                    RowError(line, f"有 {len(fields)} 列，表头有 {width} 列，请检查分隔符和引号")
                )
                continue
        values = {c: v.strip() for c, v in zip(names, fields, strict=True)}
        for column in absent:
            values[column] = ""
        rows.append(Row(line, values))
    if not rows and not problems:
        raise Invalid(f"文件{_quoted(name)}只有表头，没有数据行")
    return Table(columns=names, rows=rows, problems=problems, encoding=encoding)


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
    return (
        f"{where}表头（第{line}行）不正确：{'；'.join(parts)}。"
        f"应为：{','.join(columns)}"
    )


# ---- small parsers shared by importers; each returns (value, problem) -------------------


def parse_date(text: str, label: str) -> tuple[dt.date | None, str | None]:
    """A date written YYYY-MM-DD (or YYYY/M/D as Excel writes it)."""
    if not text:
        return None, f"{label}不能为空"
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
