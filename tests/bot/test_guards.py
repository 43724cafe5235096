"""Guard rails: non-text messages, group chats, the per-person rate limit, the error handler."""

from __future__ import annotations

import pytest

from bot import texts
from tests.support.telegram import GROUP_ID, message_update


@pytest.mark.parametrize(
    "payload",
    [
        {"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]},
        {
            "sticker": {
                "file_id": "s1",
                "file_unique_id": "u2",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        },
        {"voice": {"file_id": "v1", "file_unique_id": "u3", "duration": 3}},
        {"document": {"file_id": "d1", "file_unique_id": "u4", "file_name": "许可证.pdf"}},
    ],
    ids=["photo", "sticker", "voice", "file"],
)
async def test_non_text_messages_get_a_polite_text_only_reply(bot_app, telegram, payload):
    await bot_app.process_update(message_update(bot_app.bot, **payload))
    assert telegram.texts() == [texts.NOT_TEXT]


async def test_group_messages_not_for_the_bot_are_ignored(bot_app, telegram):
    await bot_app.process_update(message_update(bot_app.bot, "今天开会吗？", chat_id=GROUP_ID))
    photo = {"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 9, "height": 9}]}
    await bot_app.process_update(message_update(bot_app.bot, chat_id=GROUP_ID, **photo))
    assert telegram.calls == []


async def test_group_commands_are_answered(bot_app, telegram):
    await bot_app.process_update(
        message_update(bot_app.bot, "/help@PermitHubBot", chat_id=GROUP_ID)
    )
    assert len(telegram.texts()) == 1


async def test_rate_limit_answers_politely_once_then_stays_quiet(bot_app, telegram):
    for _ in range(20):
        await bot_app.process_update(message_update(bot_app.bot, "/help"))
    assert len(telegram.texts()) == 20
    await bot_app.process_update(message_update(bot_app.bot, "/help"))
    await bot_app.process_update(message_update(bot_app.bot, "/help"))
    assert telegram.texts()[20:] == [texts.RATE_LIMITED]


async def test_rate_limit_is_per_chat(bot_app, telegram):
    for _ in range(21):
        await bot_app.process_update(message_update(bot_app.bot, "/help"))
    await bot_app.process_update(message_update(bot_app.bot, "/help", chat_id=777, user_id=777))
    assert telegram.sent()[-1]["chat_id"] == 777
    assert telegram.texts()[-1] != texts.RATE_LIMITED


async def test_a_failing_handler_is_logged_and_answered_with_an_apology(
    bot_app, telegram, handler_errors, caplog
):
    def broken_factory():
        raise RuntimeError("database is down")

    bot_app.bot_data["session_factory"] = broken_factory
    await bot_app.process_update(message_update(bot_app.bot, "/unbind"))
    assert telegram.texts() == [texts.ERROR]
    assert [type(e) for e in handler_errors] == [RuntimeError]
    assert "database is down" in caplog.text
    handler_errors.clear()  # the failure was the point of this test
    # The application keeps working afterwards.
    await bot_app.process_update(message_update(bot_app.bot, "/help"))
    assert len(telegram.texts()) == 2


async def test_rate_limit_is_per_person_in_a_group(bot_app, telegram):
    for _ in range(21):
        await bot_app.process_update(message_update(bot_app.bot, "/help", chat_id=GROUP_ID))
    assert telegram.texts()[-1] == texts.RATE_LIMITED
    other = message_update(bot_app.bot, "/help", chat_id=GROUP_ID, user_id=777)
    await bot_app.process_update(other)
    assert telegram.texts()[-1] != texts.RATE_LIMITED


async def test_a_linked_account_shares_its_budget_with_the_web_chat(
    bot_app, telegram, session, make_user
):
    from core import ratelimit
    from tests.support.telegram import USER_ID

    user = make_user("staff", province="江苏省", city="苏州市")
    user.telegram_user_id = USER_ID
    session.commit()
    for _ in range(20):  # spent on the web chat page
        ratelimit.hit(session, f"chat:user:{user.id}", limit=20)
    await bot_app.process_update(message_update(bot_app.bot, "/help"))
    assert telegram.texts() == [texts.RATE_LIMITED]
