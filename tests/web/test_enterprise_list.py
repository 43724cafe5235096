"""The enterprise list page and API: region scoping and search by name or credit code."""

import pytest

from core.enterprises.credit_code import check_character
from core.enterprises.importer import import_enterprise_rows
from core.tabular import Row

UNITS = [  # name, province, city, division code
    ("苏州华宏化工有限公司", "江苏省", "苏州市", "320500"),
    ("苏州恒泰造纸有限公司", "江苏省", "苏州市", "320500"),
    ("昆山鑫源电镀有限公司", "江苏省", "苏州市", "320500"),
    ("南京瑞丰石化有限公司", "江苏省", "南京市", "320100"),
    ("杭州永新印染有限公司", "浙江省", "杭州市", "330100"),
]


def code_for(i: int, division: str) -> str:
    body = f"91{division}{i:08d}0"
    return body + check_character(body)


@pytest.fixture
def units(session):
    rows = []
    for i, (name, province, city, division) in enumerate(UNITS):
        rows.append(
            Row(
                i + 2,
                {
                    "credit_code": code_for(i, division),
                    "name": name,
                    "province": province,
                    "city": city,
                    "division_code": division,
                    "industry": "化工",
                    "management_category": "重点管理",
                    "permit_status": "有效",
                    "legal_rep_name": "张三",
                    "legal_rep_since": "2020-01-01",
                },
            )
        )
    report = import_enterprise_rows(session, rows)
    assert report.created == len(UNITS)
    return {name: code_for(i, division) for i, (name, _, _, division) in enumerate(UNITS)}


def api_names(client, headers, **params) -> list[str]:
    response = client.get("/api/enterprises", params=params, headers=headers)
    assert response.status_code == 200
    return sorted(item["name"] for item in response.json()["items"])


def test_city_admin_page_shows_only_their_city(client, make_user, login, units):
    make_user("city", username="sz", province="江苏省", city="苏州市")
    login("sz")
    page = client.get("/enterprises")
    assert page.status_code == 200
    assert "苏州华宏化工有限公司" in page.text and "昆山鑫源电镀有限公司" in page.text
    assert "南京瑞丰石化有限公司" not in page.text and "杭州永新印染有限公司" not in page.text
    assert "共 3 家" in page.text


def test_city_admin_api_returns_only_their_city(client, make_user, auth_headers, units):
    headers = auth_headers(make_user("city", province="江苏省", city="苏州市"))
    assert api_names(client, headers) == sorted(n for n, _, c, _ in UNITS if c == "苏州市")
    nanjing = units["南京瑞丰石化有限公司"]
    assert api_names(client, headers, q=nanjing) == []
    assert client.get(f"/api/enterprises/{nanjing}", headers=headers).status_code == 404
    assert (
        client.get(f"/api/enterprises/{units['苏州华宏化工有限公司']}", headers=headers).status_code
        == 200
    )


def test_province_and_national_admins_see_their_regions(client, make_user, auth_headers, units):
    province = auth_headers(make_user("province", province="江苏省"))
    assert len(api_names(client, province)) == 4
    national = auth_headers(make_user("national"))
    assert len(api_names(client, national)) == 5


def test_search_by_name_and_by_credit_code(client, make_user, auth_headers, login, units):
    user = make_user("province", username="js", province="江苏省")
    headers = auth_headers(user)
    assert api_names(client, headers, q="造纸") == ["苏州恒泰造纸有限公司"]
    code = units["南京瑞丰石化有限公司"]
    assert api_names(client, headers, q=code) == ["南京瑞丰石化有限公司"]
    assert api_names(client, headers, q=code[:8].lower()) == ["南京瑞丰石化有限公司"]
    assert api_names(client, headers, q="杭州") == []  # outside Jiangsu even though it exists
    login("js")
    page = client.get("/enterprises", params={"q": "造纸"})
    assert "苏州恒泰造纸有限公司" in page.text and "苏州华宏化工有限公司" not in page.text


def test_enterprise_users_and_staff_cannot_list_units(client, make_user, auth_headers, units):
    staff = auth_headers(
        make_user("staff", province="江苏省", city="苏州市", staff_kind="审批人员")
    )
    assert client.get("/api/enterprises", headers=staff).status_code == 403
    company = make_user("enterprise", credit_code=units["苏州华宏化工有限公司"])
    assert client.get("/api/enterprises", headers=auth_headers(company)).status_code == 403
