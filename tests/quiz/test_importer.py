"""Question-bank import and export: good and bad files, atomicity, duplicates, round trip."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from core.errors import Invalid
from quiz import importer
from quiz.bank import COMMAND_LINE_ACCESS
from quiz.models import Question, QuestionTag

HEADER = "题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,答案,解析,标签,难度,出处\n"
GOOD = (
    HEADER
    + "单选,排污许可证由谁核发？,生态环境部门,市场监管部门,发改部门,税务部门,,,A,"
    + "由生态环境主管部门核发。,许可证核发,1,《条例》第五条\n"
    + "多选,哪些属于证后监管内容？,执行报告,自行监测,台账记录,广告宣传,,,ABC,"
    + "三项均为证后管理要求。,证后监管|执行报告,3,行动计划（五）\n"
    + "判断,排污单位应当按证排污。,,,,,,,√,持证排污、按证排污。,证后监管,2,行动计划（四）\n"
    + "判断,无证也可以排污。,,,,,,,错误,,证后监管,1,\n"
)


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Question))


def test_good_csv_is_imported_with_tags_and_keys(session):
    report = importer.import_questions(session, GOOD.encode("utf-8"), filename="bank.csv")
    assert report.ok and report.created == 4 and report.written
    multi = session.scalar(select(Question).where(Question.kind == "多选"))
    assert (
        multi.answer == "ABC" and multi.tags == ["证后监管", "执行报告"] and multi.difficulty == 3
    )
    judges = session.scalars(
        select(Question).where(Question.kind == "判断").order_by(Question.id)
    ).all()
    assert [q.answer for q in judges] == ["A", "B"]


def test_gbk_csv_from_excel_is_read(session):
    report = importer.import_questions(session, GOOD.encode("gbk"), filename="bank.csv")
    assert report.created == 4


def test_one_bad_row_means_nothing_is_written_and_each_line_says_why(session):
    bad = (
        GOOD
        + "单选,答案超出选项的题,甲,乙,,,,,C,,x,2,\n"
        + "填空,题型不对的题,甲,乙,,,,,A,,x,2,\n"
        + "单选,难度不对的题,甲,乙,,,,,A,,x,9,\n"
    )
    report = importer.import_questions(session, bad.encode("utf-8"), filename="bank.csv")
    assert not report.written and _count(session) == 0
    lines = list(report.error_lines())
    assert lines[0].startswith("第6行: ") and "A–B" in lines[0]
    assert lines[1].startswith("第7行: ") and "题型" in lines[1]
    assert lines[2].startswith("第8行: ") and "难度" in lines[2]


def test_skip_invalid_imports_the_good_rows(session):
    bad = GOOD + "单选,只有一个选项的题,甲,,,,,,A,,x,2,\n"
    report = importer.import_questions(
        session, bad.encode("utf-8"), filename="b.csv", skip_invalid=True
    )
    assert (
        report.created == 4 and report.written and list(report.error_lines())[0].startswith("第6行")
    )


def test_duplicate_stems_are_reported_and_never_imported_twice(session):
    importer.import_questions(session, GOOD.encode("utf-8"), filename="bank.csv")
    again = importer.import_questions(
        session, GOOD.encode("utf-8"), filename="bank.csv", skip_invalid=True
    )
    assert again.created == 0 and _count(session) == 4
    assert all("重复" in line for line in again.error_lines())
    twice_in_file = (
        HEADER + GOOD.splitlines()[1] + "\n" + GOOD.splitlines()[1].replace("？", "?") + "\n"
    )
    session.query(Question).delete()
    session.expunge_all()
    report = importer.import_questions(session, twice_in_file.encode("utf-8"), filename="x.csv")
    assert list(report.error_lines()) == ["第3行: 题干与第2行重复"]


def test_wrong_header_is_refused_with_the_expected_columns(session):
    with pytest.raises(Invalid) as info:
        importer.import_questions(session, "题目,答案\n甲,A\n".encode(), filename="bank.csv")
    assert "缺少列" in info.value.message and "题型" in info.value.message


def test_xlsx_import_and_export_round_trip(session):
    importer.import_questions(session, GOOD.encode("utf-8"), filename="bank.csv")
    data = importer.export_questions(session, access=COMMAND_LINE_ACCESS, fmt="xlsx")
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0] == tuple(importer.QUESTION_COLUMNS)
    assert rows[3][0] == "判断" and rows[3][8] == "对"
    session.query(Question).delete()
    session.expunge_all()
    report = importer.import_questions(session, data, filename="bank.xlsx")
    assert report.created == 4
    csv_text = importer.export_questions(session, access=COMMAND_LINE_ACCESS, fmt="csv").decode(
        "utf-8-sig"
    )
    assert (
        csv_text.splitlines()[2].startswith("多选,哪些属于证后监管内容？")
        and "证后监管、执行报告" in csv_text
    )


def test_xlsx_without_optional_columns_is_accepted(session):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "难度"])
    sheet.append(["单选", "最简表头的题", "甲", "乙", None, None, "B", 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = importer.import_questions(session, buffer.getvalue(), filename="min.xlsx")
    assert report.created == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_survives_control_characters_keeps_formulas_as_text_and_imports_back(session, fmt):
    importer.import_questions(session, GOOD.encode("utf-8"), filename="bank.csv")
    first, second = session.scalars(select(Question).order_by(Question.id).limit(2)).all()
    # content typed in before imports and the editor cleaned it
    first.stem, first.explanation = "排污许可证\x1b由谁核发？", "=1+1"
    second.options = ['=HYPERLINK("http://x","点我")', *second.options[1:]]
    session.flush()
    # the \x1b used to make this raise
    data = importer.export_questions(session, access=COMMAND_LINE_ACCESS, fmt=fmt)
    if fmt == "xlsx":
        rows = list(load_workbook(io.BytesIO(data)).active.iter_rows())
        assert rows[1][1].value == "排污许可证由谁核发？"
        assert (rows[1][9].value, rows[1][9].data_type) == ("=1+1", "s")
        assert rows[2][2].data_type == "s" and rows[2][2].value.startswith("=HYPERLINK")
    else:
        text = data.decode("utf-8-sig")
        assert "排污许可证由谁核发？" in text and ",'=1+1," in text
        assert "'=HYPERLINK" in text
    session.query(QuestionTag).delete()
    session.query(Question).delete()
    session.expunge_all()
    report = importer.import_questions(session, data, filename=f"bank.{fmt}")
    assert report.created == 4, list(report.error_lines())
    back = session.scalar(select(Question).where(Question.stem == "排污许可证由谁核发？"))
    assert back.explanation == "=1+1"
