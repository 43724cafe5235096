"""A clean PostgreSQL schema for a test session (the suite and the API fuzzing)."""

from __future__ import annotations

from sqlalchemy import text

from core.db import make_engine


def reset_postgres(url: str) -> None:
    """Drop and recreate the ``public`` schema of the database at ``url``."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
