"""Finding 13 (courses part): ids, years and dates out of range are a 422 with a Chinese message,
never an OverflowError (SQLite), a DataError (PostgreSQL) or a ``date`` that cannot be built."""

from __future__ import annotations

import pytest

HUGE = 9223372036854775808  # 2**63: past every integer column
COVERAGE_PATHS = ["/api/coverage", "/api/coverage/uncovered", "/api/coverage/covered"]


@pytest.fixture
def admin(make_user, auth_headers) -> dict[str, str]:
    return auth_headers(make_user("national"))


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", f"/api/courses/{HUGE}"),
        ("post", f"/api/courses/{HUGE}/enrol"),
        ("post", f"/api/coverage/claims/{HUGE}/approve"),
        ("post", f"/api/coverage/claims/{HUGE}/reject"),
    ],
)
def test_an_id_past_any_row_is_422(client, admin, method, path):
    response = getattr(client, method)(path, headers=admin)
    assert response.status_code == 422, response.text
    assert "数值太大（最大为 2147483647）" in response.json()["detail"]


def test_progress_on_a_lesson_id_past_any_row_is_422(client, admin):
    report = {"position": 10, "previous": 0, "played": 10}
    response = client.post(f"/api/courses/lessons/{HUGE}/progress", json=report, headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"] == ["lesson_id: 数值太大（最大为 2147483647）"]


@pytest.mark.parametrize("year", [10000, 1999, -1])
def test_staff_credits_for_a_year_outside_2000_to_2100_is_422(client, admin, year):
    response = client.get(f"/api/courses/staff-credits?year={year}", headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"][0].startswith("year: 数值太")


def test_the_catalogue_of_year_10000_is_422(client, admin):
    response = client.get("/api/courses?year=10000", headers=admin)
    assert response.status_code == 422


@pytest.mark.parametrize("path", COVERAGE_PATHS)
@pytest.mark.parametrize("as_of", ["0009-11-14", "9999-12-31"])
def test_coverage_as_of_a_day_outside_2000_to_2100_is_422(client, admin, path, as_of):
    response = client.get(f"{path}?as_of={as_of}", headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"] == ["as_of: 日期应在 2000-01-01 至 2100-12-31 之间"]


def test_coverage_on_the_last_allowed_day_still_answers(client, admin):
    assert client.get("/api/coverage?as_of=2100-12-31", headers=admin).status_code == 200
