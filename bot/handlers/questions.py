"""Text questions, the “您是不是想问” buttons and the 👍/👎 buttons."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session
from telegram import Chat, Message, Update
from telegram.constants import ChatAction, ParseMode

from bot import keyboards, texts
from bot import service as chat_service
from bot.context import BotContext
from bot.formatting import answer_html, split_html
from bot.handlers.errors import domain_errors_as_replies
from bot.handlers.guards import allow, is_group, strip_mention
from bot.models import ChatTurn
from core.errors import NotFound

logger = logging.getLogger(__name__)


def conversation_of(chat_id: int) -> str:
    """The conversation key of a Telegram chat."""
    return f"tg:{chat_id}"


def voter_of(user_id: int) -> str:
    """The feedback voter of a Telegram user (one vote per user and answer)."""
    return f"telegram:{user_id}"


def _ask(session: Session, *, chat_id: int, user_id: int | None, question: str) -> ChatTurn:
    unit = chat_service.bound_enterprise(session, telegram_user_id=user_id) if user_id else None
    return chat_service.ask(
        session,
        channel="telegram",
        conversation=conversation_of(chat_id),
        question=question,
        client=voter_of(user_id) if user_id else None,
        province=unit.province if unit else None,
        city=unit.city if unit else None,
        enterprise_id=unit.id if unit else None,
    )


def render_turn(turn: ChatTurn, *, echo_question: bool = False) -> list[str]:
    """The answer of a turn as Telegram HTML messages, each within the length limit."""
    html = answer_html(
        answer=turn.answer,
        answered=turn.answered,
        sources=turn.sources,
        suggestions=turn.suggestions,
        question=turn.question if echo_question else None,
    )
    return split_html(html)


async def answer_question(
    context: BotContext,
    chat: Chat,
    user_id: int | None,
    question: str,
    *,
    reply_to: Message | None = None,
    echo_question: bool = False,
) -> None:
    """Answer ``question`` in ``chat``: the cited answer, suggestions and feedback buttons."""
    question = question.strip()
    if len(question) > texts.MAX_QUESTION_CHARS:
        text = texts.TOO_LONG.format(length=len(question), max_chars=texts.MAX_QUESTION_CHARS)
        await context.bot.send_message(chat.id, text, reply_to_message_id=_quote(chat, reply_to))
        return
    if not question:
        await context.bot.send_message(chat.id, texts.EMPTY_QUESTION)
        return
    await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    turn = await context.run(_ask, chat_id=chat.id, user_id=user_id, question=question)
    parts = render_turn(turn, echo_question=echo_question)
    keyboard = keyboards.answer_keyboard(turn.id, turn.suggestions)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        await context.bot.send_message(
            chat.id,
            part,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard if last else None,
            reply_to_message_id=_quote(chat, reply_to) if i == 0 else None,
        )


def _quote(chat: Chat, message: Message | None) -> int | None:
    # In a group the reply quotes the question, so everyone sees whom we answer.
    return message.message_id if message is not None and is_group(chat) else None


@domain_errors_as_replies
async def on_text(update: Update, context: BotContext) -> None:
    """Any text that is not a command is a question."""
    message = update.message
    question = message.text or ""
    if is_group(message.chat):
        question = strip_mention(question, context.bot.username)
    user_id = message.from_user.id if message.from_user else None
    await answer_question(context, message.chat, user_id, question, reply_to=message)


@domain_errors_as_replies
async def on_suggestion(update: Update, context: BotContext) -> None:
    """A “您是不是想问” button: ask that question as if the user had typed it."""
    query = update.callback_query
    _, turn_id, index = keyboards.parse(query.data)
    if query.message is None:
        await query.answer(texts.SUGGESTION_GONE)
        return
    chat = query.message.chat

    def suggestion(session: Session) -> str | None:
        turn = chat_service.get_turn(
            session, turn_id=int(turn_id), conversation=conversation_of(chat.id)
        )
        position = int(index)
        return turn.suggestions[position] if 0 <= position < len(turn.suggestions) else None

    try:
        question = await context.run(suggestion)
    except NotFound:
        question = None
    if not question:
        await query.answer(texts.SUGGESTION_GONE)
        return
    allowed, _ = await allow(context, chat.id, query.from_user.id)
    if not allowed:
        await query.answer(texts.RATE_LIMITED, show_alert=True)
        return
    await query.answer()
    await answer_question(context, chat, query.from_user.id, question, echo_question=True)


@domain_errors_as_replies
async def on_feedback(update: Update, context: BotContext) -> None:
    """👍 / 👎 under an answer: one vote per user and answer; pressing again does not add one."""
    query = update.callback_query
    _, turn_id, flag = keyboards.parse(query.data)
    if query.message is None:
        await query.answer(texts.FEEDBACK_GONE)
        return
    chat = query.message.chat
    helpful = flag == "1"

    def vote(session: Session) -> tuple[bool, list[str]]:
        turn = chat_service.get_turn(
            session, turn_id=int(turn_id), conversation=conversation_of(chat.id)
        )
        changed = chat_service.give_feedback(
            session, turn=turn, helpful=helpful, voter=voter_of(query.from_user.id)
        )
        return changed, list(turn.suggestions)

    try:
        changed, suggestions = await context.run(vote)
    except NotFound:
        await query.answer(texts.FEEDBACK_GONE)
        return
    if is_group(chat):
        # Votes are per person; the turn's last vote says nothing about this member's.
        await query.answer(texts.FEEDBACK_THANKS)
        return
    await query.answer(texts.FEEDBACK_THANKS if changed else texts.FEEDBACK_ALREADY)
    if changed:
        # In a private chat the buttons show the user's choice.
        await keyboards.replace_markup(
            query, keyboards.answer_keyboard(int(turn_id), suggestions, chosen=helpful)
        )


async def on_not_text(update: Update, context: BotContext) -> None:
    """Photos, stickers, voice, files …: a polite text-only reply."""
    await update.message.reply_text(texts.NOT_TEXT)
