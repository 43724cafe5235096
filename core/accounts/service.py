"""Account services: create users, authenticate (throttled), passwords and sessions, scopes."""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.accounts import throttle
from core.accounts.models import Role, StaffKind, User
from core.accounts.passwords import check_password
from core.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from core.regions.data import PROVINCES
from core.regions.scope import RegionScope
from core.security import hash_password, needs_rehash, verify_password

logger = logging.getLogger(__name__)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role | str = Role.NATIONAL,
    display_name: str = "",
    province: str | None = None,
    city: str | None = None,
    organisation: str | None = None,
    staff_kind: str | None = None,
    credit_code: str | None = None,
) -> User:
    """Create an account after checking the role's region or enterprise link."""
    user = new_user(
        session,
        username=username,
        password=password,
        role=role,
        display_name=display_name,
        province=province,
        city=city,
        organisation=organisation,
        staff_kind=staff_kind,
        credit_code=credit_code,
    )
    session.add(user)
    session.commit()
    return user


def new_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role | str = Role.NATIONAL,
    display_name: str = "",
    province: str | None = None,
    city: str | None = None,
    organisation: str | None = None,
    staff_kind: str | None = None,
    credit_code: str | None = None,
    password_hash: str | None = None,
) -> User:
    """A checked, not yet added account (``password_hash`` when the caller hashed already)."""
    role = _parse_role(role)
    username = username.strip()
    if not username:
        raise Invalid("用户名不能为空")
    if len(username) > 64:
        raise Invalid("用户名最多 64 个字符")
    if password_hash is None:
        check_password(password, username)
    province, city = _check_region(role, province, city)
    if staff_kind is not None and staff_kind not in {k.value for k in StaffKind}:
        raise Invalid("工作人员类别只能是“审批人员”或“技术机构人员”")
    enterprise_id = _enterprise_for(session, role, credit_code)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"用户名“{username}”已存在")
    return User(
        username=username,
        password_hash=password_hash or hash_password(password),
        role=role.value,
        display_name=display_name or username,
        province=province,
        city=city,
        organisation=organisation,
        staff_kind=staff_kind,
        enterprise_id=enterprise_id,
    )


def _parse_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise Invalid(
            f"未知角色“{role}”，可选：national、province、city、staff、enterprise"
        ) from None


def _check_region(
    role: Role, province: str | None, city: str | None
) -> tuple[str | None, str | None]:
    province = (province or "").strip() or None
    city = (city or "").strip() or None
    if province is not None and province not in PROVINCES:
        raise Invalid(f"未知省份“{province}”，请使用全称，如“江苏省”“北京市”")
    if role is Role.NATIONAL:
        return None, None
    if role is Role.PROVINCE and province is None:
        raise Invalid("省级管理员需要指定省份（--province）")
    if role is Role.CITY and (province is None or city is None):
        raise Invalid("市级管理员需要同时指定省份和城市（--province、--city）")
    if role is Role.PROVINCE:
        return province, None
    return province, city


def _enterprise_for(session: Session, role: Role, credit_code: str | None) -> int | None:
    if role is not Role.ENTERPRISE:
        return None
    if not credit_code:
        raise Invalid("企业用户需要指定统一社会信用代码（--credit-code）")
    from core.enterprises.models import Enterprise

    enterprise_id = session.scalar(
        select(Enterprise.id).where(Enterprise.credit_code == credit_code.strip().upper())
    )
    if enterprise_id is None:
        raise NotFound(f"排污单位名录中没有统一社会信用代码为 {credit_code} 的单位")
    return enterprise_id


def authenticate(session: Session, *, username: str, password: str, client: str) -> User:
    """Check credentials; repeated failures of this name from this address are slowed down."""
    throttle.claim_attempt(session, username=username, client=client)
    user = session.scalar(select(User).where(User.username == username))
    # End the read transaction before the deliberately slow hash check: on SQLite every
    # transaction holds the write lock, and no other request should wait for argon2.
    session.commit()
    if not verify_password(password, user.password_hash if user else None) or not (
        user and user.is_active
    ):
        raise Unauthorized("用户名或密码错误")
    throttle.clear(session, username=username, client=client)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.commit()
    return user


def end_sessions(session: Session, user: User) -> int:
    """End every session cookie and bearer token of ``user`` (on every worker); the new version."""
    session.execute(
        update(User).where(User.id == user.id).values(session_version=User.session_version + 1)
    )
    session.refresh(user, ["session_version"])
    return user.session_version


def change_password(
    session: Session, *, user: User, current_password: str, new_password: str, client: str
) -> int:
    """Change one's own password after checking the current one; every session ends.

    The current password is checked under the login throttle, so a stolen session cannot be
    used to guess it. Returns the new session version (for the caller's fresh session).
    """
    throttle.claim_attempt(session, username=user.username, client=client)
    if not verify_password(current_password, user.password_hash):
        raise Invalid("当前密码不正确")
    throttle.clear(session, username=user.username, client=client)
    if new_password == current_password:
        raise Invalid("新密码不能与当前密码相同")
    return _set_password(session, user, new_password, actor=user, action="account.password_change")


def reset_password(
    session: Session,
    *,
    actor: User | None,
    user: User,
    new_password: str,
    one_time: bool = False,
) -> int:
    """An admin (or the command line, ``actor=None``) sets another account's password.

    With ``one_time`` the owner must change it at their next login.
    """
    if actor is not None:
        _require_manager(actor, user)
    return _set_password(
        session, user, new_password, actor=actor, action="account.password_reset",
        one_time=one_time,
    )


def _set_password(
    session: Session, user: User, password: str, *, actor, action: str, one_time: bool = False
) -> int:
    from core.audit.service import record_audit

    check_password(password, user.username)
    user.password_hash = hash_password(password)
    user.must_change_password = one_time
    version = end_sessions(session, user)
    # Who changed whose password, never the password or its hash.
    record_audit(
        session,
        actor=actor,
        action=action,
        target_kind="user",
        target_id=user.id,
        province=user.province,
        city=user.city,
        detail={"username": user.username},
    )
    session.commit()
    logger.info(
        "%s：账号 %r 的密码由 %r 设置，其全部会话已结束",
        action,
        user.username,
        getattr(actor, "username", "命令行"),
    )
    return version


ROLE_RANK = {Role.NATIONAL: 0, Role.PROVINCE: 1, Role.CITY: 2, Role.STAFF: 3, Role.ENTERPRISE: 3}


def _require_manager(actor: User, user: User) -> None:
    """Admins manage accounts of a lower rank inside their region; national admins everyone."""
    scope = require_admin(actor)
    if actor.role_enum is Role.NATIONAL and actor.id != user.id:
        return
    if ROLE_RANK[actor.role_enum] >= ROLE_RANK[user.role_enum] or not scope.allows(
        user.province, user.city
    ):
        raise Forbidden("无权重置该账号的密码")


def get_user_by_username(session: Session, username: str) -> User:
    """The account with this username (active or not)."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f"没有用户名为“{username}”的账号")
    return user


def get_user(session: Session, user_id: int) -> User:
    """The active user with this id."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound("用户不存在")
    return user


def region_scope(user: User) -> RegionScope:
    """The region an account may see: none for national admins, else its province/city."""
    role = user.role_enum
    if role is Role.NATIONAL:
        return RegionScope()
    if role is Role.PROVINCE:
        return RegionScope(user.province)
    return RegionScope(user.province, user.city)


def require_admin(user: User) -> RegionScope:
    """The admin's scope; non-admins are refused."""
    if not user.role_enum.is_admin:
        raise Forbidden("此功能仅限管理员使用")
    return region_scope(user)


def list_users(session: Session, *, scope: RegionScope, role: str | None = None) -> list[User]:
    """Accounts within ``scope`` (a city admin sees only their city's accounts)."""
    stmt = select(User).order_by(User.id)
    stmt = scope.apply(stmt, User.province, User.city)
    if role:
        stmt = stmt.where(User.role == role)
    return list(session.scalars(stmt))
