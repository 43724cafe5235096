"""The import pipeline every importer runs: parse, check every row, report, write once.

1. Parse: ``core.tabular`` reads the file into ``Row(line, values)`` (``open_table`` streams,
   ``read_table`` returns a list for small files) and refuses a wrong header or an unreadable file.
2. Check: the importer's function looks at each row and gives the reasons it is bad.
3. Report: every reason becomes ``第N行: 原因`` in an ``ImportReport`` (``core.import_report``).
4. Write: nothing while a row is bad (unless ``skip_invalid``); else the good rows in one
   transaction, and a row changed by someone else meanwhile is a ``Conflict`` with nothing written.

Two runners share these steps. ``run_import`` is for files of national size (registry, courses,
training records): importers load the keys they need in a few ``IN`` queries, decide in Python
what is new, changed or unchanged, and write with one ``executemany`` per kind of statement,
checking the whole file in a read-only transaction first so the write itself is short.
``import_rows`` is for the small files whose writes need the ORM and side effects (question
bank, class rosters): check every row, then hand the good ones to the importer's ``write``.
"""

from __future__ import annotations

import logging
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any, BinaryIO, TypeVar

from sqlalchemy import Connection, Dialect, Select, Table, text
from sqlalchemy.engine import Row as DbRow
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db import begin_read_only
from core.errors import Conflict
from core.tabular import ImportReport, Row, RowError
from core.tabular import Table as FileTable

logger = logging.getLogger(__name__)

T = TypeVar("T")

# SQLite allows 32,766 bound parameters per statement; stay well below on every backend.
IN_CHUNK = 5000


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items (``itertools.batched`` before Python 3.12)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def select_in_chunks(
    session: Session, make_stmt: Callable[[list[Any]], Select], values: Iterable[Any]
) -> list[DbRow]:
    """Rows of ``make_stmt(chunk)`` for each chunk of ``values`` (for ``col.in_(chunk)``)."""
    unique = list(dict.fromkeys(values))
    rows: list[DbRow] = []
    with _custom_plans(session):
        for start in range(0, len(unique), IN_CHUNK):
            rows.extend(session.execute(make_stmt(unique[start : start + IN_CHUNK])).all())
    return rows


@contextmanager
def _custom_plans(session: Session) -> Iterator[None]:
    """On PostgreSQL, plan each lookup for its own keys and the table as it is now.

    psycopg prepares a statement on the server once it has run a few times, and PostgreSQL may
    then keep a generic plan made without the values. One made while the table was empty (a
    first import checks its rows against an empty registry) scans the whole table comparing
    every row with the 5,000 keys one by one: 5–14 s per lookup on 100,000 units, where the
    planned lookup takes 10 ms. Set back afterwards (an error rolls the setting back anyway).
    """
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    previous = session.execute(text("SELECT current_setting('plan_cache_mode')")).scalar_one()
    session.execute(text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)"))
    yield
    session.execute(text("SELECT set_config('plan_cache_mode', :mode, true)"), {"mode": previous})


# Rows validated per round: bounds memory on national-scale files.
CHUNK_ROWS = 20_000

Writes = list[tuple[Table, list[dict[str, Any]], list[dict[str, Any]]]]


class _StaleRows(Exception):
    """An update found fewer rows than were read while checking (deleted meanwhile)."""


def run_import(
    session: Session,
    report: ImportReport,
    rows: Iterable[Row],
    process: Callable[[list[Row]], Writes],
    *,
    problems: Sequence[RowError] = (),
    conflict_message: str = "导入时数据已被其他操作修改，请重新导入",
    chunk_rows: int | None = None,
) -> ImportReport:
    """Run an all-or-nothing import: check every row first, then write it all in one short step.

    ``process(chunk)`` validates ``chunk_rows`` rows, records bad lines and counts in ``report``
    and returns what to write: ``[(table, inserts, updates), …]`` (it only reads).

    Checking runs in a read-only transaction, which on SQLite takes no lock that others wait
    for. What to write is turned into the driver's parameters as it comes and spooled to a
    temporary file (memory stays bounded on national-scale files). Then one transaction replays
    the spool with plain executemany: on SQLite the only time the import holds the database's
    write lock (about a second per 100,000 rows), so questions, contest answers and pages wait
    at most that long for it (issue 10, finding 14; before, the lock was held for the whole
    import, 23 s for 300,000 rows).

    Without ``report.skip_invalid`` a bad line anywhere means nothing is written and the report
    says so. ``problems`` (rows the reader could not split, filled in while reading) are added
    at the end. A row inserted or removed by someone else between the check and the write is a
    ``Conflict`` with ``conflict_message``, and nothing is written.
    """
    # End the caller's transaction (it may hold SQLite's write lock) so the check starts clean.
    session.commit()
    with tempfile.TemporaryFile(prefix="permithub-import-") as spool:
        begin_read_only(session)
        try:
            batches = _check(session, report, rows, process, problems, chunk_rows, spool)
        finally:
            session.commit()  # a read: releases the snapshot
        report.errors.extend(problems)
        report.total += len(problems)
        if report.errors and not report.skip_invalid:
            report.created = report.updated = report.unchanged = 0
            return report
        started, cpu = time.perf_counter(), time.process_time()
        _write(session, spool, batches, report, conflict_message)
    logger.debug(
        "%s: wrote in %.2f s (CPU %.2f s)",
        report.kind,
        time.perf_counter() - started,
        time.process_time() - cpu,
    )
    report.written = True
    return report


def import_rows(
    session: Session,
    report: ImportReport,
    table: FileTable,
    check: Callable[[Row], tuple[T | None, list[str]]],
    write: Callable[[list[T]], None],
    *,
    conflict_message: str = "导入时数据已被其他操作修改，请重新导入",
) -> ImportReport:
    """Run a small import: check every row of ``table``, then write the good ones in one go.

    ``check(row)`` returns the row's parsed value and the reasons it is bad (an empty list when
    it is good); each reason is reported as ``第N行: 原因``, with the rows the reader could not
    split. Without ``report.skip_invalid`` one bad row means ``write`` is never called. Else
    ``write(values)`` adds the good rows (it may count them in ``report``) and the transaction is
    committed; a unique key someone else took meanwhile is a ``Conflict``, with nothing written.
    """
    report.errors.extend(table.problems)
    report.total += len(table.problems)
    good: list[T] = []
    for row in table.rows:
        report.total += 1
        value, reasons = check(row)
        for reason in reasons:
            report.add_error(row.line, reason)
        if not reasons:
            good.append(value)
    if report.errors and not report.skip_invalid:
        return report
    try:
        write(good)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(conflict_message) from None
    except BaseException:
        session.rollback()
        raise
    report.written = True
    return report


def _check(
    session: Session,
    report: ImportReport,
    rows: Iterable[Row],
    process: Callable[[list[Row]], Writes],
    problems: Sequence[RowError],
    chunk_rows: int | None,
    spool: BinaryIO,
) -> int:
    """Validate every chunk, spooling its writes while the import can still succeed; returns
    the number of statements spooled."""
    dialect = session.get_bind().dialect
    batches = 0
    for chunk in batched(rows, chunk_rows or CHUNK_ROWS):
        writes = process(chunk)
        if (report.errors or problems) and not report.skip_invalid:
            continue  # nothing will be written; keep checking to report every bad line
        for table, inserts, updates in writes:
            for batch in (
                _insert_batch(dialect, table, inserts),
                _update_batch(dialect, table, updates),
            ):
                if batch is not None:
                    pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
                    batches += 1
    return batches


def _write(
    session: Session, spool: BinaryIO, batches: int, report: ImportReport, conflict_message: str
) -> None:
    """Replay the spooled statements in one transaction and commit."""
    spool.seek(0)
    try:
        connection = session.connection()
        with _roomy_page_cache(connection):
            for _ in range(batches):
                sql, params, expected = pickle.load(spool)
                result = connection.exec_driver_sql(sql, params)
                if expected is not None and result.rowcount != expected:
                    raise _StaleRows
        session.commit()
    except (IntegrityError, _StaleRows) as exc:
        session.rollback()
        logger.warning("%s import failed: %r", report.kind, exc)
        raise Conflict(conflict_message) from None
    except BaseException:
        session.rollback()
        raise


# SQLite's page cache while an import writes (its default is 2 MB): room for the index pages that
# 100,000 rows touch, which otherwise spill to the WAL again and again (a quarter of the CPU time
# of the write). Set back before the commit, so pooled connections keep the default.
WRITE_CACHE_KIB = 64 * 1024


@contextmanager
def _roomy_page_cache(connection: Connection) -> Iterator[None]:
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(previous)}")


# ---- statements the driver runs as they are -------------------------------------------------
#
# SQLAlchemy's executemany converts each value on every call (dates, booleans, UTC datetimes)
# and fills Python-side defaults; for 100,000 rows that is seconds. The import does the same
# conversions while checking, and the write step hands ready tuples to the driver.

Batch = tuple[str, list[tuple[Any, ...]], int | None]  # SQL, parameters, rows it must touch


def _insert_batch(dialect: Dialect, table: Table, rows: Sequence[dict[str, Any]]) -> Batch | None:
    if not rows:
        return None
    columns, fill = _columns_and_defaults(table, list(rows[0]), update=False)
    mark = _placeholder(dialect)
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(mark for _ in columns)})"
    )
    return sql, _parameters(dialect, table, columns, rows, fill), None


def _update_batch(
    dialect: Dialect, table: Table, rows: Sequence[dict[str, Any]], *, key: str = "id"
) -> Batch | None:
    if not rows:
        return None
    columns, fill = _columns_and_defaults(table, [c for c in rows[0] if c != key], update=True)
    mark = _placeholder(dialect)
    quote = dialect.identifier_preparer.quote
    sql = (
        f"UPDATE {dialect.identifier_preparer.format_table(table)} "
        f"SET {', '.join(f'{quote(c)} = {mark}' for c in columns)} WHERE {quote(key)} = {mark}"
    )
    return sql, _parameters(dialect, table, [*columns, key], rows, fill), len(rows)


def _columns_and_defaults(
    table: Table, given: list[str], *, update: bool
) -> tuple[list[str], dict[str, Any]]:
    """The columns to write: the rows' own, plus those whose Python-side default (or, for an
    update, ``onupdate``) SQLAlchemy would have filled in, with that value."""
    fill: dict[str, Any] = {}
    for column in table.columns:
        default = column.onupdate if update else column.default
        if column.key in given or default is None:
            continue
        if default.is_scalar:
            fill[column.key] = default.arg
        elif default.is_callable:
            fill[column.key] = default.arg(
                None
            )  # SQLAlchemy wraps plain callables to take a context
    return [*given, *fill], fill


def _parameters(
    dialect: Dialect,
    table: Table,
    columns: list[str],
    rows: Sequence[dict[str, Any]],
    fill: dict[str, Any],
) -> list[tuple[Any, ...]]:
    """Each row's values in ``columns`` order, converted as SQLAlchemy would for ``dialect``."""
    steps = [
        (column, table.c[column].type.dialect_impl(dialect).bind_processor(dialect))
        for column in columns
    ]
    parameters = []
    for row in rows:
        values = {**fill, **row} if fill else row
        parameters.append(
            tuple(values[c] if to_db is None else to_db(values[c]) for c, to_db in steps)
        )
    return parameters


def _placeholder(dialect: Dialect) -> str:
    # psycopg and psycopg2 ("pyformat") take positional %s as well as named parameters.
    return "?" if dialect.paramstyle == "qmark" else "%s"
