"""/start, /help, /bind and /unbind."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode

from bot import service as chat_service
from bot import texts
from bot.context import BotContext
from bot.formatting import escape
from bot.handlers.errors import domain_errors_as_replies
from core.accounts.models import ROLE_LABELS, Role


@domain_errors_as_replies
async def on_start(update: Update, context: BotContext) -> None:
    """Welcome: what the bot can do, and example questions; ``/start CODE`` links an account."""
    if context.args:
        user = await context.run(
            chat_service.link_account,
            telegram_user_id=update.effective_user.id,
            code=context.args[0],
        )
        await update.message.reply_text(
            texts.LINK_DONE.format(
                name=escape(user.display_name or user.username),
                role=escape(ROLE_LABELS[Role(user.role)]),
            ),
            parse_mode=ParseMode.HTML,
        )
        return
    examples = "\n".join(f"• {escape(q)}" for q in texts.EXAMPLE_QUESTIONS)
    await update.message.reply_text(
        texts.START.format(examples=examples), parse_mode=ParseMode.HTML
    )


async def on_help(update: Update, context: BotContext) -> None:
    """How to ask, and every command."""
    commands = "\n".join(f"/{name} — {escape(description)}" for name, description in texts.COMMANDS)
    await update.message.reply_text(
        texts.HELP.format(max_chars=texts.MAX_QUESTION_CHARS, commands=commands),
        parse_mode=ParseMode.HTML,
    )


@domain_errors_as_replies
async def on_bind(update: Update, context: BotContext) -> None:
    """/bind 统一社会信用代码: link this Telegram user to an enterprise of the registry."""
    if len(context.args or []) != 1:
        await update.message.reply_text(texts.BIND_USAGE)
        return
    user_id = update.effective_user.id
    unit, previous = await context.run(
        chat_service.bind_enterprise, telegram_user_id=user_id, credit_code=context.args[0]
    )
    text = texts.BIND_DONE.format(
        name=escape(unit.name),
        code=escape(unit.credit_code),
        province=escape(unit.province),
        city=escape(unit.city if unit.city != unit.province else ""),
        category=escape(unit.management_category),
    )
    if previous is not None:
        text += texts.BIND_REPLACED.format(previous=escape(previous.name))
    await update.message.reply_text(text, parse_mode=ParseMode.HTML)


@domain_errors_as_replies
async def on_unbind(update: Update, context: BotContext) -> None:
    """/unbind: forget this Telegram user's enterprise."""
    unit = await context.run(
        chat_service.unbind_enterprise, telegram_user_id=update.effective_user.id
    )
    if unit is None:
        await update.message.reply_text(texts.UNBIND_NONE)
    else:
        await update.message.reply_text(
            texts.UNBIND_DONE.format(name=escape(unit.name)), parse_mode=ParseMode.HTML
        )
