"""API shapes of accounts."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    role: str
    display_name: str
    province: str | None
    city: str | None
    organisation: str | None
    staff_kind: str | None
    enterprise_id: int | None
    must_change_password: bool = Field(
        False, description="为真时须先修改一次性密码（PUT /api/auth/password），其他接口拒绝访问"
    )


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


class PasswordReset(BaseModel):
    new_password: str = Field(max_length=256)


# ---- account management (core.accounts.admin, /api/users) -------------------------------------

RoleName = Literal["national", "province", "city", "staff", "enterprise"]


class AccountRead(UserRead):
    """An account as an admin sees it."""

    is_active: bool
    must_change_password: bool
    email: str | None
    created_at: dt.datetime


class AccountCreate(BaseModel):
    """A new account; a blank region means the admin's own, enterprise users give a credit code."""

    username: str = Field(min_length=1, max_length=64)
    role: RoleName = "staff"
    display_name: str = Field("", max_length=64)
    province: str | None = Field(None, max_length=32, description="全称或简称，如“江苏省”“江苏”")
    city: str | None = Field(None, max_length=32)
    organisation: str | None = Field(None, max_length=128)
    staff_kind: Literal["审批人员", "技术机构人员"] | None = None
    credit_code: str | None = Field(None, max_length=18, description="企业用户的统一社会信用代码")
    email: str | None = Field(None, max_length=254, description="接收提醒邮件的邮箱（管理员）")


class AccountUpdate(BaseModel):
    """Fields an admin may change; omitted ones stay as they are."""

    display_name: str | None = Field(None, min_length=1, max_length=64)
    organisation: str | None = Field(None, max_length=128)
    staff_kind: Literal["审批人员", "技术机构人员", ""] | None = None
    city: str | None = Field(None, max_length=32)
    email: str | None = Field(None, max_length=254, description="空字符串清除邮箱")


class OneTimePassword(BaseModel):
    """A one-time password, shown once: its owner must change it at the first login."""

    account: AccountRead
    one_time_password: str


class AccountPageRead(BaseModel):
    items: list[AccountRead]
    total: int
    page: int
    pages: int


class AuditRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    actor: str
    action: str
    target_kind: str
    target_id: str
    province: str | None
    city: str | None
    detail: str
    created_at: dt.datetime
