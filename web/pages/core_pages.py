"""Pages of the shared kernel: login, logout, password change, the enterprise list."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from core.accounts import service as account_service
from core.deps import RequestSessionRoute, SessionDep, client_address, start_session
from core.enterprises import service as enterprise_service
from core.errors import Invalid, RateLimited, Unauthorized
from web.deps import CsrfChecked, MaybePageUser, PageAdmin, PageUser
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)

def _safe_next(next_url: str | None) -> str:
    """Only same-site paths, so the login form cannot redirect elsewhere."""
    if not next_url:
        return "/"
    parsed = urlparse(next_url)
    if parsed.scheme or parsed.netloc or not next_url.startswith("/") or next_url.startswith("//"):
        return "/"
    return next_url


@router.get("/login")
def login_page(request: Request, user: MaybePageUser, next: str = "/"):
    return render(request, "core/login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", dependencies=[CsrfChecked])
def login_submit(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
):
    request.state.user = None
    try:
        user = account_service.authenticate(
            session, username=username.strip(), password=password, client=client_address(request)
        )
    except (Unauthorized, RateLimited) as exc:
        response = render(
            request,
            "core/login.html",
            {"next": _safe_next(next), "error": exc.message, "username": username},
            exc.status_code,
        )
        if getattr(exc, "retry_after", None):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    start_session(request, user)
    if user.must_change_password:  # a one-time password: choose one's own first
        return RedirectResponse("/account/password", status_code=303)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, session: SessionDep, user: MaybePageUser):
    """Log out everywhere: every session cookie and bearer token of this account ends."""
    if user is not None:
        account_service.end_sessions(session, user)
        session.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/account/password")
def password_page(request: Request, user: PageUser):
    return render(
        request, "core/password.html",
        {"error": None, "done": False, "forced": user.must_change_password},
    )


@router.post("/account/password", dependencies=[CsrfChecked])
def password_submit(
    request: Request,
    session: SessionDep,
    user: PageUser,
    current_password: Annotated[str, Form(max_length=256)] = "",
    new_password: Annotated[str, Form(max_length=256)] = "",
    confirm_password: Annotated[str, Form(max_length=256)] = "",
):
    """Change one's own password; other browsers and tokens are logged out, this one stays."""
    try:
        if new_password != confirm_password:
            raise Invalid("两次输入的新密码不一致")
        account_service.change_password(
            session,
            user=user,
            current_password=current_password,
            new_password=new_password,
            client=client_address(request),
        )
    except (Invalid, RateLimited) as exc:
        session.rollback()
        context = {"error": exc.message, "done": False, "forced": user.must_change_password}
        return render(request, "core/password.html", context, exc.status_code)
    start_session(request, user)
    return render(request, "core/password.html", {"error": None, "done": True})


@router.get("/enterprises")
def enterprise_list(
    request: Request, session: SessionDep, user: PageAdmin, q: str = "", page: int = 1
):
    scope = account_service.region_scope(user)
    result = enterprise_service.list_enterprises(session, scope=scope, query=q, page=max(page, 1))
    return render(
        request, "core/enterprises.html", {"result": result, "q": q, "scope": scope}
    )
