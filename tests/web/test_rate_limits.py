"""Limits over HTTP: practice per user, login throttling answered with 429 and Retry-After."""

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from tests.support.web import csrf_from


@pytest.fixture
def frozen_clock(monkeypatch):
    """Stop the throttle's clock, so the wait it answers does not depend on the machine's speed."""
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr("core.accounts.throttle.utcnow", lambda: now)


def test_practice_is_limited_per_user(app, client, configure, make_user, auth_headers):
    configure(practice_rate_per_minute=2)
    headers = auth_headers(make_user("staff", province="江苏省", city="苏州市"))
    codes = [
        client.get("/api/quiz/practice/question", headers=headers).status_code for _ in range(2)
    ]
    assert 429 not in codes
    refused = client.post(
        "/api/quiz/practice/answer", json={"question_id": 1, "choice": "A"}, headers=headers
    )
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    other = auth_headers(make_user("staff", province="江苏省", city="苏州市"))
    assert client.get("/api/quiz/practice/question", headers=other).status_code != 429


def test_the_practice_page_shares_the_practice_limit(client, configure, make_user, login):
    configure(practice_rate_per_minute=2)
    make_user("staff", username="learner", province="江苏省", city="苏州市")
    login("learner")
    token = csrf_from(client.get("/quiz").text)
    codes = [
        client.post(
            "/quiz/practice", data={"csrf_token": token, "question_id": "1", "choice": "A"}
        ).status_code
        for _ in range(3)
    ]
    assert codes[-1] == 429


def test_token_endpoint_slows_down_guessing_with_retry_after(client, make_user, frozen_clock):
    make_user("national", username="admin")
    for _ in range(5):
        wrong = client.post(
            "/api/auth/token", data={"username": "admin", "password": "guess-guess"}
        )
        assert wrong.status_code == 401
    refused = client.post(
        "/api/auth/token", data={"username": "admin", "password": "correct-horse-1"}
    )
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert "登录失败次数过多" in refused.json()["detail"]


def test_the_owner_logs_in_from_another_address_meanwhile(app, make_user):
    make_user("national", username="admin")
    attacker = TestClient(app, client=("203.0.113.66", 50000))
    for _ in range(12):
        attacker.post("/api/auth/token", data={"username": "admin", "password": "guess-guess"})
    owner = TestClient(app, client=("198.51.100.10", 50000))
    token = csrf_from(owner.get("/login").text)
    response = owner.post(
        "/login",
        data={"username": "admin", "password": "correct-horse-1", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_the_login_page_says_how_long_to_wait(client, make_user, frozen_clock):
    make_user("national", username="admin")
    for _ in range(6):
        token = csrf_from(client.get("/login").text)
        response = client.post(
            "/login", data={"username": "admin", "password": "guess-guess", "csrf_token": token}
        )
    assert response.status_code == 429
    assert "秒后再试" in response.text
    assert response.headers["retry-after"] == "1"
