"""A measures table as a PDF prints it, turned back into rows.

A plan's 附表 (主要任务 | 重点工作 | 具体工作措施 | 完成时限 | 责任部门) is a table in Word and in
our text files, one tab-separated row per measure. Printed to PDF its cells come out as runs of
short lines in narrow columns — "2023 / 年12 / 月", "省级生态环境 / 部门、市级生 / 态环境部门" —
with the header repeated on every page, and no measure, deadline or department is found in them:
the measure numbers (措施33) citations rest on are lost.

Read from the first header line on, the cells are joined into one stream and cut where the
measures start: their numbers count up from 1 (1. 2. … 40.), which text inside a measure (PM2.5,
2022年) never does in order. Each piece is the measure's text up to its last full stop before a
deadline (长期, 2023年12月), that deadline, and the departments after it; the labels of the next
task or work (二、巩固全覆盖成果, （四）完善…机制) close the piece and head the rows that follow.
The rows are written tab-separated, as ``knowledge.chunking`` reads any measures table.
"""

from __future__ import annotations

import re

_HEADER_WORDS = ("主要任务", "重点工作", "具体工作措施", "完成时限", "责任部门")
HEADER_ROW = "\t".join(_HEADER_WORDS)
_CN = "一二三四五六七八九十"
# where a task's or a work's label starts: 二、… or （四）…
_LABEL = re.compile(f"[{_CN}]+、|[（(][{_CN}]+[）)]")
_DEADLINE = re.compile(r"长期|持续推进|\d{4}年(?:\d{1,2}月)?(?:底前|底|前)?")
# the departments a row names: 生态环境部、省级生态环境部门 … (a body's name ends in one of these)
_DEPARTMENTS = re.compile(
    r"(?:[^。；，,]{1,20}?(?:部门|部|厅|局|委员会|委|办公室|政府|单位|机构|中心)、?)+"
)
# at least this many of the header words on one line make it the table's header
_HEADER_WORDS_NEEDED = 4


def is_printed_header(line: str) -> bool:
    """Whether a line is a measures table's header as a PDF gives it (words apart, no tabs)."""
    return "\t" not in line and sum(w in line for w in _HEADER_WORDS) >= _HEADER_WORDS_NEEDED


def rows_from_printed_table(text: str) -> str:
    """The text with a printed measures table (from its first header line to the end) written
    as tab-separated rows; a text without one, or whose table yields no measures, as it is."""
    lines = text.split("\n")
    start = next((at for at, line in enumerate(lines) if is_printed_header(line)), None)
    if start is None:
        return text
    body = re.split(r"[\n\f]", "\n".join(lines[start:]))  # a page's last line ends at the form feed
    stream = re.sub(r"\s+", "", "".join(line for line in body if not is_printed_header(line)))
    rows = _rows(stream)
    if not rows:
        return text
    return "\n".join([*lines[:start], HEADER_ROW, *rows])


def _starts(stream: str, marks: str) -> list[tuple[int, int, int]]:
    """(number, where its mark starts, where its text starts) for measures 1, 2, 3 … in order,
    numbered with one of ``marks`` (a character class)."""
    found, at, number = [], 0, 1
    while True:
        mark = re.compile(rf"(?<![0-9.．]){number}{marks}(?=[^0-9])")
        match = mark.search(stream, at)
        if match is None:
            return found
        found.append((number, match.start(), match.end()))
        at, number = match.end(), number + 1


def _rows(stream: str) -> list[str]:
    # "N." first: 第1、2项 inside a measure is no mark; a table numbering its measures 1、2、 …
    # is read by 、 only when no "N." numbering is found
    starts = _starts(stream, "[.．]")
    if len(starts) < 2:
        starts = _starts(stream, "、")
    if len(starts) < 2:
        return []
    task, work = _labels(stream[: starts[0][1]], "", "")
    rows, trailing = [], ""
    ends = [at for _, at, _ in starts[1:]] + [len(stream)]
    for (number, _, begin), end in zip(starts, ends, strict=True):
        measure, deadline, rest = _split_cell(stream[begin:end])
        departments, labels = _departments_and_labels(rest)
        if end == len(stream):  # what follows the table (a note, another appendix) is text
            departments, trailing = _bodies_named(departments)
            trailing += labels
        rows.append("\t".join((task, work, f"{number}. {measure}", deadline, departments)))
        task, work = _labels(labels, task, work)
    return rows + ([trailing] if trailing else [])


def _bodies_named(text: str) -> tuple[str, str]:
    """The departments ``text`` starts with (生态环境部、省级生态环境部门), and what follows."""
    named = _DEPARTMENTS.match(text)
    cut = named.end() if named else 0
    return text[:cut], text[cut:]


def _split_cell(piece: str) -> tuple[str, str, str]:
    """(measure text, deadline, what follows) of one measure's run of cells."""
    for stop in reversed([m.end() for m in re.finditer("。", piece)]):
        deadline = _DEADLINE.match(piece, stop)
        if deadline:
            return piece[:stop], deadline.group(0), piece[deadline.end() :]
    return piece, "", ""


def _departments_and_labels(rest: str) -> tuple[str, str]:
    label = _LABEL.search(rest)
    if label is None:
        return rest, ""
    return rest[: label.start()], rest[label.start() :]


def _labels(text: str, task: str, work: str) -> tuple[str, str]:
    """The task and the work the labels in ``text`` name (those not named stay as they were;
    a new task starts with no work)."""
    marks = list(_LABEL.finditer(text))
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        label = text[mark.start() : end]
        if mark.group(0).endswith("、"):
            task, work = label, ""
        else:
            work = label
    return task, work
