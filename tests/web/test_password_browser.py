"""Headless Chromium: change the password from the header menu; a copied cookie stops working."""

import pytest

from core.accounts import service as account_service
from tests.support.web import ARTIFACTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OLD_PASSWORD = "suzhou-pass-1"
NEW_PASSWORD = "river-lantern-42"


def test_password_change_ends_the_old_session_cookie(live_server, browser_page):
    with live_server.session_factory() as session:
        account_service.create_user(
            session,
            username="suzhou",
            password=OLD_PASSWORD,
            role="city",
            province="江苏省",
            city="苏州市",
        )
    page = browser_page
    blocked: list[str] = []  # anything the Content-Security-Policy refused on these pages
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )

    browser_login(page, live_server.url, "suzhou", OLD_PASSWORD)
    old_cookie = next(c for c in page.context.cookies() if c["name"] == "permithub_session")

    page.click("header >> text=修改密码")
    page.wait_for_url(f"{live_server.url}/account/password")
    page.fill("input[name=current_password]", OLD_PASSWORD)
    page.fill("input[name=new_password]", NEW_PASSWORD)
    page.fill("input[name=confirm_password]", NEW_PASSWORD)
    page.click("main button[type=submit]")
    assert "密码已修改" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "password-changed.png"), full_page=True)

    page.goto(f"{live_server.url}/enterprises")  # this browser stays logged in
    assert page.url == f"{live_server.url}/enterprises"

    stolen = page.context.browser.new_context(locale="zh-CN")
    try:
        stolen.add_cookies([old_cookie])
        replay = stolen.new_page()
        replay.goto(f"{live_server.url}/enterprises")
        assert replay.url.startswith(f"{live_server.url}/login")
        assert replay.request.get(f"{live_server.url}/api/auth/me").status == 401
    finally:
        stolen.close()

    for path in ("/chat", "/courses", "/coverage"):  # pages with their own scripts and styles
        page.goto(f"{live_server.url}{path}")
    page.screenshot(path=str(ARTIFACTS / "coverage-under-csp.png"))
    assert blocked == []
