"""Contests run from the admin pages: answers shown after close, safe edits, duplicate, close
early, reopen for one person, results with item analysis, province names as typed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from core.db import utcnow
from core.errors import Conflict
from quiz import attempts, contest_admin
from tests.support.web import csrf_from


def _take(session, contest, user, *, now=None):
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=user, now=now)
    view = attempts.get_attempt_view(session, attempt_id=attempt.id, user=user, now=now)
    for q in view.questions:
        attempts.save_answer(
            session, attempt_id=attempt.id, user=user, position=q.position, choice="A", now=now
        )
    return attempts.submit_attempt(session, attempt_id=attempt.id, user=user, now=now)


def test_answers_after_close_are_hidden_until_the_contest_ends(session, bank, make_contest, staff):
    contest = make_contest(show_answers="after_close")
    result = _take(session, contest, staff)
    assert result.review == []
    contest.closes_at = utcnow() - dt.timedelta(minutes=1)
    session.flush()
    view = attempts.get_attempt_view(session, attempt_id=result.attempt_id, user=staff)
    assert len(view.result.review) == view.result.question_count


def test_never_shows_answers_and_old_clients_keep_immediate(
    session, bank, make_contest, staff, make_user
):
    never = make_contest(show_answers="never", title="不公布")
    assert _take(session, never, staff).review == []
    legacy = make_contest(title="旧客户端")  # no show_answers: show_explanations=True → immediately
    assert legacy.show_answers == "immediately"
    other = make_user("staff", province="江苏省", city="苏州市")
    assert _take(session, legacy, other).review


def test_after_start_only_safe_fields_change(session, bank, make_contest):
    contest = make_contest()
    from core.accounts.models import User

    organiser = session.get(User, contest.created_by_id)
    data = contest_admin.form_data(contest)
    renamed = contest_admin.edit_contest(
        session,
        contest_id=contest.id,
        admin=organiser,
        data=data.model_copy(update={"title": "改名后的竞赛", "show_answers": "never"}),
    )
    assert renamed.title == "改名后的竞赛" and renamed.show_answers == "never"
    with pytest.raises(Conflict, match="答题限时"):
        contest_admin.edit_contest(
            session,
            contest_id=contest.id,
            admin=organiser,
            data=data.model_copy(update={"time_limit_minutes": 5}),
        )


def test_duplicate_close_and_reopen_for_one_person(session, bank, make_contest, staff, make_user):
    from core.accounts.models import User

    contest = make_contest()
    organiser = session.get(User, contest.created_by_id)
    copy = contest_admin.duplicate_contest(session, contest_id=contest.id, admin=organiser)
    assert copy.title.endswith("（副本）") and copy.quotas == contest.quotas
    assert copy.opens_at > utcnow()
    with pytest.raises(Conflict, match="已有名为"):
        contest_admin.duplicate_contest(session, contest_id=contest.id, admin=organiser)
    with pytest.raises(Conflict, match="已有名为"):  # a copy of the copy: the same name
        contest_admin.duplicate_contest(session, contest_id=copy.id, admin=organiser)
    contest_admin.close_now(session, contest_id=contest.id, admin=organiser)
    with pytest.raises(Conflict, match="已结束"):
        attempts.start_attempt(session, contest_id=contest.id, user=staff)
    contest_admin.reopen_for(
        session,
        contest_id=contest.id,
        username=staff.username,
        closes_at=utcnow() + dt.timedelta(hours=2),
        extra_attempts=1,
        admin=organiser,
    )
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    assert attempt.deadline_at <= utcnow() + dt.timedelta(hours=2)
    other = make_user("staff", province="江苏省", city="苏州市")
    with pytest.raises(Conflict, match="已结束"):
        attempts.start_attempt(session, contest_id=contest.id, user=other)


def test_results_xlsx_has_results_and_item_analysis_in_the_admin_region(
    client, session, bank, make_contest, staff, make_user, auth_headers
):
    contest = make_contest()
    wuxi = make_user("staff", username="wuxi-1", province="江苏省", city="无锡市")
    _take(session, contest, staff)
    _take(session, contest, wuxi)
    suzhou_admin = make_user("city", province="江苏省", city="苏州市")
    response = client.get(
        f"/api/quiz/contests/{contest.id}/results?format=xlsx", headers=auth_headers(suzhou_admin)
    )
    assert response.status_code == 200, response.text
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["成绩", "试题分析"]
    rows = list(workbook["成绩"].iter_rows(values_only=True))
    assert rows[1] == contest_admin.RESULT_HEADER
    assert [r[0] for r in rows[2:]] == ["zhang"]  # the 无锡 participant is outside 苏州
    assert isinstance(rows[2][11], dt.datetime)
    items = list(workbook["试题分析"].iter_rows(values_only=True))
    assert items[1] == contest_admin.ITEM_HEADER and len(items) > 2
    national = make_user("national")
    csv_text = client.get(
        f"/api/quiz/contests/{contest.id}/results?format=csv", headers=auth_headers(national)
    ).content.decode("utf-8-sig")
    assert "zhang" in csv_text and "wuxi-1" in csv_text


def test_leaderboard_accepts_short_province_names(
    client, session, bank, make_contest, staff, auth_headers
):
    contest = make_contest()
    _take(session, contest, staff)
    full = client.get(
        f"/api/quiz/contests/{contest.id}/leaderboard?province=江苏省", headers=auth_headers(staff)
    ).json()
    short = client.get(
        f"/api/quiz/contests/{contest.id}/leaderboard?province=江苏", headers=auth_headers(staff)
    ).json()
    assert short == full and short["entries"]
    city = client.get(
        f"/api/quiz/contests/{contest.id}/leaderboard?province=江苏&city=苏州",
        headers=auth_headers(staff),
    ).json()
    assert city["entries"] == full["entries"]


def test_edit_page_saves_and_explains_refusals(client, session, bank, make_contest, login):
    contest = make_contest()
    login("organiser")
    page = client.get(f"/admin/quiz/contests/{contest.id}/edit")
    assert page.status_code == 200 and "竞赛已经开始" in page.text
    form = {
        "csrf_token": csrf_from(page.text),
        "title": "页面改名",
        "kind": "知识竞赛",
        "description": "",
        "audience_roles": "staff",
        "audience_regions": "江苏省",
        "opens_at": "",
        "closes_at": "",
        "time_limit_minutes": "30",
        "attempts_allowed": "1",
        "quotas": "许可证核发,不限,3\n不限,2,3",
        "shuffle_options": "1",
        "show_answers": "after_close",
        "pass_percent": "60",
        "certificate_top_n": "10",
    }
    import re

    form["opens_at"] = re.search(r'name="opens_at" value="([^"]+)"', page.text).group(1)
    form["closes_at"] = re.search(r'name="closes_at" value="([^"]+)"', page.text).group(1)
    saved = client.post(
        f"/admin/quiz/contests/{contest.id}/edit", data=form, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    session.refresh(contest)
    assert contest.title == "页面改名" and contest.show_answers == "after_close"
    refused = client.post(
        f"/admin/quiz/contests/{contest.id}/edit", data={**form, "time_limit_minutes": "10"}
    )
    assert refused.status_code == 409 and "答题限时" in refused.text
