"""The demo lessons: one entry per demo course, real teaching text that cites the action plan."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.plan import citation_errors, load_plan, longest_shared_run
from tests.support.shared import GENERATOR_PATH, require_shared

LESSONS_PATH = Path(__file__).resolve().parents[2] / "courses" / "data" / "demo_lessons.json"
CITATION = re.compile(
    r"行动计划(?:措施\d{1,2}|第[一二三四五六七八九十]+部分(?:（[一二三四五六七八九十]+）)?|总体要求)"
)


@pytest.fixture(scope="module")
def courses() -> dict:
    return json.loads(LESSONS_PATH.read_text(encoding="utf-8"))


def _lessons(courses):
    for code, course in courses.items():
        for lesson in course["lessons"]:
            yield code, lesson


def test_there_are_lessons_for_exactly_the_demo_courses_of_the_registry_generator(courses):
    require_shared()
    generated = set(
        re.findall(r'\(\s*"([A-Z]{2}-\d{3,4})",\s*"', GENERATOR_PATH.read_text(encoding="utf-8"))
    )
    assert generated == {"LR-2022", "LR-2023", "LR-2024", "EP-101", "AP-201", "TA-301"}
    assert set(courses) == generated


def test_each_course_has_a_description_and_three_or_four_lessons(courses):
    for code, course in courses.items():
        assert set(course) == {"description", "lessons"}, code
        assert isinstance(course["description"], str) and len(course["description"]) >= 40, code
        assert 3 <= len(course["lessons"]) <= 4, code


def test_lessons_have_title_body_and_a_boolean_required_flag(courses):
    for code, lesson in _lessons(courses):
        assert set(lesson) == {"title", "body", "required"}, code
        assert isinstance(lesson["title"], str) and lesson["title"].strip(), code
        assert isinstance(lesson["required"], bool), (code, lesson["title"])


def test_every_course_has_a_required_lesson_and_titles_are_unique(courses):
    for code, course in courses.items():
        assert any(lesson["required"] for lesson in course["lessons"]), code
        titles = [lesson["title"] for lesson in course["lessons"]]
        assert len(titles) == len(set(titles)), code


def test_lesson_bodies_run_300_to_600_chinese_characters(courses):
    for code, lesson in _lessons(courses):
        body = lesson["body"]
        length = len(re.sub(r"\s", "", body))
        assert 300 <= length <= 600, f"{code} {lesson['title']}: {length}字"
        assert len(re.findall(r"[\u4e00-\u9fff]", body)) >= 250, f"{code} {lesson['title']}"


def test_lesson_bodies_cite_only_real_parts_of_the_plan(courses):
    plan = load_plan()
    for code, lesson in _lessons(courses):
        citations = CITATION.findall(lesson["body"])
        assert citations, f"{code} {lesson['title']}: 没有引用行动计划条款"
        for citation in citations:
            assert not citation_errors(citation, plan), f"{code} {lesson['title']}: {citation}"


def test_lesson_bodies_are_in_our_own_words(courses):
    plan = load_plan()
    for code, lesson in _lessons(courses):
        shared = longest_shared_run(lesson["body"], plan.text)
        assert len(shared) < 25, f"{code} {lesson['title']}: 与计划原文连续相同“{shared}”"
        assert "一条主线" not in lesson["body"]


def test_legal_representative_courses_state_the_2024_deadline_of_measure_33(courses):
    for code in ("LR-2022", "LR-2023", "LR-2024"):
        text = courses[code]["description"] + "".join(
            lesson["body"] for lesson in courses[code]["lessons"]
        )
        assert "措施33" in text, code
    lr_2024 = "".join(lesson["body"] for lesson in courses["LR-2024"]["lessons"])
    assert "2024年12月" in lr_2024
