"""The web chat page /chat: the same answers, citations, feedback and suggestions as the bot.

Works without JavaScript (plain form posts and redirects); ``/static/chat.js`` turns the same
forms into in-place requests (``Accept: application/json``). The conversation lives in the
database under a random key kept in the browser's session cookie.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse

from bot import service as chat_service
from bot import texts
from bot.models import ChatTurn
from core import ratelimit
from core.config import get_settings
from core.deps import RequestSessionRoute, SessionDep, client_address
from core.errors import DomainError, NotFound
from web.deps import CsrfChecked, MaybePageUser, PageUser
from web.templating import csrf_token, render, templates

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)

CONVERSATION_KEY = "chat_conversation"
SHOWN_TURNS = 50


def chat_limit_key(user, address: str) -> str:
    """The chat budget: per account (shared with its Telegram), else per address — never per
    conversation, which ``/chat/new`` would renew."""
    return "chat:" + ratelimit.caller_key(user, address)


def conversation_key(request: Request) -> str:
    """This browser session's conversation, created on first use."""
    key = request.session.get(CONVERSATION_KEY)
    if not key:
        key = "web:" + secrets.token_urlsafe(18)
        request.session[CONVERSATION_KEY] = key
    return key


def _voter(request: Request, user) -> str:
    return f"user:{user.id}" if user is not None else conversation_key(request)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _turn_html(request: Request, turn: ChatTurn) -> str:
    template = templates.env.get_template("chat/_turn.html")
    return template.render(turn=turn, csrf_token=csrf_token(request), texts=texts)


def _telegram_panel(request: Request, user) -> dict | None:
    """For a logged-in user: the /start command that links Telegram, or the current link."""
    if user is None:
        return None
    if user.telegram_user_id is not None:
        return {"linked": True}
    code = chat_service.link_code(user.id)
    application = getattr(request.app.state, "telegram", None)
    username = application.bot.username if application is not None else None
    return {
        "linked": False,
        "command": f"/start {code}",
        "deep_link": f"https://t.me/{username}?start={code}" if username else None,
    }


def _page(
    request: Request, session, *, question: str = "", error: str | None = None, status: int = 200
):
    turns = chat_service.conversation_turns(
        session, conversation=conversation_key(request), limit=SHOWN_TURNS
    )
    context = {
        "turns": turns,
        "question": question,
        "error": error,
        "texts": texts,
        "max_chars": texts.MAX_QUESTION_CHARS,
        "examples": texts.EXAMPLE_QUESTIONS,
        "telegram": _telegram_panel(request, getattr(request.state, "user", None)),
    }
    return render(request, "chat/chat.html", context, status)


@router.get("/chat")
def chat_page(request: Request, session: SessionDep, user: MaybePageUser):
    return _page(request, session)


@router.post("/chat", dependencies=[CsrfChecked])
def chat_ask(
    request: Request,
    session: SessionDep,
    user: MaybePageUser,
    question: Annotated[str, Form()] = "",
):
    conversation = conversation_key(request)
    address = client_address(request)
    try:
        ratelimit.enforce(
            session,
            chat_limit_key(user, address),
            limit=get_settings().chat_rate_per_minute,
            message=texts.RATE_LIMITED,
        )
        turn = chat_service.ask(
            session,
            channel="web",
            conversation=conversation,
            question=question,
            client=address,
            province=user.province if user is not None else None,
            city=user.city if user is not None else None,
            enterprise_id=user.enterprise_id if user is not None else None,
        )
        session.commit()
    except DomainError as exc:
        session.rollback()
        if _wants_json(request):
            return JSONResponse({"detail": exc.message}, status_code=exc.status_code)
        return _page(request, session, question=question, error=exc.message, status=exc.status_code)
    if _wants_json(request):
        return {"turn_id": turn.id, "html": _turn_html(request, turn)}
    return RedirectResponse(f"/chat#turn-{turn.id}", status_code=303)


@router.post("/chat/feedback", dependencies=[CsrfChecked])
def chat_feedback(
    request: Request,
    session: SessionDep,
    user: MaybePageUser,
    turn_id: Annotated[int, Form()],
    helpful: Annotated[int, Form(ge=0, le=1)],
):
    turn = chat_service.get_turn(session, turn_id=turn_id, conversation=conversation_key(request))
    if turn.log_id is None:
        raise NotFound(texts.FEEDBACK_GONE)
    changed = chat_service.give_feedback(
        session, turn=turn, helpful=bool(helpful), voter=_voter(request, user)
    )
    session.commit()
    message = texts.FEEDBACK_THANKS if changed else texts.FEEDBACK_ALREADY
    if _wants_json(request):
        return {"turn_id": turn.id, "helpful": bool(helpful), "message": message}
    return RedirectResponse(f"/chat#turn-{turn.id}", status_code=303)


@router.post("/chat/new", dependencies=[CsrfChecked])
def chat_new(request: Request):
    """Start a new conversation (the old one stays in the question log for curation)."""
    request.session.pop(CONVERSATION_KEY, None)
    return RedirectResponse("/chat", status_code=303)


@router.post("/chat/telegram/unlink", dependencies=[CsrfChecked])
def telegram_unlink(request: Request, session: SessionDep, user: PageUser):
    """Forget the Telegram account linked to the logged-in user."""
    chat_service.unlink_account(session, user=user)
    session.commit()
    return RedirectResponse("/chat", status_code=303)
