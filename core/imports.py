"""Running imports: one at a time across threads, worker processes and hosts; their error lists.

One import at a time
    An import reads a file and writes it in one transaction (the registry, course and training
    importers check every row first and hold SQLite's write lock only while they write, see
    ``core.bulk.run_import``). Two at once used to end in
    "database is locked" after SQLite's 30 s busy timeout (a 500). Every import entry point
    (``@one_import_at_a_time`` on the importers, ``ImportSlot`` on the upload routes) now takes
    a process-wide lock and a database-level guard that every worker sees: a PostgreSQL
    advisory lock held on its own connection, or on SQLite an exclusive ``flock`` on a file
    next to the database (SQLite databases are always local to their workers). A second import
    waits up to ``PERMITHUB_IMPORT_WAIT_SECONDS`` for its turn, then gets a 409
    "另一个导入正在进行，请稍后再试" — before it has read or written anything.

    Upload routes take the lock in a route dependency, before the user is loaded: on SQLite
    every transaction begins with ``BEGIN IMMEDIATE`` and would otherwise queue behind the
    running import's write lock. The lock is re-entrant per session, so the importer
    called by such a route does not wait for itself.

Error lists
    A report with more bad lines than the page shows (``PERMITHUB_IMPORT_ERRORS_SHOWN``) has its
    full list written to ``DATA_DIR/import-errors/`` for download by the admin who imported;
    lists older than a day are removed when a new one is written.
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

from fastapi import Depends
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from core.config import get_settings
from core.db import get_session
from core.errors import Conflict, NotFound
from core.tabular import ImportReport

logger = logging.getLogger(__name__)

BUSY_MESSAGE = "另一个导入正在进行，请稍后再试"
_PROCESS_LOCK = threading.Lock()
_HELD = "permithub.import_lock_held"  # key in Session.info
_ADVISORY_KEY = 0x7065726D6974  # "permit": the one advisory lock PermitHub takes
_POLL_SECONDS = 0.1

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def exclusive_import(session: Session) -> Iterator[None]:
    """Hold the import lock for the block; a second import waits, then gets ``Conflict`` (409)."""
    if session.info.get(_HELD):
        yield
        return
    deadline = time.monotonic() + get_settings().import_wait_seconds
    if not _PROCESS_LOCK.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise Conflict(BUSY_MESSAGE)
    try:
        with _database_guard(_engine_of(session), deadline):
            session.info[_HELD] = True
            try:
                yield
            finally:
                session.info.pop(_HELD, None)
    finally:
        _PROCESS_LOCK.release()


def mark_import_lock_held(session: Session) -> None:
    """Say that the lock is held for ``session``'s import by its caller (a parent process)."""
    session.info[_HELD] = True


def one_import_at_a_time(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate an importer whose first argument is the session: it runs under the lock."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        session = args[0] if args else kwargs["session"]
        with exclusive_import(session):  # type: ignore[arg-type]
            return func(*args, **kwargs)

    return wrapper


def _import_slot(session: Annotated[Session, Depends(get_session)]) -> Iterator[None]:
    with exclusive_import(session):
        yield


# On upload routes, list it in ``dependencies=[CsrfChecked, ImportSlot]``: it must run before the
# user is loaded (see the module docstring).
ImportSlot = Depends(_import_slot)


def _engine_of(session: Session) -> Engine:
    return session.get_bind().engine


@contextmanager
def _database_guard(engine: Engine, deadline: float) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, deadline):
            yield
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        with _file_lock(Path(f"{engine.url.database}.import-lock"), deadline):
            yield
    else:  # an in-memory database lives in one process: the process lock is enough
        yield


@contextmanager
def _advisory_lock(engine: Engine, deadline: float) -> Iterator[None]:
    """A session-level advisory lock on a connection of its own (the import's session commits
    and may change connections; this one stays until the import ends)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        try_lock = text("SELECT pg_try_advisory_lock(:key)")
        while not connection.scalar(try_lock, {"key": _ADVISORY_KEY}):
            if time.monotonic() >= deadline:
                raise Conflict(BUSY_MESSAGE)
            time.sleep(_POLL_SECONDS)
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_KEY})


@contextmanager
def _file_lock(path: Path, deadline: float) -> Iterator[None]:
    import fcntl

    with path.open("a") as handle:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Conflict(BUSY_MESSAGE) from None
                time.sleep(_POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# ---- error lists -----------------------------------------------------------------------------

_ERRORS_DIR = "import-errors"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class ErrorDigest:
    """What a page shows of a report's bad lines: the first few, the count, the full list."""

    lines: list[str]
    total: int
    token: str | None  # the full list, saved when not every line is shown

    @property
    def truncated(self) -> bool:
        """True when the page shows only part of the list."""
        return self.total > len(self.lines)


def digest(report: ImportReport, *, owner_id: int | None) -> ErrorDigest:
    """The first ``PERMITHUB_IMPORT_ERRORS_SHOWN`` bad lines; the full list saved if longer."""
    lines = list(report.error_lines(get_settings().import_errors_shown))
    total = report.bad_line_count
    token = save_error_list(report, owner_id=owner_id) if total > len(lines) else None
    return ErrorDigest(lines, total, token)


def save_error_list(report: ImportReport, *, owner_id: int | None) -> str:
    """Write every ``第N行: 原因`` of ``report`` to a file; returns its download token."""
    folder = get_settings().data_dir / _ERRORS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    _remove_old_lists(folder)
    token = secrets.token_urlsafe(18)
    # UTF-8 with a byte-order mark and CRLF: Windows Notepad shows the Chinese correctly.
    with error_list_path(token, owner_id=owner_id, must_exist=False).open(
        "w", encoding="utf-8-sig", newline="\r\n"
    ) as handle:
        handle.write(report.summary() + "\n\n")
        for line in report.error_lines():
            handle.write(line + "\n")
    return token


def error_list_path(token: str, *, owner_id: int | None, must_exist: bool = True) -> Path:
    """The saved list for ``token``; only its owner's lists are found (NotFound otherwise)."""
    if not _TOKEN.fullmatch(token):
        raise NotFound("错误清单不存在或已过期")
    owner = "cli" if owner_id is None else f"u{owner_id}"
    path = get_settings().data_dir / _ERRORS_DIR / f"{owner}-{token}.txt"
    if must_exist and not path.is_file():
        raise NotFound("错误清单不存在或已过期")
    return path


def _remove_old_lists(folder: Path) -> None:
    cutoff = time.time() - _KEEP_SECONDS
    for path in folder.glob("*.txt"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:  # removed by another worker meanwhile
            logger.debug("could not remove %s", path)


def cli_error_lines(report: ImportReport) -> Iterator[str]:
    """The first bad lines for a terminal and, when there are more, where the full list is."""
    errors = digest(report, owner_id=None)
    yield from errors.lines
    if errors.truncated and errors.token:
        path = error_list_path(errors.token, owner_id=None)
        yield f"……共 {errors.total} 行有误，以上列出前 {len(errors.lines)} 行；完整清单：{path}"
