"""Account pages: create with a one-time password, forced change at first login, import, audit."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from tests.support.web import csrf_from


def _one_time_passwords(html: str) -> dict[str, str]:
    rows = re.findall(
        r'class="username">([^<]+)</td>.*?class="mono one-time">([^<]+)</td>', html, re.S
    )
    return dict(rows)


def test_national_admin_creates_city_admin_on_the_page(client, make_user, login):
    make_user("national", username="boss")
    login("boss")
    page = client.get("/admin/accounts")
    assert page.status_code == 200 and "新建账号" in page.text
    created = client.post(
        "/admin/accounts",
        data={
            "csrf_token": csrf_from(page.text),
            "username": "sz-city",
            "role": "city",
            "province": "江苏省",
            "city": "苏州市",
            "display_name": "苏州市管理员",
        },
    )
    assert created.status_code == 200, created.text
    password = _one_time_passwords(created.text)["sz-city"]
    client.post("/logout", data={"csrf_token": csrf_from(created.text)})
    login_page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "sz-city",
            "password": password,
            "csrf_token": csrf_from(login_page.text),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/account/password"
    blocked = client.get("/admin/accounts", follow_redirects=False)
    assert blocked.status_code == 303 and blocked.headers["location"] == "/account/password"
    form = client.get("/account/password")
    assert "一次性密码" in form.text
    done = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_from(form.text),
            "current_password": password,
            "new_password": "suzhou-city-2024",
            "confirm_password": "suzhou-city-2024",
        },
    )
    assert "密码已修改" in done.text
    assert client.get("/admin/accounts").status_code == 200


def test_create_form_shows_errors_in_chinese(client, make_user, login):
    make_user("city", username="sz", province="江苏省", city="苏州市")
    login("sz")
    page = client.get("/admin/accounts")
    response = client.post(
        "/admin/accounts",
        data={
            "csrf_token": csrf_from(page.text),
            "username": "higher",
            "role": "province",
            "province": "江苏省",
        },
    )
    assert response.status_code == 403 and "只能管理下级账号" in response.text
    # the city admin cannot even choose a higher role in the form
    assert 'value="province"' not in page.text.split('id="create-account"')[1].split("</form>")[0]


def test_import_page_shows_passwords_once_and_offers_result_file_once(client, make_user, login):
    make_user("city", username="sz", province="江苏省", city="苏州市")
    login("sz")
    page = client.get("/admin/accounts")
    data = "\ufeff用户名,姓名,人员类别\r\nsz-1,甲,审批人员\r\nsz-2,乙,\r\n".encode()
    response = client.post(
        "/admin/accounts/import",
        data={"csrf_token": csrf_from(page.text)},
        files={"file": ("staff.csv", data, "text/csv")},
    )
    assert response.status_code == 200, response.text
    passwords = _one_time_passwords(response.text)
    assert set(passwords) == {"sz-1", "sz-2"}
    link = re.search(r'href="(/admin/accounts/results/[^"]+\.xlsx)"', response.text).group(1)
    workbook = load_workbook(io.BytesIO(client.get(link).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert {r[1]: r[5] for r in rows[2:]} == passwords
    assert client.get(link).status_code == 404  # only once


def test_import_page_lists_bad_lines(client, make_user, login):
    make_user("city", username="sz", province="江苏省", city="苏州市")
    login("sz")
    page = client.get("/admin/accounts")
    data = b"username,role\r\nok,staff\r\nbad,boss\r\n"
    response = client.post(
        "/admin/accounts/import",
        data={"csrf_token": csrf_from(page.text)},
        files={"file": ("staff.csv", data, "text/csv")},
    )
    assert response.status_code == 422
    assert "第3行: 未知角色“boss”" in response.text


def test_audit_page_is_for_national_admins(client, make_user, login):
    make_user("city", username="sz", province="江苏省", city="苏州市")
    login("sz")
    assert client.get("/admin/accounts/audit").status_code == 403


def test_templates_have_chinese_headers(client, make_user, login):
    make_user("city", username="sz", province="江苏省", city="苏州市")
    login("sz")
    csv_text = client.get("/admin/accounts/template.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("用户名,姓名,角色")
