"""Security headers on every response, the cookie's Secure flag behind HTTPS, the API docs pages.

Pages load scripts and styles only from ``/static`` (``script-src 'self'``, no inline code), may
not be framed, and HSTS is sent only when the browser's connection is HTTPS — directly or as a
trusted proxy reports it (``core.proxies.is_https``), which also marks the session cookie
``Secure``. The interactive API docs (/docs, /redoc) come from FastAPI with an inline bootstrap;
they get their own, wider policy with a per-response nonce, and only they. Their Swagger UI and
ReDoc scripts are served by PermitHub itself (``DOCS_ASSETS_URL``) from the copy packaged in the
``fastapi-offline`` distribution, so the docs work on a machine without internet access.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.proxies import is_https

# media-src blob: lets a page's own script play a video it holds in memory (a preview before
# upload, the course tests' recorded clip); only scripts already allowed can make such URLs.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": PAGE_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000"
DOCS_ASSETS_URL = "/docs-assets"
SWAGGER_OAUTH2_REDIRECT = "/docs/oauth2-redirect"


class SecurityHeadersMiddleware:
    """Adds ``HEADERS`` (a route's own CSP wins), and HSTS plus ``Secure`` cookies over HTTPS."""

    def __init__(self, app: ASGIApp, *, session_cookie: str) -> None:
        self.app = app
        self.cookie_prefix = f"{session_cookie}=".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = is_https(HTTPConnection(scope))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if https:
                    headers["Strict-Transport-Security"] = HSTS
                    self._secure_session_cookie(message)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _secure_session_cookie(self, message: Message) -> None:
        raw = message["headers"]
        for index, (name, value) in enumerate(raw):
            if name.lower() == b"set-cookie" and value.startswith(self.cookie_prefix):
                if b"secure" not in value.lower().split(b"; "):
                    raw[index] = (name, value + b"; secure")


def _docs_assets_dir() -> str:
    """Swagger UI and ReDoc as packaged by fastapi-offline (a maintained PyPI distribution)."""
    import fastapi_offline

    return str(Path(fastapi_offline.__file__).parent / "static")


def _docs_policy(nonce: str | None, *, redoc: bool = False) -> str:
    scripts = "script-src 'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    return "; ".join(
        [
            "default-src 'self'",
            scripts,
            "style-src 'self' 'unsafe-inline'",
            "font-src 'self'",
            "img-src 'self' data:",
            "worker-src 'self' blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _with_nonce(page: HTMLResponse, *, redoc: bool = False) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    html = page.body.decode("utf-8").replace("<script>", f'<script nonce="{nonce}">')
    return HTMLResponse(html, headers={"Content-Security-Policy": _docs_policy(nonce, redoc=redoc)})


def install_docs(app: FastAPI) -> None:
    """/docs (Swagger UI), its OAuth2 redirect and /redoc, each with the docs policy."""
    title = app.title
    app.mount(DOCS_ASSETS_URL, StaticFiles(directory=_docs_assets_dir()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _with_nonce(
            get_swagger_ui_html(
                openapi_url=app.openapi_url,
                title=f"{title} - 接口文档",
                oauth2_redirect_url=SWAGGER_OAUTH2_REDIRECT,
                swagger_js_url=f"{DOCS_ASSETS_URL}/swagger-ui-bundle.js",
                swagger_css_url=f"{DOCS_ASSETS_URL}/swagger-ui.css",
                swagger_favicon_url=f"{DOCS_ASSETS_URL}/favicon.png",
            )
        )

    @app.get(SWAGGER_OAUTH2_REDIRECT, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return _with_nonce(get_swagger_ui_oauth2_redirect_html())

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _with_nonce(
            get_redoc_html(
                openapi_url=app.openapi_url,
                title=f"{title} - ReDoc",
                redoc_js_url=f"{DOCS_ASSETS_URL}/redoc.standalone.js",
                redoc_favicon_url=f"{DOCS_ASSETS_URL}/favicon.png",
                with_google_fonts=False,
            ),
            redoc=True,
        )
