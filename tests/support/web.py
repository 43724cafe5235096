"""Helpers for page tests: the CSRF token of a page, a live server and a headless browser."""

from __future__ import annotations

import gc
import re
import threading
from pathlib import Path

from sqlalchemy.orm import Session

from core.config import get_settings
from core.db import make_engine, upgrade_database
from web.main import WARM_UP_THREAD


def app_warm_up_finished(timeout: float = 120) -> None:
    """Wait for the app's start-up warm-up thread (it loads the encoder and the index), then
    collect the garbage earlier tests left.

    A test that measures ``time.process_time()`` calls this first: that clock counts every
    thread of the process, loading the encoder took 2.5–4 s of CPU in a worker of ``make test``,
    and a full collection of what earlier tests left would be counted too.
    """
    for thread in threading.enumerate():
        if thread.name == WARM_UP_THREAD:
            thread.join(timeout)
    gc.collect()


def csrf_from(html: str) -> str:
    """The CSRF token in a rendered page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


# --- A real server and a real browser -------------------------------------------------------

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class LiveServer:
    """A uvicorn server in a thread on loopback, on its own migrated SQLite database."""

    def __init__(self, database_path: Path) -> None:
        import socket

        self.database_url = f"sqlite:///{database_path}"
        upgrade_database(self.database_url)
        self.engine = make_engine(self.database_url)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = None
        self._thread = None

    def session_factory(self) -> Session:
        """A session on the server's database, to seed data or check what a page recorded."""
        return Session(self.engine, expire_on_commit=False)

    def start(self) -> None:
        import threading
        import time

        import uvicorn

        from core.db import use_engine
        from web.main import create_app

        use_engine(self.engine)
        get_settings.cache_clear()
        config = uvicorn.Config(create_app(), host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("live server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        from core.db import use_engine

        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        use_engine(None)
        self.engine.dispose()


def browser_login(page, base_url: str, username: str, password: str) -> None:
    """Log in through the login form in the browser."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
