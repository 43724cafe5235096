"""A table in a rule is read row by row, each cell named by its column."""

from __future__ import annotations

import io

from knowledge.chunking import chunk_text
from knowledge.ingest import read_document
from knowledge.tables import group_label, pipe_rows_as_tabs, row_text

CATALOGUE = """# 示范排污许可分类管理名录

第一条　为实施排污许可分类管理，制定本名录。

第二条　对污染物排放量大的排污单位，实行排污许可重点管理。

第三条　本名录自发布之日起施行。

| 序号 | 行业类别 | 重点管理 | 简化管理 | 登记管理 |
| --- | --- | --- | --- | --- |
| 一、畜牧业03 |  |  |  |  |
| 1 | 牲畜饲养031，家禽饲养032 | 设有污水排放口的规模化养殖场 | / | 无污水排放口的养殖场 |
| 二、通用工序 |  |  |  |  |
| 2 | 锅炉 | 纳入重点排污单位名录的 | 单台出力20吨/小时及以上的锅炉 | 其他 |

注1.表格中标“﹡”号者，是指在工业建筑中生产的排污单位。
"""


def test_markdown_rows_are_written_as_tab_separated_cells_without_the_rule():
    text = pipe_rows_as_tabs("| 序号 | 行业类别 |\n| --- | :---: |\n| 1 | 锅炉 |\n正文")
    assert text == "序号\t行业类别\n1\t锅炉\n正文"


def test_a_row_with_one_label_or_one_merged_cell_heads_the_rows_below():
    assert group_label(["一、畜牧业03", "", "", ""]) == "一、畜牧业03"
    assert group_label(["通用工序", "通用工序", "通用工序"]) == "通用工序"  # Word's merged cells
    assert group_label(["1", "锅炉", ""]) is None


def test_a_row_names_each_cell_by_its_column_and_leaves_empty_cells_out():
    header = ["序号", "行业类别", "重点管理"]
    assert row_text(header, ["2", "锅炉", ""]) == "序号：2；行业类别：锅炉"


def _pieces(data: bytes, filename: str):
    return chunk_text(read_document(data, filename)[0])


def test_a_list_after_the_last_article_is_one_passage_per_row_not_part_of_that_article():
    pieces = _pieces(CATALOGUE.encode(), "名录.md")
    last = next(p for p in pieces if p.article == "第三条")
    assert last.text == "第三条\u3000本名录自发布之日起施行。"
    rows = [p for p in pieces if p.article is None and "行业类别" in p.text]
    assert [p.section for p in rows] == ["一、畜牧业03", "二、通用工序"]
    assert rows[0].text.startswith("序号：1；行业类别：牲畜饲养031，家禽饲养032；重点管理：设有")
    assert "登记管理：其他" in rows[1].text
    assert any("工业建筑中生产" in p.text and p.article is None for p in pieces)


def test_a_word_table_after_the_last_article_is_read_the_same_way():
    import docx

    lines = [line for line in CATALOGUE.split("\n") if line]
    rows = [line for line in lines if line.startswith("|") and "---" not in line]
    document = docx.Document()
    for line in lines[: lines.index(rows[0])]:
        document.add_paragraph(line.lstrip("# "))
    table = document.add_table(rows=len(rows), cols=5)
    for row, line in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, line.strip("|").split("|"), strict=True):
            cell.text = value.strip()
    document.add_paragraph(lines[-1])
    buffer = io.BytesIO()
    document.save(buffer)
    pieces = _pieces(buffer.getvalue(), "名录.docx")
    assert next(p for p in pieces if p.article == "第三条").text.endswith(
        "本名录自发布之日起施行。"
    )
    rows_read = [p for p in pieces if p.article is None and "行业类别" in p.text]
    assert [p.section for p in rows_read] == ["一、畜牧业03", "二、通用工序"]


def test_a_form_after_the_last_article_stays_text_not_rows():
    articles = "第一条　测试。\n\n第二条　测试。\n\n第三条　施行。\n\n"
    form = articles + "附：登记表\n\n| 项目名称 |  | 建设单位 |  |\n"
    pieces = _pieces(form.encode(), "办法.md")
    appended = [p for p in pieces if p.section == "附：登记表"]
    assert [p.text for p in appended] == ["项目名称 建设单位"]


def test_asked_about_one_trade_the_row_naming_it_answers(session, tmp_path):
    from knowledge import service

    path = tmp_path / "示范排污许可分类管理名录.md"
    path.write_text(CATALOGUE, encoding="utf-8")
    service.ingest_path(session, path)
    answer = service.preview_answer(session, question="家禽饲养的养殖场排污许可属于哪类管理？")
    assert answer.answered
    assert "家禽饲养032" in answer.sources[0].text
    assert "重点管理：设有污水排放口的规模化养殖场" in answer.answer


def test_with_one_list_loaded_the_entries_of_another_list_are_not_guessed(session, tmp_path):
    from knowledge import service

    path = tmp_path / "示范排污许可分类管理名录.md"
    path.write_text(CATALOGUE, encoding="utf-8")
    service.ingest_path(session, path)
    other = service.preview_answer(session, question="重点排污单位名录里有哪些养殖场？")
    assert not other.answered
