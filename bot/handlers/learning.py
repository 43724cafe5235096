"""/quiz (practice with inline options), /contest, /courses and /progress.

Thin handlers over the quiz and courses services (and courses.coverage for measure 33).
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

from sqlalchemy.orm import Session
from telegram import Update
from telegram.constants import ParseMode

from bot import keyboards, texts
from bot import service as chat_service
from bot.context import BotContext
from bot.formatting import escape, split_html
from bot.handlers.errors import domain_errors_as_replies
from core.accounts.models import Role, User
from core.enterprises.models import Enterprise
from core.errors import Unauthorized
from core.times import BEIJING, beijing_today
from courses import catalogue, enrolments, staff_training
from courses.coverage import unit_coverage
from courses.models import Audience, CourseKind
from quiz import bank, contests, practice
from quiz.models import ContestState

MULTIPLE_KIND = "多选"


def _who(session: Session, telegram_user_id: int) -> tuple[User | None, object | None]:
    """The linked platform account and the bound enterprise (either may be missing)."""
    user = chat_service.platform_user(session, telegram_user_id=telegram_user_id)
    unit = chat_service.bound_enterprise(session, telegram_user_id=telegram_user_id)
    return user, unit


# ---- /quiz --------------------------------------------------------------------------------


def _practising_user(session: Session, telegram_user_id: int) -> User:
    """The linked account practice is recorded for; an unlinked chat is told how to link."""
    user = chat_service.platform_user(session, telegram_user_id=telegram_user_id)
    if user is None:
        raise Unauthorized(texts.QUIZ_NOT_LINKED)
    return user


def _draw(session: Session, *, telegram_user_id: int, tag: str | None):
    user = _practising_user(session, telegram_user_id)
    return practice.practice_question(session, user=user, tag=tag)


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
    user = _practising_user(session, telegram_user_id)
    result = practice.check_practice_answer(
        session, user=user, question_id=question_id, choice=choice
    )
    question = bank.get_question(session, question_id)
    shown = SimpleNamespace(
        kind=question.kind, stem=question.stem, options=bank.lettered(question.options)
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


# qz:<question id>:<ticked options as a bit mask>:<a0–a5 answer | t0–t5 tick | s submit>.
# A modified client can send any callback data: anything else is refused before it is used.
QUIZ_BUTTON = re.compile(r"^([0-9]{1,10}):([0-9]{1,2}):(a[0-5]|t[0-5]|s)$")


def _quiz_button(fields: list[str]) -> tuple[int, int, str] | None:
    """(question id, mask, action) of a well-formed option button, else None."""
    match = QUIZ_BUTTON.match(":".join(fields[1:])) if fields[:1] == ["qz"] else None
    if match is None or not 1 <= int(match[1]) <= 2**31 - 1 or int(match[2]) >= 64:
        return None
    return int(match[1]), int(match[2]), match[3]


@domain_errors_as_replies
async def on_quiz_button(update: Update, context: BotContext) -> None:
    """Option buttons: tick/untick (多选), answer (单选/判断), 提交, 再来一题."""
    query = update.callback_query
    fields = keyboards.parse(query.data)
    if fields == ["qz", "next"]:
        await query.answer()
        await send_practice_question(context, query.message.chat.id, query.from_user.id)
        return
    parsed = _quiz_button(fields)
    if parsed is None or query.message is None or query.message.reply_markup is None:
        await query.answer(texts.QUIZ_GONE)
        return
    question_id, mask, action = parsed
    option_count = len(query.message.reply_markup.inline_keyboard) - 1
    if action.startswith("t"):
        mask ^= 1 << int(action[1:])
        await query.answer()
        await keyboards.replace_markup(
            query, keyboards.quiz_keyboard(question_id, option_count, multiple=True, mask=mask)
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
        c
        for c in contests.list_contests_for_user(session, user=user)
        if c.state is not ContestState.CLOSED
    ]


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


@domain_errors_as_replies
async def on_contest(update: Update, context: BotContext) -> None:
    """/contest: the contests open to this user, each with a link to take it on the web."""
    offered = await context.run(_contests, telegram_user_id=update.effective_user.id)
    if offered is None:
        await update.message.reply_text(texts.NOT_LINKED)
        return
    if not offered:
        await update.message.reply_text(texts.CONTEST_NONE)
        return
    lines = [texts.CONTEST_HEADING]
    for item in offered:
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


# ---- /courses and /progress ---------------------------------------------------------------

ENTERPRISE_AUDIENCES = (Audience.LEGAL_REP.value, Audience.ENV_MANAGER.value)
STAFF_AUDIENCES = (Audience.APPROVAL_STAFF.value, Audience.TECH_INSTITUTION.value)


def audiences_for(user: User | None, unit: Enterprise | None) -> tuple[str, list[str]]:
    """Who is asking (for the heading) and the course audiences that fit them."""
    if user is not None:
        role = Role(user.role)
        if role == Role.STAFF:
            kinds = (
                [user.staff_kind] if user.staff_kind in STAFF_AUDIENCES else list(STAFF_AUDIENCES)
            )
            return role.label, kinds
        if role == Role.ENTERPRISE:
            return role.label, list(ENTERPRISE_AUDIENCES)
        return role.label, [a.value for a in Audience]
    if unit is not None:
        return "排污单位", list(ENTERPRISE_AUDIENCES)
    return "", []


def _courses(session: Session, *, telegram_user_id: int, base_url: str) -> list[str] | None:
    user, unit = _who(session, telegram_user_id)
    who, audiences = audiences_for(user, unit)
    if not audiences:
        return None
    mine = {e.course_id: e for e in enrolments.user_enrolments(session, user=user)} if user else {}
    lines = [texts.COURSES_HEADING.format(who=escape(who))]
    found = False
    for audience in audiences:
        courses = catalogue.list_courses(session, audience=audience)
        if not courses:
            continue
        found = True
        lines.append(texts.COURSES_AUDIENCE.format(audience=escape(audience)))
        for course in courses:
            enrolment = mine.get(course.id)
            state = ""
            if enrolment is not None:
                state = texts.COURSE_DONE if enrolment.completed_on else texts.COURSE_ENROLLED
            lines.append(
                texts.COURSE_LINE.format(
                    kind=escape(course.kind),
                    title=escape(course.title),
                    credits=course.credits,
                    year=f"，{course.year} 年" if course.year else "",
                    state=state,
                    url=escape(f"{base_url}/courses/{course.id}"),
                )
            )
    return lines if found else []


@domain_errors_as_replies
async def on_courses(update: Update, context: BotContext) -> None:
    """/courses: the courses for my role (or for a bound enterprise's people)."""
    lines = await context.run(
        _courses, telegram_user_id=update.effective_user.id, base_url=context.base_url
    )
    if lines is None:
        await update.message.reply_text(texts.NOT_LINKED)
        return
    if not lines:
        await update.message.reply_text(texts.COURSES_NONE)
        return
    for part in split_html("\n".join(lines)):
        await update.message.reply_text(
            part, parse_mode=ParseMode.HTML, disable_web_page_preview=True
        )


def _user_progress(session: Session, user: User, today: dt.date) -> list[str]:
    lines = [texts.PROGRESS_HEADING.format(name=escape(user.display_name or user.username))]
    mine = enrolments.user_enrolments(session, user=user)
    if not mine:
        lines.append(texts.PROGRESS_NONE)
    for enrolment in mine:
        if enrolment.completed_on:
            state = texts.PROGRESS_DONE.format(on=enrolment.completed_on.isoformat())
        elif enrolment.test_passed_at:
            state = texts.PROGRESS_TEST_PASSED
        else:
            state = texts.PROGRESS_LEARNING
        lines.append(texts.PROGRESS_LINE.format(title=escape(enrolment.course.title), state=state))
    needed = staff_training.yearly_credit_requirements().get(user.staff_kind or "")
    if user.role == Role.STAFF.value and needed:
        # Measure 34: yearly credits of the staff member's own kind of course.
        done = {CourseKind.REQUIRED.value: 0.0, CourseKind.ELECTIVE.value: 0.0}
        for enrolment in mine:
            course = enrolment.course
            if (
                enrolment.completed_on
                and enrolment.completed_on.year == today.year
                and course.audience == user.staff_kind
                and course.kind in done
            ):
                done[course.kind] += course.credits
        required_done, elective_done = (
            done[CourseKind.REQUIRED.value],
            done[CourseKind.ELECTIVE.value],
        )
        behind = required_done < needed[0] or elective_done < needed[1]
        lines.append(
            texts.PROGRESS_CREDITS.format(
                year=today.year,
                required_done=required_done,
                required_needed=needed[0],
                elective_done=elective_done,
                elective_needed=needed[1],
                verdict=texts.PROGRESS_CREDITS_BEHIND if behind else texts.PROGRESS_CREDITS_OK,
            )
        )
    return lines


def _unit_progress(session: Session, unit: Enterprise, today: dt.date) -> list[str]:
    lines = [texts.UNIT_HEADING.format(name=escape(unit.name), code=escape(unit.credit_code))]
    trained_on = unit_coverage(session, enterprise=unit, as_of=today)
    name = escape(unit.legal_rep_name)
    if trained_on is not None:
        lines.append(texts.LEGAL_REP_COVERED.format(name=name, on=trained_on.isoformat()))
    else:
        lines.append(texts.LEGAL_REP_NOT_COVERED.format(name=name))
    if not unit.is_key_unit:
        lines.append(texts.LEGAL_REP_NOT_KEY)
    return lines


def _progress(session: Session, *, telegram_user_id: int, today: dt.date) -> list[str] | None:
    user, unit = _who(session, telegram_user_id)
    if unit is None and user is not None and user.enterprise_id is not None:
        unit = session.get(Enterprise, user.enterprise_id)
    if user is None and unit is None:
        return None
    lines: list[str] = []
    if user is not None:
        lines += _user_progress(session, user, today)
    if unit is not None:
        lines += ([""] if lines else []) + _unit_progress(session, unit, today)
    return lines


@domain_errors_as_replies
async def on_progress(update: Update, context: BotContext) -> None:
    """/progress: my training status and, for a bound enterprise, its legal representative's."""
    today = beijing_today()
    lines = await context.run(_progress, telegram_user_id=update.effective_user.id, today=today)
    if lines is None:
        await update.message.reply_text(texts.NOT_LINKED)
        return
    for part in split_html("\n".join(lines)):
        await update.message.reply_text(part, parse_mode=ParseMode.HTML)
