"""Accounts: users with a role and, for admins and staff, a region."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    """The five kinds of account."""

    NATIONAL = "national"
    PROVINCE = "province"
    CITY = "city"
    STAFF = "staff"
    ENTERPRISE = "enterprise"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_admin(self) -> bool:
        return self in (Role.NATIONAL, Role.PROVINCE, Role.CITY)


ROLE_LABELS = {
    Role.NATIONAL: "部级管理员",
    Role.PROVINCE: "省级管理员",
    Role.CITY: "市级管理员",
    Role.STAFF: "工作人员",
    Role.ENTERPRISE: "企业用户",
}


class StaffKind(enum.StrEnum):
    """What a 工作人员 does; decides which yearly courses are required of them."""

    APPROVAL = "审批人员"
    TECH_INSTITUTION = "技术机构人员"


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), index=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    province: Mapped[str | None] = mapped_column(String(32), index=True)
    city: Mapped[str | None] = mapped_column(String(32), index=True)
    organisation: Mapped[str | None] = mapped_column(String(128))
    # where reminders are mailed (admins); optional
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    staff_kind: Mapped[str | None] = mapped_column(String(16))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Every session cookie and bearer token carries the version it was issued under; raising it
    # (logout, password change or reset) ends them all at once, on every worker.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set when an admin gave the account a one-time password (creation, import or reset): the
    # owner must choose their own before doing anything else.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0"
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class LoginThrottle(Base):
    """Failed logins of one username from one address, and when the next try is allowed.

    Kept per (username, address) rather than per username, so nobody can lock another person
    out by failing on purpose from somewhere else; in the database, so it holds across workers.
    """

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("username", "client"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
