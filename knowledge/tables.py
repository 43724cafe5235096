"""Tables inside a document: one passage per row, each cell named by its column.

A classification list (《固定污染源排污许可分类管理名录》: 序号 | 行业类别 | 重点管理 | 简化管理 |
登记管理), a limit table or a form follows the articles of many rules. Read as running text, its
hundred rows become one passage of thirteen thousand characters joined to the last article, which
matches every question a little and answers none. Row by row, "牲畜饲养要领排污许可证吗" finds the
row naming 牲畜饲养, and its 重点管理 / 登记管理 cells say which.

Word tables reach us as tab-separated rows (``knowledge.ingest``); Markdown tables (``| a | b |``,
with a ``| --- |`` rule under the header) are turned into the same form when a document is read.
A row with one label and nothing else (一、畜牧业03, or Word's merged cells repeating it) heads
the rows under it.
"""

from __future__ import annotations

import re

# a Markdown table row: | cell | cell |
_PIPE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE_CELL = re.compile(r"^:?-{3,}:?$")
# columns a table needs before its rows are read as rows (two tabs: three cells)
MIN_TABS = 2


def pipe_rows_as_tabs(text: str) -> str:
    """The text with its Markdown table rows written tab-separated and the header rules dropped."""
    if "|" not in text:
        return text
    out = []
    for line in text.split("\n"):
        match = _PIPE_ROW.match(line)
        if match is None:
            out.append(line)
            continue
        cells = [cell.strip() for cell in match.group(1).split("|")]
        if cells and all(_RULE_CELL.match(cell) for cell in cells):
            continue
        out.append("\t".join(cells))
    return "\n".join(out)


def is_table_row(line: str) -> bool:
    """Whether a line is a row of a table of three or more columns."""
    return line.count("\t") >= MIN_TABS


def cells_of(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("\t")]


def group_label(cells: list[str]) -> str | None:
    """The label of a row that only heads the rows under it: one filled cell, or every filled
    cell the same (Word repeats a merged cell's text in each cell it spans)."""
    filled = [cell for cell in cells if cell]
    if filled and len(set(filled)) == 1 and (len(filled) == 1 or len(filled) == len(cells)):
        return filled[0]
    return None


def row_text(header: list[str], cells: list[str]) -> str:
    """A row as the passage it becomes: "序号：1；行业类别：牲畜饲养031…；重点管理：…"."""
    pairs = [f"{name}：{cell}" for name, cell in zip(header, cells, strict=False) if cell and name]
    return "；".join(pairs) or " ".join(cell for cell in cells if cell)
