"""Reading documents (.txt, .md, .docx, .pdf) into text and storing their chunks.

Re-ingesting a document with the same title replaces its chunks in one transaction; an
unchanged file (same SHA-256) is left alone. The caller bumps the index version.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import Invalid
from core.uploads import TextBudget, check_document, check_pdf_pages
from knowledge.chunking import PAGE_BREAK, ChunkData, chunk_text
from knowledge.legal import starts_article
from knowledge.models import Chunk, Document
from knowledge.page_furniture import (
    text_without_furniture,
    without_furniture,
    without_letter_spacing,
    without_spaced_numbers,
)
from knowledge.tables import pipe_rows_as_tabs

logger = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
    ".pdf": "pdf",
}
TABLE_SUFFIXES = (".csv", ".xlsx")


@dataclass
class IngestResult:
    """What happened to one document."""

    title: str
    kind: str
    chunks: int
    status: str  # "created" | "replaced" | "unchanged"
    document_id: int | None = None
    # what an upload replaced or matched, said to the uploader (knowledge.documents)
    note: str = ""

    def summary(self) -> str:
        """One Chinese line for the CLI and the upload page."""
        verb = {"created": "已导入", "replaced": "已更新", "unchanged": "内容未变化，跳过"}[
            self.status
        ]
        line = f"《{self.title}》{verb}（{self.chunks} 段）"
        return f"{line}：{self.note}" if self.note else line


def read_document(data: bytes, filename: str, progress: bool = False) -> tuple[str, str]:
    """(text, kind) of a document's bytes; pages of a PDF are separated by form feeds."""
    suffix = Path(filename).suffix.lower()
    kind = DOCUMENT_SUFFIXES.get(suffix)
    if kind is None:
        raise Invalid(
            f"不支持的文件类型“{suffix or filename}”："
            "请上传 .txt、.md、.docx、.pdf，或问答表 .csv/.xlsx"
        )
    if not data.strip():
        raise Invalid(f"文件“{filename}”是空的")
    if kind in ("text", "markdown"):
        text = text_without_furniture(_decode_text(data, filename))
    elif kind == "docx":  # often converted from a PDF, page numbers and all
        text = text_without_furniture(_read_docx(data, filename))
    else:
        text = _read_pdf(data, filename, progress)
    return without_spaced_numbers(pipe_rows_as_tabs(text)), kind


def _decode_text(data: bytes, filename: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 as Windows editors in China save it."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text[:4096]:
            return text
    raise Invalid(f"无法读取文件“{filename}”：不是 UTF-8 或 GBK 编码的文本")


def _read_docx(data: bytes, filename: str) -> str:
    import docx
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document: DocxDocument = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for a broken file
        raise Invalid(f"无法读取 Word 文件“{filename}”：文件已损坏或不是 .docx 格式") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            style = (block.style.name if block.style is not None else "") or ""
            if text and style.lower() == "title":
                text = "# " + text  # the document's own title
            elif text and style.lower().startswith("heading"):
                text = "## " + text  # keep Word headings as headings
            lines.append(text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = [c.text.replace("\n", "").strip() for c in row.cells]
                lines.append("\t".join(cells))
            lines.append("")
    return "\n".join(lines)


def _read_pdf(data: bytes, filename: str, progress: bool) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = reader.pages
        count = len(pages)
    except Exception as exc:  # pypdf raises many unrelated types (PdfReadError, KeyError …)
        raise Invalid(f"无法读取 PDF 文件“{filename}”：文件已损坏或已加密") from exc
    check_pdf_pages(count, filename)
    budget = TextBudget(filename)
    iterator = range(count)
    if progress and count >= 20:
        from tqdm import tqdm

        iterator = tqdm(iterator, desc=f"读取 {filename}", unit="页")
    texts = []
    for i in iterator:
        try:
            texts.append(without_letter_spacing(budget.take(pages[i].extract_text() or "")))
        except Invalid:
            raise
        except Exception:  # one unreadable page should not lose the document
            logger.warning("%s: page %d could not be read", filename, i + 1)
            texts.append("")
    if not any(t.strip() for t in texts):
        raise Invalid(f"PDF 文件“{filename}”中没有可提取的文字（可能是扫描件，请先做文字识别）")
    return PAGE_BREAK.join(without_furniture(texts))


@dataclass
class ParsedDocument:
    """A document read and chunked, not yet stored."""

    title: str
    filename: str
    kind: str
    sha256: str
    pieces: list[ChunkData]
    content_sha256: str = ""


def parse_document(
    data: bytes, filename: str, title: str | None = None, progress: bool = False
) -> ParsedDocument:
    """Read and chunk a document (no database access: the slow part of an ingest)."""
    check_document(data, filename)  # size, and the ZIP checks before python-docx opens a .docx
    text, kind = read_document(data, filename, progress)
    if kind != "pdf":  # PDFs are counted page by page while they are read
        TextBudget(filename).take(text)
    title = (title or _title_from(text, filename)).strip()[:300]
    if not title:
        raise Invalid("文档标题不能为空")
    pieces = chunk_text(text)
    if not pieces:
        raise Invalid(f"文件“{filename}”中没有可导入的文字")
    for piece in pieces:  # stored as they will be read back
        piece.section = (piece.section or None) and piece.section[:500]
    return ParsedDocument(
        title, filename, kind, hashlib.sha256(data).hexdigest(), pieces, content_sha256(text)
    )


def store_parsed(session: Session, parsed: ParsedDocument) -> IngestResult:
    """Store a parsed document, replacing an earlier version with the same title."""
    existing = session.scalar(select(Document).where(Document.title == parsed.title))
    if existing is not None and existing.sha256 == parsed.sha256:
        return IngestResult(
            parsed.title, parsed.kind, existing.chunk_count, "unchanged", existing.id
        )
    if existing is None:
        document = Document(
            title=parsed.title, source=parsed.filename, kind=parsed.kind, sha256=parsed.sha256
        )
        session.add(document)
        status = "created"
    else:
        document = existing
        session.execute(delete(Chunk).where(Chunk.document_id == document.id))
        session.expire(document, ["chunks"])
        document.source, document.kind = parsed.filename, parsed.kind
        document.sha256 = parsed.sha256
        status = "replaced"
    document.content_sha256 = parsed.content_sha256
    document.ingested_at = utcnow()
    document.chunk_count = len(parsed.pieces)
    session.flush()
    session.add_all(
        Chunk(
            document_id=document.id,
            ordinal=i,
            section=p.section,
            measure=p.measure,
            article=p.article and p.article[:32],
            deadline=p.deadline and p.deadline[:64],
            departments=p.departments and p.departments[:300],
            page=p.page if parsed.kind == "pdf" else None,
            text=p.text,
        )
        for i, p in enumerate(parsed.pieces)
    )
    session.flush()
    return IngestResult(parsed.title, parsed.kind, len(parsed.pieces), status, document.id)


def store_document(
    session: Session,
    *,
    data: bytes,
    filename: str,
    title: str | None = None,
    progress: bool = False,
) -> IngestResult:
    """Parse, chunk and store one document, replacing an earlier version with the same title."""
    return store_parsed(session, parse_document(data, filename, title, progress))


# Layout that differs between formats of the same text: whitespace (PDF line breaks, U+3000),
# page breaks, Markdown marks and the "## " the docx reader puts before Word headings.
_LAYOUT = re.compile(r"[\s\f#*>|_`]+")


def content_sha256(text: str) -> str:
    """Hash of the extracted text with layout removed: the same content as .md, .docx or .pdf."""
    normalised = _LAYOUT.sub("", unicodedata.normalize("NFKC", text))
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


# a first line this long that is no title may be the first half of one
_WRAPPED_TITLE_LINE = 12
_ATTACHMENT_LABEL = re.compile(r"^(#+\s*)?附件\s*[0-9０-９一二三四五六七八九十]*[:：]?$")
_TITLE_WORDS = re.compile(
    r"(法|条例|办法|规定|细则|规则|规范|指南|通知|意见|决定|计划|方案|标准|名录)(（[^）]*）)?$"
)


def _title_from(text: str, filename: str) -> str:
    """The document's own title: its first Markdown '#' heading, else a first line that reads
    like the name of a law or policy (…法, …条例, …办法 …), else the file name."""
    lines = [line.strip() for line in text.splitlines()[:30] if line.strip()]
    for line in lines:
        match = re.match(r"^#\s+(.+)$", line)
        if match:
            return match.group(1).strip().replace("**", "")
    # an attachment's label above its title (附件 1, as the plan is printed) names nothing
    lines = [line for line in lines if not _ATTACHMENT_LABEL.match(line)]
    candidates = [
        re.sub(r"\s+", "", re.sub(r"^#+", "", line).replace("**", "")) for line in lines[:2]
    ]
    if candidates and _reads_as_title(candidates[0]):
        return candidates[0]
    # a long title a PDF wrapped over two lines (…和无损检验监 / 督管理规定（HAF601）)
    if len(candidates) == 2 and len(candidates[0]) >= _WRAPPED_TITLE_LINE:
        joined = "".join(candidates)
        if _reads_as_title(joined) and not starts_article(candidates[1]):
            return joined
    return Path(filename).stem


def _reads_as_title(line: str) -> bool:
    return len(line) <= 60 and bool(_TITLE_WORDS.search(line)) and not re.search(r"[。；，,]", line)
