"""Headless Chromium: a provincial admin reads the coverage report, downloads the list."""

from __future__ import annotations

import csv
import io

import pytest

from core.accounts import service as account_service
from tests.support.registry import load_registry
from tests.support.web import ARTIFACTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_provincial_admin_sees_chart_worst_city_and_downloads_uncovered_list(
    live_server, browser_page, generated
):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    with live_server.session_factory() as session:
        load_registry(session, gen)
        session.commit()
        account_service.create_user(
            session,
            username="jiangsu",
            password="jiangsu-pass-1",
            role="province",
            province="江苏省",
        )
    cities = {
        k.split("/")[1]: v for k, v in gen.truth["by_city"].items() if k.startswith("江苏省/")
    }
    worst = min(
        cities, key=lambda c: (cities[c]["rate"], -(cities[c]["key_units"] - cities[c]["covered"]))
    )

    page = browser_page
    browser_login(page, live_server.url, "jiangsu", "jiangsu-pass-1")
    page.click("nav#site-nav >> text=培训覆盖")
    page.wait_for_url(f"{live_server.url}/coverage")
    page.fill("input[name=as_of]", "2024-06-30")
    page.click("button:has-text('更新')")
    page.wait_for_url("**/coverage?*as_of=2024-06-30*")
    assert "重点管理单位" in page.inner_text("main")
    assert page.locator("svg.burnup polyline.covered").count() == 1
    assert page.locator("svg.burnup > line.target").count() == 1
    first_row = page.locator("#regions tbody tr").first
    assert worst in first_row.inner_text()
    assert "最落后" in first_row.inner_text()
    assert "浙江省" not in page.inner_text("#regions")
    page.screenshot(path=str(ARTIFACTS / "coverage-provincial-admin.png"), full_page=True)

    with page.expect_download() as info:
        page.click("text=导出未覆盖单位（CSV）")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    content = open(download.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    expected = sum(v["key_units"] - v["covered"] for v in cities.values())
    assert len(rows) - 1 == expected
    assert {r[2] for r in rows[1:]} == {"江苏省"}

    page.click(f"#regions >> text={worst}")
    page.wait_for_selector("#uncovered")
    assert page.locator("#uncovered tbody tr").count() == min(
        100, cities[worst]["key_units"] - cities[worst]["covered"]
    )
    page.screenshot(path=str(ARTIFACTS / "coverage-worst-city.png"), full_page=True)
