"""Structure-aware chunking of Chinese regulatory text.

- Headings 一、 / （一） / 1. (with or without Markdown ``#`` and ``**`` marks) become the section
  path of the passages under them; a key-work paragraph such as ``（一）“双百”任务提质增效。落实……``
  carries its own heading in its first sentence.
- Lines broken in the middle of a sentence (by a page break or a blank line: ``质控体\\n\\n系``) are
  joined again: a line continues the previous one unless the previous ended a sentence.
- Tab-separated tables with a header row (the action plan's 主要任务/重点工作/具体工作措施/
  完成时限/责任部门)
  give one chunk per numbered measure carrying its number, deadline and departments; blank first
  cells continue the previous task and key work, repeated header rows are skipped.
- Long paragraphs are cut at sentence ends into passages of at most ``MAX_CHARS`` characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.clauses import chunk_clauses, looks_clause_numbered
from knowledge.legal import chunk_legal, looks_legal
from knowledge.printed_table import rows_from_printed_table
from knowledge.tables import cells_of, is_table_row, row_text

MAX_CHARS = 520
PAGE_BREAK = "\f"

_CN_NUM = "一二三四五六七八九十百零〇"
_LEVEL1 = re.compile(f"^([{_CN_NUM}]+)[、.．]\\s*(.*)$")
_LEVEL2 = re.compile(f"^[（(]([{_CN_NUM}]+)[）)]\\s*(.*)$")
_LEVEL3 = re.compile(r"^(\d{1,3})[.、．](?!\d)\s*(.*)$")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_BOLD = re.compile(r"\*\*|__")
_SENTENCE_END = '。！？!?；;：:…”’"）)】」』》'
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?；;])")
_MEASURE_CELL = re.compile(r"^\s*(\d{1,3})\s*[.、．]\s*(.*)$", re.S)

# header words of the columns we understand in a measures table
_TASK_HEADERS = ("主要任务", "任务")
_WORK_HEADERS = ("重点工作", "工作")
_MEASURE_HEADERS = ("具体工作措施", "工作措施", "措施", "具体措施")
_DEADLINE_HEADERS = ("完成时限", "时限", "完成时间")
_DEPARTMENT_HEADERS = ("责任部门", "责任单位", "牵头部门")


@dataclass
class ChunkData:
    """A passage ready to be stored: its text and where it sits in the document."""

    text: str
    section: str | None = None
    measure: int | None = None
    deadline: str | None = None
    departments: str | None = None
    page: int | None = None
    article: str | None = None


@dataclass
class _Line:
    text: str
    page: int
    table: bool = False


def _clean(line: str) -> str:
    line = _BOLD.sub("", line).strip()
    match = _MD_HEADING.match(line)
    return match.group(1).strip() if match else line


def _is_markdown_heading(raw: str) -> bool:
    return bool(_MD_HEADING.match(raw.strip()))


def _numbered(line: str) -> bool:
    return bool(_LEVEL1.match(line) or _LEVEL2.match(line) or _LEVEL3.match(line))


def _ends_sentence(text: str) -> bool:
    return not text or text[-1] in _SENTENCE_END


def _logical_lines(text: str) -> list[_Line]:
    """Physical lines joined back into paragraphs, with the page each paragraph starts on."""
    out: list[_Line] = []
    page = 1
    open_paragraph = False  # the last paragraph may continue on the next non-blank line
    for raw_page_part in text.replace("\r\n", "\n").replace("\r", "\n").split(PAGE_BREAK):
        for raw in raw_page_part.split("\n"):
            if is_table_row(raw):
                out.append(_Line(raw.rstrip("\n"), page, table=True))
                open_paragraph = False
                continue
            stripped = raw.strip()
            if not stripped:
                continue
            heading_mark = _is_markdown_heading(stripped)
            line = _clean(stripped)
            if not line:
                continue
            starts_new = heading_mark or _numbered(line) or stripped.startswith(("**", "- ", "* "))
            if open_paragraph and out and not starts_new:
                out[-1].text += line
            else:
                out.append(_Line(line, page))
            # A heading line never continues; a paragraph does while its sentence is unfinished.
            short_heading = heading_mark or (
                _numbered(line) and len(line) <= 40 and "。" not in line
            )
            open_paragraph = not short_heading and not _ends_sentence(out[-1].text)
        page += 1
    return out


def _label(kind: str, number: str) -> str:
    return f"{number}、" if kind == "1" else f"（{number}）" if kind == "2" else f"{number}."


def _split_heading(line: str) -> tuple[int, str, str] | None:
    """(level, heading, rest of the paragraph) for a numbered line, else None."""
    for level, pattern in ((1, _LEVEL1), (2, _LEVEL2), (3, _LEVEL3)):
        match = pattern.match(line)
        if not match:
            continue
        number, rest = match.group(1), match.group(2).strip()
        # "（一）“双百”任务提质增效。落实……": the first sentence is the key work's title.
        cut = re.search(r"[。！？]", rest)
        if cut and cut.end() < len(rest):
            title, body = rest[: cut.start()], rest[cut.end() :].strip()
        elif cut:
            title, body = rest[: cut.start()], ""
        else:
            title, body = rest, ""
        if len(title) > 60:  # a numbered sentence, not a heading
            return level, "", line
        return level, _label(str(level), number) + title, body
    return None


def _pack_sentences(text: str, limit: int = MAX_CHARS) -> list[str]:
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_SPLIT.split(text):
        if not sentence:
            continue
        while len(sentence) > limit:  # one endless sentence: hard cut
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:limit])
            sentence = sentence[limit:]
        if current and len(current) + len(sentence) > limit:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    return pieces


def _header_index(cells: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        for i, cell in enumerate(cells):
            if cell.strip() == name:
                return i
    for name in names:
        for i, cell in enumerate(cells):
            if name in cell.strip():
                return i
    return None


def _normalise_label(cell: str) -> str:
    """Table cells write (二) and （二） alike; show the full-width form."""
    cell = cell.strip()
    match = _LEVEL2.match(cell)
    if match:
        return f"（{match.group(1)}）{match.group(2).strip()}"
    return cell


class _TableReader:
    """Turns the rows of one tab-separated table into chunks, continuing blank leading cells."""

    def __init__(self) -> None:
        self.columns: dict[str, int | None] | None = None
        self.header: list[str] = []
        self.task = ""
        self.work = ""

    def feed(self, line: _Line, chunks: list[ChunkData]) -> None:
        cells = cells_of(line.text)
        if self._is_header(cells):
            return
        if self.columns is None:
            return
        cols = self.columns
        task = self._cell(cells, cols["task"])
        work = self._cell(cells, cols["work"])
        if task:
            self.task, self.work = _normalise_label(task), ""
        if work:
            self.work = _normalise_label(work)
        section = " > ".join(p for p in (self.task, self.work) if p) or None
        measure_cell = self._cell(cells, cols["measure"])
        deadline = self._cell(cells, cols["deadline"]) or None
        departments = self._cell(cells, cols["departments"]) or None
        match = _MEASURE_CELL.match(measure_cell) if measure_cell else None
        if match:
            chunks.append(
                ChunkData(
                    text=match.group(2).strip(),
                    section=section,
                    measure=int(match.group(1)),
                    deadline=deadline,
                    departments=departments,
                    page=line.page,
                )
            )
        elif measure_cell and chunks and chunks[-1].measure is not None and not task and not work:
            chunks[-1].text += measure_cell  # a measure that wrapped onto a second row
        elif any(cells):
            chunks.append(
                ChunkData(text=row_text(self.header, cells), section=section, page=line.page)
            )

    def _is_header(self, cells: list[str]) -> bool:
        measure = _header_index(cells, _MEASURE_HEADERS)
        looks_like_header = measure is not None and not _MEASURE_CELL.match(cells[measure])
        if looks_like_header and (
            _header_index(cells, _DEADLINE_HEADERS) is not None
            or _header_index(cells, _TASK_HEADERS) is not None
        ):
            self.header = cells
            self.columns = {
                "task": _header_index(cells, _TASK_HEADERS),
                "work": _header_index(cells, _WORK_HEADERS),
                "measure": measure,
                "deadline": _header_index(cells, _DEADLINE_HEADERS),
                "departments": _header_index(cells, _DEPARTMENT_HEADERS),
            }
            return True
        if self.columns is None and any(cells):
            # a table we do not know: take its first row as the header
            self.header = cells
            self.columns = {
                "task": None,
                "work": None,
                "measure": None,
                "deadline": None,
                "departments": None,
            }
            return True
        return False

    @staticmethod
    def _cell(cells: list[str], index: int | None) -> str:
        if index is None or index >= len(cells):
            return ""
        return cells[index]


def chunk_text(text: str) -> list[ChunkData]:
    """Split a document's text into passages with section paths, and tables into measures.

    A legal text (articles 第X条) is cut by ``knowledge.legal`` into one passage per article, a
    technical specification (clauses 4.2.6) by ``knowledge.clauses`` into one per clause;
    policy documents such as the action plan by their numbered headings and measures table.
    """
    if looks_legal(text):
        return [
            ChunkData(text=p.text, section=p.section, article=p.article, page=p.page)
            for p in chunk_legal(text, paged=PAGE_BREAK in text)
        ]
    if looks_clause_numbered(text):
        return [
            ChunkData(text=p.text, section=p.section, article=p.article)
            for p in chunk_clauses(text, paged=PAGE_BREAK in text)
        ]
    chunks: list[ChunkData] = []
    path: dict[int, str] = {}
    table = _TableReader()
    # a measures table printed to PDF (or copied out of one) comes as runs of short lines
    for line in _logical_lines(rows_from_printed_table(text)):
        if line.table:
            table.feed(line, chunks)
            continue
        heading = _split_heading(line.text)
        body = line.text
        if heading is not None:
            level, title, body = heading
            if title:
                path = {k: v for k, v in path.items() if k < level}
                path[level] = title
        elif _looks_like_title(line.text):
            # an unnumbered heading (document title, 附件, 附表): a new part of the document
            path = {}
            continue
        if not body:
            continue
        section = " > ".join(path[k] for k in sorted(path)) or None
        for piece in _pack_sentences(body):
            chunks.append(ChunkData(text=piece, section=section, page=line.page))
    return chunks


def _looks_like_title(line: str) -> bool:
    return len(line) <= 40 and not re.search(r"[。；，,]", line)
