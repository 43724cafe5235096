"""Database engine, sessions and the declarative base shared by every domain."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from core.bounds import MAX_ID
from core.config import get_settings
from core.errors import NotFound

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base; one ``MetaData`` with a naming convention so Alembic names are stable."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on both backends (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        if value is not None and dialect.name == "sqlite":
            value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and working SAVEPOINTs."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; take over BEGIN ourselves
    # (the recipe from SQLAlchemy's SQLite dialect documentation).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    # IMMEDIATE takes the write lock up front. A deferred transaction that reads first and
    # writes later fails at once with SQLITE_BUSY_SNAPSHOT (busy_timeout does not help) when
    # another connection committed in between — the normal read-then-write of every service.
    # A transaction begun by ``begin_read_only`` never writes, so it needs no lock: in WAL mode
    # a reader blocks nobody (an import checking 100,000 rows must not hold up every request).
    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


# Execution option marking a connection whose transaction only reads (see ``begin_read_only``).
READ_ONLY = "permithub_read_only"


def begin_read_only(session: Session) -> None:
    """Begin the session's next transaction as one that only reads; end it before writing.

    On SQLite it then takes no lock that writers wait for; elsewhere it changes nothing. Call
    it when the session has no transaction open (after a commit).
    """
    session.connection(execution_options={READ_ONLY: True})


def end_read(session: Session) -> None:
    """End a transaction that only read (``begin_read_only``), keeping what it loaded."""
    session.commit()  # nothing to write: with expire_on_commit=False the objects stay loaded


@contextmanager
def reading(session: Session) -> Iterator[None]:
    """Run the block in a read-only transaction of its own (``begin_read_only``) ended after it,
    or, when the caller already has one open, in the caller's transaction."""
    own = not session.in_transaction()
    if own:
        begin_read_only(session)
    yield
    if own:
        end_read(session)


_engine_override: Engine | None = None


@lru_cache
def _configured_engine() -> Engine:
    return make_engine(get_settings().sqlalchemy_url)


def get_engine() -> Engine:
    """The process-wide engine: the configured database, unless ``use_engine`` replaced it."""
    return _engine_override or _configured_engine()


def use_engine(engine: Engine | None) -> None:
    """Point every ``SessionLocal()`` of this process at ``engine`` (tests, benches).

    ``None`` resets it.
    """
    global _engine_override
    _engine_override = engine
    _session_factory.cache_clear()


@lru_cache
def _session_factory() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


def SessionLocal() -> Session:  # noqa: N802 - reads like the usual sessionmaker name
    """A new session on the configured database."""
    return _session_factory()()


async def get_session() -> AsyncIterator[Session]:
    """FastAPI dependency: one session per request.

    Made and closed on the event loop rather than in worker threads (a plain generator costs two
    thread-pool hops per request): making a session opens no connection, and a plain handler has
    already ended its transaction in its own thread (``core.deps.RequestSessionRoute``), so
    closing only hands the connection back to the pool.
    """
    session = SessionLocal()
    try:
        yield session
    finally:
        session.close()


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session for scripts and the CLI; rolled back if the block raises."""
    with SessionLocal() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise


def migrations_dir() -> Path:
    """The Alembic script folder shipped with the package."""
    import migrations

    return Path(migrations.__file__).parent


def alembic_config(url: str | None = None):
    """An Alembic ``Config`` pointing at our migrations and the given (or configured) database."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("version_locations", str(migrations_dir() / "versions"))
    cfg.attributes["database_url"] = url or get_settings().sqlalchemy_url
    return cfg


def upgrade_database(url: str | None = None) -> None:
    """Create or migrate the schema to the newest revision of every branch (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(url), "heads")


Row = TypeVar("Row")


def get_or_404(
    session: Session,
    model: type[Row],
    object_id: int,
    message: str,
    *,
    allowed: Callable[[Row], bool] | None = None,
) -> Row:
    """The ``model`` row with this id, else ``NotFound(message)``.

    An id no column can hold (0, negative, beyond 32 bits) is absent, not a database overflow;
    a row ``allowed`` refuses (another person's, outside the caller's region) is absent too, so
    ids cannot be probed.
    """
    found = session.get(model, object_id) if 1 <= object_id <= MAX_ID else None
    if found is None or (allowed is not None and not allowed(found)):
        raise NotFound(message)
    return found
