"""Without a terminal (headless Chromium): a national admin creates a city admin; the city admin
imports staff from a file; a staff member logs in with the one-time password, is made to change
it, takes a contest; the city admin exports the results."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from core.accounts import service as account_service
from core.db import utcnow
from quiz import bank as question_bank
from quiz import contests, schemas
from tests.support.web import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _seed(session) -> None:
    boss = account_service.create_user(session, username="boss", password="boss-pass-2024")
    for i in range(5):
        question_bank.create_question(
            session,
            data=schemas.QuestionCreate(
                kind="单选",
                stem=f"全流程第{i}题：重点管理排污单位法定代表人培训何时全覆盖？",
                options=["2024年底前", "2025年底前", "2026年底前", "不要求"],
                answer="A",
                explanation=f"全流程解析{i}",
                tags=["培训"],
            ),
        )
    contests.create_contest(
        session,
        admin=boss,
        data=schemas.ContestCreate(
            title="苏州市排污许可知识竞赛",
            audience_roles=["staff"],
            audience_regions=["江苏省/苏州市"],
            opens_at=utcnow() - dt.timedelta(hours=1),
            closes_at=utcnow() + dt.timedelta(days=3),
            time_limit_minutes=15,
            quotas=[{"count": 5}],
            show_answers="after_close",
        ),
    )


def _login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def _change_password(page, current: str, new: str) -> None:
    assert "一次性密码" in page.inner_text("#forced-change")
    page.fill("input[name=current_password]", current)
    page.fill("input[name=new_password]", new)
    page.fill("input[name=confirm_password]", new)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=密码已修改")


def _logout(page) -> None:
    page.click("header button:has-text('退出')")
    page.wait_for_url("**/login")


def test_a_bureau_runs_accounts_and_a_contest_without_a_terminal(
    live_server, browser_page, tmp_path
):
    with live_server.session_factory() as session:
        _seed(session)
    base, page = live_server.url, browser_page

    # 1. the national admin creates the city admin on the accounts page
    _login(page, base, "boss", "boss-pass-2024")
    page.wait_for_url(f"{base}/")
    page.click("nav#site-nav >> text=账号管理")
    form = page.locator("#create-account")
    form.locator("input[name=username]").fill("sz-admin")
    form.locator("input[name=display_name]").fill("苏州市生态环境局管理员")
    form.locator("select[name=role]").select_option("city")
    form.locator("input[name=province]").fill("江苏")
    form.locator("input[name=city]").fill("苏州市")
    form.locator("button[type=submit]").click()
    admin_password = page.inner_text("#one-time-passwords td.one-time").strip()
    page.screenshot(path=str(ARTIFACTS / "walk-1-city-admin-created.png"), full_page=True)
    _logout(page)

    # 2. the city admin logs in, must change the one-time password, imports the staff list
    _login(page, base, "sz-admin", admin_password)
    page.wait_for_url(f"{base}/account/password")
    page.goto(f"{base}/admin/accounts")  # anything else sends them back to change it
    page.wait_for_url(f"{base}/account/password")
    _change_password(page, admin_password, "suzhou-admin-2024")
    staff_file = tmp_path / "苏州工作人员.csv"
    staff_file.write_text(
        "用户名,姓名,人员类别,工作单位\r\n"
        "sz-li,李娜,审批人员,苏州市生态环境局\r\n"
        "sz-wang,王强,技术机构人员,苏州环境科学研究所\r\n",
        encoding="utf-8-sig",
    )
    page.goto(f"{base}/admin/accounts")
    page.set_input_files("#import-accounts input[type=file]", str(staff_file))
    page.click("#import-accounts button[type=submit]")
    page.wait_for_selector("#one-time-passwords")
    rows = page.locator("#one-time-passwords tbody tr")
    passwords = {
        rows.nth(i).locator("td.username").inner_text(): rows.nth(i)
        .locator("td.one-time")
        .inner_text()
        for i in range(rows.count())
    }
    assert set(passwords) == {"sz-li", "sz-wang"}
    with page.expect_download() as info:
        page.click("#download-result")
    result = load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active
    assert {r[1]: r[5] for r in list(result.iter_rows(values_only=True))[2:]} == passwords
    page.screenshot(path=str(ARTIFACTS / "walk-2-staff-imported.png"), full_page=True)
    _logout(page)

    # 3. a staff member logs in with the one-time password, changes it, takes the contest
    _login(page, base, "sz-li", passwords["sz-li"])
    page.wait_for_url(f"{base}/account/password")
    _change_password(page, passwords["sz-li"], "li-na-own-secret")
    page.goto(f"{base}/quiz")
    page.click("text=苏州市排污许可知识竞赛")
    page.click("button:has-text('开始答题')")
    page.wait_for_url(f"{base}/quiz/attempts/*")
    questions = page.locator("fieldset.question")
    for i in range(questions.count()):
        question = questions.nth(i)
        question.locator("label.option").first.click()
        question.locator(".save-state", has_text="已保存").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-button")
    page.wait_for_url(f"{base}/quiz/attempts/*/result")
    assert "竞赛结束后公布" in page.inner_text("#answers-note")
    assert "全流程解析" not in page.content()  # answers only after the contest closes
    page.screenshot(path=str(ARTIFACTS / "walk-3-contest-taken.png"), full_page=True)
    _logout(page)

    # 4. the city admin exports the results
    _login(page, base, "sz-admin", "suzhou-admin-2024")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/admin/quiz/contests")
    page.click("text=统计与管理")
    with page.expect_download() as info:
        page.click("#export-results")
    workbook = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    results = list(workbook["成绩"].iter_rows(values_only=True))
    assert [(r[0], r[1], r[8]) for r in results[2:]] == [("sz-li", "李娜", 5)]
    assert len(list(workbook["试题分析"].iter_rows(values_only=True))) == 2 + 5
    page.screenshot(path=str(ARTIFACTS / "walk-4-results.png"), full_page=True)
