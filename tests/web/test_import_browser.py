"""Headless Chromium: a city admin uploads a registry file and reads the report in the page."""

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from core.accounts import service as account_service
from core.enterprises.models import Enterprise
from tests.support.shared import GENERATOR_PATH, require_shared
from tests.support.web import ARTIFACTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_city_admin_uploads_a_dirty_registry_and_sees_every_bad_line(
    live_server, browser_page, tmp_path, configure
):
    require_shared()
    # as a big file would be: checked and written by a child process (core.import_process)
    configure(import_child_process_min_kb=0)
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR_PATH),
            str(tmp_path),
            "--n",
            "200",
            "--seed",
            "9",
            "--dirty",
        ],
        check=True,
        capture_output=True,
    )
    with (tmp_path / "enterprises_dirty.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with live_server.session_factory() as session:
        account_service.create_user(
            session,
            username="suzhou",
            password="suzhou-pass-1",
            role="city",
            province="江苏省",
            city="苏州市",
        )
    page = browser_page
    browser_login(page, live_server.url, "suzhou", "suzhou-pass-1")
    page.goto(f"{live_server.url}/admin/import")
    page.check("input[name=kind][value=enterprises]")
    page.set_input_files("input[name=file]", str(tmp_path / "enterprises_dirty.csv"))
    page.check("input[name=skip_invalid]")
    page.click("button.primary")
    page.wait_for_selector("#report")
    page.screenshot(path=str(ARTIFACTS / "import-city-admin.png"), full_page=True)

    report = page.inner_text("#report")
    lines = page.locator("#report ul.errors li").all_inner_texts()
    assert "排污单位导入完成" in report
    outside = sum(1 for r in rows if r["city"] != "苏州市")
    # The page lists the first 100 bad lines with the count; the full list is a download.
    total = int(re.search(r"共 (\d+) 行有误", report).group(1))
    assert len(lines) == 100 and total >= outside
    assert any("不在您的管辖范围内" in line for line in lines)
    with page.expect_download() as download:
        page.click("#import-errors-more a")
    full = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert len([line for line in full if line.startswith("第")]) == total
    with live_server.session_factory() as session:
        assert set(session.scalars(select(Enterprise.city))) == {"苏州市"}
