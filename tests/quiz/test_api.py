"""Quiz API: answer-key secrecy, ownership, idempotent submit, admin-only bank, certificates."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from quiz.models import AttemptItem, Question


def _key(session, attempt_id, position):
    item = session.scalar(
        select(AttemptItem).where(
            AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
        )
    )
    question = session.get(Question, item.question_id)
    return "".join(sorted("ABCDEF"[item.option_order.index(ch)] for ch in question.answer))


def test_started_attempt_json_has_no_answer_key(client, bank, make_contest, staff, auth_headers):
    contest = make_contest(quotas=[{"count": 24}])
    response = client.post(f"/api/quiz/contests/{contest.id}/attempts", headers=auth_headers(staff))
    assert response.status_code == 201
    body = response.json()
    assert len(body["questions"]) == 24 and body["result"] is None
    text = response.text
    assert "answer" not in text and "explanation" not in text
    assert not any(f"解析{i}" in text for i in range(24))
    again = client.get(f"/api/quiz/attempts/{body['id']}", headers=auth_headers(staff))
    assert "解析" not in again.text and "answer" not in again.text


def test_full_flow_save_one_by_one_then_submit_twice(
    client, session, bank, make_contest, staff, auth_headers
):
    contest = make_contest()
    headers = auth_headers(staff)
    attempt = client.post(f"/api/quiz/contests/{contest.id}/attempts", headers=headers).json()
    for position in (1, 2, 3):
        saved = client.put(
            f"/api/quiz/attempts/{attempt['id']}/answers/{position}",
            json={"choice": _key(session, attempt["id"], position)},
            headers=headers,
        )
        assert saved.status_code == 200, saved.text
    first = client.post(f"/api/quiz/attempts/{attempt['id']}/submit", headers=headers).json()
    second = client.post(f"/api/quiz/attempts/{attempt['id']}/submit", headers=headers).json()
    assert first == second and first["correct_count"] == 3 and first["question_count"] == 6
    assert first["review"][0]["explanation"].startswith("解析")
    late = client.put(
        f"/api/quiz/attempts/{attempt['id']}/answers/4", json={"choice": "A"}, headers=headers
    )
    assert late.status_code == 409 and "已交卷" in late.json()["detail"]


def test_another_participant_gets_404_on_every_attempt_route(
    client, bank, make_contest, staff, make_user, auth_headers
):
    contest = make_contest()
    attempt = client.post(
        f"/api/quiz/contests/{contest.id}/attempts", headers=auth_headers(staff)
    ).json()
    other = auth_headers(make_user("staff", province="江苏省", city="苏州市"))
    base = f"/api/quiz/attempts/{attempt['id']}"
    assert client.get(base, headers=other).status_code == 404
    assert client.put(f"{base}/answers/1", json={"choice": "A"}, headers=other).status_code == 404
    assert client.post(f"{base}/submit", headers=other).status_code == 404


def test_bad_answer_format_is_422_in_chinese(client, bank, make_contest, staff, auth_headers):
    contest = make_contest()
    attempt = client.post(
        f"/api/quiz/contests/{contest.id}/attempts", headers=auth_headers(staff)
    ).json()
    response = client.put(
        f"/api/quiz/attempts/{attempt['id']}/answers/1",
        json={"choice": "Q"},
        headers=auth_headers(staff),
    )
    assert response.status_code == 422 and "第 1 题" in response.json()["detail"]


def test_question_bank_routes_are_for_admins_only(client, bank, staff, make_user, auth_headers):
    assert client.get("/api/quiz/questions", headers=auth_headers(staff)).status_code == 403
    assert (
        client.get(f"/api/quiz/questions/{bank[0].id}", headers=auth_headers(staff)).status_code
        == 403
    )
    # The bank fixture is national: its owners, national admins, read it with its keys.
    admin = auth_headers(make_user("national"))
    page = client.get("/api/quiz/questions", params={"tag": "执行报告"}, headers=admin).json()
    assert page["total"] == 8 and page["items"][0]["answer"] in ("B", "AC", "A")


def test_admin_creates_edits_and_retires_a_question(client, make_user, auth_headers):
    admin = auth_headers(make_user("national"))
    created = client.post(
        "/api/quiz/questions",
        json={
            "kind": "多选",
            "stem": "新题",
            "options": ["甲", "乙", "丙"],
            "answer": "CA",
            "tags": ["新标签"],
        },
        headers=admin,
    )
    assert created.status_code == 201 and created.json()["answer"] == "AC"
    qid = created.json()["id"]
    updated = client.put(
        f"/api/quiz/questions/{qid}",
        json={
            "kind": "单选",
            "stem": "新题",
            "options": ["甲", "乙"],
            "answer": "B",
            "difficulty": 4,
        },
        headers=admin,
    )
    assert updated.json()["kind"] == "单选" and updated.json()["difficulty"] == 4
    assert (
        client.post(f"/api/quiz/questions/{qid}/retire", headers=admin).json()["status"]
        == "retired"
    )
    bad = client.post(
        "/api/quiz/questions",
        json={"kind": "单选", "stem": "x", "options": ["甲"], "answer": "A"},
        headers=admin,
    )
    assert bad.status_code == 422 and "至少需要两个选项" in bad.json()["detail"]


def test_import_upload_reports_lines_and_export_downloads(client, make_user, auth_headers):
    admin = auth_headers(make_user("national"))
    csv = (
        "题型,题干,选项A,选项B,选项C,选项D,答案,难度\n"
        "单选,上传的题,甲,乙,,,B,2\n单选,坏题,甲,乙,,,Z,2\n"
    )
    response = client.post(
        "/api/quiz/questions/import",
        files={"file": ("q.csv", csv.encode(), "text/csv")},
        headers=admin,
    )
    body = response.json()
    assert not body["written"] and body["errors"][0].startswith("第3行: ")
    response = client.post(
        "/api/quiz/questions/import",
        files={"file": ("q.csv", csv.encode(), "text/csv")},
        data={"skip_invalid": "true"},
        headers=admin,
    )
    assert response.json()["created"] == 1
    export = client.get("/api/quiz/questions/export", params={"format": "csv"}, headers=admin)
    assert "上传的题" in export.content.decode("utf-8-sig")


def test_practice_for_a_logged_in_user(client, bank, staff, auth_headers):
    headers = auth_headers(staff)
    question = client.get(
        "/api/quiz/practice/question", params={"tag": "许可证核发"}, headers=headers
    ).json()
    assert "answer" not in question
    result = client.post(
        "/api/quiz/practice/answer",
        json={"question_id": question["id"], "choice": "A"},
        headers=headers,
    ).json()
    assert set(result) >= {"correct", "answer", "explanation"}


def test_leaderboard_and_statistics_respect_roles(
    client, bank, make_contest, staff, make_user, auth_headers
):
    contest = make_contest()
    headers = auth_headers(staff)
    attempt = client.post(f"/api/quiz/contests/{contest.id}/attempts", headers=headers).json()
    client.post(f"/api/quiz/attempts/{attempt['id']}/submit", headers=headers)
    board = client.get(f"/api/quiz/contests/{contest.id}/leaderboard", headers=headers).json()
    assert [e["name"] for e in board["entries"]] == ["张三"]
    assert (
        client.get(f"/api/quiz/contests/{contest.id}/statistics", headers=headers).status_code
        == 403
    )
    outsider = auth_headers(make_user("staff", province="浙江省", city="杭州市"))
    assert (
        client.get(f"/api/quiz/contests/{contest.id}/leaderboard", headers=outsider).status_code
        == 404
    )
    hangzhou = auth_headers(make_user("city", province="浙江省", city="杭州市"))
    stats = client.get(f"/api/quiz/contests/{contest.id}/statistics", headers=hangzhou)
    assert stats.status_code == 200 and stats.json()["participants"] == 0
    svg = client.get(f"/api/quiz/contests/{contest.id}/histogram.svg", headers=hangzhou)
    assert svg.headers["content-type"].startswith("image/svg+xml")


def test_certificate_pdf_is_chinese_and_verifiable(
    client, session, bank, make_contest, staff, auth_headers
):
    contest = make_contest(quotas=[{"count": 3}], pass_percent=0)
    headers = auth_headers(staff)
    attempt = client.post(f"/api/quiz/contests/{contest.id}/attempts", headers=headers).json()
    result = client.post(f"/api/quiz/attempts/{attempt['id']}/submit", headers=headers).json()
    code = result["certificate_code"]
    pdf = client.get(f"/api/quiz/certificates/{code}.pdf", headers=headers)
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "张三" in text and code in text
    assert client.get(f"/api/quiz/certificates/{code}.pdf", headers={}).status_code == 401
    verified = client.get("/api/verify", params={"code": code}).json()
    assert verified["holder"] == "张三" and verified["title"] == contest.title
    assert client.get("/api/verify", params={"code": "QZXXXXXXXXXX"}).status_code == 404


def test_openapi_documents_quiz_routes_in_chinese(client):
    paths = client.get("/openapi.json").json()["paths"]
    summary = paths["/api/quiz/attempts/{attempt_id}/submit"]["post"]["summary"]
    assert "交卷" in summary
    assert "/api/verify" in paths
