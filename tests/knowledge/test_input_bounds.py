"""Finding 13 (knowledge part): ids, pages and lists out of range, and NUL characters in a
question, are a 422 with a Chinese message — never an OverflowError (SQLite) or a DataError
(PostgreSQL) from the query that would have used them."""

from __future__ import annotations

import pytest

from core.errors import Invalid
from knowledge import service

HUGE = 9223372036854775808  # 2**63: past every integer column
TOO_BIG = "数值太大（最大为 2147483647）"


@pytest.fixture
def admin(make_user, auth_headers) -> dict[str, str]:
    return auth_headers(make_user("national"))


FAQ = {"question": "排污许可证有效期多久？", "answer": "五年。", "tags": ""}
SYNONYM = {"term": "排污证", "canonical": "排污许可证"}


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("get", f"/api/knowledge/admin/faq/{HUGE}", None),
        ("put", f"/api/knowledge/admin/faq/{HUGE}", FAQ),
        ("post", f"/api/knowledge/admin/faq/{HUGE}/retire", None),
        ("post", f"/api/knowledge/admin/faq/{HUGE}/restore", None),
        ("put", f"/api/knowledge/admin/synonyms/{HUGE}", SYNONYM),
        ("delete", f"/api/knowledge/admin/synonyms/{HUGE}", None),
        ("delete", f"/api/knowledge/documents/{HUGE}", None),
        ("post", f"/api/knowledge/documents/{HUGE}/disable", None),
        ("post", f"/api/knowledge/documents/{HUGE}/enable", None),
        ("post", f"/api/ask/{HUGE}/feedback", {"helpful": True}),
    ],
)
def test_an_id_past_any_row_is_422(client, admin, method, path, body):
    kwargs = {"json": body} if body is not None else {}
    response = client.request(method.upper(), path, headers=admin, **kwargs)
    assert response.status_code == 422, response.text
    assert TOO_BIG in response.json()["detail"]


def test_the_faq_list_past_the_last_possible_page_is_422(client, admin):
    response = client.get("/api/knowledge/admin/faq?page=1000000000000000000", headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"] == ["page: 数值太大（最大为 100000）"]


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("attach", {"log_ids": [1], "faq_id": HUGE}, "faq_id"),
        ("attach", {"log_ids": [HUGE], "faq_id": 1}, "log_ids.0"),
        ("dismiss", {"log_ids": [1, HUGE]}, "log_ids.1"),
        ("promote", {"log_ids": [HUGE], "question": "问", "answer": "答"}, "log_ids.0"),
    ],
)
def test_review_requests_name_the_id_out_of_range(client, admin, path, body, field):
    response = client.post(f"/api/knowledge/admin/questions/{path}", json=body, headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"] == [f"{field}: {TOO_BIG}"]


def test_one_review_handles_at_most_500_questions(client, admin):
    response = client.post(
        "/api/knowledge/admin/questions/dismiss",
        json={"log_ids": list(range(1, 502))},
        headers=admin,
    )
    assert response.status_code == 422


def test_a_question_holding_a_nul_is_refused_before_it_is_logged():
    with pytest.raises(Invalid, match="空字符"):
        service.check_question("排污许可\x00证")


def test_asking_with_a_nul_over_the_api_is_a_422(client):
    response = client.post("/api/ask", json={"question": "排污许可\x00证怎么办？"})
    assert response.status_code == 422
    assert response.json()["detail"] == "问题不能包含控制字符（空字符 \\x00）"
