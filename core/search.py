"""Text search in SQL: what people type is matched literally, never as a LIKE pattern.

``q=%`` or ``q=_`` used to match every row: ``%`` and ``_`` are LIKE's wildcards. Every search
builds its condition with ``contains`` so they (and the escape character) are escaped.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

ESCAPE = "\\"


def escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards and the escape character escaped."""
    return text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def contains(
    column: InstrumentedAttribute | ColumnElement, text: str, *, ignore_case: bool = False
) -> ColumnElement[bool]:
    """``column`` contains ``text`` (LIKE ``%text%`` with the wildcards in ``text`` escaped).

    ``ignore_case`` uses ILIKE; plain LIKE is already case-insensitive for ASCII on SQLite and
    case-sensitive on PostgreSQL.
    """
    pattern = f"%{escape_like(text)}%"
    if ignore_case:
        return column.ilike(pattern, escape=ESCAPE)
    return column.like(pattern, escape=ESCAPE)
