"""/quiz (practice with inline options), /contest, /courses and /progress, over the quiz and courses services."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from telegram import Update
from telegram.constants import ParseMode

from bot import keyboards, texts
from bot import service as chat_service
from bot.context import BotContext
from bot.formatting import escape, split_html
from bot.handlers.errors import domain_errors_as_replies
from core.accounts.models import Role, User
from quiz import service as quiz_service

CHINA = ZoneInfo("Asia/Shanghai")
MULTIPLE_KIND = "多选"


def _who(session: Session, telegram_user_id: int) -> tuple[User | None, object | None]:
    """The linked platform account and the bound enterprise (either may be missing)."""
    user = chat_service.platform_user(session, telegram_user_id=telegram_user_id)
    unit = chat_service.bound_enterprise(session, telegram_user_id=telegram_user_id)
    return user, unit


# ---- /quiz --------------------------------------------------------------------------------


def _draw(session: Session, *, telegram_user_id: int, tag: str | None):
    user = chat_service.platform_user(session, telegram_user_id=telegram_user_id)
    return quiz_service.practice_question(session, user_id=user.id if user else None, tag=tag)


def question_html(question, *, hint: bool = True) -> str:
    """A practice question as Telegram HTML: kind, stem and lettered options."""
    lines = [texts.QUIZ_HEADER.format(kind=escape(question.kind)), escape(question.stem), ""]
    lines += [f"{escape(o.letter)}. {escape(o.text)}" for o in question.options]
    if hint and question.kind == MULTIPLE_KIND:
        lines += ["", texts.QUIZ_MULTI_HINT]
    return "\n".join(lines)


async def send_practice_question(
    context: BotContext, chat_id: int, telegram_user_id: int, tag: str | None = None
) -> None:
    """Draw a practice question and send it with its option buttons."""
    question = await context.run(_draw, telegram_user_id=telegram_user_id, tag=tag)
    await context.bot.send_message(
        chat_id,
        question_html(question),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboards.quiz_keyboard(
            question.id, len(question.options), multiple=question.kind == MULTIPLE_KIND
        ),
    )


@domain_errors_as_replies
async def on_quiz(update: Update, context: BotContext) -> None:
    """/quiz [标签]: a practice question from the question bank."""
    tag = " ".join(context.args).strip() if context.args else None
    await send_practice_question(
        context, update.effective_chat.id, update.effective_user.id, tag or None
    )


def _check(session: Session, *, telegram_user_id: int, question_id: int, choice: str):
    """The result of a practice answer, and the question as it was shown."""
    user = chat_service.platform_user(session, telegram_user_id=telegram_user_id)
    result = quiz_service.check_practice_answer(
        session, user_id=user.id if user else None, question_id=question_id, choice=choice
    )
    question = quiz_service.get_question(session, question_id)
    shown = SimpleNamespace(
        kind=question.kind, stem=question.stem, options=quiz_service.lettered(question.options)
    )
    return result, shown


def result_html(result) -> str:
    """The verdict, the key and the explanation of a practice answer."""
    lines = [texts.QUIZ_YOUR_CHOICE.format(choice=escape(result.choice))]
    if result.correct:
        lines.append(texts.QUIZ_CORRECT)
    else:
        lines.append(texts.QUIZ_WRONG.format(answer=escape(result.answer_text or result.answer)))
    if result.explanation:
        lines.append(texts.QUIZ_EXPLANATION.format(explanation=escape(result.explanation)))
    if result.source:
        lines.append(texts.QUIZ_SOURCE.format(source=escape(result.source)))
    return "\n".join(lines)


@domain_errors_as_replies
async def on_quiz_button(update: Update, context: BotContext) -> None:
    """Option buttons: tick/untick (多选), answer (单选/判断), 提交, 再来一题."""
    query = update.callback_query
    fields = keyboards.parse(query.data)
    if fields == ["qz", "next"]:
        await query.answer()
        await send_practice_question(context, query.message.chat.id, query.from_user.id)
        return
    if len(fields) != 4 or query.message is None:
        await query.answer(texts.QUIZ_GONE)
        return
    _, question_id, mask_text, action = fields
    question_id, mask = int(question_id), int(mask_text)
    option_count = len(query.message.reply_markup.inline_keyboard) - 1
    if action.startswith("t"):
        mask ^= 1 << int(action[1:])
        await query.answer()
        await query.edit_message_reply_markup(
            keyboards.quiz_keyboard(question_id, option_count, multiple=True, mask=mask)
        )
        return
    if action == "s":
        if mask == 0:
            await query.answer(texts.QUIZ_PICK_ONE)
            return
        choice = "".join(keyboards.OPTION_LETTERS[i] for i in range(6) if mask & (1 << i))
    else:
        choice = keyboards.OPTION_LETTERS[int(action[1:])]
    result, shown = await context.run(
        _check, telegram_user_id=query.from_user.id, question_id=question_id, choice=choice
    )
    await query.answer(texts.QUIZ_CORRECT if result.correct else "❌")
    parts = split_html(f"{question_html(shown, hint=False)}\n\n{result_html(result)}")
    for i, part in enumerate(parts):
        markup = keyboards.next_question_keyboard() if i == len(parts) - 1 else None
        if i == 0:
            await query.edit_message_text(part, parse_mode=ParseMode.HTML, reply_markup=markup)
        else:
            await context.bot.send_message(
                query.message.chat.id, part, parse_mode=ParseMode.HTML, reply_markup=markup
            )


# ---- /contest -----------------------------------------------------------------------------


def _contests(session: Session, *, telegram_user_id: int) -> list | None:
    user, unit = _who(session, telegram_user_id)
    if user is None and unit is not None:
        # A bound enterprise without an account: the contests open to enterprise users of its
        # region (an unsaved User describing the audience; it is never added to the session).
        user = User(role=Role.ENTERPRISE.value, province=unit.province, city=unit.city)
    if user is None:
        return None
    return [
        c for c in quiz_service.list_contests_for_user(session, user=user) if c.state != "已结束"
    ]


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


@domain_errors_as_replies
async def on_contest(update: Update, context: BotContext) -> None:
    """/contest: the contests open to this user, each with a link to take it on the web."""
    contests = await context.run(_contests, telegram_user_id=update.effective_user.id)
    if contests is None:
        await update.message.reply_text(texts.NOT_LINKED)
        return
    if not contests:
        await update.message.reply_text(texts.CONTEST_NONE)
        return
    lines = [texts.CONTEST_HEADING]
    for item in contests:
        contest = item.contest
        lines.append(
            texts.CONTEST_LINE.format(
                title=escape(contest.title),
                kind=escape(contest.kind),
                state=escape(item.state),
                opens=_local(contest.opens_at),
                closes=_local(contest.closes_at),
                url=escape(f"{context.base_url}/quiz/contests/{contest.id}"),
            )
        )
    for part in split_html("\n".join(lines)):
        await update.message.reply_text(
            part, parse_mode=ParseMode.HTML, disable_web_page_preview=True
        )
