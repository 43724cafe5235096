"""The action plan's citable parts, read from the plan itself, for checking curated content.

Curated FAQ entries, quiz questions and lessons cite the plan as ``行动计划措施33``,
``行动计划第五部分（十）`` or ``行动计划总体要求``, several joined by ``；``. The numbering of the
body text is used for parts (一、总体要求 … 五、做好支撑保障); the appended table numbers the
measures 1–40 and groups them under the key works （一）…（十二）.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tests.support.shared import PLAN_PATH, require_shared

CHINESE_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]

_PART_HEADING = re.compile(r"^#+\s*([一二三四五六七八九十]+)、\s*(\S+)")
_WORK_HEADING = re.compile(r"^\**\s*[（(]\s*([一二三四五六七八九十]+)\s*[)）]")
_MEASURE_ROW = re.compile(r"(?:^|\t)(\d{1,2})\.\s*([^\t]+)\t([^\t]+)\t([^\t]+)$")
_WORK_CELL = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")
_CITATION = re.compile(
    r"^行动计划(?:措施(?P<measure>\d{1,2})"
    r"|第(?P<part>[一二三四五六七八九十]+)部分(?:[（(](?P<work>[一二三四五六七八九十]+)[)）])?"
    r"|(?P<general>总体要求))$"
)


@dataclass(frozen=True)
class Measure:
    number: int
    text: str
    deadline: str
    departments: str
    work: str  # the key work （一）…（十二） the table files it under


@dataclass
class Plan:
    text: str
    parts: dict[str, str] = field(default_factory=dict)  # 一 -> 总体要求
    works: dict[str, str] = field(default_factory=dict)  # key work 二 -> part 二 (body numbering)
    measures: dict[int, Measure] = field(default_factory=dict)


@cache
def load_plan(path: Path = PLAN_PATH) -> Plan:
    """Parse the plan's part headings, key-work headings and the numbered measures of its table."""
    if path == PLAN_PATH:
        require_shared()
    text = path.read_text(encoding="utf-8")
    plan = Plan(text=text)
    current_part = None
    current_work = None
    in_table = False
    for line in text.splitlines():
        if line.startswith("## 附表"):
            in_table = True
            continue
        if not in_table:
            heading = _PART_HEADING.match(line)
            if heading:
                current_part = heading.group(1)
                plan.parts[current_part] = heading.group(2)
                continue
            work = _WORK_HEADING.match(line)
            if work and current_part:
                plan.works[work.group(1)] = current_part
            continue
        row = _MEASURE_ROW.search(line)
        if not row:
            continue
        cells = line.split("\t")
        # Continuation rows leave 主要任务/重点工作 empty; the key work carries over from above.
        if len(cells) >= 5:
            cell = _WORK_CELL.match(cells[-4].strip())
            if cell:
                current_work = cell.group(1)
        number = int(row.group(1))
        plan.measures[number] = Measure(
            number=number,
            text=row.group(2).strip(),
            deadline=row.group(3).strip(),
            departments=row.group(4).strip(),
            work=current_work or "",
        )
    return plan


def citation_errors(basis: str, plan: Plan | None = None) -> list[str]:
    """Reasons why a 依据/出处 field does not name real parts of the plan (empty when it does)."""
    plan = plan or load_plan()
    if not basis.strip():
        return ["依据为空"]
    errors = []
    for piece in basis.split("；"):
        piece = piece.strip()
        match = _CITATION.match(piece)
        if not match:
            errors.append(f"无法识别的依据: {piece!r}")
            continue
        if match.group("measure"):
            if int(match.group("measure")) not in plan.measures:
                errors.append(f"计划中没有措施{match.group('measure')}")
        elif match.group("part"):
            part, work = match.group("part"), match.group("work")
            if part not in plan.parts:
                errors.append(f"计划中没有第{part}部分")
            elif work and plan.works.get(work) != part:
                errors.append(f"（{work}）不属于第{part}部分")
        elif "一" not in plan.parts or plan.parts["一"] != "总体要求":
            errors.append("计划第一部分不是总体要求")
    return errors


def cited_measures(basis: str) -> list[int]:
    """The measure numbers a 依据/出处 field cites, in order."""
    return [int(n) for n in re.findall(r"行动计划措施(\d{1,2})", basis)]


def longest_shared_run(text: str, source: str) -> str:
    """The longest substring of ``text`` also found in ``source`` (book titles in 《》 ignored)."""
    text = re.sub(r"《[^》]*》", "", text)
    best = ""
    for start in range(len(text)):
        length = len(best) + 1
        while start + length <= len(text) and text[start : start + length] in source:
            best = text[start : start + length]
            length += 1
    return best
