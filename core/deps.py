"""FastAPI dependencies shared by every domain's router: the session and the current user."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from core import ratelimit
from core.accounts import service as account_service
from core.accounts.models import User
from core.config import Settings, get_settings
from core.db import get_session, reading
from core.errors import Forbidden, NotFound, Unauthorized
from core.proxies import client_address  # noqa: F401 - the one way to read a caller's address
from core.regions.scope import RegionScope
from core.security import CSRF_HEADER, CSRF_SESSION_KEY, csrf_matches, read_access_token

SessionDep = Annotated[Session, Depends(get_session)]


class RequestSessionRoute(APIRoute):
    """Every route's class: a plain ``def`` handler ends the request session's transaction.

    The request has one session (``SessionDep``). FastAPI runs a plain handler in a worker
    thread and closes the session later, after another hop through the thread pool; on SQLite
    every writing transaction holds the database's write lock (``BEGIN IMMEDIATE``), and one
    left open for that hop stalls every other request under load. So the handler's own thread
    ends it: committed when the handler answered (services commit their own units of work; what
    is left are reads, and what they loaded stays loaded for the response), rolled back when it
    raised or answered with an error status (an error page writes nothing).

    The handler is handed to FastAPI as a coroutine that runs it in a worker thread: FastAPI
    then checks the returned value against the response model on the event loop, where for a
    plain handler it takes a second trip through the thread pool.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _in_worker_thread(_ending_transaction(endpoint))
        super().__init__(path, endpoint, **kwargs)


# The plain handlers' threads: as many as anyio's default limit, which FastAPI would use. Handed
# work by the event loop's own executor call, not anyio's ``to_thread``, whose capacity limiter
# and cancel scope cost the server about 0.4 ms of CPU per question asked over HTTP.
HANDLER_THREADS = 40
_handler_threads = concurrent.futures.ThreadPoolExecutor(HANDLER_THREADS, "handler")


def _in_worker_thread(handler: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(handler)  # the parameters are still read through __wrapped__
    async def run(*args: Any, **kwargs: Any) -> Any:
        call = functools.partial(contextvars.copy_context().run, handler, *args, **kwargs)
        return await _until_done(asyncio.get_running_loop().run_in_executor(_handler_threads, call))

    return run


async def _until_done(future: asyncio.Future) -> Any:
    """The handler's result; a cancelled request still waits for its handler to return, as
    anyio's threads do: the request's session is closed after, never under a running handler."""
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        await asyncio.wait({future})
        raise


def _ending_transaction(handler: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(handler)  # FastAPI reads the parameters through __wrapped__
    def run(*args: Any, **kwargs: Any) -> Any:
        sessions = [value for value in kwargs.values() if isinstance(value, Session)]
        try:
            result = handler(*args, **kwargs)
        except BaseException:
            for session in sessions:
                session.rollback()
            raise
        failed = isinstance(result, Response) and result.status_code >= 400
        for session in sessions:
            session.rollback() if failed else session.commit()
        return result

    return run


oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
SESSION_USER_KEY = "uid"
SESSION_VERSION_KEY = "sv"
MUST_CHANGE_PASSWORD = "您正在使用一次性密码，请先修改密码（PUT /api/auth/password）"
ONE_TIME_PASSWORD_PATHS = frozenset({"/api/auth/me", "/api/auth/password", "/api/auth/logout"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_MISSING = (
    "缺少或无效的 CSRF 令牌：网页脚本调用接口须在 X-CSRF-Token 请求头中附上页面的令牌，"
    "其他程序请使用 Bearer 令牌"
)


def start_session(request: Request, user: User) -> None:
    """Log ``user`` in on this browser: a fresh session (no fixation) at their session version."""
    request.session.clear()
    request.session[SESSION_USER_KEY] = user.id
    request.session[SESSION_VERSION_KEY] = user.session_version


def _credentials(request: Request, token: str | None) -> tuple[int, int | None, bool] | None:
    """(user id, session version, from the cookie?) of the bearer token or the session cookie."""
    from_token = read_access_token(token) if token else None
    if from_token is not None:
        return from_token[0], from_token[1], False
    if "session" in request.scope and request.session.get(SESSION_USER_KEY) is not None:
        return request.session[SESSION_USER_KEY], request.session.get(SESSION_VERSION_KEY), True
    return None


async def get_optional_user(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User | None:
    """The caller from a bearer token or, for pages and their scripts, the session cookie.

    A token or cookie issued before the user's last logout or password change names an older
    session version and counts as anonymous. A cookie-authenticated change through the JSON API
    must carry the CSRF token in ``X-CSRF-Token`` (only bearer tokens go without); without it the
    caller is anonymous here, and routes that need a login answer 403 (``get_current_user``).
    """
    credentials = _credentials(request, token)
    if credentials is None:
        return None  # anonymous (most questions): no database read, no worker thread
    return await run_in_threadpool(_signed_in_user, request, session, credentials)


def _signed_in_user(
    request: Request, session: Session, credentials: tuple[int, int | None, bool]
) -> User | None:
    """The user the credentials name, if still valid (reads the database: a worker thread)."""
    user_id, version, by_cookie = credentials
    # The lookup only reads, in a transaction of its own that takes no write lock on SQLite
    # (``core.db.reading``) and ends here: the handler, in another worker thread, and the
    # rate-limit counters write in theirs. The user stays loaded.
    with reading(session):
        try:
            user = account_service.get_user(session, user_id)
        except NotFound:
            user = None
    if user is None or user.session_version != version:
        if by_cookie:
            request.session.clear()
        return None
    if by_cookie and request.method in UNSAFE_METHODS and request.url.path.startswith("/api/"):
        expected = request.session.get(CSRF_SESSION_KEY)
        if not csrf_matches(expected, request.headers.get(CSRF_HEADER)):
            request.state.csrf_refused = True
            return None
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


def get_current_user(request: Request, user: OptionalUser) -> User:
    """The logged-in caller; 401 otherwise (403 for a session cookie without its CSRF token).

    An account still on a one-time password may only read itself, change the password or log
    out (403 elsewhere) until its owner has chosen their own.
    """
    if user is None:
        if getattr(request.state, "csrf_refused", False):
            raise Forbidden(CSRF_MISSING)
        raise Unauthorized("请先登录")
    if user.must_change_password and request.url.path not in ONE_TIME_PASSWORD_PATHS:
        raise Forbidden(MUST_CHANGE_PASSWORD)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_admin_scope(user: CurrentUser) -> RegionScope:
    """The region scope of an admin caller; 403 for other roles."""
    return account_service.require_admin(user)


AdminScope = Annotated[RegionScope, Depends(get_admin_scope)]


def get_admin_user(user: CurrentUser) -> User:
    """The caller, who must be an admin."""
    if not user.role_enum.is_admin:
        raise Forbidden("此功能仅限管理员使用")
    return user


AdminUser = Annotated[User, Depends(get_admin_user)]


class RateLimit:
    """Counts the caller (user, else address) against ``bucket`` in the database; over the limit
    → ``RateLimited``. As ``.dependency`` on a route, or ``.count`` in a handler's own thread (the
    question route: FastAPI solves a route's dependency tree anew on every request, and a plain
    ``def`` dependency costs a worker-thread hop of its own)."""

    def __init__(self, bucket: str, per_minute: Callable[[Settings], int], message: str) -> None:
        self.bucket = bucket
        self.per_minute = per_minute
        self.message = message

    def count(self, session: Session, caller: str) -> None:
        """Count one hit of ``caller`` (``ratelimit.caller_key``)."""
        limit = self.per_minute(get_settings())
        ratelimit.enforce(session, f"{self.bucket}:{caller}", limit=limit, message=self.message)

    @property
    def dependency(self):
        def check(request: Request, session: SessionDep, user: OptionalUser) -> None:
            self.count(session, ratelimit.caller_key(user, client_address(request)))

        return Depends(check)


def rate_limit(bucket: str, per_minute: Callable[[Settings], int], message: str):
    """A dependency counting the caller (user, else address) against ``bucket`` in the database."""
    return RateLimit(bucket, per_minute, message).dependency
