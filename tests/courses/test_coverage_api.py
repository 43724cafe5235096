"""/api/coverage and /api/coverage/uncovered: truth.json, region scoping, CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.support.registry import load_registry


@pytest.fixture
def registry(session, generated):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    return gen


def _worst_city(truth: dict) -> tuple[str, str]:
    key = max(
        truth["by_city"],
        key=lambda k: truth["by_city"][k]["key_units"] - truth["by_city"][k]["covered"],
    )
    return tuple(key.split("/"))


def test_national_admin_gets_the_generators_truth(client, registry, make_user, auth_headers):
    admin = make_user("national")
    response = client.get("/api/coverage?as_of=2024-06-30", headers=auth_headers(admin))
    assert response.status_code == 200, response.text
    body, truth = response.json(), registry.truth
    assert body["as_of"] == truth["as_of"]
    assert body["monthly_covered"] == truth["monthly_covered"]
    for level in ("by_province", "by_city"):
        assert body[level].keys() == truth[level].keys()
        for key, expected in truth[level].items():
            assert body[level][key] == pytest.approx(expected, abs=1e-6)
    assert body["overall"] == pytest.approx(truth["overall"], abs=1e-6)


def test_city_admin_sees_only_own_city(client, registry, make_user, auth_headers):
    province, city = _worst_city(registry.truth)
    admin = make_user("city", province=province, city=city)
    body = client.get("/api/coverage?as_of=2024-06-30", headers=auth_headers(admin)).json()
    own = registry.truth["by_city"][f"{province}/{city}"]
    assert body["overall"] == pytest.approx(own)
    assert list(body["by_city"]) == [f"{province}/{city}"]
    assert list(body["by_province"]) == [province]
    assert body["by_province"][province]["key_units"] == own["key_units"]
    assert body["monthly_covered"]["2024-06"] == own["covered"]


def test_asking_for_another_region_is_forbidden(client, registry, make_user, auth_headers):
    city_admin = make_user("city", province="江苏省", city="苏州市")
    province_admin = make_user("province", province="江苏省")
    for user, query in [
        (city_admin, "province=江苏省&city=无锡市"),
        (city_admin, "province=浙江省"),
        (province_admin, "province=浙江省"),
        (province_admin, "province=浙江省&city=杭州市"),
    ]:
        for path in ("/api/coverage", "/api/coverage/uncovered"):
            response = client.get(f"{path}?as_of=2024-06-30&{query}", headers=auth_headers(user))
            assert response.status_code == 403, (path, query)
            assert "无权" in response.json()["detail"]


def test_provincial_admin_can_drill_down_to_own_city(client, registry, make_user, auth_headers):
    admin = make_user("province", province="江苏省")
    body = client.get(
        "/api/coverage?as_of=2024-06-30&province=江苏省&city=南京市", headers=auth_headers(admin)
    ).json()
    assert body["overall"] == pytest.approx(registry.truth["by_city"]["江苏省/南京市"])


def test_non_admins_and_anonymous_callers_are_refused(client, registry, make_user, auth_headers):
    staff = make_user("staff", province="江苏省", city="苏州市")
    assert client.get("/api/coverage").status_code == 401
    assert client.get("/api/coverage", headers=auth_headers(staff)).status_code == 403


def test_bad_date_is_a_chinese_422(client, make_user, auth_headers):
    admin = make_user("national")
    response = client.get("/api/coverage?as_of=2024-13-01", headers=auth_headers(admin))
    assert response.status_code == 422
    assert "as_of" in response.json()["detail"]


def test_uncovered_json_lists_the_truths_codes(client, registry, make_user, auth_headers):
    admin = make_user("national")
    body = client.get(
        "/api/coverage/uncovered?as_of=2024-06-30&format=json", headers=auth_headers(admin)
    ).json()
    assert body["count"] == len(registry.truth["uncovered_credit_codes"])
    assert (
        sorted(i["credit_code"] for i in body["items"]) == registry.truth["uncovered_credit_codes"]
    )


def test_uncovered_csv_has_a_bom_and_reads_back(client, registry, make_user, auth_headers):
    province, city = _worst_city(registry.truth)
    admin = make_user("city", province=province, city=city)
    response = client.get(
        "/api/coverage/uncovered?as_of=2024-06-30&format=csv", headers=auth_headers(admin)
    )
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response.headers["content-disposition"]
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["单位名称", "统一社会信用代码", "省份", "城市", "法定代表人"]
    own = registry.truth["by_city"][f"{province}/{city}"]
    assert len(rows) - 1 == own["key_units"] - own["covered"] > 0
    assert {(r[2], r[3]) for r in rows[1:]} == {(province, city)}
    # all-digit credit codes carry a leading tab so that Excel keeps them as text
    assert {r[1].lstrip("\t") for r in rows[1:]} <= set(registry.truth["uncovered_credit_codes"])


def test_uncovered_xlsx_reads_back_with_openpyxl(client, registry, make_user, auth_headers):
    admin = make_user("province", province="江苏省")
    response = client.get(
        "/api/coverage/uncovered?as_of=2024-06-30&format=xlsx", headers=auth_headers(admin)
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "江苏省" in rows[0][0]
    assert rows[1][1] == "统一社会信用代码"
    data = rows[2:]
    expected = sum(
        v["key_units"] - v["covered"]
        for k, v in registry.truth["by_city"].items()
        if k.startswith("江苏省/")
    )
    assert len(data) == expected
    assert {r[2] for r in data} == {"江苏省"}
    assert {r[1] for r in data} <= set(registry.truth["uncovered_credit_codes"])
    assert all(isinstance(r[1], str) and len(r[1]) == 18 for r in data)
    assert all(isinstance(r[5], dt.datetime) for r in data)  # real dates, not text
