"""Chunking of the action plan and of generic regulatory text."""

from __future__ import annotations

import pytest

from knowledge.chunking import chunk_text


@pytest.fixture(scope="module")
def plan_chunks():
    from tests.support.shared import PLAN_PATH, require_shared

    require_shared()
    return chunk_text(PLAN_PATH.read_text(encoding="utf-8"))


def _measure(chunks, number):
    found = [c for c in chunks if c.measure == number]
    assert len(found) == 1, f"measure {number} appears {len(found)} times"
    return found[0]


def test_plan_table_gives_one_chunk_per_numbered_measure(plan_chunks):
    measures = sorted(c.measure for c in plan_chunks if c.measure is not None)
    assert measures == list(range(1, 41))


def test_measure_33_carries_deadline_and_departments(plan_chunks):
    chunk = _measure(plan_chunks, 33)
    assert chunk.deadline == "2024年12月"
    assert chunk.departments == "生态环境部、省级生态环境部门"
    assert "法定代表人专题培训班" in chunk.text


def test_measure_1_carries_its_task_and_key_work(plan_chunks):
    chunk = _measure(plan_chunks, 1)
    assert "夯实排污许可证质量" in chunk.section
    assert "“双百”任务提质增效" in chunk.section
    assert chunk.deadline == "2023年12月"


def test_blank_first_cells_continue_previous_task_across_repeated_headers(plan_chunks):
    # measure 9 starts a new page of the table with its header row repeated
    assert "健全排污许可证质量源头把关机制" in _measure(plan_chunks, 9).section
    assert "巩固全覆盖成果" in _measure(plan_chunks, 15).section
    assert "开展限期整改“清零行动”" in _measure(plan_chunks, 18).section
    assert all("主要任务" not in c.text for c in plan_chunks)


def test_words_broken_across_page_breaks_are_rejoined(plan_chunks):
    body = "".join(c.text for c in plan_chunks if c.measure is None)
    assert "三级质控体系" in body
    assert "重点管理、简化管理的固定污染源全部持证排污" in body
    assert "严格审核排污许可证质量，强化管理类别" in body


def test_body_paragraphs_carry_their_heading_path(plan_chunks):
    chunk = next(c for c in plan_chunks if c.measure is None and "月调度、双月总结" in c.text)
    assert chunk.section == "二、夯实排污许可证质量 > （一）“双百”任务提质增效"


def test_headings_become_the_section_path_of_plain_text():
    text = (
        "一、总则\n（一）适用范围\n本办法适用于全国\n\n的排污单位。\n1. 细则\n细则的内容。\n"
        "二、附则\n本办法自发布之日起施行。"
    )
    chunks = chunk_text(text)
    assert [(c.section, c.text) for c in chunks] == [
        ("一、总则 > （一）适用范围", "本办法适用于全国的排污单位。"),
        ("一、总则 > （一）适用范围 > 1.细则", "细则的内容。"),
        ("二、附则", "本办法自发布之日起施行。"),
    ]


def test_long_paragraphs_are_cut_at_sentence_ends():
    sentence = "这是一个用于测试切分的句子，内容足够长以便累计超过上限。"
    chunks = chunk_text("一、总则\n" + sentence * 40)
    assert len(chunks) > 1
    assert all(len(c.text) <= 520 for c in chunks)
    assert all(c.text.endswith("。") for c in chunks)
    assert "".join(c.text for c in chunks) == sentence * 40


def test_page_breaks_in_pdfs_do_not_split_a_sentence():
    chunks = chunk_text("一、总则\n排污单位应当按证\f排污，并公开信息。")
    assert [c.text for c in chunks] == ["排污单位应当按证排污，并公开信息。"]
    assert chunks[0].page == 1
