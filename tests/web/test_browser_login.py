"""Headless Chromium: an admin logs in through the page and sees the enterprise list."""

import datetime as dt

import pytest

from core.accounts import service as account_service
from core.enterprises.models import Enterprise
from tests.support.web import ARTIFACTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_city_admin_logs_in_and_sees_only_own_city(live_server, browser_page):
    with live_server.session_factory() as session:
        for name, city, code in [
            ("苏州测试化工有限公司", "苏州市", "91320500MA1TEST01X"),
            ("无锡测试印染有限公司", "无锡市", "91320200MA1TEST02X"),
        ]:
            session.add(
                Enterprise(
                    credit_code=code,
                    name=name,
                    province="江苏省",
                    city=city,
                    division_code="320500",
                    industry="化工",
                    management_category="重点管理",
                    permit_status="有效",
                    legal_rep_name="王伟",
                    legal_rep_since=dt.date(2020, 1, 1),
                )
            )
        session.commit()
        account_service.create_user(
            session,
            username="suzhou",
            password="suzhou-pass-1",
            role="city",
            province="江苏省",
            city="苏州市",
        )
    browser_login(browser_page, live_server.url, "suzhou", "suzhou-pass-1")
    browser_page.goto(f"{live_server.url}/enterprises")
    body = browser_page.inner_text("main")
    browser_page.screenshot(path=str(ARTIFACTS / "enterprises-city-admin.png"), full_page=True)
    assert "苏州测试化工有限公司" in body
    assert "无锡测试印染有限公司" not in body
