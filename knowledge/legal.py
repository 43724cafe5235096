"""Chunking of Chinese legal texts: 编/章/节 headings, 条 articles, their 款, 项 and 目.

A law, regulation or rule is written as articles (第十四条　……) grouped under parts, chapters
and sections (第一编 / 第二章 / 第三节). The unit people cite — and ask about — is the article,
so each article becomes one passage carrying its number and its chapter path. An article longer than
``MAX_ARTICLE_CHARS`` is cut at its 款 (paragraphs); every piece repeats the article number and
the article's lead-in (the text before its first list item, e.g. "违反本条例规定，有下列行为之一的，
由……处二十万元以上一百万元以下的罚款：") so that a list item never loses the sentence that gives it
meaning; so is a closing 款 that gives the items' fines by pointing back at them (有前款第一项
行为之一，处……). List items （一）/(一) (项) and 1. (目) always stay inside
their article. A form, table or grading standard appended after the last article (附：…, 附录：…)
becomes passages of its own, under that heading, not part of the last article.

Accepted layouts: plain text (U+3000 or ASCII spaces or none after 第X条), Markdown
(``## 第一章 总则``, ``**第一条**``), Word (heading styles arrive as ``## `` lines from the reader,
spaced-out headings such as ``第一章　总　　则``), PDFs whose lines break anywhere (a line that
starts with 第X条 continues the previous sentence unless that sentence ended).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.tables import cells_of, group_label, is_table_row, row_text

MAX_ARTICLE_CHARS = 700
_NUM = "零〇一二三四五六七八九十百千两0-9"
_SPACES = "\\s\u3000"
# 第五条 alone on its line, its text on the next (a hanging layout, a Word table of two columns)
# starts the article as well
_ARTICLE = re.compile(
    f"^(第[{_NUM}]+条(?:之[{_NUM}]+)?)(?:[{_SPACES}]+|(?=[^的之规款项、，,。所中第])|$)(.*)$"
)
_HEADING = re.compile(f"^(第[{_NUM}]+)[{_SPACES}]*([编章节])[{_SPACES}]*(.*)$")
_HEADING_RANK = {"编": 1, "章": 2, "节": 3}
_MD_MARK = re.compile(r"^#{1,6}\s*")
_BOLD = re.compile(r"\*\*|__")
_SENTENCE_END = '。！？!?；;：:”’"）)】」』》'
_ITEM = re.compile(f"^[（(][{_NUM}]+[）)]")
_SUB_ITEM = re.compile(r"^\d{1,2}[.．、](?!\d)")
TOC = re.compile(r"^目[\s\u3000]*录$")
# "附：建设项目环境影响登记表", "附录：", "附件2" after the last article: a form, table or grading
# standard appended to the text, not part of the last article (它的词会把每个问题都引到第二十二条)
_APPENDIX = re.compile(f"^(附(?:件|录|表)?[{_NUM}]*)(?:[:：][{_SPACES}]*(.*)|[{_SPACES}]*)$")
_APPENDIX_TITLE_CHARS = 30
# the most a chapter title's second line holds when a PDF wraps it
_WRAPPED_TITLE_CHARS = 20
COMMENT = re.compile(r"^<!--.*-->$")


@dataclass
class LegalPiece:
    """One article (or part of a long one) with where it sits in the text."""

    text: str
    section: str | None
    article: str | None
    page: int | None = None


@dataclass
class Article:
    number: str
    paragraphs: list[str] = field(default_factory=list)
    page: int | None = None


def clean_line(raw: str) -> str:
    line = _BOLD.sub("", raw).strip()
    return _MD_MARK.sub("", line).strip()


def _heading(line: str) -> tuple[int, str] | None:
    """(rank, "第二章 排污许可证申请与审批") for a 编/章/节 heading line, else None."""
    match = _HEADING.match(line)
    if not match:
        return None
    number, kind, title = match.groups()
    title = re.sub(f"[{_SPACES}]+", "", title)
    if len(title) > 30 or re.search(r"[。；，,：:]", title):
        return None  # a sentence that begins "第二章规定……", not a heading
    return _HEADING_RANK[kind], f"{number}{kind} {title}".strip()


def article_text_start(line: str) -> int:
    """Where an article's text starts in a raw line, after its label and the space after it (0
    for a line that opens no article)."""
    lead = len(line) - len(line.lstrip("# \t\u3000"))
    match = _ARTICLE.match(line[lead:])
    return lead + match.start(2) if match else 0


def starts_article(line: str) -> bool:
    """Whether a line opens an article (第五条 and its text, or 第五条 alone)."""
    return _ARTICLE.match(clean_line(line)) is not None


def article_count(text: str) -> int:
    """How many lines of ``text`` start an article."""
    return sum(1 for raw in text.splitlines() if starts_article(raw))


def looks_legal(text: str) -> bool:
    """True for a text written as articles: at least three lines start with 第X条."""
    return article_count(text) >= 3


def ends_sentence(text: str) -> bool:
    return not text or text[-1] in _SENTENCE_END


def _lines(text: str) -> list[tuple[str, int]]:
    """Non-empty cleaned lines with their page (form feeds separate PDF pages)."""
    out = []
    for page, part in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\f"), 1):
        for raw in part.split("\n"):
            # a table row keeps its empty cells: "一、畜牧业03\t\t\t" labels the rows below
            line = raw.strip(" \u3000") if is_table_row(raw) else clean_line(raw)
            if line:
                out.append((line, page))
    return out


def chunk_legal(text: str, *, paged: bool = False) -> list[LegalPiece]:
    """Passages of a legal text: one per article (long ones cut at 款), preamble kept apart."""
    pieces: list[LegalPiece] = []
    path: dict[int, str] = {}
    preamble: list[str] = []
    article: Article | None = None
    article_path: str | None = None

    def flush() -> None:
        nonlocal article
        if article is not None:
            pieces.extend(article_pieces(article, article_path))
            article = None

    lines = _lines(text)
    # a table after this line follows the articles; one before it sits among them
    last_article = max(
        (at for at, (line, _) in enumerate(lines) if _ARTICLE.match(line)), default=-1
    )
    wrapped_heading: int | None = None  # rank of a PDF heading line whose title may wrap
    for at, (line, page) in enumerate(lines):
        if TOC.match(line) or COMMENT.match(line):
            continue
        heading_rank, wrapped_heading = wrapped_heading, None
        if heading_rank is not None and _continues_heading(line, _following(lines, at)):
            path[heading_rank] += line
            continue
        continues = (
            article is not None and article.paragraphs and not ends_sentence(article.paragraphs[-1])
        )
        after_an_article = (pieces or article is not None) and not continues
        appendix = _appendix_heading(line, _following(lines, at)) if after_an_article else None
        if appendix is not None:
            flush()
            return opening(preamble, paged) + pieces + appendix_pieces(appendix, lines[at + 1 :])
        if after_an_article and is_table_row(line) and at > last_article:
            # a list or form after the last article (名录的分类表): its rows, not that article
            flush()
            return opening(preamble, paged) + pieces + appendix_pieces(None, lines[at:])
        heading = _heading(line)
        if heading is not None:
            rank, title = heading
            flush()
            path = {k: v for k, v in path.items() if k < rank}
            path[rank] = title
            wrapped_heading = rank if paged else None
            continue
        match = _ARTICLE.match(line)
        if match and not continues:
            flush()
            article = Article(match.group(1), [match.group(2).strip()], page if paged else None)
            article_path = " > ".join(path[k] for k in sorted(path)) or None
            continue
        if article is None:
            preamble.append(line)
        elif continues or (article.paragraphs and not article.paragraphs[-1]):
            article.paragraphs[-1] += line  # a line broken mid-sentence (PDF) continues
        else:
            article.paragraphs.append(line)
    flush()
    return opening(preamble, paged) + pieces


def _continues_heading(line: str, following: str) -> bool:
    """Whether a PDF line right after a 章/节 heading is the rest of its wrapped title (第四章
    民用核设施营运单位的监造、装运前检验、监装和 / 验收): short, no sentence, and followed by
    an article or another heading rather than by text of its own."""
    return (
        len(line) <= _WRAPPED_TITLE_CHARS
        and heading_like(line)
        and _ARTICLE.match(line) is None
        and _heading(line) is None
        and (_ARTICLE.match(following) is not None or _heading(following) is not None)
    )


def opening(preamble: list[str], paged: bool) -> list[LegalPiece]:
    """The text before the first article (title, promulgation) as a passage of its own."""
    return [LegalPiece("\n".join(preamble), None, None, 1 if paged else None)] if preamble else []


def _following(lines: list[tuple[str, int]], at: int) -> str:
    """The line after ``lines[at]`` ("" at the end)."""
    return lines[at + 1][0] if at + 1 < len(lines) else ""


def _appendix_heading(line: str, following: str) -> str | None:
    """ "附：建设项目环境影响登记表" for an appendix heading line (its title on the next line
    when the line is only "附录："), else None."""
    match = _APPENDIX.match(line)
    if not match:
        return None
    label, title = match.group(1), (match.group(2) or "").strip()
    if not title and len(following) <= _APPENDIX_TITLE_CHARS and not ends_sentence(following):
        title = following
    if len(title) > _APPENDIX_TITLE_CHARS or re.search(r"[。；]", title):
        return None
    return f"{label}：{title}" if title else label


def appendix_pieces(section: str | None, lines: list[tuple[str, int | None]]) -> list[LegalPiece]:
    """The appended text in pieces of at most ``MAX_ARTICLE_CHARS``, cut between lines but never
    right after a heading-like line (a table's title, a glossary's term stays with what follows);
    a table with a header row one piece per row (``knowledge.tables``), a form (label | blank)
    packed as text; a new appendix heading starts a section of its own."""
    pieces: list[LegalPiece] = []
    body: list[str] = []
    table: _Table | None = None

    def flush() -> None:
        if body:
            pieces.append(LegalPiece("\n".join(body), section, None, None))
            body.clear()

    for at, (line, _page) in enumerate(lines):
        if COMMENT.match(line):
            continue
        appendix = _appendix_heading(line, _following(lines, at))
        if appendix is not None:
            flush()
            section, table = appendix, None
            continue
        if not is_table_row(line):
            table = None
        else:
            cells = cells_of(line)
            if table is None:
                table = _Table.starting(cells, body)
            if not table.form:
                flush()
                piece = table.row(cells, section)
                if piece is not None:
                    pieces.append(piece)
                continue
            line = " ".join(cell for cell in cells if cell)
        full = body and sum(map(len, body)) + len(line) > MAX_ARTICLE_CHARS
        if full and not heading_like(body[-1]):
            flush()
        body.append(line)
    flush()
    return pieces


@dataclass
class _Table:
    """The table being read: its header row, title and the label heading the current rows."""

    header: list[str] = field(default_factory=list)
    title: str | None = None
    group: str | None = None
    form: bool = False  # label | blank | label | blank: a form to fill in, read as text

    @classmethod
    def starting(cls, cells: list[str], body: list[str]) -> _Table:
        """The table whose first row is ``cells``; a title line just above it (left in
        ``body`` for a form) heads its rows."""
        if not all(cells):
            return cls(form=True)
        title = body.pop() if body and heading_like(body[-1]) else None
        return cls(title=title)

    def row(self, cells: list[str], section: str | None) -> LegalPiece | None:
        """The piece of one row; None for the header and for a row that labels those below."""
        if not self.header:
            self.header = cells
            return None
        label = group_label(cells)
        if label is not None:
            self.group = label
            return None
        path = " > ".join(p for p in (section, self.title, self.group) if p) or None
        return LegalPiece(row_text(self.header, cells), path, None, None)


def heading_like(line: str) -> bool:
    """A heading's, a title's or a term's words: short, no sentence punctuation."""
    return len(line) <= _APPENDIX_TITLE_CHARS and not re.search(r"[。；;，,：:！？]", line)


def article_pieces(article: Article, section: str | None) -> list[LegalPiece]:
    """The article whole, or cut at its 款 with the number and lead-in repeated on each piece."""
    paragraphs = [p for p in article.paragraphs if p]
    whole = _join(article.number, paragraphs)
    if len(whole) <= MAX_ARTICLE_CHARS:
        return [LegalPiece(whole, section, article.number, article.page)]
    lead = _lead_in(paragraphs)
    tail = _consequences_of_items(paragraphs)
    budget = MAX_ARTICLE_CHARS - sum(map(len, tail))
    groups: list[list[str]] = [[]]
    size = 0
    for paragraph in paragraphs[: len(paragraphs) - len(tail)]:
        if groups[-1] and size + len(paragraph) > budget:
            groups.append([])
            size = len(lead)
        groups[-1].append(paragraph)
        size += len(paragraph)
    out = []
    for i, group in enumerate(groups):
        body = group if i == 0 or not lead or group[0] == lead else [lead, *group]
        out.append(
            LegalPiece(_join(article.number, body + tail), section, article.number, article.page)
        )
    return out


def _consequences_of_items(paragraphs: list[str]) -> list[str]:
    """The 款 after an article's list items that give their consequences by pointing back at
    them ("有前款第一项、第八项行为之一，处五万元以上二十万元以下的罚款"): repeated on every
    piece like the lead-in, so an item never loses its fine. Empty when there is none, or when
    it is too long to repeat."""
    last_item = max(
        (i for i, p in enumerate(paragraphs) if _ITEM.match(p) or _SUB_ITEM.match(p)), default=None
    )
    if last_item is None:
        return []
    tail = paragraphs[last_item + 1 :]
    if not tail or not all("前款" in p for p in tail):
        return []
    return tail if sum(map(len, tail)) <= MAX_ARTICLE_CHARS // 2 else []


def _lead_in(paragraphs: list[str]) -> str:
    """The paragraph that introduces the article's list items (the one before the first 项)."""
    for i, paragraph in enumerate(paragraphs):
        if _ITEM.match(paragraph) or _SUB_ITEM.match(paragraph):
            return paragraphs[i - 1] if i > 0 else ""
    return paragraphs[0] if paragraphs else ""


def _join(number: str, paragraphs: list[str]) -> str:
    """ "第十四条　…" with its 款 and 项 on their own lines."""
    if not paragraphs:
        return number
    return f"{number}\u3000{paragraphs[0]}" + "".join("\n" + p for p in paragraphs[1:])
