"""Binding a WeChat follower (openid) to an enterprise and to a platform account.

Both codes are signed rather than stored, so any worker can check them:
- the enterprise code is shown to the enterprise's own accounts on ``/wechat/bind``; together with
  the credit code it proves the follower speaks for that unit (valid 30–60 minutes);
- the account code links the follower to the logged-in account that showed it (15 minutes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.config import get_settings
from core.enterprises import service as enterprise_service
from core.enterprises.credit_code import credit_code_problem
from core.enterprises.models import Enterprise
from core.errors import Invalid
from wechat import texts
from wechat.models import WechatFollower

ENTERPRISE_WINDOW_SECONDS = 30 * 60
LINK_TTL_SECONDS = 15 * 60


def _sign(message: str) -> bytes:
    return hmac.new(get_settings().secret().encode(), message.encode(), hashlib.sha256).digest()


def enterprise_code(enterprise_id: int, *, now: float | None = None, window: int = 0) -> str:
    """The 8-character code an enterprise account shows to bind WeChat to its unit."""
    number = int((now if now is not None else time.time()) // ENTERPRISE_WINDOW_SECONDS) - window
    digest = _sign(f"wechat-enterprise:{enterprise_id}:{number}")
    return base64.b32encode(digest)[:8].decode()


def follower(session: Session, openid: str, *, create: bool = True) -> WechatFollower | None:
    """The follower row of an openid (created on first use unless ``create`` is False)."""
    row = session.scalar(select(WechatFollower).where(WechatFollower.openid == openid))
    if row is None and create:
        row = WechatFollower(openid=openid)
        session.add(row)
        session.flush()
    return row


def bind_enterprise(
    session: Session, *, openid: str, credit_code: str, code: str, now: float | None = None
) -> tuple[Enterprise, Enterprise | None]:
    """Bind the follower to the unit with this credit code; returns (unit, previous unit)."""
    credit = (credit_code or "").strip().upper()
    problem = credit_code_problem(credit)
    if problem:
        raise Invalid(f"统一社会信用代码有误：{problem}")
    unit = enterprise_service.find_by_credit_code(session, credit)
    given = (code or "").strip().upper()
    if unit is None or not any(
        hmac.compare_digest(given, enterprise_code(unit.id, now=now, window=w)) for w in (0, 1)
    ):
        # the same answer for an unknown unit and a wrong code: codes cannot be probed per unit
        raise Invalid(texts.BIND_BAD_CODE)
    row = follower(session, openid)
    previous = None
    if row.enterprise_id is not None and row.enterprise_id != unit.id:
        previous = session.get(Enterprise, row.enterprise_id)
    row.enterprise_id = unit.id
    session.flush()
    return unit, previous


def _link_signature(user_id: int, expires: int) -> str:
    return _sign(f"wechat-link:{user_id}:{expires}").hex()[:20]


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def link_code(user_id: int, *, now: float | None = None) -> str:
    """A signed code, valid 15 minutes, that links a WeChat follower to this account."""
    expires = int((now if now is not None else time.time()) + LINK_TTL_SECONDS)
    return f"{user_id}-{_b36(expires)}-{_link_signature(user_id, expires)}"


def link_account(session: Session, *, openid: str, code: str, now: float | None = None) -> User:
    """Link the follower to the account that issued ``code`` (replacing an earlier link)."""
    try:
        user_text, expires_text, signature = (code or "").strip().lower().split("-")
        user_id, expires = int(user_text), int(expires_text, 36)
    except ValueError:
        raise Invalid(texts.LINK_INVALID) from None
    if not hmac.compare_digest(signature, _link_signature(user_id, expires)):
        raise Invalid(texts.LINK_INVALID)
    if expires < (now if now is not None else time.time()):
        raise Invalid(texts.LINK_EXPIRED)
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise Invalid(texts.LINK_INVALID)
    row = follower(session, openid)
    row.user_id = user.id
    session.flush()
    return user


def unbind(session: Session, *, openid: str) -> bool:
    """Forget the follower's enterprise and account; False when nothing was bound."""
    row = follower(session, openid, create=False)
    if row is None or (row.enterprise_id is None and row.user_id is None):
        return False
    row.enterprise_id = None
    row.user_id = None
    row.practice_question_id = None
    session.flush()
    return True


def linked_user(session: Session, row: WechatFollower | None) -> User | None:
    """The follower's active platform account, if linked."""
    if row is None or row.user_id is None:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def bound_unit(session: Session, row: WechatFollower | None) -> Enterprise | None:
    """The follower's bound enterprise, if any."""
    if row is None or row.enterprise_id is None:
        return None
    return session.get(Enterprise, row.enterprise_id)
