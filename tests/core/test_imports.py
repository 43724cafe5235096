"""One import at a time: across processes through the database guard, re-entrant per session;
and the saved error lists."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.config import get_settings
from core.enterprises.importer import ENTERPRISE_COLUMNS, import_enterprises
from core.enterprises.models import Enterprise
from core.errors import Conflict, NotFound
from core.imports import (
    BUSY_MESSAGE,
    digest,
    error_list_path,
    exclusive_import,
    save_error_list,
)
from core.tabular import ImportReport

ROOT = Path(__file__).resolve().parents[2]
ROW = (
    "91350200868344975W,厦门德泰造纸有限公司,福建省,厦门市,350200,造纸,登记管理,有效,崔浩,"
    "2015-11-18"
)
REGISTRY = (",".join(ENTERPRISE_COLUMNS) + "\n" + ROW + "\n").encode()

# Another worker process: takes the import lock on the same database and holds it until its
# standard input closes.
HOLDER = """
import sys
from sqlalchemy.orm import Session
from core.db import make_engine
from core.imports import exclusive_import
engine = make_engine(sys.argv[1])
with Session(engine) as session, exclusive_import(session):
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def wait_seconds(monkeypatch):
    def _set(seconds: float) -> None:
        monkeypatch.setenv("PERMITHUB_IMPORT_WAIT_SECONDS", str(seconds))
        get_settings.cache_clear()

    yield _set
    monkeypatch.delenv("PERMITHUB_IMPORT_WAIT_SECONDS", raising=False)
    get_settings.cache_clear()


@pytest.fixture
def other_worker(engine):
    """A second process holding the import lock of the test database."""
    url = engine.url.render_as_string(hide_password=False)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    yield holder
    if holder.poll() is None:
        holder.stdin.close()
        holder.wait(timeout=10)


def _units(session) -> int:
    return session.scalar(select(func.count()).select_from(Enterprise))


def test_an_import_while_another_worker_imports_gets_a_409_after_its_wait(
    session, other_worker, wait_seconds
):
    wait_seconds(0.5)
    started = time.monotonic()
    with pytest.raises(Conflict, match=BUSY_MESSAGE):
        import_enterprises(session, REGISTRY, filename="units.csv")
    assert 0.5 <= time.monotonic() - started < 5
    assert _units(session) == 0


def test_a_second_import_waits_its_turn_and_then_runs(session, other_worker, wait_seconds):
    wait_seconds(30)
    threading.Timer(1.0, other_worker.stdin.close).start()  # the other import ends after 1 s
    started = time.monotonic()
    report = import_enterprises(session, REGISTRY, filename="units.csv")
    assert report.written and report.created == 1
    assert 0.9 <= time.monotonic() - started < 20


def test_the_lock_is_reentrant_for_one_session(session, wait_seconds):
    wait_seconds(0)
    with exclusive_import(session):
        report = import_enterprises(session, REGISTRY, filename="units.csv")
    assert report.created == 1
    with exclusive_import(session):  # released: taken again at once
        pass


def test_error_lists_belong_to_their_owner_and_hold_every_line():
    report = ImportReport(kind="排污单位")
    for line in range(2, 502):
        report.add_error(line, "省份不能为空")
    errors = digest(report, owner_id=7)
    assert len(errors.lines) == 100 and errors.total == 500 and errors.truncated
    path = error_list_path(errors.token, owner_id=7)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == report.summary() and lines[2] == "第2行: 省份不能为空" and len(lines) == 502
    with pytest.raises(NotFound):
        error_list_path(errors.token, owner_id=8)
    with pytest.raises(NotFound):
        error_list_path("../../secret_key", owner_id=7)


def test_a_short_report_is_shown_whole_and_saves_nothing():
    report = ImportReport()
    report.add_error(3, "日期无效")
    errors = digest(report, owner_id=1)
    assert errors.lines == ["第3行: 日期无效"] and errors.token is None and not errors.truncated


def test_old_error_lists_are_removed_when_a_new_one_is_saved():
    report = ImportReport()
    report.add_error(3, "日期无效")
    old = error_list_path(save_error_list(report, owner_id=1), owner_id=1)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    save_error_list(report, owner_id=1)
    assert not old.exists()
