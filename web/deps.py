"""Page dependencies: the logged-in user for server-rendered pages and CSRF checks on forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from core.accounts.models import User
from core.deps import OptionalUser, SessionDep  # noqa: F401 - re-exported for pages
from core.errors import Forbidden
from core.security import csrf_matches
from web.templating import CSRF_KEY


class LoginRequired(Exception):
    """Raised by page dependencies; answered with a redirect to the login page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class PasswordChangeRequired(Exception):
    """Raised for an account on a one-time password; answered with a redirect to change it."""


# The pages someone on a one-time password may open: choose a new one, or leave.
ONE_TIME_PASSWORD_PAGES = frozenset({"/account/password", "/logout", "/login"})


def _check_one_time(request: Request, user: User | None) -> None:
    if (
        user is not None
        and user.must_change_password
        and request.url.path not in ONE_TIME_PASSWORD_PAGES
    ):
        raise PasswordChangeRequired()


def page_user_optional(request: Request, user: OptionalUser) -> User | None:
    """The logged-in user or ``None``; stored on the request for the templates."""
    request.state.user = user
    _check_one_time(request, user)
    return user


def page_user(request: Request, user: OptionalUser) -> User:
    """The logged-in user; anonymous visitors are sent to the login page."""
    request.state.user = user
    if user is None:
        raise LoginRequired(str(request.url.path))
    _check_one_time(request, user)
    return user


def page_admin(user: Annotated[User, Depends(page_user)]) -> User:
    """The logged-in admin; other roles get a 403 page."""
    if not user.role_enum.is_admin:
        raise Forbidden("此页面仅限管理员访问")
    return user


async def verify_csrf(request: Request) -> None:
    """Refuse a form post whose ``csrf_token`` does not match the session's."""
    form = await request.form()
    if not csrf_matches(request.session.get(CSRF_KEY), form.get("csrf_token")):
        raise Forbidden("表单已过期或来源不明，请刷新页面后重试")


PageUser = Annotated[User, Depends(page_user)]
PageAdmin = Annotated[User, Depends(page_admin)]
MaybePageUser = Annotated[User | None, Depends(page_user_optional)]


async def _page_form(request: Request) -> FormData:
    """The posted form, read on the event loop so the page handler itself can be a plain ``def``
    (FastAPI runs those in its thread pool; a synchronous service never blocks the loop)."""
    return await request.form()


# A form whose fields a page reads by name (answers ``q1``…, repeated checkboxes).
PageForm = Annotated[FormData, Depends(_page_form)]
CsrfChecked = Depends(verify_csrf)
