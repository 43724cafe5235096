"""Imports speak the user's language: Chinese templates, every Chinese header and English name."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from core.accounts import admin as account_admin
from core.enterprises.importer import import_enterprises
from core.tabular import open_table
from web.pages.import_pages import IMPORT_KINDS

CASES = [
    (kind.key, column, name)
    for kind in IMPORT_KINDS.values()
    for column in kind.columns
    for name in kind.accepted_names(column)
]


@pytest.mark.parametrize(("kind", "column", "name"), CASES)
def test_every_documented_header_is_accepted(kind, column, name):
    spec = IMPORT_KINDS[kind]
    header = [name if c == column else c for c in spec.columns]
    data = ("\ufeff" + ",".join(header) + "\r\n" + ",".join("x" for _ in header) + "\r\n").encode()
    with open_table(data, columns=spec.columns, aliases=spec.aliases, filename="t.csv") as table:
        rows = list(table)
    assert rows[0].values[column] == "x"


def test_account_headers_in_chinese_and_english_are_accepted():
    for header in (account_admin.ACCOUNT_TEMPLATE_HEADER, ("username", "display_name", "role")):
        data = ("\ufeff" + ",".join(header) + "\r\n" + ",".join("x" for _ in header)).encode()
        with open_table(
            data,
            columns=account_admin.ACCOUNT_COLUMNS,
            optional=account_admin.ACCOUNT_OPTIONAL,
            aliases=account_admin.ACCOUNT_ALIASES,
            filename="a.csv",
        ) as table:
            assert list(table)[0].values["username"] == "x"


@pytest.mark.parametrize("kind", sorted(IMPORT_KINDS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_chinese_templates_download(client, make_user, login, kind, fmt):
    make_user("national", username="boss")
    login("boss")
    response = client.get(f"/admin/import/template-zh/{kind}.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    else:
        header = list(
            next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        )
    assert tuple(header) == IMPORT_KINDS[kind].chinese_columns
    assert all(not h.isascii() for h in header)


def test_registry_file_with_short_chinese_headers_imports(session):
    data = (
        "\ufeff统一社会信用代码,单位名称,省份,城市,行政区划代码,行业,管理类别,许可证状态,法定代表人,任职日期\r\n"
        "91320500MA1TPL001U,模板测试有限公司,江苏省,苏州市,320500,化工,重点管理,有效,王五,2021-03-01\r\n"
    ).encode()
    report = import_enterprises(session, data, filename="units.csv")
    assert report.ok, list(report.error_lines())
    assert report.created == 1
