"""Text questions through the same answer service as /api/ask: citations, splitting, escaping,
refusals with “您是不是想问” buttons, and 👍/👎 feedback that counts once."""

from __future__ import annotations

from sqlalchemy import func, select

from bot import texts
from bot.formatting import utf16_len
from bot.models import ChatTurn
from core.regions.scope import NATIONAL
from knowledge import faq
from knowledge.models import AnswerFeedback, QuestionLog
from tests.support.telegram import (
    CHAT_ID,
    GROUP_ID,
    buttons,
    callback_update,
    message_update,
    sent_message,
)

LEGAL_REP_QUESTION = "老板要参加什么培训，截止到啥时候？"
OFF_TOPIC = "年假怎么请"


def add_faq(session, knowledge, question: str, answer: str, basis: str = "行动计划措施33"):
    return faq.create_faq(session, scope=NATIONAL, question=question, answer=answer, basis=basis)


async def test_question_is_answered_with_its_citation_and_feedback_buttons(
    bot_app, telegram, session, knowledge
):
    await bot_app.process_update(message_update(bot_app.bot, LEGAL_REP_QUESTION))
    assert [name for name, _ in telegram.calls] == ["sendChatAction", "sendMessage"]
    (message,) = telegram.sent()
    assert message["parse_mode"] == "HTML"
    text = message["text"]
    assert "法定代表人专题培训班" in text
    citation = text.split("依据", 1)[1]
    assert "《" in citation and "措施33" in citation
    assert "完成时限：2024年12月" in citation
    assert "责任部门：生态环境部、省级生态环境部门" in citation
    assert [b["text"] for b in buttons(message)] == [
        texts.FEEDBACK_HELPFUL,
        texts.FEEDBACK_UNHELPFUL,
    ]


async def test_question_is_logged_with_channel_telegram(
    bot_app, session, knowledge, make_enterprise
):
    unit = make_enterprise(province="浙江省", city="杭州市")
    await bot_app.process_update(message_update(bot_app.bot, f"/bind {unit.credit_code}"))
    await bot_app.process_update(message_update(bot_app.bot, LEGAL_REP_QUESTION))
    log = session.scalar(select(QuestionLog).order_by(QuestionLog.id.desc()))
    assert (log.question, log.channel, log.answered) == (LEGAL_REP_QUESTION, "telegram", True)
    assert log.province == "浙江省"
    turn = session.scalar(select(ChatTurn))
    assert turn.conversation == f"tg:{CHAT_ID}" and turn.log_id == log.id


async def test_feedback_is_recorded_once_per_user_even_when_pressed_twice(
    bot_app, telegram, session, knowledge
):
    await bot_app.process_update(message_update(bot_app.bot, LEGAL_REP_QUESTION))
    answer = telegram.sent()[-1]
    down = next(b for b in buttons(answer) if b["text"] == texts.FEEDBACK_UNHELPFUL)
    assert len(down["callback_data"].encode()) <= 64
    for _ in range(2):
        await bot_app.process_update(
            callback_update(bot_app.bot, down["callback_data"], message=sent_message(answer))
        )
    votes = session.scalars(select(AnswerFeedback)).all()
    assert [v.helpful for v in votes] == [False]
    first, second = telegram.sent("answerCallbackQuery")
    assert (first["text"], second["text"]) == (texts.FEEDBACK_THANKS, texts.FEEDBACK_ALREADY)
    (edit,) = telegram.sent("editMessageReplyMarkup")
    assert [b["text"] for b in buttons(edit)][-1] == texts.FEEDBACK_UNHELPFUL + " ✓"


async def test_changing_ones_mind_replaces_the_vote(bot_app, telegram, session, knowledge):
    await bot_app.process_update(message_update(bot_app.bot, LEGAL_REP_QUESTION))
    answer = telegram.sent()[-1]
    up, down = (b["callback_data"] for b in buttons(answer))
    for data in (up, down):
        await bot_app.process_update(
            callback_update(bot_app.bot, data, message=sent_message(answer))
        )
    assert [v.helpful for v in session.scalars(select(AnswerFeedback))] == [False]


async def test_feedback_on_another_chats_answer_is_refused(bot_app, telegram, session, knowledge):
    await bot_app.process_update(message_update(bot_app.bot, LEGAL_REP_QUESTION))
    up = buttons(telegram.sent()[-1])[0]["callback_data"]
    await bot_app.process_update(callback_update(bot_app.bot, up, chat_id=999, user_id=999))
    assert telegram.sent("answerCallbackQuery")[-1]["text"] == texts.FEEDBACK_GONE
    assert session.scalar(select(func.count()).select_from(AnswerFeedback)) == 0


async def test_refusal_offers_suggestions_that_ask_the_suggested_question(
    bot_app, telegram, session, knowledge
):
    await bot_app.process_update(message_update(bot_app.bot, OFF_TOPIC))
    refusal = telegram.sent()[-1]
    assert "没有关于“年假”的规定" in refusal["text"] and "您是不是想问" in refusal["text"]
    assert "依据" not in refusal["text"]
    turn = session.scalar(select(ChatTurn))
    suggestion_buttons = [b for b in buttons(refusal) if b["callback_data"].startswith("sg:")]
    assert 1 <= len(suggestion_buttons) <= 3
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons(refusal))
    assert [b["text"] for b in suggestion_buttons] == turn.suggestions[: len(suggestion_buttons)]
    telegram.clear()
    await bot_app.process_update(
        callback_update(
            bot_app.bot, suggestion_buttons[0]["callback_data"], message=sent_message(refusal)
        )
    )
    asked = session.scalars(select(ChatTurn).order_by(ChatTurn.id)).all()[-1]
    assert asked.question == turn.suggestions[0]
    reply = telegram.sent()[-1]
    assert f"问：{turn.suggestions[0]}" in reply["text"]
    assert telegram.sent("answerCallbackQuery")


async def test_long_answer_is_split_into_messages_within_the_limit(
    bot_app, telegram, session, knowledge
):
    paragraph = (
        "法定代表人专题培训由生态环境部和省级生态环境部门组织实施，企业应当按时参加并完成考核。"
    )
    long_answer = "\n".join([paragraph] * 110)[:4990]
    add_faq(session, knowledge, "法定代表人专题培训的详细安排是什么", long_answer)
    await bot_app.process_update(message_update(bot_app.bot, "法定代表人专题培训的详细安排是什么"))
    parts = telegram.sent()
    assert len(parts) == 2
    assert all(utf16_len(p["text"]) <= 4096 for p in parts)
    assert "reply_markup" not in parts[0] and buttons(parts[1])
    assert parts[0]["text"].endswith("。")  # cut at a sentence end, not inside a word
    joined = "".join(p["text"] for p in parts).replace("\n", "")
    assert long_answer.replace("\n", "") in joined


async def test_answer_content_is_html_escaped(bot_app, telegram, session, knowledge):
    add_faq(session, knowledge, "申请材料要附哪些附件", "请提交 <附件1> & <附件2>，缺一不可。")
    await bot_app.process_update(message_update(bot_app.bot, "申请材料要附哪些附件"))
    text = telegram.sent()[-1]["text"]
    assert "请提交 &lt;附件1&gt; &amp; &lt;附件2&gt;，缺一不可。" in text
    assert "<附件" not in text


async def test_question_over_500_characters_is_sent_back_to_shorten(
    bot_app, telegram, session, knowledge
):
    await bot_app.process_update(message_update(bot_app.bot, "排" * 501))
    (text,) = telegram.texts()
    assert "501" in text and "500" in text and "精简" in text
    assert session.scalar(select(func.count()).select_from(QuestionLog)) == 0


async def test_group_question_is_answered_when_the_bot_is_mentioned(
    bot_app, telegram, session, knowledge
):
    update = message_update(bot_app.bot, f"@PermitHubBot {LEGAL_REP_QUESTION}", chat_id=GROUP_ID)
    await bot_app.process_update(update)
    (message,) = telegram.sent()
    assert message["chat_id"] == GROUP_ID
    assert message["reply_parameters"]["message_id"] == update.message.message_id
    assert session.scalar(select(QuestionLog)).question == LEGAL_REP_QUESTION


async def test_group_question_is_answered_when_replying_to_the_bot(bot_app, telegram, knowledge):
    await bot_app.process_update(
        message_update(bot_app.bot, LEGAL_REP_QUESTION, chat_id=GROUP_ID, reply_to_bot=True)
    )
    assert len(telegram.sent()) == 1


async def test_rate_limit_applies_to_questions(bot_app, telegram, session, knowledge):
    for _ in range(21):
        await bot_app.process_update(message_update(bot_app.bot, LEGAL_REP_QUESTION))
    assert telegram.texts()[-1] == texts.RATE_LIMITED
    assert session.scalar(select(func.count()).select_from(QuestionLog)) == 20


async def test_a_follow_up_in_the_same_chat_is_answered_in_context(
    bot_app, telegram, session, knowledge
):
    await bot_app.process_update(message_update(bot_app.bot, "法定代表人专题培训是什么要求"))
    telegram.clear()
    await bot_app.process_update(message_update(bot_app.bot, "那它的截止时间呢"))
    (message,) = telegram.sent()
    assert "2024年12月" in message["text"]
    assert "措施33" in message["text"].split("依据", 1)[1]
