"""Seeding the synonym dictionary from a migration: the vocabulary revisions share these two steps.

They work on the bare ``synonym`` table, not the ORM model, so an old revision keeps running as it
was written whatever the model becomes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

_SYNONYM = sa.table(
    "synonym",
    sa.column("term", sa.String),
    sa.column("canonical", sa.String),
    sa.column("created_at", sa.DateTime),
)


def add_synonyms(pairs: Sequence[tuple[str, str]]) -> None:
    """Insert the (term, canonical) pairs whose term the dictionary lacks: an entry an admin has
    already made for the term stays as it is."""
    existing = {row[0] for row in op.get_bind().execute(sa.text("SELECT term FROM synonym"))}
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = [
        {"term": term, "canonical": canonical, "created_at": now}
        for term, canonical in pairs
        if term not in existing
    ]
    if rows:
        op.bulk_insert(_SYNONYM, rows)


def remove_synonyms(pairs: Sequence[tuple[str, str]]) -> None:
    """Delete only the rows a revision wrote: an admin's own entry for the same term stays."""
    for term, canonical in pairs:
        op.execute(
            sa.text("DELETE FROM synonym WHERE term = :t AND canonical = :c").bindparams(
                t=term, c=canonical
            )
        )


def retarget_synonyms(changes: Sequence[tuple[str, str, str]]) -> None:
    """Point each (term, old canonical, new canonical) at its new wording, only where the row
    still holds what an earlier revision wrote: an admin's own wording stays."""
    for term, old, new in changes:
        op.execute(
            sa.text("UPDATE synonym SET canonical = :new WHERE term = :t AND canonical = :old")
            .bindparams(t=term, old=old, new=new)
        )
