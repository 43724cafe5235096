"""/remind: a linked admin's reminder list (the one ``permithub remind --send`` mails them)."""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot import service as chat_service
from bot import texts
from bot.context import BotContext
from bot.handlers.errors import domain_errors_as_replies
from core.timezone import BEIJING
from courses import reminder_delivery

# Telegram allows 4096 characters per message: the first units, then a pointer to the page.
UNITS_IN_CHAT = 30


def _reminder_reply(session, *, telegram_user_id: int, today: dt.date) -> str:
    user = chat_service.platform_user(session, telegram_user_id=telegram_user_id)
    if user is None:
        return texts.NOT_LINKED
    if not user.role_enum.is_admin:
        return texts.REMIND_ADMINS_ONLY
    reminder = reminder_delivery.list_for_admin(session, user=user, as_of=today)
    if reminder is None or not reminder.units:
        return texts.REMIND_NOTHING.format(day=today.isoformat())
    return reminder_delivery.reminder_text(reminder, limit=UNITS_IN_CHAT)


@domain_errors_as_replies
async def on_remind(update: Update, context: BotContext) -> None:
    """/remind: the uncovered units this admin answers for, newly changed representatives first."""
    today = dt.datetime.now(BEIJING).date()
    text = await context.run(
        _reminder_reply, telegram_user_id=update.effective_user.id, today=today
    )
    await update.message.reply_text(text)
