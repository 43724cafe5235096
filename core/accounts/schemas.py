"""API shapes of accounts."""

from __future__ import annotations

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


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


class PasswordReset(BaseModel):
    new_password: str = Field(max_length=256)
