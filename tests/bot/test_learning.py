"""/quiz with inline options (single and multiple choice), /contest, over the quiz service."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot import texts
from core.times import BEIJING
from tests.support.telegram import (
    BASE_URL,
    USER_ID,
    buttons,
    callback_update,
    message_update,
    sent_message,
)


@pytest.fixture
def linked(session, make_user):
    """A staff account linked to the Telegram user of the updates: practice needs an account."""
    user = make_user("staff", province="江苏省", city="苏州市", staff_kind="审批人员")
    user.telegram_user_id = USER_ID
    session.flush()
    return user


@pytest.fixture
def make_question(session):
    from quiz import bank as question_bank
    from quiz.schemas import QuestionCreate

    def _make(kind: str = "单选", **fields):
        data = {
            "kind": kind,
            "stem": fields.pop("stem", f"{kind}：排污许可证现场审核比例不应少于多少？"),
            "options": fields.pop("options", ["四分之一", "三分之一", "一半", "全部"]),
            "answer": fields.pop("answer", "C"),
            "explanation": fields.pop(
                "explanation", "行动计划措施7：现场审核比例不应少于全部审批数量的一半。"
            ),
            "tags": fields.pop("tags", ["质量审核"]),
            "source": fields.pop("source", "行动计划措施7"),
            **fields,
        }
        return question_bank.create_question(session, data=QuestionCreate(**data))

    return _make


async def test_quiz_sends_a_question_with_option_buttons(bot_app, telegram, make_question, linked):
    question = make_question(stem="现场审核比例 <一半> & 以上？")
    await bot_app.process_update(message_update(bot_app.bot, "/quiz"))
    (message,) = telegram.sent()
    assert "现场审核比例 &lt;一半&gt; &amp; 以上？" in message["text"]
    assert "C. 一半" in message["text"]
    assert [b["text"] for b in buttons(message)] == ["A", "B", "C", "D"]
    assert buttons(message)[2]["callback_data"] == f"qz:{question.id}:0:a2"


async def test_single_choice_answer_shows_verdict_and_explanation(
    bot_app, telegram, make_question, linked
):
    make_question()
    await bot_app.process_update(message_update(bot_app.bot, "/quiz"))
    message = telegram.sent()[-1]
    correct = buttons(message)[2]["callback_data"]
    await bot_app.process_update(
        callback_update(bot_app.bot, correct, message=sent_message(message))
    )
    (edit,) = telegram.sent("editMessageText")
    assert texts.QUIZ_CORRECT in edit["text"]
    assert "现场审核比例不应少于全部审批数量的一半" in edit["text"]
    assert [b["callback_data"] for b in buttons(edit)] == ["qz:next"]


async def test_multiple_choice_toggles_options_then_submits(
    bot_app, telegram, make_question, linked
):
    question = make_question(
        "多选",
        stem="核查方式包括哪些？",
        options=["随机抽查", "只看材料", "靶向核查", "不核查"],
        answer="AC",
        tags=["核查方式"],
    )
    await bot_app.process_update(message_update(bot_app.bot, "/quiz 核查方式"))
    message = telegram.sent()[-1]
    assert texts.QUIZ_MULTI_HINT in message["text"]
    assert buttons(message)[-1] == {
        "text": texts.QUIZ_SUBMIT,
        "callback_data": f"qz:{question.id}:0:s",
    }

    shown = sent_message(message)
    await bot_app.process_update(
        callback_update(bot_app.bot, f"qz:{question.id}:0:s", message=shown)
    )
    assert telegram.sent("answerCallbackQuery")[-1]["text"] == texts.QUIZ_PICK_ONE

    for option in (0, 2):
        data = next(
            b["callback_data"] for b in buttons(shown) if b["text"].endswith("ABCD"[option])
        )
        await bot_app.process_update(callback_update(bot_app.bot, data, message=shown))
        shown["reply_markup"] = telegram.sent("editMessageReplyMarkup")[-1]["reply_markup"]
    ticked = [b["text"] for b in buttons({"reply_markup": shown["reply_markup"]})]
    assert ticked == ["☑️ A", "⬜ B", "☑️ C", "⬜ D", texts.QUIZ_SUBMIT]

    submit = buttons({"reply_markup": shown["reply_markup"]})[-1]["callback_data"]
    assert submit == f"qz:{question.id}:5:s"
    await bot_app.process_update(callback_update(bot_app.bot, submit, message=shown))
    (edit,) = telegram.sent("editMessageText")
    assert "您的选择：AC" in edit["text"] and texts.QUIZ_CORRECT in edit["text"]


async def test_wrong_answer_of_a_linked_user_goes_to_their_mistake_book(
    bot_app, telegram, session, make_question, make_user
):
    from quiz.models import Mistake

    user = make_user("staff", province="江苏省", city="苏州市", staff_kind="审批人员")
    user.telegram_user_id = USER_ID
    session.flush()
    question = make_question()
    await bot_app.process_update(message_update(bot_app.bot, "/quiz"))
    message = telegram.sent()[-1]
    await bot_app.process_update(
        callback_update(bot_app.bot, f"qz:{question.id}:0:a0", message=sent_message(message))
    )
    edit = telegram.sent("editMessageText")[-1]
    assert "回答错误" in edit["text"] and "C. 一半" in edit["text"]
    mistake = session.scalar(select(Mistake).where(Mistake.user_id == user.id))
    assert mistake.question_id == question.id


async def test_next_button_sends_another_question(bot_app, telegram, make_question, linked):
    make_question()
    await bot_app.process_update(callback_update(bot_app.bot, "qz:next"))
    assert "练习题" in telegram.sent()[-1]["text"]


async def test_quiz_with_an_empty_bank_says_so(bot_app, telegram, linked):
    await bot_app.process_update(message_update(bot_app.bot, "/quiz"))
    assert telegram.texts() == ["题库中还没有可练习的题目"]


@pytest.fixture
def open_contest(session, make_user, make_question):
    from quiz import contests
    from quiz.schemas import ContestCreate, Quota

    make_question()
    admin = make_user("province", province="江苏省")
    now = dt.datetime.now(dt.UTC)

    def _open(title: str, roles: list[str]):
        return contests.create_contest(
            session,
            data=ContestCreate(
                title=title,
                audience_roles=roles,
                opens_at=now - dt.timedelta(hours=1),
                closes_at=now + dt.timedelta(days=3),
                quotas=[Quota(count=1)],
            ),
            admin=admin,
        )

    return _open


async def test_contest_lists_contests_open_to_a_linked_account(
    bot_app, telegram, session, make_user, open_contest
):
    contest = open_contest("2024年江苏省排污许可知识竞赛", ["staff"])
    open_contest("企业专场", ["enterprise"])
    user = make_user("staff", province="江苏省", city="南京市", staff_kind="审批人员")
    user.telegram_user_id = USER_ID
    session.flush()
    await bot_app.process_update(message_update(bot_app.bot, "/contest"))
    (text,) = telegram.texts()
    assert "2024年江苏省排污许可知识竞赛" in text and "企业专场" not in text
    assert f"{BASE_URL}/quiz/contests/{contest.id}" in text


async def test_contest_for_a_bound_enterprise_lists_enterprise_contests(
    bot_app, telegram, make_enterprise, open_contest
):
    open_contest("企业专场", ["enterprise"])
    unit = make_enterprise(province="江苏省", city="苏州市")
    await bot_app.process_update(message_update(bot_app.bot, f"/bind {unit.credit_code}"))
    await bot_app.process_update(message_update(bot_app.bot, "/contest"))
    assert "企业专场" in telegram.texts()[-1]


async def test_contest_without_account_or_binding_explains_how_to_link(bot_app, telegram):
    await bot_app.process_update(message_update(bot_app.bot, "/contest"))
    assert telegram.texts() == [texts.NOT_LINKED]


@pytest.fixture
def make_course(session):
    from core.regions.scope import RegionScope
    from courses import catalogue

    counter = iter(range(1, 100))

    def _make(title: str, audience: str, kind: str = "必修", credits: float = 2.0):
        return catalogue.create_course(
            session,
            scope=RegionScope(),
            code=f"C{next(counter):03d}",
            title=title,
            audience=audience,
            kind=kind,
            credits=credits,
            year=2024,
        )

    return _make


async def test_courses_for_an_approval_staff_member(
    bot_app, telegram, session, make_user, make_course
):
    review = make_course("排污许可证审核要点", "审批人员")
    make_course("法定代表人专题培训", "法定代表人")
    user = make_user("staff", province="江苏省", city="苏州市", staff_kind="审批人员")
    user.telegram_user_id = USER_ID
    session.flush()
    await bot_app.process_update(message_update(bot_app.bot, "/courses"))
    (text,) = telegram.texts()
    assert "适合工作人员的课程" in text
    assert "【必修】排污许可证审核要点（2 学分，2024 年）" in text
    assert f"{BASE_URL}/courses/{review.id}" in text
    assert "法定代表人专题培训" not in text


async def test_courses_for_a_bound_enterprise_are_its_peoples_courses(
    bot_app, telegram, make_enterprise, make_course
):
    make_course("法定代表人专题培训", "法定代表人")
    make_course("排污许可证审核要点", "审批人员")
    unit = make_enterprise()
    await bot_app.process_update(message_update(bot_app.bot, f"/bind {unit.credit_code}"))
    await bot_app.process_update(message_update(bot_app.bot, "/courses"))
    text = telegram.texts()[-1]
    assert "法定代表人专题培训" in text and "排污许可证审核要点" not in text


async def test_courses_without_account_or_binding_explains_how_to_link(bot_app, telegram):
    await bot_app.process_update(message_update(bot_app.bot, "/courses"))
    assert telegram.texts() == [texts.NOT_LINKED]


async def test_progress_shows_enrolments_and_yearly_credits(
    bot_app, telegram, session, make_user, make_course
):
    from courses import enrolments

    today = dt.datetime.now(BEIJING).date()  # the bot's calendar
    done = make_course("排污许可证审核要点", "审批人员", credits=4.0)
    learning = make_course("执行报告审核", "审批人员", kind="选修", credits=2.0)
    user = make_user(
        "staff", display_name="李审批", province="江苏省", city="苏州市", staff_kind="审批人员"
    )
    user.telegram_user_id = USER_ID
    enrolments.enrol(session, course_id=done.id, user=user).completed_on = today
    enrolments.enrol(session, course_id=learning.id, user=user)
    session.flush()
    await bot_app.process_update(message_update(bot_app.bot, "/progress"))
    (text,) = telegram.texts()
    assert "李审批的培训进度" in text
    assert f"排污许可证审核要点：已完成（{today.isoformat()}）" in text
    assert "执行报告审核：学习中" in text
    assert f"{today.year} 年学分：必修 4/4，选修 0/2，尚未达标" in text


async def test_progress_of_a_bound_enterprise_tells_whether_its_legal_rep_is_trained(
    bot_app, telegram, session, make_enterprise, make_course
):
    from courses.models import TrainingRecord

    course = make_course("法定代表人专题培训", "法定代表人")
    trained = make_enterprise(name="已培训公司", legal_rep_name="赵六")
    untrained = make_enterprise(name="未培训公司", legal_rep_name="钱七")
    session.add(
        TrainingRecord(
            enterprise_id=trained.id,
            person_name="赵六",
            role="法定代表人",
            course_id=course.id,
            completed_on=dt.date(2023, 5, 6),
            passed=True,
        )
    )
    session.flush()
    await bot_app.process_update(message_update(bot_app.bot, f"/bind {trained.credit_code}"))
    await bot_app.process_update(message_update(bot_app.bot, "/progress"))
    assert "法定代表人 赵六 已完成法定代表人专题培训（2023-05-06）" in telegram.texts()[-1]
    await bot_app.process_update(message_update(bot_app.bot, f"/bind {untrained.credit_code}"))
    await bot_app.process_update(message_update(bot_app.bot, "/progress"))
    assert "法定代表人 钱七 尚未完成" in telegram.texts()[-1]


async def test_progress_without_account_or_binding_explains_how_to_link(bot_app, telegram):
    await bot_app.process_update(message_update(bot_app.bot, "/progress"))
    assert telegram.texts() == [texts.NOT_LINKED]


async def test_a_double_tap_on_an_option_is_harmless(bot_app, telegram, make_question, linked):
    question = make_question("多选", options=["甲", "乙", "丙"], answer="AB", tags=["双击"])
    await bot_app.process_update(message_update(bot_app.bot, "/quiz 双击"))
    shown = sent_message(telegram.sent()[-1])
    for _ in range(2):  # both taps carry the same, old keyboard
        await bot_app.process_update(
            callback_update(bot_app.bot, f"qz:{question.id}:0:t0", message=shown)
        )
    assert len(telegram.sent("editMessageReplyMarkup")) == 2
    assert (
        len(telegram.sent("answerCallbackQuery")) == 2
    )  # no apology: bot_app checks handler errors


async def test_quiz_needs_a_linked_account(bot_app, telegram, make_question):
    question = make_question()
    await bot_app.process_update(message_update(bot_app.bot, "/quiz"))
    assert telegram.texts() == [texts.QUIZ_NOT_LINKED]
    keyboard = {"reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "x"}]] * 5}}
    shown = {**sent_message({"chat_id": USER_ID, "text": "…"}), **keyboard}
    await bot_app.process_update(
        callback_update(bot_app.bot, f"qz:{question.id}:0:a2", message=shown)
    )
    (alert,) = telegram.sent("answerCallbackQuery")
    assert alert["text"] == texts.QUIZ_NOT_LINKED and not telegram.sent("editMessageText")


@pytest.mark.parametrize(
    "data", ["qz:99999999999999999999:0:a1", "qz:1:0:t99999999", "qz:x:0:a1", "qz:1:0:a9"]
)
async def test_forged_option_buttons_are_refused(bot_app, telegram, linked, data):
    keyboard = {"reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "x"}]] * 5}}
    shown = {**sent_message({"chat_id": USER_ID, "text": "…"}), **keyboard}
    await bot_app.process_update(callback_update(bot_app.bot, data, message=shown))
    assert telegram.sent("answerCallbackQuery")[-1]["text"] == texts.QUIZ_GONE


async def test_a_question_of_an_open_contest_cannot_be_answered_in_the_bot(
    bot_app, telegram, session, linked, open_contest
):
    from quiz.models import Question
    from quiz.rules import IN_CONTEST

    open_contest("江苏省知识竞赛", ["staff"])  # reserves the only question for its draws
    question = session.scalar(select(Question))
    await bot_app.process_update(message_update(bot_app.bot, "/quiz"))
    assert telegram.texts() == ["题库中还没有可练习的题目"]
    keyboard = {"reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "x"}]] * 5}}
    shown = {**sent_message({"chat_id": USER_ID, "text": "…"}), **keyboard}
    await bot_app.process_update(
        callback_update(bot_app.bot, f"qz:{question.id}:0:a2", message=shown)
    )
    assert telegram.sent("answerCallbackQuery")[-1]["text"] == IN_CONTEST
    assert not telegram.sent("editMessageText")
