"""Inline keyboards and their callback data (at most 64 bytes: we send ids, never texts).

Callback data formats:
    ``fb:<turn id>:<1|0>``                feedback on an answer
    ``sg:<turn id>:<index>``              ask the turn's suggestion number ``index``
    ``qz:<question id>:<mask>:<action>``  practice question; ``mask`` is the bit set of ticked
                                          options, ``action`` is ``t<i>`` (tick/untick option i),
                                          ``a<i>`` (answer with option i) or ``s`` (submit the mask)
    ``qz:next``                           another practice question
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot import texts

OPTION_LETTERS = "ABCDEF"
MAX_BUTTON_TEXT = 60


def _short(text: str, limit: int = MAX_BUTTON_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def feedback_row(turn_id: int, chosen: bool | None = None) -> list[InlineKeyboardButton]:
    """👍 / 👎 for one answer; the chosen one is marked."""
    up = texts.FEEDBACK_HELPFUL + (" ✓" if chosen is True else "")
    down = texts.FEEDBACK_UNHELPFUL + (" ✓" if chosen is False else "")
    return [
        InlineKeyboardButton(up, callback_data=f"fb:{turn_id}:1"),
        InlineKeyboardButton(down, callback_data=f"fb:{turn_id}:0"),
    ]


def answer_keyboard(
    turn_id: int, suggestions: Sequence[str] = (), chosen: bool | None = None
) -> InlineKeyboardMarkup:
    """Up to three “您是不是想问” questions (one per row), then the feedback row."""
    rows = [
        [InlineKeyboardButton(_short(text), callback_data=f"sg:{turn_id}:{i}")]
        for i, text in enumerate(list(suggestions)[:3])
    ]
    rows.append(feedback_row(turn_id, chosen))
    return InlineKeyboardMarkup(rows)


def parse(data: str | None) -> list[str]:
    """Split callback data into its fields."""
    return (data or "").split(":")


def quiz_keyboard(
    question_id: int, option_count: int, *, multiple: bool, mask: int = 0
) -> InlineKeyboardMarkup:
    """Option buttons; a multiple-choice question ticks options and has a 提交 button."""
    rows = []
    for i in range(option_count):
        letter = OPTION_LETTERS[i]
        if multiple:
            ticked = "☑️ " if mask & (1 << i) else "⬜ "
            rows.append(
                [
                    InlineKeyboardButton(
                        ticked + letter, callback_data=f"qz:{question_id}:{mask}:t{i}"
                    )
                ]
            )
        else:
            rows.append([InlineKeyboardButton(letter, callback_data=f"qz:{question_id}:0:a{i}")])
    if multiple:
        rows.append(
            [InlineKeyboardButton(texts.QUIZ_SUBMIT, callback_data=f"qz:{question_id}:{mask}:s")]
        )
    return InlineKeyboardMarkup(rows)


def next_question_keyboard() -> InlineKeyboardMarkup:
    """One button: another practice question."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(texts.QUIZ_NEXT, callback_data="qz:next")]])


def link_keyboard(label: str, url: str) -> InlineKeyboardMarkup:
    """One button opening a web page."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, url=url)]])


async def replace_markup(query: CallbackQuery, markup: InlineKeyboardMarkup) -> None:
    """Show new buttons under the pressed message; a double tap that changes nothing is fine."""
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
