"""Handler registration: guards first (group -1), then commands, buttons and messages."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.handlers import admin, commands, errors, guards, learning, questions

NOT_TEXT = (
    filters.PHOTO
    | filters.Sticker.ALL
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.ANIMATION
    | filters.Document.ALL
    | filters.LOCATION
    | filters.CONTACT
    | filters.POLL
    | filters.Dice.ALL
)


def register(application: Application) -> None:
    """Add every handler and the error handler to ``application``."""
    application.add_handler(TypeHandler(Update, guards.guard), group=-1)
    new_messages = filters.UpdateType.MESSAGE
    for name, callback in (
        ("start", commands.on_start),
        ("help", commands.on_help),
        ("bind", commands.on_bind),
        ("unbind", commands.on_unbind),
        ("quiz", learning.on_quiz),
        ("contest", learning.on_contest),
        ("courses", learning.on_courses),
        ("progress", learning.on_progress),
        ("remind", admin.on_remind),
    ):
        application.add_handler(CommandHandler(name, callback, filters=new_messages))
    application.add_handler(CallbackQueryHandler(questions.on_feedback, pattern=r"^fb:\d+:[01]$"))
    application.add_handler(CallbackQueryHandler(questions.on_suggestion, pattern=r"^sg:\d+:\d$"))
    application.add_handler(CallbackQueryHandler(learning.on_quiz_button, pattern=r"^qz:"))
    application.add_handler(
        MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, questions.on_text)
    )
    application.add_handler(MessageHandler(new_messages & NOT_TEXT, questions.on_not_text))
    application.add_error_handler(errors.on_error)
