"""Auth API: the OAuth2 password flow, the caller's own account, passwords and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from core.accounts import service
from core.accounts.schemas import PasswordChange, PasswordReset, Token, UserRead
from core.bounds import IdPath
from core.deps import (
    SESSION_USER_KEY,
    SESSION_VERSION_KEY,
    AdminUser,
    CurrentUser,
    RequestSessionRoute,
    SessionDep,
    client_address,
)
from core.errors import NotFound
from core.openapi import error_responses
from core.security import create_access_token

router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/auth", tags=["auth"], responses=error_responses(401, 403, 404, 422, 429)
)


@router.post("/token", response_model=Token, summary="用户名密码换取访问令牌（OAuth2 密码模式）")
def login_for_token(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep
) -> Token:
    user = service.authenticate(
        session, username=form.username, password=form.password, client=client_address(request)
    )
    return Token(access_token=create_access_token(user.id, user.session_version))


@router.get("/me", response_model=UserRead, summary="当前登录用户")
def read_me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)


@router.put(
    "/password",
    response_model=Token,
    summary="修改自己的密码：此前的所有会话和令牌随即失效，返回新的访问令牌",
)
def change_password(
    request: Request, data: PasswordChange, session: SessionDep, user: CurrentUser
) -> Token:
    version = service.change_password(
        session,
        user=user,
        current_password=data.current_password,
        new_password=data.new_password,
        client=client_address(request),
    )
    if "session" in request.scope and request.session.get(SESSION_USER_KEY) == user.id:
        request.session[SESSION_VERSION_KEY] = version  # this browser stays logged in
    return Token(access_token=create_access_token(user.id, version))


@router.post("/logout", status_code=204, summary="退出登录：结束本账号的所有会话和访问令牌")
def logout(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    service.end_sessions(session, user)
    session.commit()
    if "session" in request.scope:
        request.session.clear()
    return Response(status_code=204)


@router.put(
    "/users/{user_id}/password",
    status_code=204,
    summary="管理员重置辖区内下级账号的密码：该账号的所有会话和令牌随即失效",
)
def reset_password(
    user_id: IdPath, data: PasswordReset, session: SessionDep, admin: AdminUser
) -> Response:
    try:
        target = service.get_user(session, user_id)
    except NotFound:
        raise NotFound("账号不存在") from None
    service.reset_password(session, actor=admin, user=target, new_password=data.new_password)
    return Response(status_code=204)
