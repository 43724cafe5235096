"""Big imports run in a child process, so the server's other requests keep the interpreter.

An import checks every row in Python: seconds of CPU for 100,000 units. In the server's own
process it shares the interpreter lock with every question, contest save and page, and on a
single-worker SQLite installation a question asked meanwhile waited up to 3.5 s
(``bench/mixed_load.py --backend sqlite --import-rows 100000``; issue 10 asks for at most 2 s).
A child process checks on the machine's other core; the request thread only waits for its
report. The child writes through its own connection, so the caller's transaction is ended first
(on SQLite it may hold the write lock), and the import lock is taken here, in the server, for
the child's whole run.

Files under ``PERMITHUB_IMPORT_CHILD_PROCESS_MIN_KB`` stay in the server process (a child takes
about a second to start), as do sessions joined to an outer connection's transaction (tests):
another process cannot see what such a transaction has not committed.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from core.config import get_settings
from core.errors import Unavailable
from core.imports import exclusive_import, mark_import_lock_held
from core.tabular import ImportReport

Importer = Callable[..., ImportReport]

CHILD_FAILED = "导入进程意外退出（可能是内存不足），没有写入任何数据，请检查文件后重试"


def run_import_file(
    importer: Importer, session: Session, data: bytes, **options: Any
) -> ImportReport:
    """``importer(session, data, **options)``, in a child process when the file is big.

    ``importer`` is a module-level importer function (it is sent to the child by name). Domain
    errors raised in the child (a wrong header, a conflict) reach the caller as they were raised.
    """
    url = _shareable_url(session)
    if url is None or len(data) < get_settings().import_child_process_min_kb * 1024:
        return importer(session, data, **options)
    with exclusive_import(session):
        session.commit()  # the child writes on its own connection: release SQLite's write lock
        context = multiprocessing.get_context("spawn")  # no copy of the server's threads or locks
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            try:
                return pool.submit(_import_in_child, importer, url, data, options).result()
            except BrokenProcessPool:
                raise Unavailable(CHILD_FAILED) from None


def _shareable_url(session: Session) -> str | None:
    """The database URL another process can open for this session's work, if there is one."""
    if isinstance(session.bind, Connection):
        return None  # joined to an outer transaction: its uncommitted rows are invisible elsewhere
    engine = session.get_bind().engine
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return None
    return engine.url.render_as_string(hide_password=False)


def _import_in_child(importer: Importer, url: str, data: bytes, options: dict) -> ImportReport:
    from core.db import make_engine

    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            mark_import_lock_held(session)  # the server holds it for this child's whole run
            return importer(session, data, **options)
    finally:
        engine.dispose()
