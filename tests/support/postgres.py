"""A clean PostgreSQL schema for a test session (the suite and the API fuzzing)."""

from __future__ import annotations

import os

from sqlalchemy import make_url, text

from core.db import make_engine


def reset_postgres(url: str) -> None:
    """Drop and recreate the ``public`` schema of the database at ``url``."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def database_of_this_worker(url: str) -> str:
    """The database this test process may use: ``url`` itself, or under pytest-xdist a sibling
    database per worker (``permithub_test_gw1``), created on first use, so that two workers
    never reset or migrate the schema the other is testing on."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = make_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)
