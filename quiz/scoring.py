"""Pure scoring arithmetic: answer keys, all-or-nothing marking, ranking, item analysis, histograms.

Nothing here touches the database, so each rule can be checked against a hand-computed example.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TypeVar

LETTERS = "ABCDEF"
JUDGE_WORDS = {
    "对": "A",
    "正确": "A",
    "√": "A",
    "✓": "A",
    "✔": "A",
    "是": "A",
    "T": "A",
    "TRUE": "A",
    "错": "B",
    "错误": "B",
    "×": "B",
    "✗": "B",
    "✘": "B",
    "X": "B",
    "否": "B",
    "F": "B",
    "FALSE": "B",
}
# Thresholds for flagging questions in item analysis (classical test theory rules of thumb).
EASY_RATE = 0.9
HARD_RATE = 0.3
GROUP_FRACTION = 0.27
MIN_RESPONSES_FOR_FLAGS = 5

T = TypeVar("T")


def parse_choice(kind: str, text: str, option_count: int) -> tuple[str | None, str | None]:
    """A choice as sorted original letters (``"ACD"``), or a Chinese reason it is not valid.

    判断 accepts 对/错, 正确/错误, √/× (and A/B); 单选 needs exactly one letter, 多选 one or more.
    """
    raw = "".join((text or "").split()).upper()
    if not raw:
        return None, "答案不能为空"
    if kind == "判断":
        letter = JUDGE_WORDS.get(raw) or (raw if raw in ("A", "B") else None)
        if letter is None:
            return None, f"判断题答案“{text}”无法识别（应为 对/错、正确/错误 或 √/×）"
        return letter, None
    cleaned = raw.replace(",", "").replace("，", "").replace("、", "")
    if not cleaned:
        return None, "答案不能为空"
    valid = LETTERS[: max(0, option_count)]
    if not valid:
        # A question without options (an import row with empty option columns) has no letters.
        return None, "题目没有选项，无法确定答案"
    if not cleaned.isascii() or any(ch not in valid for ch in cleaned):
        return None, f"答案“{text}”只能由选项字母 {valid[0]}–{valid[-1]} 组成"
    letters = "".join(sorted(set(cleaned)))
    if kind == "单选" and len(letters) != 1:
        return None, f"单选题答案只能是一个字母，而不是“{text}”"
    return letters, None


def is_correct(key: str, given: str | None) -> bool:
    """All or nothing: the chosen set of letters must equal the key exactly (多选 too)."""
    return bool(given) and set(given) == set(key)


def rank_by_score_then_time(
    items: Iterable[T], score: Callable[[T], float], seconds: Callable[[T], float]
) -> list[tuple[int, T]]:
    """Higher score first, then less time; equal score and time share a rank (1, 2, 2, 4)."""
    ordered = sorted(items, key=lambda it: (-score(it), seconds(it)))
    result: list[tuple[int, T]] = []
    previous: tuple[float, float] | None = None
    rank = 0
    for index, item in enumerate(ordered, start=1):
        key = (score(item), seconds(item))
        if key != previous:
            rank, previous = index, key
        result.append((rank, item))
    return result


@dataclass
class ItemStats:
    """Classical item analysis of one question."""

    responses: int
    correct_rate: float
    discrimination: float | None
    upper_rate: float | None = None
    lower_rate: float | None = None
    flags: list[str] = field(default_factory=list)


def item_analysis(
    totals: dict[Hashable, float],
    responses: Sequence[tuple[Hashable, Hashable, bool]],
    *,
    fraction: float = GROUP_FRACTION,
) -> dict[Hashable, ItemStats]:
    """Correct rate and discrimination index D = p(upper) − p(lower) of each item.

    Args:
        totals: each examinee's (attempt's) total score.
        responses: (examinee, item, correct) triples.
        fraction: size of the upper and lower groups (27 % by convention), at least one each.

    Examinees are ordered by total score (ties by their key, so the split is reproducible); the
    top ``round(fraction·N)`` form the upper group and the bottom as many the lower group. With a
    random draw per attempt an item's p(upper) counts only the upper-group examinees who got it;
    D is ``None`` when either group saw the item not at all.
    """
    ordered = sorted(totals, key=lambda k: (-totals[k], str(k)))
    size = max(1, round(fraction * len(ordered))) if len(ordered) >= 2 else 0
    upper = set(ordered[:size])
    lower = set(ordered[len(ordered) - size :]) if size else set()
    counts: dict[Hashable, list[int]] = {}  # item -> [n, right, n_up, right_up, n_low, right_low]
    for examinee, item, correct in responses:
        c = counts.setdefault(item, [0, 0, 0, 0, 0, 0])
        c[0] += 1
        c[1] += correct
        if examinee in upper:
            c[2] += 1
            c[3] += correct
        if examinee in lower:
            c[4] += 1
            c[5] += correct
    stats: dict[Hashable, ItemStats] = {}
    for item, (n, right, n_up, right_up, n_low, right_low) in counts.items():
        upper_rate = right_up / n_up if n_up else None
        lower_rate = right_low / n_low if n_low else None
        d = upper_rate - lower_rate if upper_rate is not None and lower_rate is not None else None
        s = ItemStats(n, right / n, None if d is None else round(d, 4), upper_rate, lower_rate)
        if n >= MIN_RESPONSES_FOR_FLAGS:
            if s.correct_rate >= EASY_RATE:
                s.flags.append("过易")
            if s.correct_rate <= HARD_RATE:
                s.flags.append("过难")
            if s.discrimination is not None and s.discrimination < 0:
                s.flags.append("区分度为负")
        stats[item] = s
    return stats


def histogram(scores: Iterable[float], bins: int = 10, top: float = 100.0) -> list[int]:
    """Counts of scores in ``bins`` equal bins over 0..top; the last bin includes ``top``."""
    counts = [0] * bins
    for s in scores:
        index = min(bins - 1, max(0, math.floor(s / top * bins)))
        counts[index] += 1
    return counts


def histogram_svg(counts: Sequence[int], *, top: float = 100.0, title: str = "成绩分布") -> str:
    """A small self-contained SVG bar chart (no script, no external fonts) of ``histogram``
    output."""
    width, height, pad_left, pad_bottom, pad_top = 560, 240, 36, 36, 24
    plot_w, plot_h = width - pad_left - 8, height - pad_bottom - pad_top
    peak = max(counts) if counts and max(counts) > 0 else 1
    bar_w = plot_w / max(1, len(counts))
    step = top / max(1, len(counts))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart" font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 8}" '
        f'y2="{pad_top + plot_h}" stroke="#888"/>',
    ]
    for i, count in enumerate(counts):
        h = plot_h * count / peak
        x = pad_left + i * bar_w
        y = pad_top + plot_h - h
        low, high = round(i * step), round((i + 1) * step)
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" '
            'fill="#0b6e4f">'
            f"<title>{low}–{high} 分：{count} 人</title></rect>"
        )
        if count:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" font-size="11" '
                f'text-anchor="middle">{count}</text>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - pad_bottom + 14}" font-size="10" '
            f'text-anchor="middle">{low}</text>'
        )
    parts.append(
        f'<text x="{width - 8}" y="{height - 6}" font-size="10" text-anchor="end">'
        f"分数（每段 {step:g} 分）</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
