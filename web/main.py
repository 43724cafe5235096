"""The FastAPI application: routers of every domain, pages, static files and error mapping."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from threadpoolctl import threadpool_limits

from bot import webhook as bot_webhook
from cases import api as cases_api
from core.accounts import api as auth_api
from core.accounts import users_api
from core.certificates import check_certificate_font
from core.config import get_settings
from core.enterprises import api as enterprise_api
from core.errors import DomainError
from courses import api as courses_api
from courses import coverage_api
from knowledge import admin_api as knowledge_admin_api
from knowledge import api as knowledge_api
from knowledge import curation_api as knowledge_curation_api
from migrations.models import import_all_models
from quiz import api as quiz_api
from quiz import contest_admin_api
from web.deps import LoginRequired, PasswordChangeRequired
from web.nul_guard import refuse_nul_characters
from web.pages import (
    account_pages,
    cases_pages,
    chat_pages,
    contest_admin_pages,
    core_pages,
    course_editing_pages,
    courses_pages,
    coverage_pages,
    enterprise_home,
    external_training_pages,
    home_pages,
    import_pages,
    knowledge_admin,
    knowledge_ingest,
    public_pages,
    quiz_admin_pages,
    quiz_pages,
    verify_pages,
)
from web.security import SecurityHeadersMiddleware, install_docs
from web.templating import render
from wechat import router as wechat_router

logger = logging.getLogger(__name__)
STATIC_DIR = __import__("pathlib").Path(__file__).parent / "static"
SESSION_COOKIE = "permithub_session"
# While one thread computes (an import checking 50,000 rows, a big export), every other request
# thread waits up to the interpreter's switch interval each time it wants the GIL back, many
# times per request: 5 ms by default. At 1 ms contest saves during a 50,000-unit upload rose by
# 21–59 ms at p95 instead of 184–227 ms (bench/mixed_load.py, PostgreSQL, 2 workers).
GIL_SWITCH_SECONDS = 0.001
# Each question is answered on one thread, and numpy's BLAS threads would only spin beside it: one
# BLAS thread halves the server's CPU per question (18 → 8 ms over HTTP, twelve documents) at the
# same latency, and leaves the other core to the next request.
BLAS_THREADS = 1
# The thread that loads the knowledge index and the encoder at start-up (tests that time CPU
# wait for it).
WARM_UP_THREAD = "warm-knowledge-index"

READYZ_WARMING = "正在加载知识库索引与语义模型，稍后即可提问"
HTTP_MESSAGES = {
    400: "请求有误",
    401: "请先登录",
    403: "没有权限",
    404: "页面或数据不存在",
    405: "不支持该请求方式",
    413: "上传的文件太大",
    422: "提交的内容有误",
    429: "请求过于频繁，请稍后再试",
}
UNREADABLE_BODY = "请求体无法解析：应为 UTF-8 编码的 JSON，或格式正确的表单（multipart/form-data）"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """What runs beside the web server: the Telegram bot when a token is configured."""
    from bot.runner import telegram_lifespan

    app.state.knowledge_ready = threading.Event()  # read by /readyz
    threading.Thread(
        target=_warm_knowledge_index,
        args=(app.state.knowledge_ready,),
        name=WARM_UP_THREAD,
        daemon=True,
    ).start()
    async with telegram_lifespan(app):
        yield


def _warm_knowledge_index(ready: threading.Event) -> None:
    """Load the knowledge index and the encoder now, so the first questions after a start are
    fast; then say so on ``/readyz``."""
    from core.db import SessionLocal, begin_read_only
    from knowledge import service as knowledge_service

    try:
        with SessionLocal() as session:
            # It only reads: on SQLite a default transaction would hold the write lock while the
            # encoder loads and the index builds, and every login and save would wait for it.
            begin_read_only(session)
            knowledge_service.warm_up(session)
    except Exception:  # a database that is not migrated yet: the first question will say so
        logger.warning("知识库索引预热失败，将在第一次提问时再加载", exc_info=True)
    finally:
        ready.set()


def create_app() -> FastAPI:
    """Assemble the application."""
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    threadpool_limits(limits=BLAS_THREADS, user_api="blas")
    settings = get_settings()
    import_all_models()
    # Certificates embed a Chinese font: say at start-up (in the log) when there is none.
    check_certificate_font()
    app = FastAPI(
        title="PermitHub 排污许可问答与培训平台",
        description="排污许可知识问答、知识竞赛、培训课程与法定代表人培训覆盖统计。",
        version="0.1.0",
        lifespan=_lifespan,
        dependencies=[Depends(refuse_nul_characters)],
        docs_url=None,  # served by web.security.install_docs with their own CSP
        redoc_url=None,
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret(),
        session_cookie=SESSION_COOKIE,
        same_site="lax",
        max_age=12 * 3600,
    )
    # Added after (so around) the session middleware: it sees the cookie the session sets.
    app.add_middleware(SecurityHeadersMiddleware, session_cookie=SESSION_COOKIE)
    install_docs(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # Before the routers: a load balancer asks it every few seconds, and each router it would
    # otherwise be tried against costs time.
    @app.get("/healthz", tags=["system"], summary="健康检查")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    # Readiness, for a load balancer or a benchmark: the process answers from its first second,
    # but until the start-up warm-up is done a question competes with it for the CPU. Not in the
    # API schema: it is the deployment's probe, not an operation of the platform.
    @app.get("/readyz", include_in_schema=False)
    def readyz(request: Request) -> JSONResponse:
        ready = getattr(request.app.state, "knowledge_ready", None)  # set by the start-up
        if ready is not None and ready.is_set():
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "warming", "detail": READYZ_WARMING}, status_code=503)

    _include_routers(app)
    _install_error_handlers(app)
    return app


def _include_routers(app: FastAPI) -> None:
    """Mount the kernel's routers, then every domain's API and page routers, in this order."""
    for router in ROUTERS:
        app.include_router(router)


# API routers and page routers, in the order they are mounted. A request is matched against
# them in this order, and matching against a router costs up to 0.08 ms (FastAPI scans its
# routes): the public question endpoint, the most frequent request by far, comes first.
ROUTERS: tuple[APIRouter, ...] = (
    knowledge_api.router,
    auth_api.router,
    users_api.router,
    enterprise_api.router,
    core_pages.router,
    home_pages.router,
    bot_webhook.router,
    wechat_router.router,
    public_pages.router,
    cases_api.router,
    cases_pages.router,
    chat_pages.router,
    knowledge_curation_api.router,
    knowledge_admin_api.router,
    knowledge_ingest.router,
    knowledge_admin.router,
    courses_api.router,
    coverage_api.router,
    coverage_pages.router,
    course_editing_pages.router,
    courses_pages.router,
    external_training_pages.router,
    import_pages.router,
    quiz_api.router,
    quiz_admin_pages.api_router,
    quiz_pages.router,
    quiz_admin_pages.router,
    verify_pages.router,
    account_pages.router,
    enterprise_home.router,
    contest_admin_api.router,
    contest_admin_pages.router,
)


def _wants_json(request: Request) -> bool:
    return (
        request.url.path.startswith("/api/")
        or "application/json" in request.headers.get("accept", "").split(",")[0]
    )


def _error_response(request: Request, status: int, message: str, details: list[str]):
    if _wants_json(request):
        return JSONResponse({"detail": message, "errors": details}, status_code=status)
    context = {"status": status, "message": message, "details": details}
    return render(request, "core/error.html", context, status)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError):
        response = _error_response(request, exc.status_code, exc.message, exc.details)
        if exc.status_code == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        if getattr(exc, "retry_after", None):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired):
        return RedirectResponse(f"/login?next={quote(exc.next_url)}", status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def password_change_required(request: Request, exc: PasswordChangeRequired):
        return RedirectResponse("/account/password", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        details = [_describe_validation_error(e) for e in exc.errors()]
        return _error_response(request, 422, "提交的内容有误：" + "；".join(details), details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400:
            # FastAPI and Starlette raise 400 only when they cannot read the body (bytes that are
            # not UTF-8, a broken multipart form): bad input like a JSON syntax error, which
            # FastAPI itself answers with a 422 — the status the API documents for bad input.
            return _error_response(request, 422, UNREADABLE_BODY, [UNREADABLE_BODY])
        message = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else None
        response = _error_response(
            request, exc.status_code, message or HTTP_MESSAGES.get(exc.status_code, "请求失败"), []
        )
        if exc.headers:
            response.headers.update(exc.headers)
        return response


_VALIDATION_MESSAGES = {
    "missing": "必填",
    "json_invalid": "请求体不是合法的 JSON",
    "string_too_short": "内容太短",
    "string_too_long": "内容太长",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "bool_parsing": "应为是/否",
    "model_attributes_type": "格式不正确",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "string_type": "应为文本",
}
# The same with the bound itself, so a client knows what to send instead.
_BOUND_MESSAGES = {
    "greater_than_equal": "数值太小（最小为 {ge}）",
    "less_than_equal": "数值太大（最大为 {le}）",
    "too_long": "项目太多（最多 {max_length} 项）",
    "too_short": "项目太少（至少 {min_length} 项）",
}


def _describe_validation_error(error: dict) -> str:
    location = ".".join(
        str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form")
    )
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    message = _VALIDATION_MESSAGES.get(kind)
    if kind in _BOUND_MESSAGES and context:
        message = _BOUND_MESSAGES[kind].format(**context)
    elif kind == "value_error" and "error" in context:
        message = str(context["error"])  # our validators' own words, without "Value error, "
    if message is None or message.isascii():
        message = error.get("msg", "格式不正确")
        if message.isascii():
            message = "格式不正确"
    return f"{location}: {message}" if location else message
