"""Two imports at once against a real server: the second waits its turn or gets a clear 409,
never "database is locked" after 30 s (finding 7)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time

import httpx
import pytest
from sqlalchemy import func, select, text

from core.accounts import service as account_service
from core.config import get_settings
from core.enterprises.models import Enterprise
from core.imports import BUSY_MESSAGE, exclusive_import
from tests.support.shared import GENERATOR_PATH, require_shared

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> bytes:
    """A generated registry big enough that importing it takes a while."""
    require_shared()
    folder = tmp_path_factory.mktemp("concurrent")
    subprocess.run(
        [sys.executable, str(GENERATOR_PATH), str(folder), "--n", "20000", "--seed", "4"],
        check=True,
        capture_output=True,
    )
    return (folder / "enterprises.csv").read_bytes()


@pytest.fixture
def wait_seconds(monkeypatch):
    def _set(seconds: float) -> None:
        monkeypatch.setenv("PERMITHUB_IMPORT_WAIT_SECONDS", str(seconds))
        get_settings.cache_clear()

    yield _set
    monkeypatch.delenv("PERMITHUB_IMPORT_WAIT_SECONDS", raising=False)
    get_settings.cache_clear()


def _admin_client(server, username: str) -> httpx.Client:
    with server.session_factory() as session:
        account_service.create_user(
            session, username=username, password="boss-pass-123", role="national"
        )
    client = httpx.Client(base_url=server.url, timeout=120)
    token = _csrf(client.get("/login").text)
    client.post(
        "/login",
        data={"username": username, "password": "boss-pass-123", "csrf_token": token, "next": "/"},
    )
    return client


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _upload(client: httpx.Client, data: bytes, token: str | None = None) -> httpx.Response:
    token = token or _csrf(client.get("/admin/import").text)
    return client.post(
        "/admin/import",
        data={"csrf_token": token, "kind": "enterprises"},
        files={"file": ("enterprises.csv", data, "text/csv")},
    )


def test_two_imports_at_once_both_finish_one_after_the_other(live_server, registry, wait_seconds):
    wait_seconds(120)
    clients = [_admin_client(live_server, f"boss{i}") for i in range(2)]
    responses: dict[int, httpx.Response] = {}
    finished: dict[int, float] = {}

    def run(i: int) -> None:
        responses[i] = _upload(clients[i], registry)
        finished[i] = time.monotonic()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.2)
    for thread in threads:
        thread.join(timeout=180)
    assert [responses[i].status_code for i in range(2)] == [200, 200]
    summaries = {re.search(r"导入完成：[^<]*", responses[i].text).group(0) for i in range(2)}
    # one created the 20,000 units, the other found them all unchanged: they ran in turn
    assert summaries == {
        "导入完成：共 20000 行数据，新增 20000 条，更新 0 条，未变化 0 条。",
        "导入完成：共 20000 行数据，新增 0 条，更新 0 条，未变化 20000 条。",
    }
    with live_server.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Enterprise)) == 20000


def test_an_import_that_cannot_wait_gets_a_409_at_once(live_server, registry, wait_seconds):
    wait_seconds(0.5)
    client = _admin_client(live_server, "boss")
    token = _csrf(client.get("/admin/import").text)
    with live_server.session_factory() as session, exclusive_import(session):
        # Like a running import, hold SQLite's write lock: every other request that opens a
        # transaction queues behind it, so the 409 must come before the user is even loaded.
        session.execute(text("UPDATE user_account SET display_name = display_name"))
        started = time.monotonic()
        response = _upload(client, registry, token)
        waited = time.monotonic() - started
    assert response.status_code == 409 and BUSY_MESSAGE in response.text
    assert waited < 5
    assert _upload(client, registry[:2000].rsplit(b"\n", 1)[0]).status_code == 200
