"""FastAPI dependencies shared by every domain's router: the session and the current user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from core.accounts import service as account_service
from core.accounts.models import User
from core.db import get_session
from core.errors import Forbidden, NotFound, Unauthorized
from core.regions.scope import RegionScope
from core.security import read_access_token

SessionDep = Annotated[Session, Depends(get_session)]
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
SESSION_USER_KEY = "uid"


def get_optional_user(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User | None:
    """The caller from a bearer token or, for pages and their scripts, the session cookie."""
    user_id = read_access_token(token) if token else None
    if user_id is None and "session" in request.scope:
        user_id = request.session.get(SESSION_USER_KEY)
    if user_id is None:
        return None
    try:
        user = account_service.get_user(session, user_id)
    except NotFound:
        return None
    # End the read transaction before the route runs in another thread-pool hop: on SQLite every
    # transaction holds the write lock (BEGIN IMMEDIATE), and a lock held while waiting for a free
    # thread stalls all requests under load. The user stays loaded (expire_on_commit=False).
    session.commit()
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


def get_current_user(user: OptionalUser) -> User:
    """The logged-in caller; 401 otherwise."""
    if user is None:
        raise Unauthorized("请先登录")
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


def client_address(request: Request) -> str:
    """The caller's address, for rate limits and logs."""
    return request.client.host if request.client else "unknown"
