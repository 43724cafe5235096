"""Curation API: JSON endpoints for the queue, FAQ entries, synonyms and the retrieval test."""

from __future__ import annotations

import pytest

from tests.knowledge.curation_support import log_question

API = "/api/knowledge/admin"


@pytest.fixture
def admin_headers(make_user, auth_headers):
    return auth_headers(make_user("national"))


def _faq(client, headers, **fields):
    body = {"question": "排污许可证到期后如何延续？", "answer": "届满前六十日申请延续。", **fields}
    response = client.post(f"{API}/faq", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_non_admins_get_403_and_anonymous_callers_401(client, make_user, auth_headers):
    staff = auth_headers(make_user("staff", province="江苏省", city="苏州市"))
    for method, url in [
        ("get", f"{API}/questions"),
        ("get", f"{API}/faq"),
        ("get", f"{API}/synonyms"),
        ("post", f"{API}/retrieval-test"),
    ]:
        assert getattr(client, method)(url, headers=staff).status_code == 403, url
        assert getattr(client, method)(url).status_code == 401, url


def test_empty_question_or_answer_is_a_422_in_chinese(client, admin_headers):
    response = client.post(
        f"{API}/faq", json={"question": "问", "answer": "  "}, headers=admin_headers
    )
    assert response.status_code == 422
    assert "答案不能为空" in response.json()["detail"]
    response = client.post(f"{API}/retrieval-test", json={"question": ""}, headers=admin_headers)
    assert response.status_code == 422 and "问题不能为空" in response.json()["detail"]
    response = client.post(
        f"{API}/questions/promote",
        json={"log_ids": [], "question": "问", "answer": "答"},
        headers=admin_headers,
    )
    assert response.status_code == 422 and "log_ids" in response.json()["detail"]


def test_queue_groups_then_promote_makes_them_answerable(client, session, admin_headers):
    for minutes, text in enumerate(["废机油台账保存几年", "废机油台账要保存多久", "平台密码忘了"]):
        log_question(session, text, province="江苏省", minutes=minutes)

    queue = client.get(f"{API}/questions", headers=admin_headers).json()
    groups = queue["groups"]

    assert [g["count"] for g in groups] == [2, 1]
    assert (queue["group_count"], queue["question_count"]) == (2, 3)
    assert queue["regions"] == [{"label": "江苏省", "province": "江苏省", "city": None, "count": 3}]
    assert groups[0]["regions"] == [["江苏省", 2]]
    response = client.post(
        f"{API}/questions/promote",
        json={
            "log_ids": groups[0]["log_ids"],
            "question": "危险废物台账要保存几年？",
            "answer": "不少于五年。",
            "basis": "技术导则",
        },
        headers=admin_headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["handled"] == 2 and len(body["faq"]["phrasings"]) == 2
    remaining = client.get(f"{API}/questions", headers=admin_headers).json()["groups"]
    assert [g["count"] for g in remaining] == [1]
    reply = client.post("/api/ask", json={"question": "废机油台账要保存多久"}).json()
    assert reply["faq_id"] == body["faq"]["id"]
    again = client.post(
        f"{API}/questions/dismiss", json={"log_ids": groups[0]["log_ids"]}, headers=admin_headers
    )
    assert again.status_code == 409


def test_attach_and_dismiss(client, session, admin_headers):
    entry = _faq(client, admin_headers)
    first = log_question(session, "排污证续期怎么办")
    second = log_question(session, "今天天气怎么样")

    attached = client.post(
        f"{API}/questions/attach",
        json={"log_ids": [first.id], "faq_id": entry["id"]},
        headers=admin_headers,
    ).json()
    assert "排污证续期怎么办" in attached["faq"]["phrasings"]
    dismissed = client.post(
        f"{API}/questions/dismiss", json={"log_ids": [second.id]}, headers=admin_headers
    )
    assert dismissed.json() == {"handled": 1, "faq": None}
    assert client.get(f"{API}/questions", headers=admin_headers).json()["groups"] == []


def test_region_filter_outside_the_admins_region_is_refused(client, make_user, auth_headers):
    headers = auth_headers(make_user("province", province="江苏省"))
    assert client.get(f"{API}/questions?province=浙江省", headers=headers).status_code == 403
    assert client.get(f"{API}/questions?province=江苏省", headers=headers).status_code == 200


def test_faq_crud_search_retire_restore(client, admin_headers):
    entry = _faq(client, admin_headers, phrasings=["排污许可证怎么延续", "排污许可证怎么延续", " "])
    assert entry["phrasings"] == ["排污许可证怎么延续"]

    updated = client.put(
        f"{API}/faq/{entry['id']}",
        json={"question": entry["question"], "answer": "新答案。", "phrasings": ["续证流程"]},
        headers=admin_headers,
    ).json()
    assert updated["answer"] == "新答案。" and updated["phrasings"] == ["续证流程"]
    assert client.get(f"{API}/faq?q=续证", headers=admin_headers).json()["total"] == 1

    assert (
        client.post(f"{API}/faq/{entry['id']}/retire", headers=admin_headers).json()["status"]
        == "retired"
    )
    assert client.get(f"{API}/faq?status=retired", headers=admin_headers).json()["total"] == 1
    assert (
        client.post(f"{API}/faq/{entry['id']}/restore", headers=admin_headers).json()["status"]
        == "active"
    )
    assert client.get(f"{API}/faq/999999", headers=admin_headers).status_code == 404
    duplicate = client.post(
        f"{API}/faq", json={"question": entry["question"], "answer": "x"}, headers=admin_headers
    )
    assert duplicate.status_code == 409


def test_synonym_endpoints(client, admin_headers):
    created = client.post(
        f"{API}/synonyms", json={"term": "废机油", "canonical": "危险废物"}, headers=admin_headers
    )
    assert created.status_code == 201
    synonym_id = created.json()["id"]
    changed = client.put(
        f"{API}/synonyms/{synonym_id}",
        json={"term": "废机油品", "canonical": "危险废物"},
        headers=admin_headers,
    )
    assert changed.json()["term"] == "废机油品"
    assert [
        s["term"] for s in client.get(f"{API}/synonyms?q=废机油", headers=admin_headers).json()
    ] == ["废机油品"]
    assert client.delete(f"{API}/synonyms/{synonym_id}", headers=admin_headers).status_code == 204
    blank = client.post(
        f"{API}/synonyms", json={"term": "", "canonical": "x"}, headers=admin_headers
    )
    assert blank.status_code == 422 and "说法不能为空" in blank.json()["detail"]


def test_retrieval_test_returns_scored_passages(client, session, admin_headers):
    from knowledge import service as knowledge_service

    knowledge_service.ingest_bytes(
        session,
        data="一、执行报告\n排污单位应按时提交执行报告。\n二、信息公开\n排污单位应公开排污信息。".encode(),
        filename="rules.txt",
    )
    body = client.post(
        f"{API}/retrieval-test?mode=bm25",
        json={"question": "执行报告按时提交"},
        headers=admin_headers,
    ).json()
    assert body["hits"][0]["text"].startswith("排污单位应按时提交执行报告")
    assert {"score", "bm25", "dense", "coverage"} <= set(body["hits"][0])
    assert isinstance(body["answered"], bool) and 0 <= body["confidence"] <= 1


def test_openapi_summaries_are_in_chinese(client):
    paths = client.get("/openapi.json").json()["paths"]
    mine = {p: ops for p, ops in paths.items() if p.startswith(API)}
    assert len(mine) >= 8
    for ops in mine.values():
        for op in ops.values():
            assert not op["summary"].isascii(), op["summary"]
