"""Checks before any handler: group chats answer only when addressed; a per-chat rate limit."""

from __future__ import annotations

from telegram import Chat, Message, MessageEntity, Update
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.context import BotContext

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


def allow(context: BotContext, chat_id: int) -> tuple[bool, bool]:
    """(allowed, warn now): over the limit, only the first refused message gets the polite reply."""
    warned: set[int] = context.bot_data.setdefault(WARNED, set())
    if context.limiter.allow(f"chat:{chat_id}"):
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
    allowed, warn = allow(context, message.chat.id)
    if not allowed:
        if warn:
            await message.reply_text(texts.RATE_LIMITED)
        raise ApplicationHandlerStop
