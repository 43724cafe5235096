"""A plan's measures table printed to PDF still gives one passage per measure, with its number,
deadline, departments and the task and work it belongs to."""

from __future__ import annotations

from knowledge.chunking import chunk_text
from knowledge.ingest import parse_document
from knowledge.printed_table import HEADER_ROW, rows_from_printed_table

# What text extraction gives for a two-page 附表 printed in narrow columns: each cell's lines one
# after another, the header again at the top of the second page, a deadline broken as 2023 / 年12
# / 月, a department's last line glued to the next measure's number, PM2.5 inside a measure.
PRINTED = (
    "附件 1\n"
    "示范排污许可行动计划（2022—2024\n年）\n"
    "一、总体要求\n"
    "围绕排污许可提质增效一条主线，开展专项行动。\n"
    "附表\n"
    "主要任务 重点工作 具体工作措施 完成时限 责任部门\n"
    "一、夯实\n排污许可\n证质量\n"
    "（一）“双\n百”任务提\n质增效\n"
    "1. 严格审核排污许可证质量，强化\n管理类别、主要排放口等内容审核。\n"
    "2023\n年12\n月\n"
    "省级生态环境\n部门、市级生\n态环境部门2. 加强颗粒物（PM2.5）排放\n监管，实施月调度工作机制。\n"
    "长\n期\n"
    "生态环境部\n"
    "（二）健全排污许可证质量\n源头把关机制\n"
    "3. 出台排污许可管理规程。\n"
    "2022年\n12月\n"
    "生态环\n境部\f"
    "主要任务 重点工作 具体工作措施 完成时限 责任部门\n"
    "二、巩固\n全覆盖成\n果\n"
    "(四)完善排污许\n可证动态管理\n机制\n"
    "4. 梳理排污许可证到期\n未延续排污单位清单并定\n期公开。\n"
    "长\n期\n"
    "生态环境部、省级生态\n环境部门\n"
)


def _measures(text: str) -> dict[int, object]:
    return {piece.measure: piece for piece in chunk_text(text) if piece.measure is not None}


def test_each_printed_measure_is_one_passage_with_its_number_deadline_and_departments():
    measures = _measures(PRINTED)
    assert sorted(measures) == [1, 2, 3, 4]
    first = measures[1]
    assert first.text == "严格审核排污许可证质量，强化管理类别、主要排放口等内容审核。"
    assert first.deadline == "2023年12月"
    assert first.departments == "省级生态环境部门、市级生态环境部门"
    assert first.section == "一、夯实排污许可证质量 > （一）“双百”任务提质增效"


def test_a_number_inside_a_measure_does_not_cut_it():
    second = _measures(PRINTED)[2]
    assert second.text == "加强颗粒物（PM2.5）排放监管，实施月调度工作机制。"
    assert (second.deadline, second.departments) == ("长期", "生态环境部")


def test_the_labels_between_measures_head_the_rows_after_them_across_pages():
    measures = _measures(PRINTED)
    assert measures[3].section == "一、夯实排污许可证质量 > （二）健全排污许可证质量源头把关机制"
    assert measures[3].departments == "生态环境部"
    assert measures[4].section == "二、巩固全覆盖成果 > （四）完善排污许可证动态管理机制"
    assert measures[4].text == "梳理排污许可证到期未延续排污单位清单并定期公开。"


def test_the_text_before_the_table_is_read_as_before():
    pieces = chunk_text(PRINTED)
    assert any(p.text.startswith("围绕排污许可提质增效一条主线") for p in pieces)


def test_a_table_already_in_rows_or_no_table_at_all_is_left_as_it_is():
    rows = f"{HEADER_ROW}\n一、夯实\t（一）双百\t1. 严格审核。\t长期\t生态环境部"
    assert rows_from_printed_table(rows) == rows
    prose = "主要任务是提高质量。重点工作有三项。"
    assert rows_from_printed_table(prose) == prose


def test_an_attachment_label_above_a_wrapped_title_is_not_the_title():
    parsed = parse_document(PRINTED.encode(), "P020220401.txt")
    assert parsed.title == "示范排污许可行动计划（2022—2024年）"


def test_text_after_the_table_is_not_the_last_measure_s_departments():
    text = PRINTED + "备注：各地可结合实际细化措施，报生态环境部备案后执行。\n"
    measures = _measures(text)
    assert measures[4].departments == "生态环境部、省级生态环境部门"
    assert any("各地可结合实际细化措施" in p.text for p in chunk_text(text) if p.measure is None)


def test_items_numbered_inside_a_measure_do_not_cut_it():
    text = PRINTED.replace(
        "1. 严格审核排污许可证质量，", "1. 按第1、2项要求严格审核排污许可证质量，"
    )
    assert _measures(text)[1].text.startswith("按第1、2项要求严格审核排污许可证质量")
    assert sorted(_measures(text)) == [1, 2, 3, 4]


def test_a_table_numbering_its_measures_with_a_comma_is_read_too():
    text = PRINTED.replace("1. ", "1、").replace("2. ", "2、").replace("3. ", "3、")
    text = text.replace("4. ", "4、")
    measures = _measures(text)
    assert sorted(measures) == [1, 2, 3, 4]
    assert measures[3].text == "出台排污许可管理规程。"


def test_a_list_numbered_inside_a_measure_does_not_cut_it():
    listed = "1. 做好两项工作：1、严格审核许可证；2、强化管理类别、主要排放口等内容审核。"
    text = PRINTED.replace(
        "1. 严格审核排污许可证质量，强化\n管理类别、主要排放口等内容审核。", listed
    )
    measures = _measures(text)
    assert measures[1].text == listed[3:]
    assert sorted(measures) == [1, 2, 3, 4]
