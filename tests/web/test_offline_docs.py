"""The API docs work without internet: Swagger UI and ReDoc come from PermitHub itself."""

from __future__ import annotations

import re

import pytest

from tests.support.web import ARTIFACTS

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_reference_only_local_assets_that_are_served(client, path):
    page = client.get(path)
    assert page.status_code == 200
    urls = ASSET.findall(page.text)
    assert urls, "the page loads its scripts from somewhere"
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        if url.endswith(".js"):
            assert "javascript" in asset.headers["content-type"]
            assert len(asset.content) > 100_000  # the real bundle, not a placeholder
    # the per-request nonce is random letters and may spell "cdn": only the sources count
    sources = re.sub(r"'nonce-[^']*'", "", page.headers["content-security-policy"])
    assert "cdn" not in sources
    assert "https:" not in sources
    assert "fonts.googleapis" not in page.text


@pytest.mark.browser
@pytest.mark.slow
def test_swagger_ui_and_redoc_render_with_the_internet_blocked(live_server, browser_page):
    blocked: list[str] = []

    def only_local(route):
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    browser_page.route("**/*", only_local)
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_page.goto(f"{live_server.url}/docs")
    browser_page.wait_for_selector(".swagger-ui .info .title")
    assert "PermitHub" in browser_page.inner_text(".swagger-ui .info .title")
    browser_page.wait_for_selector("[data-path=\"/api/users/import\"]")
    browser_page.screenshot(path=str(ARTIFACTS / "docs-offline.png"))
    browser_page.goto(f"{live_server.url}/redoc")
    browser_page.wait_for_selector("h1:has-text('PermitHub')")
    browser_page.screenshot(path=str(ARTIFACTS / "redoc-offline.png"))
    assert not errors, errors
    assert not blocked, blocked
