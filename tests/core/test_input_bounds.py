"""Finding 13 (core part): the shared bounds, and the registry and certificate lookups, answer
out-of-range input with a 422 or "not found" instead of a database error."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import TypeAdapter, ValidationError

from core.bounds import MAX_ID, Day, Id, Year
from core.certificates import verify_code
from web.pages.verify_pages import VERIFIERS


@pytest.fixture
def admin(make_user, auth_headers) -> dict[str, str]:
    return auth_headers(make_user("national"))


def test_ids_stop_at_the_largest_postgresql_integer():
    assert TypeAdapter(Id).validate_python(MAX_ID) == 2**31 - 1
    with pytest.raises(ValidationError):
        TypeAdapter(Id).validate_python(2**31)


@pytest.mark.parametrize("year, ok", [(1999, False), (2000, True), (2100, True), (2101, False)])
def test_years_run_from_2000_to_2100(year, ok):
    adapter = TypeAdapter(Year)
    if ok:
        assert adapter.validate_python(year) == year
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(year)


def test_days_outside_those_years_are_refused_in_chinese():
    adapter = TypeAdapter(Day)
    assert adapter.validate_python("2100-12-31") == dt.date(2100, 12, 31)
    with pytest.raises(ValidationError, match="日期应在 2000-01-01 至 2100-12-31 之间"):
        adapter.validate_python("9999-12-31")


def test_the_registry_past_the_last_possible_page_is_422(client, admin):
    response = client.get("/api/enterprises?page=1000000000000000000", headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"] == ["page: 数值太大（最大为 100000）"]


@pytest.mark.parametrize("code", ["QZ\x00", "\x00", "QZ-%", "证书"])
def test_a_code_no_certificate_can_have_is_not_looked_up(session, code):
    """PostgreSQL answered a NUL in the lookup with an error; such codes name no certificate."""
    assert verify_code(session, code, VERIFIERS) is None
