"""The documents API refuses bombs and hostile or broken documents with a 422 in Chinese."""

from __future__ import annotations

import time

import pytest

from tests.support import bombs
from tests.support.web import app_warm_up_finished

API = "/api/knowledge/documents"


@pytest.fixture
def national(make_user, auth_headers):
    return auth_headers(make_user("national", username="boss"))


@pytest.mark.parametrize(
    ("name", "build", "says"),
    [
        ("规定.docx", bombs.docx_bomb, "疑似压缩炸弹"),
        ("规定.docx", bombs.docx_xxe, "DOCTYPE"),
        ("规定.docx", bombs.png_named_xlsx, "文件已损坏"),
        ("规定.pdf", lambda: b"%PDF-1.7\n" + b"\x00" * 64, "无法读取 PDF"),
    ],
)
def test_hostile_or_broken_documents_are_a_422(client, national, name, build, says):
    data = build()
    app_warm_up_finished()
    started = time.process_time()  # CPU, not the wait for a busy core
    response = client.post(API, headers=national, files={"file": (name, data)})
    assert response.status_code == 422 and says in response.json()["detail"]
    assert time.process_time() - started < 2


def test_a_document_over_the_cap_is_refused(client, national, monkeypatch):
    from core.config import get_settings

    monkeypatch.setenv("PERMITHUB_MAX_UPLOAD_MB_DOCUMENT", "1")
    get_settings.cache_clear()
    try:
        response = client.post(
            API, headers=national, files={"file": ("big.md", b"# t\n" + b"x" * 1024 * 1024)}
        )
    finally:
        monkeypatch.delenv("PERMITHUB_MAX_UPLOAD_MB_DOCUMENT")
        get_settings.cache_clear()
    assert response.status_code == 422 and "上限 1 MB" in response.json()["detail"]
