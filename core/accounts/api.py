"""Auth API: the OAuth2 password flow and the caller's own account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from core.accounts import service
from core.accounts.schemas import Token, UserRead
from core.deps import CurrentUser, SessionDep, client_address
from core.security import create_access_token

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/token", response_model=Token, summary="用户名密码换取访问令牌（OAuth2 密码模式）")
def login_for_token(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep
) -> Token:
    user = service.authenticate(
        session, username=form.username, password=form.password, client=client_address(request)
    )
    return Token(access_token=create_access_token(user.id))


@router.get("/me", response_model=UserRead, summary="当前登录用户")
def read_me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)
