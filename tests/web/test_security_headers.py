"""Security headers: a CSP without inline code, no framing, nosniff, HSTS only over HTTPS."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.support.web import csrf_from

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def directives(policy: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.mark.parametrize(
    "path", ["/", "/login", "/chat", "/healthz", "/api/auth/me", "/no-such-page"]
)
def test_every_response_carries_the_headers(client, path):
    headers = client.get(path).headers
    policy = directives(headers["content-security-policy"])
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in headers


def test_no_template_has_inline_scripts_styles_or_handlers():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert "<style" not in text, template
        assert not re.search(r"\sstyle=", text), template
        assert not re.search(r"\son[a-z]+=", text), template


def test_https_through_a_trusted_proxy_gets_hsts_and_a_secure_cookie(app):
    behind_proxy = TestClient(app, client=("127.0.0.1", 50000))
    response = behind_proxy.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["strict-transport-security"].startswith("max-age=")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("permithub_session=") and "; secure" in cookie.lower()


def test_a_client_cannot_claim_https_itself(app):
    direct = TestClient(app, client=("203.0.113.9", 50000))
    response = direct.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in response.headers
    assert "secure" not in response.headers["set-cookie"].lower()


def test_direct_https_gets_hsts_and_a_secure_cookie(app, make_user):
    make_user("national", username="admin")
    secure = TestClient(app, base_url="https://testserver")
    page = secure.get("/login")
    assert "strict-transport-security" in page.headers
    login = secure.post(
        "/login",
        data={
            "username": "admin",
            "password": "correct-horse-1",
            "csrf_token": csrf_from(page.text),
        },
        follow_redirects=False,
    )
    assert login.status_code == 303
    assert "; secure" in login.headers["set-cookie"].lower()


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_the_api_docs_render_with_their_own_nonce_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response.headers["content-security-policy"])
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"
    for script in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.text):
        assert f'nonce="{nonce}"' in script
    assert (
        client.get(path).headers["content-security-policy"]
        != response.headers["content-security-policy"]
    )


def test_the_openapi_schema_is_still_served(client):
    assert client.get("/openapi.json").json()["info"]["title"].startswith("PermitHub")
