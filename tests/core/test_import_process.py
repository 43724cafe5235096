"""Big imports run in a child process: the rows it writes, the errors it raises and the lock it
runs under are the server's, and small files or test transactions stay in the server process."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db import make_engine, upgrade_database
from core.enterprises.importer import ENTERPRISE_COLUMNS, import_enterprises
from core.enterprises.models import Enterprise
from core.errors import Conflict, Invalid, Unavailable
from core.import_process import CHILD_FAILED, run_import_file
from core.imports import exclusive_import
from core.tabular import ImportReport

ROWS = (
    "91350200868344975W,厦门德泰造纸有限公司,福建省,厦门市,350200,造纸,登记管理,有效,崔浩,2015-11-18",
)
REGISTRY = (",".join(ENTERPRISE_COLUMNS) + "\n" + "\n".join(ROWS) + "\n").encode()


def report_pid(session: Session, data: bytes, **options) -> ImportReport:
    """An importer that says which process ran it (in ``total``)."""
    report = ImportReport(kind="pid")
    report.total = os.getpid()
    return report


def crash(session: Session, data: bytes, **options) -> ImportReport:
    """An importer whose process dies (as one killed for lack of memory would)."""
    os._exit(3)


@pytest.fixture
def child_from_kb(configure):
    """Files of at least ``kb`` KB go to a child process."""
    return lambda kb: configure(import_child_process_min_kb=kb)


@pytest.fixture
def file_session(tmp_path):
    """A session on a migrated SQLite file of its own, bound to the engine as the server's are."""
    url = f"sqlite:///{tmp_path / 'import.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def test_a_big_file_is_imported_by_a_child_and_its_rows_are_seen_here(file_session, child_from_kb):
    child_from_kb(0)
    assert run_import_file(report_pid, file_session, REGISTRY).total != os.getpid()

    report = run_import_file(import_enterprises, file_session, REGISTRY, filename="units.csv")

    assert report.written and report.created == 1
    assert file_session.scalar(select(func.count()).select_from(Enterprise)) == 1


def test_an_error_in_the_child_reaches_the_caller_as_raised(file_session, child_from_kb):
    child_from_kb(0)
    with pytest.raises(Invalid) as raised:
        run_import_file(import_enterprises, file_session, b"name,city\nx,y\n", filename="u.csv")
    with pytest.raises(Invalid) as in_process:
        import_enterprises(file_session, b"name,city\nx,y\n", filename="u.csv")
    assert raised.value.message == in_process.value.message
    assert raised.value.details == in_process.value.details


def test_a_big_import_takes_the_import_lock_like_any_other(file_session, configure):
    configure(import_child_process_min_kb=0, import_wait_seconds=0)
    started, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        with Session(file_session.get_bind()) as other, exclusive_import(other):
            started.set()
            release.wait(30)

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        started.wait(30)
        with pytest.raises(Conflict):
            run_import_file(import_enterprises, file_session, REGISTRY, filename="units.csv")
    finally:
        release.set()
        holder.join()


def test_small_files_and_test_transactions_stay_in_this_process(
    file_session, session, child_from_kb
):
    child_from_kb(1)
    assert run_import_file(report_pid, file_session, REGISTRY).total == os.getpid()
    child_from_kb(0)
    # ``session`` is joined to a transaction the test rolls back: a child could not see it
    assert run_import_file(report_pid, session, REGISTRY).total == os.getpid()


def test_a_child_that_dies_is_a_503_and_nothing_is_written(file_session, child_from_kb):
    child_from_kb(0)
    with pytest.raises(Unavailable) as raised:
        run_import_file(crash, file_session, REGISTRY)
    assert raised.value.message == CHILD_FAILED and raised.value.status_code == 503
    assert file_session.scalar(select(func.count()).select_from(Enterprise)) == 0
