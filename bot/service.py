"""Chat channels' unit of work: ask the knowledge service, keep the turn, feedback, binding.

Both edges use it: the Telegram handlers (channel ``telegram``, conversation ``tg:<chat id>``) and
the web chat page (channel ``web``, conversation = a random key in the browser session).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import time
from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot import texts
from bot.models import ChatTurn, TelegramLink
from core.accounts.models import User
from core.config import get_settings
from core.enterprises import service as enterprise_service
from core.enterprises.credit_code import credit_code_problem
from core.enterprises.models import Enterprise
from core.errors import Invalid, NotFound

logger = logging.getLogger(__name__)

LINK_CODE_TTL_SECONDS = 15 * 60
SOURCE_FIELDS = (
    "title",
    "section",
    "article",
    "measure",
    "deadline",
    "departments",
    "text",
    "score",
)
MAX_SUGGESTIONS = 3


def _as_dict(value: object) -> dict:
    if isinstance(value, Mapping):
        return dict(value)
    if hasattr(value, "model_dump"):
        return value.model_dump()
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    return {name: getattr(value, name, None) for name in SOURCE_FIELDS}


def check_question(question: str) -> str:
    """The question stripped; ``Invalid`` when empty or over the length limit."""
    question = (question or "").strip()
    if not question:
        raise Invalid(texts.EMPTY_QUESTION)
    if len(question) > texts.MAX_QUESTION_CHARS:
        raise Invalid(
            texts.TOO_LONG.format(length=len(question), max_chars=texts.MAX_QUESTION_CHARS)
        )
    return question


def ask(
    session: Session,
    *,
    channel: str,
    conversation: str,
    question: str,
    client: str | None = None,
    province: str | None = None,
    city: str | None = None,
    enterprise_id: int | None = None,
) -> ChatTurn:
    """Answer ``question`` through the knowledge service; keep it as a turn of ``conversation``.

    ``province``/``city`` are the asker's region (a logged-in account's, a bound unit's): the
    question log carries them so the question reaches that region's curation queue.
    """
    from knowledge import service as knowledge_service

    question = check_question(question)
    result = knowledge_service.answer_question(
        session,
        question=question,
        channel=channel,
        client=client,
        province=province,
        city=city,
        conversation=conversation,
        enterprise_id=enterprise_id,
    )
    sources = []
    for source in getattr(result, "sources", None) or []:
        data = _as_dict(source)
        sources.append({name: data.get(name) for name in SOURCE_FIELDS})
    turn = ChatTurn(
        channel=channel,
        conversation=conversation,
        question=question,
        answered=bool(result.answered),
        answer=result.answer or "",
        confidence=float(result.confidence or 0.0),
        sources=sources,
        suggestions=[str(s) for s in (result.suggestions or [])][:MAX_SUGGESTIONS],
        log_id=getattr(result, "log_id", None),
    )
    session.add(turn)
    session.flush()
    return turn


def get_turn(session: Session, *, turn_id: int, conversation: str) -> ChatTurn:
    """A turn of this conversation; another conversation's turn is reported as not found."""
    turn = session.get(ChatTurn, turn_id)
    if turn is None or turn.conversation != conversation:
        raise NotFound(texts.FEEDBACK_GONE)
    return turn


def conversation_turns(session: Session, *, conversation: str, limit: int = 50) -> list[ChatTurn]:
    """The last ``limit`` turns of a conversation, oldest first."""
    rows = session.scalars(
        select(ChatTurn)
        .where(ChatTurn.conversation == conversation)
        .order_by(ChatTurn.id.desc())
        .limit(limit)
    )
    return list(reversed(list(rows)))


def give_feedback(session: Session, *, turn: ChatTurn, helpful: bool, voter: str) -> bool:
    """Record a 👍/👎 on a turn's answer; False when the turn already carried this same vote.

    The knowledge service keeps one vote per voter and answer, so pressing twice counts once.
    The return value is exact for one-person conversations (private chats, a browser session).
    """
    from knowledge import service as knowledge_service

    if turn.log_id is None:
        raise NotFound(texts.FEEDBACK_GONE)
    knowledge_service.record_feedback(session, log_id=turn.log_id, helpful=helpful, voter=voter)
    changed = turn.helpful is not helpful
    turn.helpful = helpful
    session.flush()
    return changed


def bind_enterprise(
    session: Session, *, telegram_user_id: int, credit_code: str
) -> tuple[Enterprise, Enterprise | None]:
    """Link a Telegram user to the enterprise with this credit code; returns (new, previous)."""
    code = (credit_code or "").strip().upper()
    problem = credit_code_problem(code)
    if problem:
        raise Invalid(texts.BIND_INVALID.format(problem=problem))
    unit = enterprise_service.find_by_credit_code(session, code)
    if unit is None:
        raise NotFound(texts.BIND_UNKNOWN.format(code=code))
    link = session.scalar(
        select(TelegramLink).where(TelegramLink.telegram_user_id == telegram_user_id)
    )
    previous = None
    if link is None:
        link = TelegramLink(telegram_user_id=telegram_user_id, enterprise_id=unit.id)
        session.add(link)
    else:
        if link.enterprise_id != unit.id:
            previous = session.get(Enterprise, link.enterprise_id)
        link.enterprise_id = unit.id
    session.flush()
    return unit, previous


def unbind_enterprise(session: Session, *, telegram_user_id: int) -> Enterprise | None:
    """Remove a Telegram user's enterprise link; returns the enterprise it pointed to, if any."""
    unit = bound_enterprise(session, telegram_user_id=telegram_user_id)
    session.execute(delete(TelegramLink).where(TelegramLink.telegram_user_id == telegram_user_id))
    session.flush()
    return unit


def bound_enterprise(session: Session, *, telegram_user_id: int) -> Enterprise | None:
    """The enterprise this Telegram user bound with ``/bind``, if any."""
    return session.scalar(
        select(Enterprise)
        .join(TelegramLink, TelegramLink.enterprise_id == Enterprise.id)
        .where(TelegramLink.telegram_user_id == telegram_user_id)
    )


def platform_user(session: Session, *, telegram_user_id: int) -> User | None:
    """The platform account linked to this Telegram user (``User.telegram_user_id``), if active."""
    return session.scalar(
        select(User).where(User.telegram_user_id == telegram_user_id, User.is_active.is_(True))
    )


# ---- linking a platform account (staff, admins, enterprise users) ---------------------------


def _link_signature(user_id: int, expires: int) -> str:
    key = get_settings().secret().encode()
    return hmac.new(key, f"telegram-link:{user_id}:{expires}".encode(), hashlib.sha256).hexdigest()[
        :24
    ]


def link_code(user_id: int, *, now: float | None = None) -> str:
    """A signed code, valid 15 minutes, that links a Telegram user to this account via /start.

    Only ``[0-9a-z-]`` and under 64 characters, so it fits a ``t.me/<bot>?start=`` deep link;
    signed rather than stored, so any worker can check it.
    """
    expires = int((now if now is not None else time.time()) + LINK_CODE_TTL_SECONDS)
    return f"{user_id}-{_b36(expires)}-{_link_signature(user_id, expires)}"


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def link_account(
    session: Session, *, telegram_user_id: int, code: str, now: float | None = None
) -> User:
    """Link the Telegram user to the account that issued ``code`` (replacing an earlier link)."""
    try:
        user_text, expires_text, signature = code.strip().lower().split("-")
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
    previous = platform_user(session, telegram_user_id=telegram_user_id)
    if previous is not None and previous.id != user.id:
        previous.telegram_user_id = None
        session.flush()  # the column is unique: free it before giving it to the new account
    user.telegram_user_id = telegram_user_id
    session.flush()
    return user


def unlink_account(session: Session, *, user: User) -> None:
    """Forget the Telegram user linked to this account."""
    user.telegram_user_id = None
    session.flush()
