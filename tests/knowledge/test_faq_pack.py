"""The curated FAQ pack: its format, its citations against the action plan, and its wording."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.support.plan import citation_errors, cited_measures, load_plan, longest_shared_run

FAQ_PATH = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "faq_pack.csv"
HEADER = ["问题", "相似问法", "答案", "依据", "标签"]
# A run this long shared with the plan means a sentence was copied rather than explained.
MAX_SHARED_RUN = 25


def _norm(text: str) -> str:
    return re.sub(r"[\s，。？?！!、“”\"]", "", text)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with FAQ_PATH.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_file_is_utf8_without_bom_and_has_exact_header():
    raw = FAQ_PATH.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    first_line = raw.decode("utf-8").splitlines()[0]
    assert first_line.split(",") == HEADER


def test_pack_holds_at_least_64_complete_entries(rows):
    assert len(rows) >= 64
    for i, row in enumerate(rows, start=2):
        assert None not in row, f"第{i}行: 列数多于表头"
        for column in HEADER:
            assert (row[column] or "").strip(), f"第{i}行: {column}为空"


def test_no_question_or_phrasing_is_used_twice(rows):
    seen: dict[str, int] = {}
    for i, row in enumerate(rows, start=2):
        phrasings = [row["问题"], *row["相似问法"].split("|")]
        for phrasing in phrasings:
            key = _norm(phrasing)
            assert key not in seen, f"第{i}行: “{phrasing}”已在第{seen[key]}行出现"
            seen[key] = i


def test_each_entry_has_three_to_five_alternative_phrasings(rows):
    for i, row in enumerate(rows, start=2):
        phrasings = row["相似问法"].split("|")
        assert 3 <= len(phrasings) <= 5, f"第{i}行: 相似问法有{len(phrasings)}个"
        assert all(p.strip() == p and p for p in phrasings), f"第{i}行: 相似问法含空项或多余空格"


def test_answers_run_two_to_five_sentences(rows):
    for i, row in enumerate(rows, start=2):
        sentences = re.findall(r"[^。！？]+[。！？]", row["答案"])
        assert 2 <= len(sentences) <= 5, f"第{i}行: 答案有{len(sentences)}句"
        assert row["答案"].rstrip()[-1] in "。！？", f"第{i}行: 答案没有以句号结尾"


def test_every_citation_names_a_real_part_of_the_plan(rows):
    plan = load_plan()
    for i, row in enumerate(rows, start=2):
        errors = citation_errors(row["依据"], plan)
        assert not errors, f"第{i}行: {errors}"


def test_single_measure_answers_state_that_measures_deadline_year(rows):
    plan = load_plan()
    for i, row in enumerate(rows, start=2):
        measures = cited_measures(row["依据"])
        if len(measures) != 1:
            continue
        year = re.match(r"(\d{4})年", plan.measures[measures[0]].deadline)
        if year:
            assert f"{year.group(1)}年" in row["答案"], f"第{i}行: 未写明措施{measures[0]}的时限"


def test_answers_are_in_our_own_words(rows):
    plan = load_plan()
    for i, row in enumerate(rows, start=2):
        shared = longest_shared_run(row["答案"], plan.text)
        assert len(shared) < MAX_SHARED_RUN, f"第{i}行: 与计划原文连续相同“{shared}”"
        assert "一条主线" not in "".join(row.values()), f"第{i}行"


def test_tags_are_short_and_pipe_separated(rows):
    for i, row in enumerate(rows, start=2):
        tags = row["标签"].split("|")
        assert 1 <= len(tags) <= 4, f"第{i}行: 标签{len(tags)}个"
        assert all(t and len(t) <= 8 for t in tags), f"第{i}行: 标签 {tags}"


@pytest.mark.parametrize(
    "topic",
    [
        "双百",
        "现场审核",
        "技术评估",
        "专家团队",
        "质控",
        "专项复核",
        "每季度",
        "临期",
        "注销",
        "清零行动",
        "挂单销号",
        "双随机",
        "正面清单",
        "曝光",
        "三监联动",
        "检查手册",
        "督察",
        "微信公众号",
        "云讲堂",
        "审核技能竞赛",
        "法定代表人",
        "必修",
        "大数据",
        "副本",
        "填报模板",
        "信用",
    ],
)
def test_pack_covers_the_topics_enterprises_and_bureaus_ask_about(rows, topic):
    assert any(topic in row["问题"] + row["答案"] for row in rows)


def test_key_deadlines_and_ratio_are_stated_as_in_the_plan(rows):
    text = {row["问题"]: row["答案"] for row in rows}
    joined = "".join(text.values())
    assert "不应少于全部审批数量的一半" in joined
    legal_rep = [a for q, a in text.items() if "法定代表人" in q and "截止" in q]
    assert legal_rep and all("2024年12月" in a for a in legal_rep)
    manual = [a for q, a in text.items() if "检查手册" in q]
    assert manual and all("2022年6月" in a for a in manual)


def test_no_entry_declines_to_answer_what_a_regulation_may_answer(rows):
    """Honesty belongs to the refusal mechanism: a canned "we cannot answer" entry about fines or
    fees would hide the penalty article of a regulation a bureau ingests."""
    for row in rows:
        assert "无法回答" not in row["标签"].split("|"), row["问题"]
        assert "无法回答" not in row["答案"], row["问题"]
        assert "罚" not in row["问题"] and "多少钱" not in row["问题"], row["问题"]
