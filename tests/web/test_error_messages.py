"""Bad input gets a 422 whose Chinese message says which field and what to send instead."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(make_user, auth_headers) -> dict[str, str]:
    return auth_headers(make_user("national"))


def test_a_body_that_is_not_utf8_is_a_422_like_any_bad_json(client, admin):
    response = client.post(
        "/api/knowledge/admin/faq",
        content=b"\xb0\x5b\xff",
        headers={**admin, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "UTF-8" in response.json()["detail"]


def test_a_broken_multipart_form_is_a_422(client, admin):
    response = client.post(
        "/api/knowledge/documents",
        content=b"--b\r\nNone--b--\r\n",
        headers={**admin, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 422
    assert "表单" in response.json()["detail"]


def test_a_number_out_of_range_names_the_bound(client, admin):
    response = client.get("/api/enterprises?page=1000000000000000000", headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"] == ["page: 数值太大（最大为 100000）"]


def test_a_too_long_list_names_the_most_allowed(client, admin):
    too_many = {"log_ids": list(range(1, 502))}
    response = client.post("/api/knowledge/admin/questions/dismiss", json=too_many, headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"] == ["log_ids: 项目太多（最多 500 项）"]


def test_our_validators_speak_without_pydantics_prefix(client, admin):
    response = client.get("/api/coverage?as_of=0009-11-14", headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"] == ["as_of: 日期应在 2000-01-01 至 2100-12-31 之间"]
