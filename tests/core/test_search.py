"""Searches match what was typed literally: % and _ are not wildcards (finding 17a)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.enterprises.models import Enterprise
from core.enterprises.service import list_enterprises
from core.regions.scope import RegionScope
from core.search import contains, escape_like


def test_wildcards_and_the_escape_character_are_escaped():
    assert escape_like("100%_a\\b") == "100\\%\\_a\\\\b"


@pytest.fixture
def units(session):
    for code, name in [
        ("91320500MA1XXXXX01", "苏州华宏化工有限公司"),
        ("91320500MA1XXXXX02", "无锡100%回收有限公司"),
        ("91320500MA1XXXXX03", "常州_下划线有限公司"),
    ]:
        session.add(
            Enterprise(
                credit_code=code,
                name=name,
                province="江苏省",
                city="苏州市",
                division_code="320500",
                management_category="重点管理",
                permit_status="有效",
                legal_rep_name="张三",
                legal_rep_since=dt.date(2023, 1, 1),
            )
        )
    session.flush()


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("%", ["无锡100%回收有限公司"]),
        ("_", ["常州_下划线有限公司"]),
        ("100%", ["无锡100%回收有限公司"]),
        ("华宏", ["苏州华宏化工有限公司"]),
        ("\\", []),
    ],
)
def test_enterprise_search_takes_the_query_literally(session, units, query, names):
    page = list_enterprises(session, scope=RegionScope(), query=query)
    assert [unit.name for unit in page.items] == names


def test_enterprise_api_with_percent_matches_only_names_containing_it(
    client, units, make_user, auth_headers
):
    admin = auth_headers(make_user("national"))
    body = client.get("/api/enterprises", params={"q": "%"}, headers=admin).json()
    assert [item["name"] for item in body["items"]] == ["无锡100%回收有限公司"]


def test_contains_can_ignore_case(session, units):
    stmt = select(Enterprise.credit_code).where(
        contains(Enterprise.credit_code, "ma1xxxxx01", ignore_case=True)
    )
    assert session.scalars(stmt).all() == ["91320500MA1XXXXX01"]
