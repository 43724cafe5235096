"""Bulk reads and writes for importers: few round trips, no per-row ORM objects.

Importers load the keys they need in a few ``IN`` queries, decide in Python what is new,
changed or unchanged, and write with one ``executemany`` per kind of statement.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Select, Table, bindparam, insert, update
from sqlalchemy.engine import Row as DbRow
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import Conflict
from core.tabular import ImportReport, Row, RowError

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
    for start in range(0, len(unique), IN_CHUNK):
        rows.extend(session.execute(make_stmt(unique[start : start + IN_CHUNK])).all())
    return rows


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) with one executemany."""
    if rows:
        session.execute(insert(table), list(rows))


def bulk_update(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, key: str = "id"
) -> None:
    """Update rows identified by ``key`` with one executemany; every dict has the same keys."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != key]
    # Bound names must differ from column names in an UPDATE … SET; prefix them.
    stmt = (
        update(table)
        .where(table.c[key] == bindparam(f"b_{key}"))
        .values({c: bindparam(f"b_{c}") for c in columns})
    )
    params = [{f"b_{k}": v for k, v in row.items()} for row in rows]
    session.connection().execute(stmt, params)


# Rows validated and written per round: bounds memory on national-scale files.
CHUNK_ROWS = 20_000

Writes = list[tuple[Table, list[dict[str, Any]], list[dict[str, Any]]]]


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
    """Run an all-or-nothing import in one transaction, ``chunk_rows`` rows at a time.

    ``process(chunk)`` validates a chunk, records bad lines and counts in ``report`` and returns
    what to write: ``[(table, inserts, updates), …]``. Chunks are written as they come while the
    import can still succeed; without ``report.skip_invalid`` a bad line anywhere rolls back
    everything already written and the report says nothing was imported. ``problems`` (rows the
    reader could not split, filled in while reading) are added at the end.
    """
    wrote = False
    try:
        for chunk in batched(rows, chunk_rows or CHUNK_ROWS):
            writes = process(chunk)
            if report.skip_invalid or not (report.errors or problems):
                for table, inserts, updates in writes:
                    bulk_insert(session, table, inserts)
                    bulk_update(session, table, updates)
                wrote = True
        report.errors.extend(problems)
        report.total += len(problems)
        if report.errors and not report.skip_invalid:
            if wrote:
                session.rollback()
            report.created = report.updated = report.unchanged = 0
            return report
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        logger.warning("%s import failed: %s", report.kind, exc)
        raise Conflict(conflict_message) from None
    except BaseException:
        if wrote:
            session.rollback()
        raise
    report.written = True
    logger.debug("%s", report.summary())
    return report
