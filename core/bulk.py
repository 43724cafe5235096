"""Bulk reads and writes for importers: few round trips, no per-row ORM objects.

Importers load the keys they need in a few ``IN`` queries, decide in Python what is new,
changed or unchanged, and write with one ``executemany`` per kind of statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Row, Select, Table, bindparam, insert, update
from sqlalchemy.orm import Session

# SQLite allows 32,766 bound parameters per statement; stay well below on every backend.
IN_CHUNK = 5000


def select_in_chunks(
    session: Session, make_stmt: Callable[[list[Any]], Select], values: Iterable[Any]
) -> list[Row]:
    """Rows of ``make_stmt(chunk)`` for each chunk of ``values`` (for ``col.in_(chunk)``)."""
    unique = list(dict.fromkeys(values))
    rows: list[Row] = []
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
