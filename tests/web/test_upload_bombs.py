"""Hostile and broken files at every import route: a 422 in Chinese, fast, in bounded memory.

The bombs are built in the tests (tests/core/bombs.py). Memory is the growth of the process's
peak resident set (VmHWM, reset through /proc/self/clear_refs) while the request runs; the
TestClient serves the request in this process, so the worker's memory is what is measured.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest

from knowledge import service as knowledge_service
from knowledge.embedder import HashingEmbedder
from knowledge.index import IndexManager
from tests.support import bombs
from tests.support.web import app_warm_up_finished, csrf_from

MEMORY_BUDGET_MB = 300


def _status_mb(field: str) -> int:
    status = open("/proc/self/status", encoding="ascii").read()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) // 1024


def measured(action: Callable[[], object]) -> tuple[object, float, int]:
    """(result, CPU seconds, growth of peak RSS in MB) of running ``action``.

    CPU time of this process (the test client and the app's threads), not wall-clock time: on a
    machine busy with other work the wall clock measures the wait for a core, not the parsing.
    """
    app_warm_up_finished()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
        handle.write("5")  # reset VmHWM to the current RSS
    baseline = _status_mb("VmRSS")
    started = time.process_time()
    result = action()
    return result, time.process_time() - started, _status_mb("VmHWM") - baseline


@pytest.fixture(autouse=True)
def fake_index(tmp_path):
    previous = knowledge_service.set_index_manager(
        IndexManager(tmp_path, lambda: HashingEmbedder())
    )
    yield
    knowledge_service.set_index_manager(previous)


@pytest.fixture
def boss(make_user, login):
    user = make_user("national", username="boss")
    login("boss")
    return user


def post_import(client, name: str, data: bytes, kind: str = "enterprises"):
    token = csrf_from(client.get("/admin/import").text)
    return client.post(
        "/admin/import",
        data={"csrf_token": token, "kind": kind},
        files={"file": (name, data, "application/octet-stream")},
    )


def post_ingest(client, name: str, data: bytes):
    token = csrf_from(client.get("/admin/knowledge/ingest").text)
    return client.post(
        "/admin/knowledge/ingest",
        data={"csrf_token": token},
        files={"file": (name, data, "application/octet-stream")},
    )


def post_bank_page(client, name: str, data: bytes):
    token = csrf_from(client.get("/admin/quiz/questions").text)
    return client.post(
        "/admin/quiz/questions/import",
        data={"csrf_token": token},
        files={"file": (name, data, "application/octet-stream")},
    )


def post_bank_api(client, name: str, data: bytes, headers=None):
    return client.post(
        "/api/quiz/questions/import",
        files={"file": (name, data, "application/octet-stream")},
        headers=headers,
    )


def test_xlsx_bomb_is_refused_in_well_under_a_second(client, boss):
    bomb = bombs.xlsx_bomb()
    assert len(bomb) < 500 * 1024
    response, seconds, grown = measured(lambda: post_import(client, "registry.xlsx", bomb))
    assert response.status_code == 422
    assert "压缩炸弹" in response.text and "解压为 140 MB" in response.text
    assert seconds < 1.0 and grown < MEMORY_BUDGET_MB


def test_docx_bomb_is_refused_by_the_ingest_page(client, boss):
    bomb = bombs.docx_bomb()
    response, seconds, grown = measured(lambda: post_ingest(client, "规定.docx", bomb))
    assert response.status_code == 422
    assert "压缩炸弹" in response.text and "word/document.xml" in response.text
    assert seconds < 1.0 and grown < MEMORY_BUDGET_MB


def test_billion_laughs_is_refused_by_the_bank_api(client, make_user, auth_headers):
    admin = auth_headers(make_user("national"))
    data = bombs.billion_laughs_xlsx()
    response, seconds, grown = measured(
        lambda: client.post(
            "/api/quiz/questions/import",
            files={"file": ("bank.xlsx", data, "application/octet-stream")},
            headers=admin,
        )
    )
    assert response.status_code == 422
    assert "DOCTYPE" in response.json()["detail"]
    assert seconds < 1.0 and grown < MEMORY_BUDGET_MB


def test_a_million_bad_csv_lines_give_a_short_page_and_the_full_list_as_a_file(client, boss):
    data = bombs.bad_csv_lines(1_000_000)
    assert len(data) < 2_100_000
    response, seconds, grown = measured(lambda: post_import(client, "bad.csv", data))
    assert response.status_code == 422
    assert grown < MEMORY_BUDGET_MB and seconds < 120
    assert len(response.content) < 100_000  # the old page was 43 MB
    assert "共 1000000 行有误" in response.text
    shown = re.findall(r"<li>第(\d+)行: ", response.text)
    assert shown == [str(n) for n in range(2, 102)]
    link = re.search(r'href="(/admin/import/errors/[^"]+\.txt)"', response.text).group(1)
    with client.stream("GET", link) as download:
        assert download.status_code == 200
        lines = [line for line in download.iter_lines() if line.startswith("第")]
    assert len(lines) == 1_000_000
    assert lines[0] == "第2行: 有 1 列，表头有 10 列，请检查分隔符和引号"
    assert lines[-1].startswith("第1000001行: ")


def test_the_error_list_is_only_for_the_admin_who_imported(client, boss, make_user, login):
    response = post_import(client, "bad.csv", bombs.bad_csv_lines(500))
    link = re.search(r'href="(/admin/import/errors/[^"]+\.txt)"', response.text).group(1)
    assert client.get(link).status_code == 200
    make_user("national", username="other")
    login("other")
    assert client.get(link).status_code == 404
    assert client.get("/admin/import/errors/..%2F..%2Fsecret_key.txt").status_code == 404


ROUTES = {
    "admin-import": post_import,
    "ingest-page": post_ingest,
    "bank-page": post_bank_page,
    "bank-api": post_bank_api,
}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("malformed", bombs.MALFORMED_XLSX)
def test_every_malformed_workbook_is_a_422_with_a_chinese_message(
    client, boss, auth_headers, route, malformed
):
    data = bombs.MALFORMED_XLSX[malformed]()
    if route == "bank-api":
        response = post_bank_api(client, "file.xlsx", data, auth_headers(boss))
        text = response.json()["detail"]
    else:
        response = ROUTES[route](client, "file.xlsx", data)
        text = response.text
    assert response.status_code == 422, text[:500]
    assert re.search(r"无法读取|已拒绝|超过|表头", text), text[:500]


def test_a_word_document_is_refused_as_a_table_and_a_genuine_workbook_passes(client, boss):
    document = post_import(client, "registry.docx", bombs.docx(["不是表格"]))
    assert document.status_code == 422 and "Word 文档" in document.text
    question = ["单选", "排污许可证有效期几年？", "3年", "5年", "", "", "B", 2]
    columns = ("题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "难度")
    bank = post_bank_page(client, "bank.xlsx", bombs.workbook([question], columns=columns))
    assert bank.status_code == 200 and "新增 1 条" in bank.text


def test_an_upload_over_the_cap_is_refused_without_reading_it_all(client, boss, monkeypatch):
    from core.config import get_settings

    monkeypatch.setenv("PERMITHUB_MAX_UPLOAD_MB_TABLE", "1")
    get_settings.cache_clear()
    try:
        response = post_import(client, "big.csv", b"x" * (1024 * 1024 + 10))
    finally:
        monkeypatch.delenv("PERMITHUB_MAX_UPLOAD_MB_TABLE")
        get_settings.cache_clear()
    assert response.status_code == 422 and "上限 1 MB" in response.text
