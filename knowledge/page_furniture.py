"""What printing adds to a PDF's text: page furniture and letter spacing.

Furniture is a page's number and the running header or footer on every page.

Chinese official documents are printed with the page number as a footer ("— 3 —", "- 3 -",
"第 3 页 共 12 页") and often a running header (the gazette's name, a standard's code such as
"HJ 942—2018"). Text extraction gives them as ordinary lines at the end or start of each page's
text. Left in, a footer ends the last line of a page, so the article starting the next page reads
as that line's continuation and is merged into the article before it (第五条 lost inside 第四条),
and a sentence running over the page break carries "— 2 —" in its middle.

Only lines at a page's edges are looked at: a page-number line, and a line with no sentence
punctuation whose shape (digits taken as any digits, spaces ignored) is at the edge of at least
half the pages — never a line that merely repeats inside the text. The first line of the first
page is the document's title, kept even when the running header repeats it.

Letter spacing: justified or spaced-out Chinese type is extracted with a space between every two
characters (第 一 条 　 为 了 规 范 …), and then no article, term or number is found in it. A line
where most neighbouring characters stand one space apart is closed up; a wider gap stays a space.
"""

from __future__ import annotations

import re
from collections import Counter

from knowledge.legal import article_text_start

_DIGITS = "0-9０-９"
_DASHES = "-－—–~～·•"
# "第 3 页", "第 3 页 共 12 页", "共 12 页 第 3 页"
_PAGE_OF = (
    rf"第\s*[{_DIGITS}]+\s*页(?:\s*[,，/、]?\s*共\s*[{_DIGITS}]+\s*页)?"
    rf"|共\s*[{_DIGITS}]+\s*页\s*[,，/、]?\s*第\s*[{_DIGITS}]+\s*页"
)
_PAGE_NUMBER = re.compile(
    rf"^[{_DASHES}\s]*(?:{_PAGE_OF}"
    rf"|[{_DIGITS}]+(?:\s*/\s*[{_DIGITS}]+)?"
    rf"|page\s*[{_DIGITS}]+(?:\s*(?:of|/)\s*[{_DIGITS}]+)?"
    rf"|[{_DASHES}]\s*[ivxlc]{{1,6}}\s*[{_DASHES}]"  # a bare "C" or "I" may be a word
    rf")[{_DASHES}\s]*$",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# two characters side by side, and two one space apart (lookarounds: every pair is counted)
_NEIGHBOURS = re.compile(r"(?<=\S)(?=\S)")
_ONE_SPACE_APART = re.compile(r"(?<=\S) (?=\S)")
# a line is letter-spaced when at least this share of its neighbouring characters stand one space
# apart, and it holds at least this many Chinese characters (an English line is spaced by words)
_SPACED_SHARE = 0.6
_SPACED_MIN_CHARACTERS = 4
# A page number no text line looks like: "— 3 —", "- 3 -", "第 3 页 共 12 页" (a bare "3" may be
# a table's cell once the pages are gone).
_PRINTED_PAGE_NUMBER = re.compile(
    rf"^\s*(?:[{_DASHES}]+\s*[{_DIGITS}]+\s*[{_DASHES}]+|{_PAGE_OF})\s*$"
)
# A header or footer is no sentence: a line ending in 。 or holding a comma is text, however often
# a page happens to end with one like it (款。 left over by the wrapping of a penalty article).
_SENTENCE_MARKS = re.compile(r"[。；;，,！？]")
# how many lines at each edge of a page may be furniture (a number under a running footer)
EDGE_LINES = 3
# a running header or footer is at the edge of at least this share of the pages …
RUNNING_SHARE = 0.5
# … and of at least this many pages (both pages of a two-page notice)
RUNNING_MIN_PAGES = 2


def is_page_number(line: str) -> bool:
    """Whether a line is only a page number, as printed in a header or footer."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def without_letter_spacing(text: str) -> str:
    """The text with its letter-spaced lines closed up (第 一 条 → 第一条)."""
    return "\n".join(_closed_up(line) for line in text.split("\n"))


def _closed_up(line: str) -> str:
    if len(_CJK.findall(line)) < _SPACED_MIN_CHARACTERS:
        return line
    spaced = len(_ONE_SPACE_APART.findall(line))
    if not spaced or spaced < _SPACED_SHARE * (spaced + len(_NEIGHBOURS.findall(line))):
        return line
    closed = _ONE_SPACE_APART.sub("", line)
    return re.sub(r" {2,}", " ", closed)


# 在本办法施行后的 6 个月内, 到 2022 年底前: some publishers set spaces around the digits of a
# Chinese sentence (a web page's "pangu" spacing). The text as enacted has none, and a question's
# 6个月 and the answer's shape (days, months, 万元) must meet it. Only a number with Chinese on
# both sides in one line closes up: "### 1.1 目的", "GB/T 38698.2" and a tab-separated table keep
# their layout, and an article's label keeps its space (第二十二条 25度以上的坡).
_SPACE = "[ \u3000\u00a0]"
_ANY_SPACE = re.compile(_SPACE)
_SPACED_NUMBER = re.compile(
    f"(?<=[\u3400-\u9fff（“《、，：]){_SPACE}*([0-9０-９]+(?:[.．][0-9０-９]+)?[%％]?){_SPACE}*"
    "(?=[\u3400-\u9fff）”》、，。；])"
)


def without_spaced_numbers(text: str) -> str:
    """The text with the spaces around numbers inside Chinese sentences closed up."""
    return "\n".join(_numbers_closed_up(line) for line in text.split("\n"))


def as_ingested(quotation: str) -> str:
    """A text copied from a document that sets spaces around numbers (决定后 24 小时内), as
    ingestion keeps the document: those spaces closed up, also where the copy starts or ends at
    the number (3 日内，书面告知)."""
    return without_spaced_numbers(f"，{quotation}。")[1:-1]


def _numbers_closed_up(line: str) -> str:
    if not _ANY_SPACE.search(line):
        return line
    start = article_text_start(line)
    return line[:start] + _SPACED_NUMBER.sub(r"\1", line[start:])


def text_without_furniture(text: str) -> str:
    """A text copied out of a PDF: its pages (when form feeds still separate them, as
    ``pdftotext`` writes them) without their furniture, and nowhere a line that can only be a
    printed page number."""
    if "\f" in text:
        text = "\f".join(without_furniture(text.split("\f")))
    lines = text.split("\n")
    return "\n".join(line for line in lines if not _PRINTED_PAGE_NUMBER.match(line))


def without_furniture(pages: list[str]) -> list[str]:
    """Each page's text without its page number and running header or footer lines."""
    lines = [page.split("\n") for page in pages]
    running = _running_lines(lines)
    out = []
    for number, page in enumerate(lines):
        keep_title = number == 0
        out.append("\n".join(_without_edge_furniture(page, running, keep_title)))
    return out


def _shape(line: str) -> str:
    return re.sub(rf"[{_DIGITS}]+", "#", re.sub(r"\s+", "", line))


def _edges(page: list[str]) -> list[str]:
    text = [line for line in page if line.strip()]
    return list(dict.fromkeys(text[:EDGE_LINES] + text[-EDGE_LINES:]))


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Shapes of the lines at the edge of enough pages to be a running header or footer."""
    if len(pages) < RUNNING_MIN_PAGES:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_shape(line) for line in _edges(page)})
    needed = max(RUNNING_MIN_PAGES, RUNNING_SHARE * len(pages))
    return {
        shape
        for shape, count in counts.items()
        if count >= needed and shape and not _SENTENCE_MARKS.search(shape)
    }


def _is_furniture(line: str, running: set[str]) -> bool:
    return is_page_number(line) or _shape(line) in running


def _without_edge_furniture(page: list[str], running: set[str], keep_title: bool) -> list[str]:
    """The page's lines without the furniture among its first and last ``EDGE_LINES`` lines
    (the order extraction gives header, footer and body in depends on how the PDF was made)."""
    text = [at for at, line in enumerate(page) if line.strip()]
    edges = set(text[:EDGE_LINES] + text[-EDGE_LINES:])
    title = text[0] if keep_title and text and not is_page_number(page[text[0]]) else None
    dropped = {at for at in edges if at != title and _is_furniture(page[at], running)}
    return [line for at, line in enumerate(page) if at not in dropped]
