"""CSRF on the JSON API: the session cookie counts only with the page's token in X-CSRF-Token."""

import re
from pathlib import Path

import pytest

from knowledge.models import FaqEntry

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"


@pytest.fixture
def national_faq(session) -> FaqEntry:
    entry = FaqEntry(
        question="排污许可证有效期多久？", answer="五年。", basis="条例第十四条", tags=""
    )
    session.add(entry)
    session.commit()
    return entry


def page_csrf(client) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)


def test_cookie_only_api_change_is_forbidden(client, make_user, login, national_faq):
    make_user("national", username="admin")
    login("admin")
    response = client.post(f"/api/knowledge/admin/faq/{national_faq.id}/retire")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert national_faq.status == "active"


def test_cookie_with_the_pages_token_is_accepted(client, make_user, login, national_faq):
    make_user("national", username="admin")
    login("admin")
    response = client.post(
        f"/api/knowledge/admin/faq/{national_faq.id}/retire",
        headers={"X-CSRF-Token": page_csrf(client)},
    )
    assert response.status_code == 200, response.text


def test_a_wrong_token_is_forbidden(client, make_user, login):
    make_user("national", username="admin")
    login("admin")
    page_csrf(client)
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.get("/api/auth/me").status_code == 200  # the forged call changed nothing


def test_bearer_tokens_need_no_csrf_token(client, make_user, auth_headers, national_faq):
    admin = make_user("national", username="admin")
    response = client.post(
        f"/api/knowledge/admin/faq/{national_faq.id}/retire", headers=auth_headers(admin)
    )
    assert response.status_code == 200, response.text


def test_reading_with_the_cookie_needs_no_token(client, make_user, login):
    make_user("national", username="admin")
    login("admin")
    assert client.get("/api/auth/me").status_code == 200


def test_page_scripts_that_call_the_api_send_the_token():
    """Every script that sends a changing request to /api/ puts the page's token beside it."""
    for script in STATIC.glob("*.js"):
        text = script.read_text(encoding="utf-8")
        if re.search(r"fetch\(`?[\"'`]?/api/", text) and re.search(
            r'method:\s*"(POST|PUT|PATCH|DELETE)"', text
        ):
            assert "X-CSRF-Token" in text, script.name


def test_anonymous_endpoints_treat_a_cookie_without_token_as_anonymous(
    client, session, make_user, login
):
    from sqlalchemy import select

    from knowledge.models import QuestionLog

    make_user("city", username="sz", province="江苏省", city="苏州市")
    login("sz")
    assert client.post("/api/ask", json={"question": "排污许可证有效期多久"}).status_code == 200
    log = session.scalars(select(QuestionLog).order_by(QuestionLog.id.desc())).first()
    assert log.city is None  # not counted as the logged-in admin
