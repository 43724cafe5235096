"""One session per request, whose transaction the handler's own thread ends (core.deps).

On SQLite every writing transaction holds the database's write lock; one left open until the
session is closed, a thread-pool hop later, stalls every other request. The route class ends it
as the handler returns: committed when it answered, rolled back when it failed.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import threading

import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from core.db import get_session
from core.deps import RequestSessionRoute, SessionDep, _in_worker_thread
from core.errors import Conflict
from core.ratelimit import RateLimitWindow
from web.main import ROUTERS


def _window(key: str) -> RateLimitWindow:
    return RateLimitWindow(key=key, window_no=1, hits=1, expires_at=dt.datetime(2100, 1, 1))


@pytest.fixture
def probe(session):
    """A small app on the test's session, with handlers that read, write and fail."""
    app = FastAPI()
    router = APIRouter(route_class=RequestSessionRoute)
    seen: dict[str, bool] = {}

    @router.get("/read")
    def read(session: SessionDep) -> dict:
        count = session.scalar(select(func.count()).select_from(RateLimitWindow))
        seen["open_in_handler"] = session.in_transaction()
        return {"count": count}

    @router.post("/write-then-fail")
    def write_then_fail(session: SessionDep) -> dict:
        session.add(_window("probe:failed"))
        session.flush()
        raise Conflict("写到一半失败")

    @router.post("/write-then-error-page")
    def write_then_error_page(request: Request, session: SessionDep):
        session.add(_window("probe:error-page"))
        session.flush()
        return HTMLResponse("<p>有误</p>", status_code=422)

    @router.post("/write")
    def write(session: SessionDep) -> dict:
        session.add(_window("probe:kept"))
        return {"ok": True}

    app.include_router(router)
    app.dependency_overrides[get_session] = lambda: session

    @app.exception_handler(Conflict)
    async def conflict(request, exc):
        return HTMLResponse(exc.message, status_code=409)

    with TestClient(app) as client:
        yield client, seen


def keys(session) -> set[str]:
    stmt = select(RateLimitWindow.key).where(RateLimitWindow.key.like("probe:%"))
    return set(session.scalars(stmt))


def test_a_read_ends_its_transaction_before_the_response(session, probe):
    client, seen = probe
    assert client.get("/read").status_code == 200
    assert seen["open_in_handler"] is True
    assert not session.in_transaction()


def test_an_answer_keeps_what_the_handler_wrote(session, probe):
    client, _ = probe
    assert client.post("/write").status_code == 200
    assert not session.in_transaction()
    assert keys(session) == {"probe:kept"}


def test_a_failure_or_an_error_page_writes_nothing(session, probe):
    client, _ = probe
    assert client.post("/write-then-fail").status_code == 409
    assert client.post("/write-then-error-page").status_code == 422
    assert not session.in_transaction()
    assert keys(session) == set()


def test_every_route_of_the_app_ends_its_transaction():
    routes = [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]
    assert routes
    assert all(isinstance(route, RequestSessionRoute) for route in routes)


def test_a_plain_handler_runs_in_a_handler_thread_with_the_request_s_context_variables():
    asked = contextvars.ContextVar("asked", default="")

    def handler() -> tuple[str, str]:
        return threading.current_thread().name, asked.get()

    async def request() -> tuple[str, str]:
        asked.set("排污许可证有效期")
        return await _in_worker_thread(handler)()

    thread, seen = asyncio.run(request())
    assert thread.startswith("handler") and seen == "排污许可证有效期"


def test_a_cancelled_request_waits_for_its_handler_to_return_before_it_ends():
    started, release, returned = threading.Event(), threading.Event(), []

    def handler() -> None:
        started.set()
        release.wait(10)
        returned.append(True)

    async def scenario() -> None:
        task = asyncio.ensure_future(_in_worker_thread(handler)())
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 10)
        task.cancel()
        await asyncio.sleep(0.1)
        assert not task.done()  # the request's session is not closed under the handler
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert returned == [True]

    asyncio.run(scenario())
