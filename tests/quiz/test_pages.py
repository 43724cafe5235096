"""Quiz pages: taking a contest without leaking the key, practice, admin pages, /verify."""

from __future__ import annotations

import re

from sqlalchemy import select

from quiz.models import Attempt, Question
from tests.support.web import csrf_from


def test_quiz_home_lists_contests_and_tags(client, login, bank, make_contest, staff):
    make_contest(title="苏州练兵竞赛")
    login("zhang")
    page = client.get("/quiz")
    assert page.status_code == 200 and "苏州练兵竞赛" in page.text and "许可证核发" in page.text
    assert "苏州练兵竞赛" in client.get("/").text  # the home-page panel


def test_taking_a_contest_in_the_browser_never_shows_the_key(
    client, session, login, bank, make_contest, staff
):
    contest = make_contest(quotas=[{"count": 24}])
    login("zhang")
    page = client.get(f"/quiz/contests/{contest.id}")
    start = client.post(
        f"/quiz/contests/{contest.id}/start",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert start.status_code == 303
    take = client.get(start.headers["location"])
    assert take.status_code == 200 and 'id="timer"' in take.text
    assert (
        "解析" not in take.text and "data-answer" not in take.text and "正确答案" not in take.text
    )
    assert take.text.count('class="question"') == 24
    attempt = session.scalar(select(Attempt).where(Attempt.user_id == staff.id))
    item = attempt.items[0]
    question = session.get(Question, item.question_id)
    shown = "".join(sorted("ABCDEF"[item.option_order.index(ch)] for ch in question.answer))
    data = {"csrf_token": csrf_from(take.text)}
    data["q1"] = list(shown) if len(shown) > 1 else shown
    done = client.post(f"/quiz/attempts/{attempt.id}/submit", data=data, follow_redirects=True)
    assert done.status_code == 200 and "答对 1 / 24 题" in done.text and "答题解析" in done.text


def test_someone_elses_attempt_page_is_404(
    client, session, login, bank, make_contest, staff, make_user
):
    from quiz import attempts

    contest = make_contest()
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    make_user("staff", username="li", province="江苏省", city="苏州市")
    login("li")
    assert client.get(f"/quiz/attempts/{attempt.id}").status_code == 404
    assert client.get(f"/quiz/attempts/{attempt.id}/result").status_code == 404


def test_practice_page_shows_answer_and_explanation_after_answering(client, login, bank, staff):
    login("zhang")
    page = client.get("/quiz/practice", params={"tag": "许可证核发"})
    qid = re.search(r'name="question_id" value="(\d+)"', page.text).group(1)
    assert "解析" not in page.text
    result = client.post(
        "/quiz/practice",
        data={
            "csrf_token": csrf_from(page.text),
            "question_id": qid,
            "choice": "A",
            "tag": "许可证核发",
        },
    )
    assert "正确答案" in result.text and "解析" in result.text


def test_admin_searches_edits_and_retires_questions(client, login, bank, make_user):
    # The bank fixture is national content: a national admin owns and edits it.
    make_user("national", username="boss")
    login("boss")
    listing = client.get("/admin/quiz/questions", params={"q": "第5题"})
    assert "测试题目第5题" in listing.text and "测试题目第6题" not in listing.text
    qid = bank[5].id
    edit = client.get(f"/admin/quiz/questions/{qid}")
    form = {
        "csrf_token": csrf_from(edit.text),
        "kind": "判断",
        "stem": "改过的题干",
        "answer": "错",
        "explanation": "新解析",
        "tags": "证后监管、执行报告",
        "difficulty": "5",
        "source": "",
        "status": "published",
    }
    saved = client.post(f"/admin/quiz/questions/{qid}", data=form, follow_redirects=True)
    assert "已保存" in saved.text and "改过的题干" in saved.text
    bad = client.post(f"/admin/quiz/questions/{qid}", data={**form, "answer": "也许"})
    assert bad.status_code == 422 and "无法识别" in bad.text
    retired = client.post(
        f"/admin/quiz/questions/{qid}/retire",
        data={"csrf_token": csrf_from(edit.text)},
        follow_redirects=True,
    )
    assert "已停用" in retired.text


def test_admin_pages_are_refused_to_staff(client, login, staff):
    login("zhang")
    assert client.get("/admin/quiz/questions").status_code == 403
    assert client.get("/admin/quiz/contests").status_code == 403


def test_admin_uploads_a_bad_file_and_sees_line_numbers(client, login, make_user):
    make_user("national", username="boss")
    login("boss")
    page = client.get("/admin/quiz/questions")
    csv = (
        "题型,题干,选项A,选项B,选项C,选项D,答案,难度\n"
        "单选,好题,甲,乙,,,A,2\n多选,坏题,甲,乙,,,A,2\n"
    )
    response = client.post(
        "/admin/quiz/questions/import",
        data={"csrf_token": csrf_from(page.text)},
        files={"file": ("bank.csv", csv.encode(), "text/csv")},
    )
    assert response.status_code == 422 and "第3行: 多选题答案至少包含两个选项" in response.text


def test_admin_creates_a_contest_and_sees_statistics(client, login, bank, make_user):
    make_user("national", username="boss")
    login("boss")
    page = client.get("/admin/quiz/contests")
    form = {
        "csrf_token": csrf_from(page.text),
        "title": "表单创建的竞赛",
        "kind": "审核技能竞赛",
        "audience_roles": ["staff", "city"],
        "audience_regions": "江苏省",
        "opens_at": "2026-01-01T09:00",
        "closes_at": "2030-01-01T09:00",
        "time_limit_minutes": "20",
        "attempts_allowed": "2",
        "quotas": "许可证核发,不限,3\n不限,2,2",
        "shuffle_options": "1",
        "pass_percent": "60",
        "certificate_top_n": "3",
    }
    created = client.post("/admin/quiz/contests", data=form, follow_redirects=True)
    assert (
        created.status_code == 200 and "表单创建的竞赛" in created.text and "<svg" in created.text
    )
    bad = client.post("/admin/quiz/contests", data={**form, "quotas": "许可证核发,不限,99"})
    assert bad.status_code == 422 and "只有 8 道" in bad.text


def test_verify_page_checks_codes_publicly(client, session, bank, make_contest, staff):
    from quiz import attempts

    contest = make_contest(pass_percent=0)
    attempt = attempts.start_attempt(session, contest_id=contest.id, user=staff)
    code = attempts.submit_attempt(session, attempt_id=attempt.id, user=staff).certificate_code
    ok = client.get("/verify", params={"code": code.lower()})
    assert ok.status_code == 200 and "张三" in ok.text and "查验通过" in ok.text
    missing = client.get("/verify", params={"code": "QZ0000000000"})
    assert missing.status_code == 404 and "未找到" in missing.text
    assert client.get("/verify").status_code == 200
