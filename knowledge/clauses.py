"""Chunking of texts numbered by clauses: technical specifications, guidelines and standards.

A technical specification (HJ 942《排污许可证申请与核发技术规范 总则》) or a guideline such as
《放射性废物安全监督管理规定》 has no 第X条: it is written as numbered clauses — chapters "4 …",
sections "4.2 …", clauses "4.2.6 …" — and people cite the clause ("按4.2.6的规定"). So each
clause becomes one passage carrying its number as its article and its headings as its section
path ("4 一般要求 > 4.2 安全分析"); a heading with text under it ("1.1 目的" then a paragraph)
is a clause too. List items (（1）…, a) …) stay inside their clause, long clauses are cut like a
long article (``knowledge.legal``). A part without a number after the clauses (名词解释, 附录A)
is kept like the appendix of a law: passages under its heading, with no article, cited by the
heading. The lines before the first clause (title, approval, entry into force) are the opening
passage, as in a law.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from knowledge.legal import (
    COMMENT,
    TOC,
    Article,
    LegalPiece,
    appendix_pieces,
    article_pieces,
    clean_line,
    ends_sentence,
    heading_like,
    opening,
)

_NUMBER = re.compile(r"^(\d{1,2}(?:[.．]\d{1,3}){0,4})(?:[\s\u3000]+|(?=[\u4e00-\u9fff]))(.+)$")
_DOTTED = re.compile(r"^\d{1,2}(?:[.．]\d{1,3}){1,4}(?:[\s\u3000]+|(?=[\u4e00-\u9fff]))\S")
# a line of a table of contents: "4.2 安全分析 ………… 7"
_CONTENTS_LINE = re.compile(r"(?:[.…·．]{4,}|…{2,})\s*\d+$")
# a part without a number that people cite by its name
_UNNUMBERED_PART = re.compile(r"^(附录|附件|附表|名词解释|术语和定义|术语|参考文献|前言)")
MIN_CLAUSES = 5
# A printed line is full within this many characters (digits and Latin letters are narrower);
# a heading is far shorter than a full line.
_FULL_LINE_SLACK = 2
_FULL_LINES_NEEDED = 3


def looks_clause_numbered(text: str) -> bool:
    """True for a text with at least ``MIN_CLAUSES`` lines starting with a clause number
    such as 4.2 or 4.2.6."""
    count = 0
    for raw in text.splitlines():
        if _DOTTED.match(clean_line(raw)):
            count += 1
            if count >= MIN_CLAUSES:
                return True
    return False


@dataclass
class _Clause:
    number: str
    paragraphs: list[str]
    section: str | None
    part: bool = False  # a part without a number (名词解释, 附录A), cut like a law's appendix


class _ClauseReader:
    """Reads lines in order, keeping the heading path and the clause being written."""

    def __init__(self) -> None:
        self.pieces: list[LegalPiece] = []
        self.preamble: list[str] = []
        self.path: dict[int, str] = {}
        self.clause: _Clause | None = None
        self.chapter: int | None = None

    def flush(self) -> None:
        clause = self.clause
        if clause is not None and any(clause.paragraphs):
            if clause.part:
                lines = [(line, None) for line in clause.paragraphs]
                self.pieces.extend(appendix_pieces(clause.section or "", lines))
            else:
                article = Article(clause.number, clause.paragraphs)
                self.pieces.extend(article_pieces(article, clause.section))
        self.clause = None

    def section(self) -> str | None:
        return " > ".join(self.path[k] for k in sorted(self.path)) or None

    def numbered(self, number: str, rest: str, fills_line: bool = False) -> bool:
        """Start the clause a numbered line opens; False when the number is not a clause's.
        ``fills_line``: the line is as long as a printed page's full line, so a clause's text
        the PDF wrapped (3.2.3 营运单位必须通过对核设施合适的设计、运行、维), not a heading."""
        parts = number.replace("．", ".").split(".")
        top = int(parts[0])
        # numbers only go up ("2 个月内…" inside chapter 4 is a sentence); a table of contents
        # restarts them at 1
        if len(parts) == 1:
            climbs = self.chapter is None or top > self.chapter or top == 1
            if not heading_like(rest) or not climbs:
                return False
        elif self.chapter is not None and top < self.chapter:
            return False
        self.chapter = top
        self.flush()
        level = len(parts)
        self.path = {k: v for k, v in self.path.items() if k < level}
        number = ".".join(parts)
        if heading_like(rest) and not fills_line:
            self.path[level] = f"{number} {rest}"
            self.clause = _Clause(number, [], self.section())
        else:
            self.clause = _Clause(number, [rest], self.section())
        return True

    def unnumbered_part(self, title: str) -> None:
        """名词解释, 附录A: a part of its own, cited by its heading."""
        self.flush()
        self.path = {1: title}
        self.clause = _Clause("", [], title, part=True)
        self.chapter = None

    def text(self, line: str) -> None:
        if self.clause is None:
            self.preamble.append(line)
        elif self.clause.paragraphs and not ends_sentence(self.clause.paragraphs[-1]):
            self.clause.paragraphs[-1] += line  # a line broken mid-sentence continues
        else:
            self.clause.paragraphs.append(line)


def chunk_clauses(text: str, *, paged: bool = False) -> list[LegalPiece]:
    """Passages of a clause-numbered text: one per clause, the opening lines kept apart.
    ``paged``: a PDF's text, whose lines are as the page wrapped them."""
    reader = _ClauseReader()
    # a form feed ends a PDF page's last line as a line break does
    raws = re.split(r"[\n\f]", text.replace("\r\n", "\n").replace("\r", "\n"))
    width = _full_width(clean_line(raw) for raw in raws) if paged else None
    for raw in raws:
        line = clean_line(raw)
        if not line or TOC.match(line) or COMMENT.match(line) or _CONTENTS_LINE.search(line):
            continue
        match = _NUMBER.match(line)
        fills_line = width is not None and len(line) >= width - _FULL_LINE_SLACK
        if match and reader.numbered(match.group(1), match.group(2).strip(), fills_line):
            continue
        heading = raw.lstrip().startswith("#")
        if (
            (heading or _UNNUMBERED_PART.match(line))
            and heading_like(line)
            and (reader.pieces or reader.clause)
        ):
            reader.unnumbered_part(line)
            continue
        reader.text(line)
    reader.flush()
    return opening(reader.preamble, False) + reader.pieces


def _full_width(lines) -> int | None:
    """How many characters a full line of the printed page holds: the commonest length of the
    lines that break off mid-sentence (None when too few do to tell)."""
    counts = Counter(len(line) for line in lines if len(line) >= 8 and not ends_sentence(line))
    if not counts:
        return None
    width, seen = counts.most_common(1)[0]
    return width if seen >= _FULL_LINES_NEEDED else None
