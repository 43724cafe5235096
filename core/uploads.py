"""Bounded input: every uploaded or imported file passes here before a parser sees it.

Checks, cheapest first, each refusing with ``Invalid`` (422) and a Chinese message:

1. Size. ``read_upload`` reads at most the cap for the kind of file plus one byte, so a 10 GB
   body never reaches memory; the caps are settings (``PERMITHUB_MAX_UPLOAD_MB_*``).
2. ZIP containers (.xlsx, .docx). ``check_zip`` reads the end-of-directory record first (entry
   count and directory size, before ``zipfile`` builds an object per entry), then the directory:
   total unpacked size, the size of each XML part a parser holds whole (shared strings, a Word
   document's body) and the compression ratio of every large entry. These are the sizes the
   archive declares, and they are enough: Python's ``zipfile``, which openpyxl and python-docx
   both read through, stops inflating an entry at its declared size (and fails on the CRC), so
   no parser ever sees more than was checked. A 432 KB workbook that unpacks to 147 MB is
   refused in milliseconds, without inflating anything.
3. XML parts. The prolog (first 8 KB) of every entry is read and a ``<!DOCTYPE`` refused: entity
   declarations (billion laughs) and external entities (XXE) can only live there, and Office
   files never have one. Encodings the check cannot read (EBCDIC, UTF-32) are refused too.
   When ``defusedxml`` is installed openpyxl also parses through it; this check does not rely
   on it.

Tables get further caps on rows, cells and line length while they are read (``core.tabular``);
PDFs on pages and extracted characters (``check_pdf_pages``, ``TextBudget``).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import BinaryIO, Protocol

from core.config import get_settings
from core.errors import Invalid

MB = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".docx")

# Entries smaller than this are exempt from the ratio check (tiny XML parts compress well);
# Apache POI has the same kind of grace size.
_RATIO_GRACE_BYTES = 1 * MB
# A directory larger than this is not an Office file (1,000 entries take ~100 KB).
_MAX_DIRECTORY_BYTES = 8 * MB
_PROLOG_BYTES = 8192


class FileKind(StrEnum):
    """What an upload is for; each kind has its own size cap."""

    TABLE = "table"  # CSV/XLSX imports: registry, courses, training, rosters, bank, FAQ
    DOCUMENT = "document"  # knowledge documents: .txt .md .docx .pdf
    VIDEO = "video"
    ATTACHMENT = "attachment"
    EVIDENCE = "evidence"  # certificates of external training: PDF, JPG, PNG
    EVALUATION = "evaluation"  # knowledge evaluation sets: .jsonl


_LABELS = {
    FileKind.TABLE: "表格",
    FileKind.DOCUMENT: "文档",
    FileKind.VIDEO: "视频",
    FileKind.ATTACHMENT: "附件",
    FileKind.EVIDENCE: "证明材料",
    FileKind.EVALUATION: "评测",
}


_SAVE_AS = {
    FileKind.TABLE: "另存为 CSV",
    FileKind.DOCUMENT: "另存为 PDF 或纯文本",
    FileKind.VIDEO: "重新导出",
    FileKind.ATTACHMENT: "重新压缩",
    FileKind.EVIDENCE: "压缩图片或另存为较小的 PDF",
    FileKind.EVALUATION: "拆分后分批评测",
}


# What to do with a file over the cap, where splitting it or the command line does not apply.
_TOO_BIG_ADVICE = {
    FileKind.EVIDENCE: "请压缩图片或另存为较小的 PDF 后上传",
    FileKind.EVALUATION: "请拆分后分批评测",
}


@dataclass(frozen=True)
class Limits:
    """The caps for one kind of file, in bytes."""

    upload_bytes: int
    unpacked_bytes: int
    xml_part_bytes: int  # one XML part a parser reads whole


def limits(kind: FileKind) -> Limits:
    """The configured caps for ``kind``."""
    s = get_settings()
    upload_mb = {
        FileKind.TABLE: s.max_upload_mb_table,
        FileKind.DOCUMENT: s.max_upload_mb_document,
        FileKind.VIDEO: s.max_upload_mb_video,
        FileKind.ATTACHMENT: s.max_upload_mb_attachment,
        FileKind.EVIDENCE: s.max_upload_mb_evidence,
        FileKind.EVALUATION: s.max_upload_mb_evaluation,
    }[kind]
    document = kind == FileKind.DOCUMENT
    unpacked_mb = s.max_unpacked_mb_document if document else s.max_unpacked_mb_table
    part_mb = s.max_xml_part_mb_document if document else s.max_xml_part_mb_table
    return Limits(upload_mb * MB, unpacked_mb * MB, part_mb * MB)


def read_upload(stream: BinaryIO, *, filename: str, kind: FileKind) -> bytes:
    """The bytes of an uploaded file, never reading more than its kind's cap plus one byte."""
    cap = limits(kind).upload_bytes
    data = stream.read(cap + 1)
    check_size(len(data), filename=filename, kind=kind)
    return data


class FormFile(Protocol):
    """A file field of a form as Starlette hands it over (``fastapi.UploadFile``)."""

    filename: str | None
    file: BinaryIO


def read_form_file(
    file: FormFile | None, *, kind: FileKind, required: str | None = None
) -> tuple[str, bytes]:
    """The name and bytes of a form's file field, never reading more than its kind's cap + 1.

    The one way every upload route and page reads a file. No file chosen gives ``("", b"")``,
    or ``Invalid(required)`` when ``required`` says what to ask for.
    """
    if file is None or not file.filename:
        if required:
            raise Invalid(required)
        return "", b""
    return file.filename, read_upload(file.file, filename=file.filename, kind=kind)


async def read_body(chunks: AsyncIterator[bytes], *, filename: str, kind: FileKind) -> bytes:
    """A request body sent as is (not a form), read chunk by chunk up to its kind's cap + 1."""
    cap = limits(kind).upload_bytes
    buffer = bytearray()
    async for chunk in chunks:
        buffer += chunk
        if len(buffer) > cap:
            break
    check_size(len(buffer), filename=filename, kind=kind)
    return bytes(buffer)


def check_size(size: int, *, filename: str, kind: FileKind) -> None:
    """Refuse a file larger than the upload cap of its kind."""
    cap = limits(kind).upload_bytes
    if size > cap:
        advice = _TOO_BIG_ADVICE.get(kind, "请拆分后分批上传，或由系统管理员使用命令行导入")
        name = _quoted(filename)
        raise Invalid(f"{_LABELS[kind]}文件{name}太大（上限 {cap // MB} MB），{advice}")


def is_zip(head: bytes, filename: str = "") -> bool:
    """True for bytes that start like a ZIP archive or a name that says .xlsx/.docx."""
    return head.startswith(ZIP_MAGIC) or filename.lower().endswith(ZIP_SUFFIXES)


def check_zip(source: bytes | BinaryIO, *, filename: str, kind: FileKind) -> None:
    """Refuse a ZIP-based file that is broken, a bomb, or has a DOCTYPE in an XML part.

    ``source`` is the file's bytes or a seekable binary file (left at position 0).
    """
    fp = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        _check_directory_record(fp, filename)
        fp.seek(0)
        with zipfile.ZipFile(fp) as archive:
            infos = archive.infolist()
            _check_entries(infos, filename, kind)
            for info in infos:
                _check_prolog(archive, info, filename)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error) as exc:
        raise Invalid(_broken(filename)) from exc
    except (RuntimeError, NotImplementedError) as exc:  # encrypted, unknown compression
        raise Invalid(
            f"无法读取文件{_quoted(filename)}：文件已加密或使用了不支持的压缩方式"
        ) from exc
    finally:
        fp.seek(0)


def _broken(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower() or ".xlsx/.docx"
    label = {".docx": " Word 文件", ".xlsx": " Excel 文件", ".xlsm": " Excel 文件"}.get(
        suffix, "文件"
    )
    return f"无法读取{label}{_quoted(filename)}：文件已损坏、不完整或不是 {suffix} 格式"


def _check_directory_record(fp: BinaryIO, filename: str) -> None:
    """Entry count and directory size from the end record, before zipfile reads the directory."""
    entries, directory_bytes = _end_record(fp)
    cap = get_settings().max_zip_entries
    if entries > cap or directory_bytes > _MAX_DIRECTORY_BYTES:
        _refuse_entries(filename, entries)


def _refuse_entries(filename: str, entries: int) -> None:
    cap = get_settings().max_zip_entries
    raise Invalid(
        f"文件{_quoted(filename)}内部有 {entries} 个部件（上限 {cap} 个），"
        "不像正常的 Excel 或 Word 文件，已拒绝"
    )


def _end_record(fp: BinaryIO) -> tuple[int, int]:
    """(entries, directory size) from the ZIP end-of-central-directory record (ZIP64 too)."""
    fp.seek(0, io.SEEK_END)
    size = fp.tell()
    tail_start = max(0, size - (22 + 65535))  # the record plus the longest comment
    fp.seek(tail_start)
    tail = fp.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile("no end of central directory")
    _, _, _, _, entries, directory_bytes, _, _ = struct.unpack("<4s4H2LH", tail[at : at + 22])
    if entries == 0xFFFF or directory_bytes == 0xFFFFFFFF:
        locator = tail[at - 20 : at] if at >= 20 else b""
        if not locator.startswith(b"PK\x06\x07"):
            raise zipfile.BadZipFile("ZIP64 locator missing")
        (record_offset,) = struct.unpack("<Q", locator[8:16])
        fp.seek(record_offset)
        record = fp.read(56)
        if not record.startswith(b"PK\x06\x06") or len(record) < 56:
            raise zipfile.BadZipFile("ZIP64 record missing")
        entries, directory_bytes = struct.unpack("<QQ", record[32:48])
    return entries, directory_bytes


def _check_entries(infos: list[zipfile.ZipInfo], filename: str, kind: FileKind) -> None:
    settings = get_settings()
    if len(infos) > settings.max_zip_entries:  # the end record may understate it
        _refuse_entries(filename, len(infos))
    for info in infos:  # a bomb is named as such, whatever else is wrong with it
        _check_ratio(info, filename, kind)
    unpacked = sum(i.file_size for i in infos)
    cap = limits(kind).unpacked_bytes
    if unpacked > cap:
        raise Invalid(
            f"文件{_quoted(filename)}解压后有 {unpacked / MB:.0f} MB，超过上限 {cap // MB} MB；"
            f"请拆分后分批导入，或{_SAVE_AS[kind]}后导入"
        )
    for info in infos:
        _check_part_size(info, filename, kind)


def _check_ratio(info: zipfile.ZipInfo, filename: str, kind: FileKind) -> None:
    cap = get_settings().max_zip_ratio
    if info.file_size <= _RATIO_GRACE_BYTES or info.file_size <= cap * info.compress_size:
        return
    raise Invalid(
        f"文件{_quoted(filename)}中的“{info.filename}”压缩比异常"
        f"（{info.compress_size / 1024:.0f} KB 解压为 {info.file_size / MB:.0f} MB，"
        f"超过 {cap} 倍），疑似压缩炸弹，已拒绝；如确为正常文件，请{_SAVE_AS[kind]}后导入"
    )


def _check_part_size(info: zipfile.ZipInfo, filename: str, kind: FileKind) -> None:
    """An XML part the parser loads whole must fit the per-part cap (worksheets are streamed)."""
    name = info.filename.lower()
    if not name.endswith((".xml", ".rels")) or name.startswith("xl/worksheets/"):
        return
    cap = limits(kind).xml_part_bytes
    if info.file_size > cap:
        raise Invalid(
            f"文件{_quoted(filename)}中的“{info.filename}”解压后有 {info.file_size / MB:.0f} MB，"
            f"超过单个部件的上限 {cap // MB} MB；请拆分后分批导入，或{_SAVE_AS[kind]}后导入"
        )


# Whitespace, processing instructions (<?xml …?>) and comments may come before the root element.
_PROLOG_ITEM = re.compile(rb"[ \t\r\n]+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_ROOT_START = re.compile(rb"<[A-Za-z_:]")


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str) -> None:
    if info.is_dir() or info.file_size == 0:
        return
    with archive.open(info) as member:
        head = member.read(_PROLOG_BYTES)
    text = _as_ascii_compatible(head)
    if text is None:
        raise Invalid(
            f"文件{_quoted(filename)}中的“{info.filename}”使用了不支持的 XML 编码，已拒绝"
        )
    position = 0
    while match := _PROLOG_ITEM.match(text, position):
        position = match.end()
    rest = text[position:]
    if rest[:9].upper() == b"<!DOCTYPE" or rest.startswith(b"<!ENTITY"):
        raise Invalid(
            f"文件{_quoted(filename)}中的“{info.filename}”含有 DOCTYPE 或实体声明"
            "（正常的 Office 文件不会有），可能是恶意构造的文件，已拒绝"
        )
    unfinished = not rest and info.file_size > len(head)  # the prolog runs past 8 KB
    if unfinished or (rest.startswith(b"<") and not _ROOT_START.match(rest)):
        raise Invalid(f"文件{_quoted(filename)}中的“{info.filename}”XML 开头异常，已拒绝")


_BOMS = (
    (b"\x00\x00\xfe\xff", None),  # UTF-32: expat cannot read it, libxml2 can; refuse
    (b"\xff\xfe\x00\x00", None),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _as_ascii_compatible(head: bytes) -> bytes | None:
    """The start of an entry as ASCII-compatible bytes; None for encodings we cannot check.

    Binary entries (images) come back unchanged: they do not start with ``<`` and are skipped.
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            if encoding is None:
                return None
            return head[len(bom) :].decode(encoding, "ignore").encode("utf-8", "ignore")
    if head.startswith((b"<\x00\x00\x00", b"\x00\x00\x00<", b"\x4c\x6f\xa7\x94")):
        return None  # UTF-32 without a mark, EBCDIC "<?xm"
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", "ignore").encode("utf-8", "ignore")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", "ignore").encode("utf-8", "ignore")
    return head


# ---- documents -------------------------------------------------------------------------------


def check_document(data: bytes, filename: str) -> None:
    """Size cap for a knowledge document and, for .docx, the ZIP checks."""
    check_size(len(data), filename=filename, kind=FileKind.DOCUMENT)
    if is_zip(data[:4], filename):
        check_zip(data, filename=filename, kind=FileKind.DOCUMENT)


def check_pdf_pages(count: int, filename: str) -> None:
    """Refuse a PDF with more pages than ``PERMITHUB_PDF_MAX_PAGES``."""
    cap = get_settings().pdf_max_pages
    if count > cap:
        raise Invalid(f"PDF 文件{_quoted(filename)}有 {count} 页，超过上限 {cap} 页，请拆分后导入")


class TextBudget:
    """Counts the characters read out of a document and refuses past the configured cap."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.cap = get_settings().document_max_chars
        self.used = 0

    def take(self, text: str) -> str:
        """Count ``text``; raise ``Invalid`` once the document has more than the cap."""
        self.used += len(text)
        if self.used > self.cap:
            raise Invalid(f"文件{_quoted(self.filename)}的文字超过 {self.cap} 字，请拆分后导入")
        return text


def _quoted(name: str) -> str:
    return f"“{name}”" if name else ""
