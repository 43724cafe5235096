"""Checks before any handler: group chats answer only when addressed; a per-person rate limit."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session
from telegram import Chat, Message, MessageEntity, Update
from telegram.ext import ApplicationHandlerStop

from bot import service as chat_service
from bot import texts
from bot.context import BotContext
from core import ratelimit

logger = logging.getLogger(__name__)

WARNED = "rate_warned_chats"


def is_group(chat: Chat) -> bool:
    """True for groups and supergroups."""
    return chat.type in (Chat.GROUP, Chat.SUPERGROUP)


def addressed_to_bot(message: Message, bot_id: int, bot_username: str | None) -> bool:
    """A command, a reply to the bot, or a message that mentions it."""
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        return True
    entities = message.parse_entities() or message.parse_caption_entities()
    for entity, text in entities.items():
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            return True
        if entity.type == MessageEntity.MENTION and bot_username:
            if text.lstrip("@").lower() == bot_username.lower():
                return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return True
    return False


def strip_mention(text: str, bot_username: str | None) -> str:
    """The question without ``@botname``."""
    if bot_username:
        text = text.replace(f"@{bot_username}", " ")
    return text.strip()


def limit_key(session: Session, *, chat_id: int, telegram_user_id: int | None) -> str:
    """Whose budget a message counts against: the linked account (the same budget as the web
    chat), else the Telegram user, else the chat."""
    if telegram_user_id is None:
        return f"chat:tg-chat:{chat_id}"
    user = chat_service.platform_user(session, telegram_user_id=telegram_user_id)
    if user is not None:
        return "chat:" + ratelimit.caller_key(user, "")
    return f"chat:tg:{telegram_user_id}"


def _count(session: Session, *, chat_id: int, telegram_user_id: int | None, limit: int) -> int:
    key = limit_key(session, chat_id=chat_id, telegram_user_id=telegram_user_id)
    return ratelimit.hit(session, key, limit=limit)


async def allow(
    context: BotContext, chat_id: int, telegram_user_id: int | None = None
) -> tuple[bool, bool]:
    """(allowed, warn now): over the limit, only the first refused message gets the polite reply.

    Counted in the database, so the limit holds with several workers receiving webhooks.
    """
    warned: set[int] = context.bot_data.setdefault(WARNED, set())
    try:
        wait = await context.run(
            _count,
            chat_id=chat_id,
            telegram_user_id=telegram_user_id,
            limit=context.rate_per_minute,
        )
    except Exception:  # the handler that follows meets the same fault and reports it
        logger.warning("无法检查 Telegram 消息频率，本条放行", exc_info=True)
        return True, False
    if not wait:
        warned.discard(chat_id)
        return True, False
    first = chat_id not in warned
    warned.add(chat_id)
    return False, first


async def guard(update: Update, context: BotContext) -> None:
    """Stop messages that are not for us, and messages over the per-chat rate limit."""
    message = update.message
    if message is None:
        return
    if is_group(message.chat) and not addressed_to_bot(
        message, context.bot.id, context.bot.username
    ):
        raise ApplicationHandlerStop
    sender = message.from_user.id if message.from_user else None
    allowed, warn = await allow(context, message.chat.id, sender)
    if not allowed:
        if warn:
            await message.reply_text(texts.RATE_LIMITED)
        raise ApplicationHandlerStop
