"""What the official account replies to each message or event (one unit of work per delivery).

WeChat retries a message it got no reply to within 5 seconds, up to three times with the same
``MsgId``. ``handle`` claims the delivery's key in the database before answering (a unique row,
so it holds across workers), answers once, and stores the reply; a retry that finds the key
returns the stored reply, waiting a little while the first delivery is still being answered.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import re
import time

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import service as chat_service
from bot.models import ChatTurn
from core import ratelimit
from core.config import get_settings
from core.errors import DomainError, Invalid
from wechat import binding, texts
from wechat.models import WechatDelivery

logger = logging.getLogger(__name__)

CHANNEL = "wechat"
# A retry waits this long for the first delivery's reply; WeChat gives up after 5 seconds.
RETRY_WAIT_SECONDS = 4.0
RETRY_POLL_SECONDS = 0.1
MAX_SUGGESTIONS = 3
MAX_MENU_ITEMS = 5
_CHOICE = re.compile(r"[A-Fa-f]{1,6}")
_NUMBER = re.compile(r"[1-9]")
_BIND = re.compile(r"绑定\s*(\S*)\s*(\S*)")
_LINK = re.compile(r"绑定账号\s*(\S*)")
_SENTENCE_END = "。！？；!?;\n"

# Menu click keys (wechat/menu.py publishes the buttons that send them).
MENU_FAQ = "FAQ"
MENU_CASES = "CASES"
MENU_PRACTICE = "PRACTICE"
MENU_BIND = "BIND"
MENU_HELP = "HELP"


@dataclasses.dataclass(frozen=True)
class Inbound:
    """The parts of a delivered message or event that the reply depends on."""

    openid: str
    key: str
    type: str  # "text", "voice", "event", "image", …
    text: str | None = None
    event: str | None = None
    event_key: str | None = None


def inbound_from(message) -> Inbound:
    """Read a ``wechatpy`` message or event into an ``Inbound``."""
    openid = str(message.source or "")[:64]
    kind = str(message.type or "unknown").lower()
    if kind == "event":
        event = str(getattr(message, "event", "") or "").lower()
        event_key = getattr(message, "key", None)
        # events carry no MsgId: WeChat's advice is sender + CreateTime (+ what was clicked)
        key = f"evt:{openid}:{message.create_time.timestamp():.0f}:{event}:{event_key or ''}"
        return Inbound(openid, key[:160], kind, event=event, event_key=event_key)
    msg_id = getattr(message, "id", None)
    key = f"msg:{msg_id}" if msg_id else f"msg:{openid}:{message.create_time.timestamp():.0f}"
    text = None
    if kind == "text":
        text = message.content or ""
    elif kind == "voice":
        text = getattr(message, "recognition", None) or ""
    return Inbound(openid, key[:160], kind, text=text)


def conversation_of(openid: str) -> str:
    """The chat conversation of a follower (follow-ups read its previous turn)."""
    return f"wx:{openid}"


def base_url() -> str:
    return get_settings().base_url.rstrip("/")


def answer_token(turn_id: int) -> str:
    """The non-guessable path part of a turn's public answer page ``/a/{token}``."""
    key = get_settings().secret().encode()
    signature = hmac.new(key, f"answer-page:{turn_id}".encode(), hashlib.sha256).hexdigest()[:16]
    return f"{turn_id}-{signature}"


def turn_of_token(token: str) -> int | None:
    """The turn id a token stands for, or None when the token is not one we issued."""
    turn_text, _, _ = (token or "").partition("-")
    if not turn_text.isdigit() or len(turn_text) > 12:
        return None
    return int(turn_text) if hmac.compare_digest(token, answer_token(int(turn_text))) else None


def answer_url(turn_id: int) -> str:
    return f"{base_url()}/a/{answer_token(turn_id)}"


# ---- deliveries: once per MsgId, across workers ------------------------------------------


def handle(session: Session, inbound: Inbound) -> str:
    """The reply text to a delivery ("" for none), answered once however often it is delivered."""
    if not _claim(session, inbound):
        return _stored_reply(session, inbound.key)
    try:
        try:
            reply = respond(session, inbound)
        except DomainError as exc:
            session.rollback()
            reply = exc.message
        delivery = session.scalar(select(WechatDelivery).where(WechatDelivery.key == inbound.key))
        delivery.reply = reply
        session.commit()
    except Exception:
        session.rollback()
        # free the key, so WeChat's retry gets another chance instead of an empty reply
        session.execute(delete(WechatDelivery).where(WechatDelivery.key == inbound.key))
        session.commit()
        raise
    return reply


def _claim(session: Session, inbound: Inbound) -> bool:
    """Insert the delivery's key; False when another delivery of it got there first."""
    try:
        with session.begin_nested():
            session.add(WechatDelivery(key=inbound.key, openid=inbound.openid))
        session.commit()
        return True
    except IntegrityError:
        session.rollback()
        return False


def _stored_reply(session: Session, key: str) -> str:
    deadline = time.monotonic() + RETRY_WAIT_SECONDS
    while True:
        reply = session.scalar(select(WechatDelivery.reply).where(WechatDelivery.key == key))
        session.rollback()  # end the read, so the next look sees the other worker's commit
        if reply is not None or time.monotonic() > deadline:
            return reply or ""
        time.sleep(RETRY_POLL_SECONDS)


# ---- what to reply -------------------------------------------------------------------------


def respond(session: Session, inbound: Inbound) -> str:
    """The reply to one message or event (no de-duplication: see ``handle``)."""
    if inbound.type == "event":
        return _on_event(session, inbound)
    if inbound.type == "voice":
        if not (inbound.text or "").strip():
            return texts.VOICE_UNRECOGNISED
        return on_text(session, inbound.openid, inbound.text.strip().rstrip("。"))
    if inbound.type == "text":
        return on_text(session, inbound.openid, inbound.text or "")
    return texts.NOT_SUPPORTED


def _on_event(session: Session, inbound: Inbound) -> str:
    if inbound.event in ("subscribe", "subscribe_scan"):
        return welcome()
    if inbound.event == "click":
        return on_menu(session, inbound.openid, (inbound.event_key or "").upper())
    return ""  # unsubscribe, location reports, view clicks …: nothing to say


def welcome() -> str:
    """The welcome text with example questions."""
    examples = "\n".join(f"{i}. {q}" for i, q in enumerate(texts.EXAMPLE_QUESTIONS, 1))
    return texts.WELCOME.format(examples=examples)


def help_text() -> str:
    return texts.HELP.format(max_chars=texts.MAX_QUESTION_CHARS, base=base_url())


def on_menu(session: Session, openid: str, key: str) -> str:
    """A custom-menu button."""
    if key == MENU_FAQ:
        return faq_menu(session)
    if key == MENU_CASES:
        return cases_menu(session)
    if key == MENU_PRACTICE:
        return start_practice(session, openid)
    if key == MENU_BIND:
        return texts.BIND_HELP.format(url=f"{base_url()}/wechat/bind")
    return help_text()


def on_text(session: Session, openid: str, text: str) -> str:
    """A text (or recognised voice) message: a command word, a practice answer or a question."""
    text = (text or "").strip()
    if not text:
        return texts.HELP.format(max_chars=texts.MAX_QUESTION_CHARS, base=base_url())
    if text.lower() in texts.HELP_WORDS:
        return help_text()
    if text in texts.FAQ_WORDS:
        return faq_menu(session)
    if text in texts.CASES_WORDS:
        return cases_menu(session)
    if text in texts.UNBIND_WORDS:
        done = binding.unbind(session, openid=openid)
        return texts.UNBOUND if done else texts.NOTHING_BOUND
    link = _LINK.fullmatch(text)
    if link:
        if not link.group(1):
            return texts.LINK_USAGE
        user = binding.link_account(session, openid=openid, code=link.group(1))
        return texts.LINK_DONE.format(name=user.display_name or user.username)
    bind = _BIND.fullmatch(text)
    if bind:
        if not bind.group(1) or not bind.group(2):
            return texts.BIND_USAGE
        unit, previous = binding.bind_enterprise(
            session, openid=openid, credit_code=bind.group(1), code=bind.group(2)
        )
        region = unit.province + (unit.city if unit.city != unit.province else "")
        if previous is not None:
            return texts.BIND_REPLACED.format(name=unit.name, region=region, previous=previous.name)
        return texts.BIND_DONE.format(name=unit.name, region=region)
    if text in texts.STOP_PRACTICE_WORDS:
        row = binding.follower(session, openid, create=False)
        if row is not None:
            row.practice_question_id = None
            session.flush()
        return texts.PRACTICE_STOPPED
    if text in texts.PRACTICE_WORDS:
        return start_practice(session, openid)
    row = binding.follower(session, openid, create=False)
    if row is not None and row.practice_question_id and _is_choice(text):
        return answer_practice(session, openid, text)
    if _NUMBER.fullmatch(text):
        suggestion = _suggestion(session, openid, int(text))
        if suggestion is None:
            return texts.NO_SUCH_SUGGESTION.format(number=text)
        return ask(session, openid, suggestion, echo=True)
    return ask(session, openid, text)


def _is_choice(text: str) -> bool:
    compact = re.sub(r"[\s,，、]", "", text)
    return bool(_CHOICE.fullmatch(compact)) or compact in ("对", "错", "正确", "错误")


def _suggestion(session: Session, openid: str, number: int) -> str | None:
    turns = chat_service.conversation_turns(session, conversation=conversation_of(openid), limit=1)
    if not turns:
        return None
    suggestions = turns[-1].suggestions or []
    return suggestions[number - 1] if number <= len(suggestions) else None


def _limit(session: Session, openid: str) -> None:
    ratelimit.enforce(
        session,
        f"wechat:{openid}",
        limit=get_settings().chat_rate_per_minute,
        message=texts.RATE_LIMITED,
    )


def _asker(session: Session, openid: str) -> tuple[str | None, str | None, int | None]:
    """(province, city, unit id) of the follower: their bound unit's, or their staff account's."""
    row = binding.follower(session, openid, create=False)
    unit = binding.bound_unit(session, row)
    if unit is not None:
        return unit.province, unit.city, unit.id
    user = binding.linked_user(session, row)
    if user is not None:
        return user.province, user.city, user.enterprise_id
    return None, None, None


def ask(session: Session, openid: str, question: str, *, echo: bool = False) -> str:
    """Answer a question through the shared Q&A service; the reply cites its clause."""
    _limit(session, openid)
    province, city, unit_id = _asker(session, openid)
    turn = chat_service.ask(
        session,
        channel=CHANNEL,
        conversation=conversation_of(openid),
        question=question,
        client=f"wechat:{openid}",
        province=province,
        city=city,
        enterprise_id=unit_id,
    )
    return format_turn(turn, echo=echo, faq_id=_faq_of(session, turn))


def _faq_of(session: Session, turn: ChatTurn) -> int | None:
    """The FAQ entry the answer came from (its public page is linked), if any."""
    from knowledge.models import QuestionLog

    if turn.log_id is None or not turn.answered:
        return None
    return session.scalar(select(QuestionLog.faq_id).where(QuestionLog.id == turn.log_id))


# ---- formatting a turn as one passive reply ----------------------------------------------


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def citation_line(source: dict) -> str:
    """One plain-text citation: 《document》 section · 第N条 · 措施N · 完成时限 · 责任部门."""
    bits = [f"《{source.get('title') or ''}》"]
    for name in ("section", "article"):
        if source.get(name):
            bits.append(str(source[name]))
    if source.get("measure"):
        bits.append(f"措施{source['measure']}")
    if source.get("deadline"):
        bits.append(f"完成时限：{source['deadline']}")
    if source.get("departments"):
        bits.append(f"责任部门：{source['departments']}")
    return " · ".join(bits)


def cut_at_sentence(text: str, budget: int) -> str:
    """The longest head of ``text`` within ``budget`` UTF-8 bytes that ends a sentence
    (else a comma, else anywhere)."""
    if _size(text) <= budget:
        return text
    head = text.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    for marks in (_SENTENCE_END, "，,、：:"):
        cut = max(head.rfind(m) for m in marks)
        if cut >= len(head) // 3:
            return head[: cut + 1].rstrip()
    return head


def format_turn(
    turn: ChatTurn,
    *,
    echo: bool = False,
    faq_id: int | None = None,
    limit: int = texts.MAX_REPLY_BYTES,
) -> str:
    """A turn as one text reply within ``limit`` bytes: the answer (cut at a sentence end, with a
    link to the whole answer when too long), its clauses, then numbered suggestions."""
    from bot.formatting import distinct_sources

    head = f"问：{turn.question}\n\n" if echo else ""
    cited = distinct_sources(turn.sources) if turn.answered else []
    citations = ""
    if cited:
        citations = "\n\n" + texts.CITATION_HEADING + "\n"
        citations += "\n".join(f"{i}. {citation_line(s)}" for i, s in enumerate(cited, 1))
    suggestions = [s for s in (turn.suggestions or [])][:MAX_SUGGESTIONS]
    tail = ""
    if suggestions:
        numbers = "、".join(str(i) for i in range(1, len(suggestions) + 1))
        tail = "\n\n" + texts.SUGGESTIONS_HEADING + "\n"
        tail += "\n".join(f"{i}. {s}" for i, s in enumerate(suggestions, 1))
        tail += "\n" + texts.NUMBER_HINT.format(numbers=numbers)
    link = ""
    if turn.log_id is not None:
        link = "\n\n" + texts.FULL_ANSWER_LINK.format(url=answer_url(turn.id))
    if faq_id is not None:
        link += "\n" + texts.FAQ_LINK.format(url=f"{base_url()}/faq/{faq_id}")
    answer = turn.answer or ""
    whole = head + answer + citations + link + tail
    if _size(whole) <= limit:
        return whole
    # Drop what matters least first: suggestions, then later citations; then cut the answer.
    for candidate_tail in (tail, ""):
        fixed = head + citations + link + candidate_tail
        budget = limit - _size(fixed) - _size(texts.CUT_NOTE)
        if budget >= min(300, _size(answer)):
            body = cut_at_sentence(answer, budget)
            note = texts.CUT_NOTE if body != answer else ""
            return head + body + note + citations + link + candidate_tail
    if cited:
        citations = "\n\n" + texts.CITATION_HEADING + "\n1. " + citation_line(cited[0])
    budget = limit - _size(head + citations + link) - _size(texts.CUT_NOTE)
    body = cut_at_sentence(answer, max(budget, 0))
    return head + body + texts.CUT_NOTE + citations + link


# ---- menus: FAQ and cases -------------------------------------------------------------------


def faq_menu(session: Session) -> str:
    """The latest published FAQ entries, each with its public page."""
    from core.regions.scope import RegionScope
    from knowledge import faq

    entries = sorted(
        faq.active_faqs(session, scope=RegionScope()),
        key=lambda e: (e.updated_at, e.id),
        reverse=True,
    )
    public = [e for e in entries if e.province is None][:MAX_MENU_ITEMS] or entries[:MAX_MENU_ITEMS]
    if not public:
        return texts.FAQ_MENU_EMPTY + "\n" + texts.FAQ_MENU_MORE.format(url=f"{base_url()}/faq")
    lines = [texts.FAQ_MENU_HEADING]
    for i, entry in enumerate(public, 1):
        lines.append(f'{i}. <a href="{base_url()}/faq/{entry.id}">{entry.question}</a>')
    lines.append(texts.FAQ_MENU_MORE.format(url=f"{base_url()}/faq"))
    return "\n".join(lines)


def cases_menu(session: Session) -> str:
    """The latest published typical cases, each with its public page."""
    from cases import service as case_service

    cases, _total = case_service.list_published(session, limit=MAX_MENU_ITEMS)
    more = texts.CASES_MENU_MORE.format(url=f"{base_url()}/cases")
    if not cases:
        return texts.CASES_MENU_EMPTY + "\n" + more
    lines = [texts.CASES_MENU_HEADING]
    for i, case in enumerate(cases, 1):
        lines.append(f'{i}. <a href="{base_url()}/cases/{case.id}">{case.title}</a>')
    lines.append(more)
    return "\n".join(lines)


# ---- practice questions ------------------------------------------------------------------


def start_practice(session: Session, openid: str) -> str:
    """Draw a practice question for the follower's linked account; it waits for a letter."""
    from quiz import practice

    row = binding.follower(session, openid)
    user = binding.linked_user(session, row)
    if user is None:
        return texts.PRACTICE_NEEDS_ACCOUNT.format(url=f"{base_url()}/wechat/bind")
    _limit(session, openid)
    question = practice.practice_question(session, user=user)
    row.practice_question_id = question.id
    session.flush()
    options = "\n".join(f"{o.letter}. {o.text}" for o in question.options)
    multi = texts.PRACTICE_MULTI if question.kind == "多选" else ""
    return texts.PRACTICE_QUESTION.format(
        kind=question.kind, stem=question.stem, options=options, multi=multi
    )


def answer_practice(session: Session, openid: str, text: str) -> str:
    """Score the letter(s) against the waiting question; a mistake goes to the 错题本."""
    from quiz import practice

    row = binding.follower(session, openid)
    user = binding.linked_user(session, row)
    if user is None:
        row.practice_question_id = None
        session.flush()
        return texts.PRACTICE_NEEDS_ACCOUNT.format(url=f"{base_url()}/wechat/bind")
    choice = re.sub(r"[\s,，、]", "", text).upper()
    choice = {"对": "A", "正确": "A", "错": "B", "错误": "B"}.get(choice, choice)
    question_id = row.practice_question_id
    try:
        result = practice.check_practice_answer(
            session, user=user, question_id=question_id, choice=choice
        )
    except Invalid:
        raise  # a letter the question does not have: the question stays open
    except DomainError:
        session.rollback()  # the question was retired or reserved meanwhile: forget it
        row = binding.follower(session, openid)
        row.practice_question_id = None
        session.commit()
        raise
    row = binding.follower(session, openid)
    row.practice_question_id = None
    session.flush()
    lines = [
        texts.PRACTICE_RIGHT
        if result.correct
        else texts.PRACTICE_WRONG.format(choice=result.choice or choice)
    ]
    lines.append(texts.PRACTICE_KEY.format(answer=result.answer_text))
    if result.explanation:
        lines.append(texts.PRACTICE_EXPLANATION.format(explanation=result.explanation))
    if result.source:
        lines.append(texts.PRACTICE_SOURCE.format(source=result.source))
    lines.append(texts.PRACTICE_NEXT)
    return "\n".join(lines)
