"""The starter question bank: format, answer keys, citations against the action plan, balance."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.support.plan import citation_errors, load_plan, longest_shared_run

BANK_PATH = Path(__file__).resolve().parents[2] / "quiz" / "data" / "starter_bank.csv"
HEADER = "题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,答案,解析,标签,难度,出处".split(",")
LETTERS = "ABCDEF"
TAGS = {
    "总体要求",
    "发证质量",
    "动态管理",
    "清零行动",
    "执法监管",
    "三监联动",
    "监督落实",
    "培训体系",
    "信息化",
    "技术机构",
}


def _options(row: dict[str, str]) -> dict[str, str]:
    return {
        letter: row[f"选项{letter}"].strip() for letter in LETTERS if row[f"选项{letter}"].strip()
    }


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with BANK_PATH.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _of_type(rows, kind):
    return [(i, row) for i, row in enumerate(rows, start=2) if row["题型"] == kind]


def test_file_is_utf8_without_bom_and_has_exact_header():
    raw = BANK_PATH.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8").splitlines()[0].split(",") == HEADER


def test_bank_has_at_least_85_questions_in_the_intended_mix(rows):
    kinds = Counter(row["题型"] for row in rows)
    assert set(kinds) == {"单选", "多选", "判断"}
    assert len(rows) >= 85
    assert kinds["单选"] >= 40 and kinds["多选"] >= 20 and kinds["判断"] >= 12


def test_rows_have_no_extra_columns_and_no_empty_required_fields(rows):
    for i, row in enumerate(rows, start=2):
        assert None not in row, f"第{i}行: 列数多于表头"
        for column in ("题干", "答案", "解析", "标签", "难度", "出处"):
            assert row[column].strip(), f"第{i}行: {column}为空"


def test_no_stem_appears_twice(rows):
    stems = Counter(re.sub(r"\s", "", row["题干"]) for row in rows)
    assert [s for s, n in stems.items() if n > 1] == []


def test_single_choice_answer_is_one_letter_naming_a_non_empty_option(rows):
    for i, row in _of_type(rows, "单选"):
        options = _options(row)
        assert len(options) >= 3, f"第{i}行: 选项不足3个"
        assert re.fullmatch(r"[A-F]", row["答案"]), f"第{i}行: 答案{row['答案']!r}"
        assert row["答案"] in options, f"第{i}行: 答案{row['答案']}对应的选项为空"


def test_multiple_choice_answer_is_two_or_more_sorted_letters_naming_non_empty_options(rows):
    for i, row in _of_type(rows, "多选"):
        options = _options(row)
        answer = row["答案"]
        assert re.fullmatch(r"[A-F]{2,6}", answer), f"第{i}行: 答案{answer!r}"
        assert list(answer) == sorted(set(answer)), f"第{i}行: 答案字母未排序或重复"
        assert set(answer) <= set(options), f"第{i}行: 答案含空选项"
        assert len(answer) < len(options), f"第{i}行: 全选题没有干扰项"


def test_options_are_contiguous_and_distinct(rows):
    for i, row in enumerate(rows, start=2):
        if row["题型"] == "判断":
            continue
        filled = [bool(row[f"选项{letter}"].strip()) for letter in LETTERS]
        count = sum(filled)
        assert filled == [True] * count + [False] * (6 - count), f"第{i}行: 选项不连续"
        values = list(_options(row).values())
        assert len(values) == len(set(values)), f"第{i}行: 选项重复"


def test_true_false_answers_are_dui_or_cuo_with_no_options(rows):
    answers = Counter()
    for i, row in _of_type(rows, "判断"):
        assert row["答案"] in ("对", "错"), f"第{i}行: 答案{row['答案']!r}"
        assert not _options(row), f"第{i}行: 判断题不应有选项"
        answers[row["答案"]] += 1
    # Neither answer may dominate, or guessing one letter would pass.
    assert min(answers.values()) * 3 >= sum(answers.values())


def test_single_choice_answers_are_spread_over_letters(rows):
    letters = Counter(row["答案"] for _, row in _of_type(rows, "单选"))
    assert len(letters) >= 4
    assert max(letters.values()) <= 0.4 * sum(letters.values())


def test_difficulty_is_1_to_5_and_every_level_is_used(rows):
    levels = Counter()
    for i, row in enumerate(rows, start=2):
        assert row["难度"] in {"1", "2", "3", "4", "5"}, f"第{i}行: 难度{row['难度']!r}"
        levels[row["难度"]] += 1
    assert set(levels) == {"1", "2", "3", "4", "5"}
    assert max(levels.values()) <= 0.5 * len(rows)


def test_tags_come_from_the_agreed_set(rows):
    for i, row in enumerate(rows, start=2):
        tags = row["标签"].split("|")
        assert set(tags) <= TAGS, f"第{i}行: 未知标签 {set(tags) - TAGS}"


def test_every_question_cites_a_real_part_of_the_plan(rows):
    plan = load_plan()
    for i, row in enumerate(rows, start=2):
        errors = citation_errors(row["出处"], plan)
        assert not errors, f"第{i}行: {errors}"


def test_explanations_are_in_our_own_words(rows):
    plan = load_plan()
    for i, row in enumerate(rows, start=2):
        shared = longest_shared_run(row["解析"], plan.text)
        assert len(shared) < 25, f"第{i}行: 解析与计划原文连续相同“{shared}”"
        assert "一条主线" not in "".join(row.values()), f"第{i}行"


def test_deadline_questions_key_the_plans_deadline():
    """Where a single-measure question asks for a deadline, the keyed option is that measure's."""
    plan = load_plan()
    with BANK_PATH.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    checked = 0
    for i, row in enumerate(rows, start=2):
        cited = re.fullmatch(r"行动计划措施(\d{1,2})", row["出处"])
        if row["题型"] != "单选" or not cited or "时限" not in row["题干"]:
            continue
        deadline = plan.measures[int(cited.group(1))].deadline
        assert deadline in _options(row)[row["答案"]], f"第{i}行: 应为{deadline}"
        checked += 1
    assert checked >= 5
