"""Shared table reading: encodings, Excel files, line numbers, header checks and the report."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from core.errors import Invalid
from core.tabular import (
    ImportReport,
    RowError,
    open_table,
    parse_bool,
    parse_date,
    read_table,
)

COLUMNS = ("code", "name", "since")
CSV_TEXT = (
    "code,name,since\nA1,苏州华宏化工有限公司,2023-05-01\nB2,无锡恒泰造纸有限公司,2021-01-31\n"
)
EXPECTED = [
    (2, {"code": "A1", "name": "苏州华宏化工有限公司", "since": "2023-05-01"}),
    (3, {"code": "B2", "name": "无锡恒泰造纸有限公司", "since": "2021-01-31"}),
]


def rows_of(table):
    return [(row.line, row.values) for row in table.rows]


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("encoding", "expected_label"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_csv_in_utf8_with_or_without_bom_and_gbk_reads_the_same(tmp_path, encoding, expected_label):
    path = tmp_path / "units.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    table = read_table(path, columns=COLUMNS)
    assert rows_of(table) == EXPECTED
    assert table.encoding == expected_label


def test_bytes_with_a_filename_read_like_a_file():
    table = read_table(CSV_TEXT.encode("gbk"), columns=COLUMNS, filename="上传.csv")
    assert rows_of(table) == EXPECTED


def test_line_numbers_count_blank_lines_and_multiline_fields():
    text = 'code,name,since\n\nA1,"两行\n名称",2023-05-01\nB2,乙,2021-01-31\n'
    table = read_table(text.encode(), columns=COLUMNS)
    assert [row.line for row in table.rows] == [3, 5]
    assert table.rows[0].values["name"] == "两行\n名称"


def test_values_are_stripped():
    table = read_table("code,name,since\n A1 ,  甲 ,2023-05-01\n".encode(), columns=COLUMNS)
    assert table.rows[0].values == {"code": "A1", "name": "甲", "since": "2023-05-01"}


def test_xlsx_first_sheet_with_dates_and_numbers_as_text():
    data = xlsx_bytes(
        [
            ("code", "name", "since"),
            (320500, "苏州华宏化工有限公司", dt.datetime(2023, 5, 1)),
            (None, None, None),
            ("B2", "无锡恒泰造纸有限公司", dt.date(2021, 1, 31)),
        ]
    )
    table = read_table(data, columns=COLUMNS, filename="units.xlsx")
    assert rows_of(table) == [
        (2, {"code": "320500", "name": "苏州华宏化工有限公司", "since": "2023-05-01"}),
        (4, {"code": "B2", "name": "无锡恒泰造纸有限公司", "since": "2021-01-31"}),
    ]
    assert table.encoding == "xlsx"


def test_xlsx_is_recognised_by_content_even_with_another_name(tmp_path):
    path = tmp_path / "export.dat"
    path.write_bytes(xlsx_bytes([COLUMNS, ("A1", "甲", "2023-05-01")]))
    assert rows_of(read_table(path, columns=COLUMNS))[0][1]["name"] == "甲"


def test_missing_and_unknown_columns_are_named_in_one_message():
    with pytest.raises(Invalid) as caught:
        read_table(b"code,nmae,since\nA1,x,2023-01-01\n", columns=COLUMNS)
    message = caught.value.message
    assert "缺少列：name" in message and "无法识别的列：nmae" in message
    assert "第1行" in message and "code,name,since" in message


def test_repeated_column_is_refused():
    with pytest.raises(Invalid, match="重复的列：code"):
        read_table(b"code,name,since,code\nA1,x,2023-01-01,A1\n", columns=COLUMNS)


def test_header_aliases_and_optional_columns():
    table = read_table(
        "代码,名称,since\nA1,甲,2023-01-01\n".encode(),
        columns=COLUMNS,
        optional=("note",),
        aliases={"代码": "code", "名称": "name"},
    )
    assert table.rows[0].values == {"code": "A1", "name": "甲", "since": "2023-01-01", "note": ""}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "是空的"),
        (b"\n\n  \n", "是空的"),
        (b"\xef\xbb\xbf", "是空的"),
        (b"code,name,since\n", "只有表头"),
        (b"code,name,since\n,,\n", "只有表头"),
    ],
)
def test_empty_files_get_one_clear_message(data, message):
    with pytest.raises(Invalid, match=message):
        read_table(data, columns=COLUMNS, filename="units.csv")


def test_binary_file_is_unreadable():
    with pytest.raises(Invalid, match="无法读取文件“photo.png”"):
        read_table(bytes(range(256)) * 8, columns=COLUMNS, filename="photo.png")


def test_old_xls_and_broken_xlsx_are_refused():
    with pytest.raises(Invalid, match=r"\.xls"):
        read_table(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, columns=COLUMNS, filename="a.xls")
    with pytest.raises(Invalid, match="已损坏"):
        read_table(b"PK\x03\x04 not really a zip", columns=COLUMNS, filename="a.xlsx")


def test_missing_file_is_a_clear_message(tmp_path):
    with pytest.raises(Invalid, match="找不到文件"):
        read_table(tmp_path / "nope.csv", columns=COLUMNS)


def test_row_with_wrong_number_of_fields_is_a_problem_not_a_crash():
    table = read_table(
        b"code,name,since\nA1,x\nB2,y,2023-01-01,extra\nC3,z,2023-01-01,,\n", columns=COLUMNS
    )
    assert [row.line for row in table.rows] == [4]
    assert [p.line for p in table.problems] == [2, 3]
    assert "表头有 3 列" in table.problems[0].message
    assert table.row_count == 3


def test_report_lists_each_bad_line_once_in_file_order():
    report = ImportReport(kind="排污单位", total=5)
    report.add_error(9, "名称不能为空")
    report.add_error(3, "日期无效")
    report.add_error(9, "省份无效")
    assert list(report.error_lines()) == ["第3行: 日期无效", "第9行: 名称不能为空；省份无效"]
    assert str(RowError(3, "日期无效")) == "第3行: 日期无效"
    assert "2 行有误" in report.summary() and "未导入任何数据" in report.summary()


def test_report_summary_with_skipped_lines_gives_the_counts():
    report = ImportReport(
        kind="课程", total=4, created=1, updated=1, unchanged=1, skip_invalid=True
    )
    report.add_error(2, "x")
    assert (
        report.summary()
        == "课程导入完成：共 4 行数据，新增 1 条，更新 1 条，未变化 1 条，跳过有误的 1 行。"
    )


def test_date_and_boolean_parsers():
    assert parse_date("2023-05-01", "日期") == (dt.date(2023, 5, 1), None)
    assert parse_date("2023/5/1", "日期") == (dt.date(2023, 5, 1), None)
    assert parse_date("2023-13-45", "日期")[1] == "日期“2023-13-45”不是有效日期（应为 YYYY-MM-DD）"
    assert parse_date("昨天", "日期")[0] is None
    assert parse_date("", "日期")[1] == "日期不能为空"
    assert parse_bool("TRUE", "通过") == (True, None)
    assert parse_bool("否", "通过") == (False, None)
    assert parse_bool("maybe", "通过")[0] is None


def test_excel_unicode_text_export_utf16_with_tabs_is_read():
    data = CSV_TEXT.replace(",", "\t").encode("utf-16")
    table = read_table(data, columns=COLUMNS, filename="units.txt")
    assert rows_of(table) == EXPECTED and table.encoding == "utf-16"


def test_semicolon_separated_file_after_blank_lines_keeps_line_numbers():
    text = "\n\n" + CSV_TEXT.replace(",", ";")
    table = read_table(text.encode("gbk"), columns=COLUMNS)
    assert [(line - 2, values) for line, values in rows_of(table)] == EXPECTED


# ---- bounded input and clean values ---------------------------------------------------------


@pytest.fixture
def settings_env(monkeypatch):
    """Set PERMITHUB_* variables for one test (the settings are cached)."""
    from core.config import get_settings

    def _set(**values):
        for key, value in values.items():
            monkeypatch.setenv(f"PERMITHUB_{key.upper()}", str(value))
        get_settings.cache_clear()

    yield _set
    monkeypatch.undo()
    get_settings.cache_clear()


def test_control_characters_are_removed_from_csv_and_xlsx_values():
    csv_table = read_table(
        "code,name,since\nA1,华宏\x1b化工\x07厂,2023-05-01\n".encode(), columns=COLUMNS
    )
    assert csv_table.rows[0].values["name"] == "华宏化工厂"
    sheet = xlsx_bytes([COLUMNS, ("A1", "华宏化工厂", "2023-05-01")])
    # openpyxl refuses to write \x1b, so put it into the sheet's XML ourselves
    import zipfile

    from tests.support.bombs import SHEET, replace_parts

    xml = zipfile.ZipFile(io.BytesIO(sheet)).read(SHEET).decode().replace("华宏", "华&#27;宏")
    table = read_table(replace_parts(sheet, {SHEET: xml}), columns=COLUMNS, filename="u.xlsx")
    assert table.rows[0].values["name"] == "华宏化工厂"


def test_the_quote_our_exports_put_before_a_formula_is_dropped_on_import():
    text = "code,name,since\nA1,'=1+1,2023-05-01\nA2,'普通,2023-05-01\nA3,\t-5,2023-05-01\n"
    names = [r.values["name"] for r in read_table(text.encode(), columns=COLUMNS).rows]
    assert names == ["=1+1", "'普通", "-5"]


def test_more_rows_than_the_cap_are_refused_while_reading(settings_env):
    settings_env(import_max_rows=100)
    text = "code,name,since\n" + "A1,甲,2023-05-01\n" * 150
    with pytest.raises(Invalid, match="超过 100 行"):
        with open_table(text.encode(), columns=COLUMNS) as table:
            list(table)
    with open_table(text.encode(), columns=COLUMNS, max_rows=200) as table:
        assert len(list(table)) == 150


def test_tables_read_whole_have_their_own_lower_row_cap(settings_env):
    settings_env(import_max_rows_in_memory=10)
    text = "code,name,since\n" + "A1,甲,2023-05-01\n" * 20
    with pytest.raises(Invalid, match="超过 10 行"):
        read_table(text.encode(), columns=COLUMNS)


def test_more_cells_than_the_cap_are_refused(settings_env):
    settings_env(import_max_cells=1000)
    wide = "code,name,since\n" + ("A1,甲,2023-05-01" + ",x" * 200 + "\n") * 5
    with pytest.raises(Invalid, match="单元格超过 1000 个"):
        read_table(wide.encode(), columns=COLUMNS)


def test_an_endless_csv_line_is_refused_without_splitting_it():
    text = "code,name,since\n" + "a," * 2_000_000 + "\n"
    with pytest.raises(Invalid, match="第2行超过 131072 个字符"):
        read_table(text.encode(), columns=COLUMNS)


def test_a_sheet_declaring_every_cell_of_excel_is_read_row_by_row_and_capped():
    from core.enterprises.importer import ENTERPRISE_COLUMNS
    from tests.support.bombs import lying_dimensions_xlsx

    with pytest.raises(Invalid, match="超过 1048576 行"):
        read_table(
            lying_dimensions_xlsx(),
            columns=ENTERPRISE_COLUMNS,
            filename="x.xlsx",
            max_rows=1_048_576,
        )


def test_broken_workbook_parts_are_invalid_not_a_crash():
    from core.enterprises.importer import ENTERPRISE_COLUMNS
    from tests.support import bombs

    for build in (bombs.broken_sheet_xlsx, bombs.broken_workbook_xlsx, bombs.broken_styles_xlsx):
        with pytest.raises(Invalid, match="无法读取 Excel 文件"):
            read_table(build(), columns=ENTERPRISE_COLUMNS, filename="x.xlsx")


def test_error_log_spills_past_a_thousand_and_keeps_every_error_in_line_order():
    from core.import_report import MEMORY_ERRORS, ErrorLog

    log = ErrorLog()
    count = MEMORY_ERRORS * 3
    for line in range(count, 0, -1):  # reverse order: the log must sort
        log.append(RowError(line, f"原因{line}\n第二行"))
    assert len(log) == count and log._spill is not None
    assert len(log._kept) == MEMORY_ERRORS
    ordered = list(log.in_line_order())
    assert [e.line for e in ordered] == list(range(1, count + 1))
    assert ordered[0] == RowError(1, "原因1 第二行")  # one line per error in the file
    assert log.line_count() == count and log[-1].line == 1
    report = ImportReport(errors=log)
    assert list(report.error_lines(limit=2)) == ["第1行: 原因1 第二行", "第2行: 原因2 第二行"]


def test_reasons_for_one_line_are_joined_even_when_they_arrive_apart():
    report = ImportReport()
    report.add_error(5, "甲")
    report.add_error(3, "乙")
    report.add_error(5, "丙")
    assert list(report.error_lines()) == ["第3行: 乙", "第5行: 甲；丙"]
    assert report.bad_line_count == 2 and report.bad_lines == {3, 5}
