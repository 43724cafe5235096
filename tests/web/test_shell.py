"""The web shell: health, login with CSRF, bearer tokens and Chinese errors."""

from tests.support.web import app_warm_up_finished, csrf_from


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_says_warming_until_the_start_up_warm_up_is_done(app):
    from fastapi.testclient import TestClient

    # without its start-up (no lifespan) nothing has been warmed
    warming = TestClient(app).get("/readyz")
    assert warming.status_code == 503
    assert warming.json()["status"] == "warming" and "知识库" in warming.json()["detail"]
    with TestClient(app) as client:
        app_warm_up_finished()
        assert client.get("/readyz").json() == {"status": "ready"}
    assert "/readyz" not in app.openapi()["paths"]  # the deployment's probe, not an operation


def test_login_page_is_chinese(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert "登录" in page.text and 'lang="zh-CN"' in page.text


def test_login_form_without_csrf_token_is_refused(client, make_user):
    make_user("national", username="admin")
    response = client.post("/login", data={"username": "admin", "password": "correct-horse-1"})
    assert response.status_code == 403
    assert "表单" in response.text


def test_login_with_wrong_password_shows_a_message(client, make_user):
    make_user("national", username="admin")
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "admin", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text


def test_oauth2_password_flow_returns_a_bearer_token(client, make_user):
    make_user("city", username="su", province="江苏省", city="苏州市")
    token = client.post(
        "/api/auth/token", data={"username": "su", "password": "correct-horse-1"}
    ).json()
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.json()["city"] == "苏州市"


def test_api_without_login_is_401_in_chinese(client):
    response = client.get("/api/enterprises")
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录"


def test_pages_redirect_anonymous_visitors_to_login(client):
    response = client.get("/enterprises", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_unknown_page_is_404_in_chinese(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "不存在" in response.text
