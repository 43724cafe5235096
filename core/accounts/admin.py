"""Managing accounts from the browser and the API: create, import, edit, disable, reset.

Who may manage whom: an admin manages accounts of a lower rank (province → city → staff and
enterprise users) inside their own region; a national admin manages every account but their
own. Nobody creates or edits an account above their own level or outside their region.

Accounts an admin creates, imports or resets get a one-time password (generated here, shown or
delivered once, never stored in clear): at the first login its owner must choose their own
(``User.must_change_password``). Every change is written to the audit trail (``core.audit``) in
the same transaction, with who did it; the log is shown to national admins.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.accounts.models import ROLE_LABELS, Role, StaffKind, User
from core.accounts.passwords import password_problem
from core.accounts.service import ROLE_RANK, end_sessions, new_user, region_scope, require_admin
from core.audit.models import AuditEntry
from core.audit.service import record_audit
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.regions.names import full_province_name
from core.regions.scope import NATIONAL
from core.security import hash_password
from core.tabular import read_table

logger = logging.getLogger(__name__)

MAX_IMPORT_ACCOUNTS = 1000  # every account costs one argon2 hash (about 20 ms)
PAGE_SIZE = 50
# No look-alikes (0/O, 1/l/I): a one-time password is read off paper or a screen and typed.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
ONE_TIME_LENGTH = 12

ROLE_WORDS: dict[str, Role] = {
    **{role.value: role for role in Role},
    **{label: role for role, label in ROLE_LABELS.items()},
    "国家级管理员": Role.NATIONAL,
    "省级": Role.PROVINCE,
    "市级": Role.CITY,
    "工作人员": Role.STAFF,
    "企业": Role.ENTERPRISE,
}

ACCOUNT_COLUMNS: tuple[str, ...] = ("username",)
ACCOUNT_OPTIONAL: tuple[str, ...] = (
    "display_name",
    "role",
    "province",
    "city",
    "organisation",
    "staff_kind",
    "credit_code",
    "email",
)
# The Chinese headers of the template, and other names people give these columns.
ACCOUNT_ALIASES: dict[str, str] = {
    "用户名": "username",
    "账号": "username",
    "姓名": "display_name",
    "显示名称": "display_name",
    "角色": "role",
    "账号类型": "role",
    "省份": "province",
    "城市": "city",
    "地市": "city",
    "工作单位": "organisation",
    "所在单位": "organisation",
    "单位": "organisation",
    "人员类别": "staff_kind",
    "工作人员类别": "staff_kind",
    "统一社会信用代码": "credit_code",
    "邮箱": "email",
    "电子邮箱": "email",
}
ACCOUNT_TEMPLATE_HEADER = (
    "用户名",
    "姓名",
    "角色",
    "省份",
    "城市",
    "工作单位",
    "人员类别",
    "统一社会信用代码",
    "邮箱",
)
TEMPLATE_EXAMPLE = ("zhangsan", "张三", "工作人员", "", "", "某某市生态环境局", "审批人员", "", "")
RESULT_HEADER = ("行号", "用户名", "姓名", "角色", "所在地区", "一次性密码")


def one_time_password() -> str:
    """A random password that passes the password rules; its owner changes it at first login."""
    while True:
        password = "".join(secrets.choice(_ALPHABET) for _ in range(ONE_TIME_LENGTH))
        if password_problem(password) is None:
            return password


def parse_role(text: str | Role | None, default: Role = Role.STAFF) -> Role:
    """A role from its code (``staff``) or Chinese name (``工作人员``); blank gives ``default``."""
    if isinstance(text, Role):
        return text
    text = (text or "").strip()
    if not text:
        return default
    role = ROLE_WORDS.get(text) or ROLE_WORDS.get(text.lower())
    if role is None:
        raise Invalid(
            f"未知角色“{text}”，可选：工作人员、企业用户、市级管理员、省级管理员、部级管理员"
        )
    return role


def may_manage(actor: User, role: Role, province: str | None, city: str | None) -> bool:
    """True when ``actor`` may create or change an account of ``role`` in ``province``/``city``."""
    if not actor.role_enum.is_admin:
        return False
    if actor.role_enum is Role.NATIONAL:
        return True
    if ROLE_RANK[actor.role_enum] >= ROLE_RANK[role]:
        return False
    return region_scope(actor).allows(province, city)


def _require_may_manage(actor: User, role: Role, province: str | None, city: str | None) -> None:
    require_admin(actor)
    if actor.role_enum is not Role.NATIONAL and ROLE_RANK[actor.role_enum] >= ROLE_RANK[role]:
        raise Forbidden(f"{actor.role_enum.label}不能管理{role.label}账号，只能管理下级账号")
    if not may_manage(actor, role, province, city):
        raise Forbidden(f"该账号不在您的管辖范围（{region_scope(actor).label}）内")


def _require_target(session: Session, actor: User, user_id: int) -> User:
    """The account ``user_id`` if ``actor`` may manage it; accounts they cannot see are 404."""
    user = get_account(session, actor=actor, user_id=user_id)
    if user.id == actor.id:
        raise Forbidden("不能在这里管理自己的账号；修改自己的密码请到“修改密码”页面")
    _require_may_manage(actor, user.role_enum, user.province, user.city)
    return user


@dataclass(frozen=True)
class AccountFields:
    """What an admin fills in for a new account (strings as typed; checked on creation)."""

    username: str
    role: str | Role = Role.STAFF
    display_name: str = ""
    province: str | None = None
    city: str | None = None
    organisation: str | None = None
    staff_kind: str | None = None
    credit_code: str | None = None
    email: str | None = None


EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s.]{1,60}")


def check_email(text: str | None) -> str | None:
    """A plausible e-mail address (stripped), None when blank; ``Invalid`` otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > 254 or not EMAIL.fullmatch(text):
        raise Invalid(f"邮箱“{text[:60]}”格式不正确")
    return text


@dataclass
class CreatedAccount:
    """A new account with its one-time password (held only until it is delivered)."""

    user: User
    password: str
    line: int | None = None

    def row(self) -> tuple:
        """One line of the result file."""
        user = self.user
        region = "".join(
            x for x in (user.province, user.city if user.city != user.province else None) if x
        )
        return (
            self.line,
            user.username,
            user.display_name,
            ROLE_LABELS[Role(user.role)],
            region or "全国",
            self.password,
        )


def _region_for(
    session: Session, actor: User, fields: AccountFields
) -> tuple[Role, str | None, str | None, list[str]]:
    """The role and region of a new account: blanks filled from the admin's own region."""
    reasons: list[str] = []
    role = parse_role(fields.role)
    province_text = (fields.province or "").strip()
    province = full_province_name(province_text)
    if province_text and province is None:
        reasons.append(f"未知省份“{province_text}”，请填写如“江苏省”或“江苏”")
    city = (fields.city or "").strip() or None
    if role is Role.NATIONAL:
        return role, None, None, reasons
    if role is Role.ENTERPRISE:
        from core.enterprises.models import Enterprise

        code = (fields.credit_code or "").strip().upper()
        if not code:
            reasons.append("企业用户需要填写统一社会信用代码")
            return role, None, None, reasons
        unit = session.execute(
            select(Enterprise.province, Enterprise.city).where(Enterprise.credit_code == code)
        ).first()
        if unit is None:
            reasons.append(f"排污单位名录中没有统一社会信用代码为 {code} 的单位")
            return role, None, None, reasons
        return role, unit.province, unit.city, reasons
    # Blank region: the admin's own (a city admin importing staff leaves both columns empty).
    if province is None and not province_text:
        province = actor.province
        if city is None and actor.role_enum is Role.CITY:
            city = actor.city
    if role is Role.PROVINCE:
        if province is None and not province_text:
            reasons.append("省级管理员需要填写省份")
        return role, province, None, reasons
    if role is Role.CITY and (province is None or city is None) and not reasons:
        reasons.append("市级管理员需要填写省份和城市")
    if city is not None and province is None and not reasons:
        reasons.append("填写城市时需要同时填写省份")
    return role, province, city, reasons


def _checked_user(session: Session, actor: User, fields: AccountFields, password_hash: str) -> User:
    role, province, city, reasons = _region_for(session, actor, fields)
    if reasons:
        raise Invalid("；".join(reasons))
    _require_may_manage(actor, role, province, city)
    staff_kind = (fields.staff_kind or "").strip() or None
    if role is not Role.STAFF and staff_kind is not None:
        raise Invalid("只有工作人员需要填写人员类别")
    organisation = (fields.organisation or "").strip() or None
    if organisation is not None and len(organisation) > 128:
        raise Invalid("工作单位最多 128 个字符")
    display_name = (fields.display_name or "").strip()
    if len(display_name) > 64:
        raise Invalid("姓名最多 64 个字符")
    user = new_user(
        session,
        username=fields.username,
        password="",
        password_hash=password_hash,
        role=role,
        display_name=display_name,
        province=province,
        city=city,
        organisation=organisation,
        staff_kind=staff_kind,
        credit_code=fields.credit_code if role is Role.ENTERPRISE else None,
    )
    user.must_change_password = True
    user.email = check_email(fields.email)
    return user


def _audit(session: Session, actor: User, action: str, user: User, detail: dict) -> None:
    record_audit(
        session,
        actor=actor,
        action=action,
        target_kind="user",
        target_id=user.id,
        province=user.province,
        city=user.city,
        detail={"username": user.username, **detail},
    )


def _summary(user: User) -> dict:
    return {
        "role": user.role,
        "display_name": user.display_name,
        "province": user.province,
        "city": user.city,
        "organisation": user.organisation,
        "staff_kind": user.staff_kind,
        "enterprise_id": user.enterprise_id,
        "is_active": user.is_active,
        "email": user.email,
    }


def create_account(session: Session, *, actor: User, fields: AccountFields) -> CreatedAccount:
    """Create one account with a one-time password (returned once, never stored in clear)."""
    password = one_time_password()
    user = _checked_user(session, actor, fields, hash_password(password))
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"用户名“{fields.username.strip()}”已存在") from None
    _audit(session, actor, "account.create", user, {"after": _summary(user)})
    session.commit()
    logger.info("账号 %r 由 %r 创建", user.username, actor.username)
    return CreatedAccount(user, password)


@dataclass
class AccountImport:
    """The accounts a file created, each with its one-time password and line in the file."""

    created: list[CreatedAccount] = field(default_factory=list)
    total: int = 0

    def summary(self) -> str:
        """One Chinese sentence."""
        return f"账号导入完成：共 {self.total} 行，新建 {len(self.created)} 个账号。"


def import_accounts(
    session: Session, source: bytes | str, *, actor: User, filename: str | None = None
) -> AccountImport:
    """Create the accounts listed in a CSV/XLSX file: all of them, or none.

    Every row is checked first (username free and unique in the file, role and region within
    the admin's reach, enterprise known); any bad row raises ``Invalid`` whose details are
    ``第N行: 原因`` and nothing is written. Then every account is written in one transaction.
    """
    require_admin(actor)
    table = read_table(
        source,
        columns=ACCOUNT_COLUMNS,
        optional=ACCOUNT_OPTIONAL,
        aliases=ACCOUNT_ALIASES,
        filename=filename,
        max_rows=MAX_IMPORT_ACCOUNTS + 1,
    )
    errors: list[tuple[int, str]] = [(p.line, p.message) for p in table.problems]
    passwords: dict[int, str] = {}
    users: list[tuple[int, User]] = []
    seen: dict[str, int] = {}
    for line, values in table.rows:
        fields = AccountFields(
            **{k: values.get(k) or None for k in ACCOUNT_OPTIONAL},
            username=values.get("username", ""),
        )
        username = fields.username.strip()
        if username in seen:
            errors.append((line, f"用户名“{username}”与第{seen[username]}行重复"))
            continue
        seen.setdefault(username, line)
        try:
            # A placeholder hash while checking: the real (slow) hashes come after every row passed.
            users.append((line, _checked_user(session, actor, fields, password_hash="-")))
        except (Invalid, Conflict, Forbidden, NotFound) as exc:
            errors.append((line, exc.message))
    if not table.rows and not errors:
        raise Invalid("文件中没有账号数据")
    if errors:
        errors.sort()
        details = [f"第{line}行: {reason}" for line, reason in errors]
        bad = len({line for line, _ in errors})
        raise Invalid(
            f"账号导入未执行：共 {table.row_count} 行，其中 {bad} 行有误，未创建任何账号。"
            "请修正后重新导入。",
            details=details,
        )
    # End the reading transaction before hashing: on SQLite it would hold the write lock.
    session.commit()
    for line, user in users:
        passwords[line] = one_time_password()
        user.password_hash = hash_password(passwords[line])
    result = AccountImport(total=table.row_count)
    try:
        session.add_all(user for _line, user in users)
        session.flush()
        for line, user in users:
            _audit(session, actor, "account.import", user, {"after": _summary(user), "line": line})
            result.created.append(CreatedAccount(user, passwords[line], line))
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("导入时有用户名已被他人占用，未创建任何账号，请重新导入") from None
    logger.info("%r 导入了 %d 个账号", actor.username, len(result.created))
    return result


def result_rows(created: Sequence[CreatedAccount]) -> list[tuple]:
    """The rows of the result file handed to the admin (one-time passwords included)."""
    return [account.row() for account in created]


def update_account(
    session: Session,
    *,
    actor: User,
    user_id: int,
    display_name: str | None = None,
    organisation: str | None = None,
    staff_kind: str | None = None,
    city: str | None = None,
    email: str | None = None,
) -> User:
    """Change an account's name, organisation, staff kind, e-mail or (within the province) city."""
    user = _require_target(session, actor, user_id)
    before = _summary(user)
    if email is not None:
        user.email = check_email(email)
    if display_name is not None:
        display_name = display_name.strip()
        if not display_name or len(display_name) > 64:
            raise Invalid("姓名不能为空，最多 64 个字符")
        user.display_name = display_name
    if organisation is not None:
        organisation = organisation.strip()
        if len(organisation) > 128:
            raise Invalid("工作单位最多 128 个字符")
        user.organisation = organisation or None
    if staff_kind is not None:
        staff_kind = staff_kind.strip() or None
        if staff_kind is not None and user.role_enum is not Role.STAFF:
            raise Invalid("只有工作人员需要填写人员类别")
        if staff_kind is not None and staff_kind not in {k.value for k in StaffKind}:
            raise Invalid("人员类别只能是“审批人员”或“技术机构人员”")
        user.staff_kind = staff_kind
    if city is not None and user.role_enum in (Role.CITY, Role.STAFF):
        city = city.strip() or None
        if user.role_enum is Role.CITY and city is None:
            raise Invalid("市级管理员需要填写城市")
        if city is not None and user.province is None:
            raise Invalid("该账号没有省份，不能只填写城市")
        if city is not None and len(city) > 32:
            raise Invalid("城市最多 32 个字符")
        _require_may_manage(actor, user.role_enum, user.province, city)
        user.city = city
    after = _summary(user)
    if after != before:
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        _audit(session, actor, "account.update", user, {"changed": changed})
    session.commit()
    return user


def set_active(session: Session, *, actor: User, user_id: int, active: bool) -> User:
    """Disable (every session ends at once) or enable an account."""
    user = _require_target(session, actor, user_id)
    if user.is_active == active:
        return user
    user.is_active = active
    if not active:
        end_sessions(session, user)
    _audit(session, actor, "account.enable" if active else "account.disable", user, {})
    session.commit()
    logger.info("账号 %r 由 %r %s", user.username, actor.username, "启用" if active else "停用")
    return user


def reset_to_one_time(session: Session, *, actor: User, user_id: int) -> CreatedAccount:
    """Give an account a new one-time password (its sessions end); returned once."""
    from core.accounts.service import reset_password

    user = _require_target(session, actor, user_id)
    password = one_time_password()
    reset_password(session, actor=actor, user=user, new_password=password, one_time=True)
    return CreatedAccount(user, password)


def get_account(session: Session, *, actor: User, user_id: int) -> User:
    """One account the admin may see (their own included)."""
    require_admin(actor)
    user = session.get(User, user_id)
    if user is None or not region_scope(actor).allows(user.province, user.city):
        raise NotFound("账号不存在")
    return user


@dataclass
class AccountPage:
    """One page of the account list."""

    users: list[User]
    total: int
    page: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def list_accounts(
    session: Session,
    *,
    actor: User,
    role: str | None = None,
    query: str = "",
    page: int = 1,
    size: int = PAGE_SIZE,
) -> AccountPage:
    """Accounts in the admin's region, newest first, filtered by role and name."""
    scope = require_admin(actor)
    stmt = scope.apply(select(User), User.province, User.city)
    if role:
        stmt = stmt.where(User.role == parse_role(role).value)
    query = query.strip()[:64]
    if query:
        pattern = f"%{query.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(
            or_(
                User.username.like(pattern),
                User.display_name.like(pattern),
                User.organisation.like(pattern),
            )
        )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    users = list(
        session.scalars(stmt.order_by(User.id.desc()).offset((page - 1) * size).limit(size))
    )
    return AccountPage(users, total, page, size)


def account_audit(session: Session, *, actor: User, limit: int = 200) -> list[AuditEntry]:
    """The newest changes to accounts: for national admins only."""
    require_admin(actor)
    if actor.role_enum is not Role.NATIONAL:
        raise Forbidden("账号变更记录仅部级管理员可以查看")
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.target_kind == "user")
        .order_by(AuditEntry.id.desc())
        .limit(max(1, min(limit, 1000)))
    )
    return list(session.scalars(NATIONAL.apply(stmt, AuditEntry.province, AuditEntry.city)))
