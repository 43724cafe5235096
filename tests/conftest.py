"""Shared fixtures: a migrated database per backend, a rolled-back session per test, the app.

The suite runs on SQLite always and, when ``PERMITHUB_TEST_DATABASE_URL`` names a PostgreSQL
database, every database test runs a second time there (the fixture is parametrised).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

# Settings must not pick up a developer's environment or write into ./var.
_TEST_DATA_DIR = Path(os.environ.get("PYTEST_DATA_DIR", "/tmp")) / f"permithub-test-{os.getpid()}"
os.environ["PERMITHUB_DATA_DIR"] = str(_TEST_DATA_DIR)
os.environ["PERMITHUB_SECRET_KEY"] = "test-secret-key-not-for-production"
os.environ.pop("PERMITHUB_DATABASE_URL", None)
os.environ.pop("PERMITHUB_TELEGRAM_TOKEN", None)
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

from core.config import get_settings, normalise_database_url  # noqa: E402
from core.db import get_session, make_engine, upgrade_database  # noqa: E402
from tests.support.postgres import database_of_this_worker, reset_postgres  # noqa: E402
from tests.support.shared import SHARED_MISSING, shared_available  # noqa: E402
from tests.support.web import (  # noqa: E402, F401 - csrf_from, ARTIFACTS: see tests/support/web.py
    ARTIFACTS,
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    LiveServer,
    browser_login,
    csrf_from,
)

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("PERMITHUB_TEST_DATABASE_URL") else [])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``long`` (a minute each) run first: under pytest-xdist the short ones then fill
    in around them, instead of one worker finishing the suite alone with a long test."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked ``needs_shared`` skip, all for the same reason, when ../shared is absent."""
    if item.get_closest_marker("needs_shared") and not shared_available():
        pytest.skip(SHARED_MISSING)


def _postgres_url() -> str:
    url = normalise_database_url(os.environ["PERMITHUB_TEST_DATABASE_URL"])
    return database_of_this_worker(url)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> str:
    """A freshly migrated database for the whole test session, one per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        url = _postgres_url()
        reset_postgres(url)
    upgrade_database(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test.

    Services may ``commit()``: with ``create_savepoint`` that only releases a SAVEPOINT.
    """
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        if transaction.is_active:
            transaction.rollback()
        connection.close()


# One app per worker and settings: FastAPI builds every route's dependency state on an app's
# first request (about half a second for ours), which a fresh app per test paid every time.
_APPS: dict[tuple[tuple[str, str], ...], object] = {}


def _settings_key() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("PERMITHUB_")))


@pytest.fixture
def app(session):
    """The FastAPI app wired to the test's rolled-back session, with nothing left by another test
    (its dependency overrides and ``app.state`` start empty)."""
    from starlette.datastructures import State

    get_settings.cache_clear()
    from web.main import create_app

    key = _settings_key()
    application = _APPS.get(key)
    if application is None:
        application = _APPS[key] = create_app()
    application.dependency_overrides.clear()
    application.state = State()
    application.dependency_overrides[get_session] = lambda: session
    yield application
    application.dependency_overrides.clear()
    application.state = State()


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def make_user(session) -> Callable[..., object]:
    """Create an account: ``make_user("city", province="江苏省", city="苏州市")``."""
    from core.accounts import service

    counter = iter(range(1, 10_000))

    def _make(role: str = "national", password: str = "correct-horse-1", **fields):
        username = fields.pop("username", None) or f"{role}-{next(counter)}"
        return service.create_user(
            session, username=username, password=password, role=role, **fields
        )

    return _make


@pytest.fixture
def auth_headers() -> Callable[[object], dict[str, str]]:
    """Bearer-token headers for a user."""
    from core.security import create_access_token

    return lambda user: {
        "Authorization": f"Bearer {create_access_token(user.id, user.session_version)}"
    }


@pytest.fixture(autouse=True)
def _steady_rate_limit_clock(monkeypatch) -> None:
    """Rate limits count per minute of the clock: hold the clock still, so a test that counts
    three requests never sees its count reset by a minute ending halfway through."""
    import datetime as dt

    now = dt.datetime.now(dt.UTC).replace(second=30, microsecond=0)
    monkeypatch.setattr("core.ratelimit.utcnow", lambda: now)


@pytest.fixture
def configure(monkeypatch) -> Iterator[Callable[..., None]]:
    """Change settings for one test: ``configure(chat_rate_per_minute=2)``."""

    def _set(**values) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"PERMITHUB_{name.upper()}", str(value))
        get_settings.cache_clear()

    yield _set
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def login(client) -> Callable[[str, str], None]:
    """Log the test client in through the login form (session cookie and CSRF)."""
    import re

    def _login(username: str, password: str = "correct-horse-1") -> None:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token, "next": "/"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text

    return _login


@pytest.fixture
def live_server(tmp_path) -> Iterator[LiveServer]:
    """A running server on a fresh SQLite database, seeded via ``live_server.session_factory()``."""
    server = LiveServer(tmp_path / "live.db")
    server.start()
    try:
        yield server
    finally:
        server.stop()


BROWSER_TIMEOUT_MS = 60_000


@pytest.fixture
def browser_page():
    """A page in headless Debian Chromium driven by playwright (no browser download)."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"{CHROMIUM_PATH} is missing: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        # Generous: these tests check what pages do, not how fast (speed lives in bench/). On a
        # two-core CI machine a navigation has once taken over 15 s late in a full run.
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        try:
            yield page
        finally:
            context.close()
            browser.close()
