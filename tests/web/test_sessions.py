"""Sessions end when they should: logout, password change and an admin's reset end them all."""

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from core.audit.models import AuditEntry
from tests.support.web import csrf_from

PASSWORD = "correct-horse-1"
NEW_PASSWORD = "river-lantern-42"


def page_csrf(client) -> str:
    """The token the pages give their scripts (``<meta name="csrf-token">``)."""
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)


def token_for(client, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def second_browser(app, cookie: str) -> TestClient:
    """Another browser presenting a copy of a session cookie."""
    return TestClient(app, cookies={"permithub_session": cookie})


def test_a_cookie_saved_before_logout_no_longer_works(app, client, make_user, login):
    make_user("national", username="admin")
    login("admin")
    saved = client.cookies["permithub_session"]
    assert client.get("/api/auth/me").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
    replay = second_browser(app, saved)
    assert replay.get("/api/auth/me").status_code == 401
    assert (
        replay.get("/enterprises", follow_redirects=False).headers["location"].startswith("/login")
    )


def test_logout_also_ends_the_bearer_tokens_of_that_user(client, make_user, login):
    make_user("national", username="admin")
    token = token_for(client, "admin")
    assert client.get("/api/auth/me", headers=bearer(token)).status_code == 200
    login("admin")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
    assert client.get("/api/auth/me", headers=bearer(token)).status_code == 401


def test_a_bearer_client_can_revoke_its_tokens(client, make_user):
    make_user("national", username="robot")
    token = token_for(client, "robot")
    assert client.post("/api/auth/logout", headers=bearer(token)).status_code == 204
    assert client.get("/api/auth/me", headers=bearer(token)).status_code == 401
    assert client.get("/api/auth/me", headers=bearer(token_for(client, "robot"))).status_code == 200


def test_changing_the_password_ends_every_other_session_and_token(app, client, make_user, login):
    make_user("city", username="sz", province="江苏省", city="苏州市")
    old_token = token_for(client, "sz")
    login("sz")
    saved = client.cookies["permithub_session"]
    response = client.put(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers={"X-CSRF-Token": page_csrf(client)},
    )
    assert response.status_code == 200, response.text
    assert client.get("/api/auth/me").status_code == 200  # this browser stays logged in
    assert (
        client.get("/api/auth/me", headers=bearer(response.json()["access_token"])).status_code
        == 200
    )
    assert client.get("/api/auth/me", headers=bearer(old_token)).status_code == 401
    assert second_browser(app, saved).get("/api/auth/me").status_code == 401
    assert (
        client.post("/api/auth/token", data={"username": "sz", "password": PASSWORD}).status_code
        == 401
    )
    token_for(client, "sz", NEW_PASSWORD)


def test_password_change_needs_the_current_password_and_a_strong_new_one(client, make_user):
    user = make_user("staff", username="li", province="江苏省", city="苏州市")
    headers = bearer(token_for(client, "li"))
    wrong = client.put(
        "/api/auth/password",
        json={"current_password": "not-my-password", "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert wrong.status_code == 422 and wrong.json()["detail"] == "当前密码不正确"
    weak = client.put(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "password123"},
        headers=headers,
    )
    assert weak.status_code == 422 and "常见" in weak.json()["detail"]
    assert user.session_version == 0


def test_the_password_page_is_in_the_header_menu_and_keeps_this_browser_in(
    app, client, make_user, login
):
    make_user("staff", username="li", province="江苏省", city="苏州市")
    login("li")
    saved = client.cookies["permithub_session"]
    assert 'href="/account/password"' in client.get("/").text
    page = client.get("/account/password")
    form = {
        "csrf_token": csrf_from(page.text),
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }
    done = client.post("/account/password", data=form)
    assert done.status_code == 200 and "密码已修改" in done.text
    assert client.get("/account/password", follow_redirects=False).status_code == 200
    assert (
        second_browser(app, saved).get("/account/password", follow_redirects=False).status_code
        == 303
    )


def test_the_password_page_explains_what_is_wrong(client, make_user, login):
    make_user("staff", username="li", province="江苏省", city="苏州市")
    login("li")
    form = {
        "csrf_token": csrf_from(client.get("/account/password").text),
        "current_password": PASSWORD,
        "new_password": "li-li-li-li-li",
        "confirm_password": "li-li-li-li-l1",
    }
    response = client.post("/account/password", data=form)
    assert response.status_code == 422 and "两次输入的新密码不一致" in response.text


def test_an_admin_reset_ends_the_users_sessions_and_is_audited(client, session, make_user):
    admin = make_user("city", username="sz-admin", province="江苏省", city="苏州市")
    staff = make_user("staff", username="sz-staff", province="江苏省", city="苏州市")
    staff_token = token_for(client, "sz-staff")
    response = client.put(
        f"/api/auth/users/{staff.id}/password",
        json={"new_password": NEW_PASSWORD},
        headers=bearer(token_for(client, "sz-admin")),
    )
    assert response.status_code == 204, response.text
    assert client.get("/api/auth/me", headers=bearer(staff_token)).status_code == 401
    token_for(client, "sz-staff", NEW_PASSWORD)
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "account.password_reset")
    ).one()
    assert (entry.actor_id, entry.target_id) == (admin.id, str(staff.id))
    assert NEW_PASSWORD not in entry.detail and "argon2" not in entry.detail


def test_admins_reset_only_lower_accounts_in_their_region(client, make_user):
    city_admin = make_user("city", username="sz-admin", province="江苏省", city="苏州市")
    national = make_user("national", username="boss")
    elsewhere = make_user("staff", username="wx-staff", province="江苏省", city="无锡市")
    peer = make_user("city", username="sz-admin-2", province="江苏省", city="苏州市")
    headers = bearer(token_for(client, city_admin.username))
    for target in (national, elsewhere, peer):
        response = client.put(
            f"/api/auth/users/{target.id}/password",
            json={"new_password": NEW_PASSWORD},
            headers=headers,
        )
        assert response.status_code == 403, target.username
    staff = make_user("staff", username="lower", province="江苏省", city="苏州市")
    staff_headers = bearer(token_for(client, staff.username))
    response = client.put(
        f"/api/auth/users/{city_admin.id}/password",
        json={"new_password": NEW_PASSWORD},
        headers=staff_headers,
    )
    assert response.status_code == 403
