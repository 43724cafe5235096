"""``POST /api/ask`` and its feedback endpoint."""

from __future__ import annotations

import pytest


def test_ask_answers_with_sources_anonymously(client, plan):
    response = client.post("/api/ask", json={"question": "法定代表人培训什么时候全覆盖"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"answered", "answer", "confidence", "sources", "suggestions", "log_id"}
    assert body["answered"] is True
    assert 0.0 <= body["confidence"] <= 1.0
    source = body["sources"][0]
    assert set(source) >= {"title", "section", "measure", "text", "score"}
    assert source["measure"] == 33


@pytest.mark.parametrize(
    "payload",
    [{"question": ""}, {"question": "  "}, {"question": "长" * 501}, {"question": 5}, {}, [1, 2]],
)
def test_invalid_questions_get_422_in_chinese(client, payload):
    response = client.post("/api/ask", json=payload)
    assert response.status_code == 422
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_body_that_is_not_json_gets_422_in_chinese(client):
    response = client.post(
        "/api/ask", content=b"question=hello", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


def test_questions_are_rate_limited_per_client(client, configure):
    configure(ask_rate_per_minute=2)
    codes = [client.post("/api/ask", json={"question": "年假怎么请"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    refused = client.post("/api/ask", json={"question": "年假"})
    assert "频繁" in refused.json()["detail"]
    assert 0 < int(refused.headers["retry-after"]) <= 60


def _asks(client, n: int, **headers) -> list[int]:
    return [
        client.post("/api/ask", json={"question": "年假怎么请"}, headers=headers).status_code
        for _ in range(n)
    ]


def test_a_spoofed_forwarded_for_buys_no_extra_questions(app, configure):
    from fastapi.testclient import TestClient

    configure(ask_rate_per_minute=2)
    direct = TestClient(app, client=("203.0.113.9", 50000))
    codes = [_asks(direct, 1, **{"X-Forwarded-For": f"10.9.9.{i}"})[0] for i in range(3)]
    assert codes == [200, 200, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(app, configure):
    from fastapi.testclient import TestClient

    configure(ask_rate_per_minute=2, trusted_proxies="10.0.0.2")
    proxy = TestClient(app, client=("10.0.0.2", 50000))
    assert _asks(proxy, 3, **{"X-Forwarded-For": "198.51.100.1"}) == [200, 200, 429]
    assert _asks(proxy, 1, **{"X-Forwarded-For": "198.51.100.2"}) == [200]


def test_a_logged_in_caller_is_limited_as_one_person_wherever_they_are(
    app, configure, make_user, auth_headers
):
    from fastapi.testclient import TestClient

    configure(ask_rate_per_minute=2)
    headers = auth_headers(make_user("staff", province="江苏省", city="苏州市"))
    office = TestClient(app, client=("198.51.100.1", 50000))
    home = TestClient(app, client=("198.51.100.2", 50000))
    assert _asks(office, 2, **headers) == [200, 200]
    assert _asks(home, 1, **headers) == [429]
    assert _asks(home, 1) == [200]


def test_feedback_is_recorded_once_per_client(client, plan, session):
    from sqlalchemy import select

    from knowledge.models import AnswerFeedback

    log_id = client.post("/api/ask", json={"question": "清零行动什么时候启动"}).json()["log_id"]
    for helpful in (True, False):
        response = client.post(f"/api/ask/{log_id}/feedback", json={"helpful": helpful})
        assert response.status_code == 200
    votes = session.scalars(
        select(AnswerFeedback).where(AnswerFeedback.question_log_id == log_id)
    ).all()
    assert [v.helpful for v in votes] == [False]


def test_feedback_on_unknown_answer_is_404(client):
    assert client.post("/api/ask/999999/feedback", json={"helpful": True}).status_code == 404


def test_logged_in_users_region_is_logged_with_the_question(
    client, session, make_user, auth_headers
):
    from knowledge.models import QuestionLog

    user = make_user("city", province="江苏省", city="苏州市")
    response = client.post("/api/ask", json={"question": "年假怎么请"}, headers=auth_headers(user))
    log = session.get(QuestionLog, response.json()["log_id"])
    assert (log.channel, log.province, log.city) == ("api", "江苏省", "苏州市")


def test_a_follow_up_with_the_same_conversation_id_keeps_the_topic(client, plan):
    first = client.post(
        "/api/ask", json={"question": "法定代表人专题培训是什么要求", "conversation_id": "abc"}
    ).json()
    assert first["answered"] and first["conversation_id"] == "abc"
    follow = client.post(
        "/api/ask", json={"question": "那它的截止时间呢", "conversation_id": "abc"}
    ).json()
    assert follow["answered"] and "2024年12月" in follow["answer"]
    fresh = client.post("/api/ask", json={"question": "那它的截止时间呢"}).json()
    assert not fresh["answered"]


@pytest.mark.parametrize("conversation", ["", "x" * 65, 5])
def test_a_bad_conversation_id_gets_422_in_chinese(client, conversation):
    body = {"question": "排污许可", "conversation_id": conversation}
    response = client.post("/api/ask", json=body)
    assert response.status_code == 422
    assert "conversation_id" in response.json()["detail"]
