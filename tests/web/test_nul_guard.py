"""A NUL character anywhere in a request is a 422 naming the field, on every route.

PostgreSQL refuses NUL in text with an error (a 500 before this guard); SQLite stored it. Both
backends now answer the same, and nothing is written.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from knowledge.models import FaqEntry


@pytest.fixture
def admin(make_user, auth_headers) -> dict[str, str]:
    return auth_headers(make_user("national"))


@pytest.mark.parametrize(
    "path, field",
    [
        ("/api/enterprises?q=a%00b", "q"),
        ("/api/enterprises/9132%0005", "credit_code"),
        ("/api/knowledge/admin/faq?q=%00", "q"),
        ("/api/coverage?province=%00", "province"),
        ("/api/courses?audience=%00", "audience"),
    ],
)
def test_a_nul_in_the_url_is_a_422_naming_the_parameter(client, admin, path, field):
    response = client.get(path, headers=admin)
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [f"{field}: 不能包含控制字符（空字符 \\x00）"]


def test_a_nul_in_a_json_field_is_refused_and_nothing_is_written(client, admin, session):
    before = session.scalar(select(func.count()).select_from(FaqEntry))
    response = client.post(
        "/api/knowledge/admin/faq",
        json={"question": "排污许可\x00证", "answer": "答案", "tags": ""},
        headers=admin,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == ["question: 不能包含控制字符（空字符 \\x00）"]
    assert session.scalar(select(func.count()).select_from(FaqEntry)) == before


def test_nested_json_fields_are_named_by_their_path(client, admin):
    response = client.post(
        "/api/quiz/questions",
        json={"kind": "单选", "stem": "题干", "options": ["甲", "乙\x00"], "answer": "A"},
        headers=admin,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == ["options.1: 不能包含控制字符（空字符 \\x00）"]


def test_a_nul_in_a_form_field_is_a_422(client):
    response = client.post("/api/auth/token", data={"username": "ad\x00min", "password": "x"})
    assert response.status_code == 422
    assert response.json()["errors"] == ["username: 不能包含控制字符（空字符 \\x00）"]


def _upload(filename: bytes, title: bytes) -> bytes:
    """A document upload form, written out by hand: HTTP clients escape a NUL in a file name."""
    part = b'--b\r\nContent-Disposition: form-data; name="%s"%s\r\n\r\n%s\r\n'
    file_part = part % (b"file", b'; filename="' + filename + b'"', "第一条 内容".encode())
    return file_part + part % (b"title", b"", title) + b"--b--\r\n"


def test_a_nul_in_a_multipart_field_or_file_name_is_a_422(client, admin):
    headers = {**admin, "Content-Type": "multipart/form-data; boundary=b"}
    url = "/api/knowledge/documents"
    named = client.post(url, content=_upload(b"a\x00.txt", b"t"), headers=headers)
    assert named.status_code == 422
    assert named.json()["errors"] == ["file: 不能包含控制字符（空字符 \\x00）"]
    titled = client.post(url, content=_upload(b"a.txt", b"\x00"), headers=headers)
    assert titled.json()["errors"] == ["title: 不能包含控制字符（空字符 \\x00）"]


def test_pages_get_the_same_answer_as_an_html_page(client):
    response = client.get("/verify?code=QZ%00", headers={"Accept": "text/html"})
    assert response.status_code == 422
    assert "不能包含控制字符（空字符" in response.text
