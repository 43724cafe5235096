"""Scoring rules checked against hand-computed examples."""

import pytest

from quiz import scoring


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("判断", "对", "A"),
        ("判断", "正确", "A"),
        ("判断", "√", "A"),
        ("判断", "错", "B"),
        ("判断", "错误", "B"),
        ("判断", "×", "B"),
        ("单选", "c", "C"),
        ("多选", "DCA", "ACD"),
        ("多选", "A,C", "AC"),
    ],
)
def test_choices_are_normalised_to_sorted_letters(kind, text, expected):
    assert scoring.parse_choice(kind, text, 4) == (expected, None)


@pytest.mark.parametrize(
    ("kind", "text", "fragment"),
    [
        ("单选", "AB", "一个字母"),
        ("单选", "E", "A–D"),
        ("判断", "也许", "无法识别"),
        ("多选", "", "不能为空"),
    ],
)
def test_bad_choices_are_explained(kind, text, fragment):
    key, problem = scoring.parse_choice(kind, text, 4)
    assert key is None and fragment in problem


def test_multiple_choice_scores_only_the_exact_set():
    assert scoring.is_correct("ACD", "ACD")
    assert scoring.is_correct("ACD", "DCA")
    assert not scoring.is_correct("ACD", "AC")
    assert not scoring.is_correct("ACD", "ABCD")
    assert not scoring.is_correct("A", None)
    assert not scoring.is_correct("A", "")


def test_ranking_is_by_score_then_time_and_exact_ties_share_a_rank():
    people = [("甲", 90, 300), ("乙", 90, 200), ("丙", 80, 100), ("丁", 90, 200), ("戊", 70, 50)]
    ranked = scoring.rank_by_score_then_time(people, lambda p: p[1], lambda p: p[2])
    assert [(rank, p[0]) for rank, p in ranked] == [
        (1, "乙"),
        (1, "丁"),
        (3, "甲"),
        (4, "丙"),
        (5, "戊"),
    ]


def test_item_analysis_matches_a_hand_computed_example():
    # Ten examinees scoring 90, 80 … 0: the 27 % groups are the top three and the bottom three.
    totals = {f"e{i}": 90 - 10 * (i - 1) for i in range(1, 11)}
    right = {
        "q1": {"e1", "e2", "e3", "e4", "e5"},  # p = .5, p_upper = 3/3, p_lower = 0/3 -> D = 1
        "q2": {"e1", "e8", "e9", "e10"},  # p = .4, p_upper = 1/3, p_lower = 3/3 -> D = -2/3
        "q3": set(totals),  # p = 1, D = 0
        "q4": {"e5"},  # p = .1, D = 0
    }
    responses = [(e, q, e in who) for q, who in right.items() for e in totals]
    stats = scoring.item_analysis(totals, responses)
    assert stats["q1"].correct_rate == 0.5 and stats["q1"].discrimination == 1.0
    assert stats["q2"].correct_rate == 0.4 and stats["q2"].discrimination == pytest.approx(
        -2 / 3, abs=1e-4
    )
    assert stats["q2"].flags == ["区分度为负"]
    assert stats["q3"].flags == ["过易"] and stats["q3"].discrimination == 0
    assert stats["q4"].flags == ["过难"]
    assert stats["q1"].flags == []


def test_item_seen_by_only_one_group_has_no_discrimination():
    totals = {"a": 100, "b": 50, "c": 0}
    stats = scoring.item_analysis(totals, [("a", "q", True), ("b", "q", False)])
    assert stats["q"].discrimination is None and stats["q"].responses == 2


def test_histogram_puts_full_marks_in_the_last_bin():
    assert scoring.histogram([0, 9.9, 10, 55, 100, 100]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]


def test_histogram_svg_is_standalone_and_labelled():
    svg = scoring.histogram_svg([1, 0, 3])
    assert svg.startswith("<svg") and "<script" not in svg and "3 人" in svg
