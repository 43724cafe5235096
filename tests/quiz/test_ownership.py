"""Finding 2: the bank and contests have an owner region — nobody edits what is not theirs,
admins see keys only of questions they own and never while they may take a contest using them,
and every change of a question, key or contest is in the audit log."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from core.audit.models import AuditEntry
from quiz import contests, schemas
from quiz.models import ContestQuestion, Question


def _question(**fields) -> dict:
    data = {"kind": "单选", "stem": "本辖区自编题", "options": ["甲", "乙"], "answer": "B"}
    return {**data, **fields}


@pytest.fixture
def suzhou_admin(make_user):
    return make_user("city", username="suzhou", province="江苏省", city="苏州市")


def _audit(session, action: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


# ---- who may change what -----------------------------------------------------------------


def test_a_city_admin_cannot_edit_retire_or_rekey_a_national_question(
    client, session, bank, suzhou_admin, auth_headers
):
    question = next(q for q in bank if q.kind == "单选")
    headers = auth_headers(suzhou_admin)
    put = client.put(
        f"/api/quiz/questions/{question.id}", json=_question(stem=question.stem), headers=headers
    )
    assert put.status_code == 403 and "部级管理员" in put.json()["detail"]
    retire = client.post(f"/api/quiz/questions/{question.id}/retire", headers=headers)
    assert retire.status_code == 403
    session.refresh(question)
    assert (question.answer, question.status) == ("B", "published")


def test_a_province_admin_cannot_edit_national_questions_either(
    client, bank, make_user, auth_headers
):
    headers = auth_headers(make_user("province", province="江苏省"))
    response = client.post(f"/api/quiz/questions/{bank[0].id}/retire", headers=headers)
    assert response.status_code == 403


def test_a_city_admin_creates_and_edits_its_own_questions(
    client, session, suzhou_admin, make_user, auth_headers
):
    headers = auth_headers(suzhou_admin)
    created = client.post("/api/quiz/questions", json=_question(), headers=headers).json()
    assert (created["province"], created["city"], created["owner"]) == (
        "江苏省",
        "苏州市",
        "江苏省苏州市",
    )
    assert created["answer"] == "B" and created["editable"]
    edited = client.put(
        f"/api/quiz/questions/{created['id']}", json=_question(answer="A"), headers=headers
    )
    assert edited.status_code == 200 and edited.json()["answer"] == "A"
    # The province owns its cities' entries; another city does not even see it.
    province = auth_headers(make_user("province", province="江苏省"))
    assert client.get(f"/api/quiz/questions/{created['id']}", headers=province).json()["answer"]
    nanjing = auth_headers(make_user("city", province="江苏省", city="南京市"))
    assert client.get(f"/api/quiz/questions/{created['id']}", headers=nanjing).status_code == 404
    listed = client.get("/api/quiz/questions", headers=nanjing).json()
    assert created["id"] not in [q["id"] for q in listed["items"]]
    put = client.put(f"/api/quiz/questions/{created['id']}", json=_question(), headers=nanjing)
    assert put.status_code == 404


def test_a_city_admins_import_belongs_to_its_city(client, session, suzhou_admin, auth_headers):
    csv_text = "题型,题干,选项A,选项B,选项C,选项D,答案,难度\n单选,苏州导入的题,甲,乙,,,B,2\n"
    response = client.post(
        "/api/quiz/questions/import",
        files={"file": ("q.csv", csv_text.encode(), "text/csv")},
        headers=auth_headers(suzhou_admin),
    )
    assert response.json()["created"] == 1
    question = session.scalar(select(Question).where(Question.stem == "苏州导入的题"))
    assert (question.province, question.city) == ("江苏省", "苏州市")


def test_only_the_organiser_region_edits_a_contest(
    client, bank, make_contest, suzhou_admin, make_user, auth_headers
):
    contest = make_contest()  # national
    body = schemas.ContestRead.model_validate(contest).model_dump(mode="json")
    body = {k: v for k, v in body.items() if k in schemas.ContestCreate.model_fields}
    refused = client.put(
        f"/api/quiz/contests/{contest.id}", json=body, headers=auth_headers(suzhou_admin)
    )
    assert refused.status_code == 403 and "部级管理员" in refused.json()["detail"]
    national = auth_headers(make_user("national"))
    body["title"] = "改过的竞赛名称"
    assert client.put(f"/api/quiz/contests/{contest.id}", json=body, headers=national).json()[
        "title"
    ] == ("改过的竞赛名称")


# ---- who sees which key ------------------------------------------------------------------


def test_a_city_admin_reads_national_questions_without_their_keys(
    client, bank, suzhou_admin, auth_headers
):
    headers = auth_headers(suzhou_admin)
    page = client.get("/api/quiz/questions", headers=headers).json()
    assert page["total"] == 24
    assert all(q["answer"] is None and q["explanation"] is None for q in page["items"])
    assert all(not q["key_visible"] and q["owner"] == "全国" for q in page["items"])
    one = client.get(f"/api/quiz/questions/{bank[0].id}", headers=headers).json()
    assert one["answer"] is None and "解析" not in json.dumps(one, ensure_ascii=False)


def test_the_bank_export_leaves_out_keys_the_admin_may_not_see(
    client, bank, suzhou_admin, auth_headers
):
    headers = auth_headers(suzhou_admin)
    client.post("/api/quiz/questions", json=_question(explanation="自编解析"), headers=headers)
    text = client.get("/api/quiz/questions/export", headers=headers).content.decode("utf-8-sig")
    rows = {r["题干"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["本辖区自编题"]["答案"] == "B" and rows["本辖区自编题"]["解析"] == "自编解析"
    national = [r for stem, r in rows.items() if stem.startswith("测试题目")]
    assert len(national) == 24 and all(r["答案"] == "" and r["解析"] == "" for r in national)


def test_the_bank_pages_hide_keys_the_admin_may_not_see(client, login, bank, suzhou_admin):
    login("suzhou")
    listing = client.get("/admin/quiz/questions", params={"q": "第0题"})
    assert "测试题目第0题" in listing.text and '<td class="mono">B</td>' not in listing.text
    edit = client.get(f"/admin/quiz/questions/{bank[0].id}")
    assert "解析0" not in edit.text and 'name="answer" value=""' in edit.text
    assert "部级管理员" in edit.text and "停用此题" not in edit.text
    xlsx = client.get("/admin/quiz/questions/export", params={"format": "csv"})
    assert "解析0" not in xlsx.content.decode("utf-8-sig")


def test_an_admin_in_a_contests_audience_sees_no_key_of_its_pool(
    client, session, bank, make_contest, make_user, auth_headers
):
    national = make_user("national")
    contest = make_contest(
        audience_roles=["staff", "national"],
        audience_regions=[],
        quotas=[{"tag": "许可证核发", "count": 3}],
    )
    pool = set(
        session.scalars(
            select(ContestQuestion.question_id).where(ContestQuestion.contest_id == contest.id)
        )
    )
    page = client.get(
        "/api/quiz/questions", params={"tag": "许可证核发"}, headers=auth_headers(national)
    ).json()
    keys = {q["id"]: q["answer"] for q in page["items"]}
    assert all(keys[qid] is None for qid in pool)
    assert all(keys[qid] is not None for qid in set(keys) - pool)
    put = client.put(
        f"/api/quiz/questions/{min(pool)}",
        json=_question(stem="参赛者改题"),
        headers=auth_headers(national),
    )
    assert put.status_code == 403 and "竞赛" in put.json()["detail"]


def test_a_city_admin_in_the_audience_of_its_own_contest_gets_no_keys(
    client, session, suzhou_admin, auth_headers
):
    headers = auth_headers(suzhou_admin)
    for i in range(4):
        client.post(
            "/api/quiz/questions",
            json=_question(stem=f"苏州自编题{i}", tags=["苏州"]),
            headers=headers,
        )
    contests.create_contest(
        session,
        admin=suzhou_admin,
        data=schemas.ContestCreate(
            title="苏州市内竞赛",
            audience_roles=["staff", "city"],
            opens_at="2026-01-01T00:00:00+08:00",
            closes_at="2099-01-01T00:00:00+08:00",
            quotas=[{"tag": "苏州", "count": 2}],
        ),
    )
    page = client.get("/api/quiz/questions", params={"tag": "苏州"}, headers=headers).json()
    assert page["total"] == 4 and all(q["answer"] is None for q in page["items"])


# ---- audit -------------------------------------------------------------------------------


def test_every_change_of_a_question_is_audited_with_before_and_after(
    client, session, suzhou_admin, auth_headers
):
    headers = auth_headers(suzhou_admin)
    qid = client.post("/api/quiz/questions", json=_question(), headers=headers).json()["id"]
    client.put(
        f"/api/quiz/questions/{qid}", json=_question(explanation="补充解析"), headers=headers
    )
    client.put(f"/api/quiz/questions/{qid}", json=_question(answer="A"), headers=headers)
    client.post(f"/api/quiz/questions/{qid}/retire", headers=headers)
    created, updated, rekeyed, retired = (
        _audit(session, "question.create"),
        _audit(session, "question.update"),
        _audit(session, "question.key_change"),
        _audit(session, "question.retire"),
    )
    assert [len(created), len(updated), len(rekeyed), len(retired)] == [1, 1, 1, 1]
    assert json.loads(created[0].detail)["after"]["answer"] == "B"
    change = json.loads(rekeyed[0].detail)
    assert (change["before"]["answer"], change["after"]["answer"]) == ("B", "A")
    assert json.loads(retired[0].detail)["after"] == {"status": "retired"}
    row = rekeyed[0]
    assert (row.actor, row.target_kind, row.target_id, row.province, row.city) == (
        "suzhou",
        "question",
        str(qid),
        "江苏省",
        "苏州市",
    )


def test_an_import_is_audited(client, session, make_user, auth_headers):
    csv_text = (
        "题型,题干,选项A,选项B,选项C,选项D,答案,难度\n"
        "单选,导入甲,甲,乙,,,B,2\n"
        "单选,导入乙,甲,乙,,,A,2\n"
    )
    client.post(
        "/api/quiz/questions/import",
        files={"file": ("q.csv", csv_text.encode(), "text/csv")},
        headers=auth_headers(make_user("national", username="boss")),
    )
    (row,) = _audit(session, "question.import")
    detail = json.loads(row.detail)["after"]
    ids = list(session.scalars(select(Question.id).order_by(Question.id)))
    assert row.actor == "boss" and detail["created"] == 2 and detail["ids"] == ids


def test_contest_creation_and_edits_are_audited(
    client, session, bank, make_contest, make_user, auth_headers
):
    contest = make_contest()
    body = schemas.ContestRead.model_validate(contest).model_dump(mode="json")
    body = {k: v for k, v in body.items() if k in schemas.ContestCreate.model_fields}
    client.put(
        f"/api/quiz/contests/{contest.id}",
        json={**body, "pass_percent": 80},
        headers=auth_headers(make_user("national")),
    )
    (created,) = _audit(session, "contest.create")
    (updated,) = _audit(session, "contest.update")
    assert json.loads(created.detail)["after"]["title"] == contest.title
    change = json.loads(updated.detail)
    assert (change["before"]["pass_percent"], change["after"]["pass_percent"]) == (60, 80)
