"""Hostile and broken files, built in the tests: ZIP bombs, XML entity attacks, broken parts.

Every builder starts from a real workbook written by openpyxl (or a minimal real .docx) and
replaces one part, so that without the upload checks the file would reach the parser.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache

from openpyxl import Workbook

from core.enterprises.importer import ENTERPRISE_COLUMNS

SHEET = "xl/worksheets/sheet1.xml"
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook(rows: list[list[object]], columns=ENTERPRISE_COLUMNS) -> bytes:
    """A genuine .xlsx with ``columns`` as its header."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def replace_parts(data: bytes, parts: dict[str, bytes | str]) -> bytes:
    """The archive ``data`` with some entries replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info))
        for name, content in parts.items():
            target.writestr(name, content)
    return buffer.getvalue()


@cache
def xlsx_bomb(rows: int = 3_000_000) -> bytes:
    """A workbook whose sheet unpacks to ~150 MB: the finding's 432 KB file with 3 M rows."""
    buffer = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(workbook([])))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in base.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, base.read(info))
        with target.open(SHEET, "w") as sheet:
            sheet.write(f"{_SHEET_HEAD}<sheetData>".encode())
            row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
            chunk = row * 10_000
            for _ in range(rows // 10_000):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels"'
    ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(paragraphs: list[str]) -> bytes:
    """A minimal genuine .docx (python-docx opens it)."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>{body}'
        "</w:body></w:document>"
    )
    return _docx_with(document.encode())


def _docx_with(document: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", _DOCX_TYPES)
        target.writestr("_rels/.rels", _DOCX_RELS)
        target.writestr("word/document.xml", document)
    return buffer.getvalue()


@cache
def docx_bomb(paragraphs: int = 4_000_000) -> bytes:
    """A .docx whose document.xml unpacks to ~150 MB of identical paragraphs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        target.writestr("[Content_Types].xml", _DOCX_TYPES)
        target.writestr("_rels/.rels", _DOCX_RELS)
        with target.open("word/document.xml", "w") as document:
            document.write(
                f'<?xml version="1.0" encoding="UTF-8"?>'
                f'<w:document xmlns:w="{_W}"><w:body>'.encode()
            )
            chunk = b"<w:p><w:r><w:t>laugh</w:t></w:r></w:p>" * 10_000
            for _ in range(paragraphs // 10_000):
                document.write(chunk)
            document.write(b"</w:body></w:document>")
    return buffer.getvalue()


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def billion_laughs_xlsx() -> bytes:
    """The sheet declares nine levels of nested entities (a billion "lol"s)."""
    sheet = (
        BILLION_LAUGHS
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return replace_parts(workbook([]), {SHEET: sheet})


def xxe_xlsx() -> bytes:
    """The sheet pulls /etc/passwd in through an external entity."""
    sheet = (
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return replace_parts(workbook([]), {SHEET: sheet})


def utf16_doctype_xlsx() -> bytes:
    """The DOCTYPE hidden in a UTF-16 encoded part."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData/></worksheet>"
    )
    return replace_parts(workbook([]), {SHEET: sheet.encode("utf-16")})


def docx_xxe() -> bytes:
    """A .docx whose document declares an external entity."""
    document = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    return _docx_with(document.encode())


def broken_sheet_xlsx() -> bytes:
    """The sheet's XML stops in the middle of a tag."""
    good = zipfile.ZipFile(io.BytesIO(workbook([["a"] * len(ENTERPRISE_COLUMNS)] * 50)))
    sheet = good.read(SHEET)
    return replace_parts(workbook([]), {SHEET: sheet[: len(sheet) * 2 // 3]})


def broken_workbook_xlsx() -> bytes:
    """xl/workbook.xml is not XML at all."""
    return replace_parts(workbook([]), {"xl/workbook.xml": "<workbook><sheets><sheet"})


def broken_styles_xlsx() -> bytes:
    """xl/styles.xml has the wrong root and garbage attributes."""
    return replace_parts(workbook([]), {"xl/styles.xml": '<styleSheet numFmtId="x"><fonts count'})


def truncated_xlsx() -> bytes:
    """A workbook cut in half (the upload stopped midway)."""
    data = workbook([["a"] * len(ENTERPRISE_COLUMNS)] * 200)
    return data[: len(data) // 2]


def png_named_xlsx() -> bytes:
    """Not a workbook at all: the start of a PNG image."""
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def many_entries_zip(entries: int = 5000) -> bytes:
    """A workbook padded with thousands of empty entries."""
    extra = {f"xl/media/pad{i}.bin": b"" for i in range(entries)}
    return replace_parts(workbook([]), extra)


def lying_dimensions_xlsx() -> bytes:
    """A sheet that declares A1:XFD1048576 and has a row numbered two million."""
    header = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for i, name in enumerate(ENTERPRISE_COLUMNS)
    )
    sheet = (
        f'{_SHEET_HEAD}<dimension ref="A1:XFD1048576"/><sheetData><row r="1">{header}</row>'
        '<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return replace_parts(workbook([]), {SHEET: sheet})


def bad_csv_lines(count: int = 1_000_000) -> bytes:
    """A 2 MB CSV: the registry header, then a million one-field lines."""
    return (",".join(ENTERPRISE_COLUMNS) + "\n").encode() + b"x\n" * count


# name -> builder, for tests that send every malformed file to every import route.
MALFORMED_XLSX = {
    "billion-laughs": billion_laughs_xlsx,
    "xxe": xxe_xlsx,
    "utf16-doctype": utf16_doctype_xlsx,
    "broken-sheet": broken_sheet_xlsx,
    "broken-workbook": broken_workbook_xlsx,
    "broken-styles": broken_styles_xlsx,
    "truncated": truncated_xlsx,
    "png": png_named_xlsx,
    "many-entries": many_entries_zip,
    "lying-dimensions": lying_dimensions_xlsx,
}
