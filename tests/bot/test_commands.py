"""/start, /help, /bind, /unbind and the command menu, driven through the Bot API fake."""

from __future__ import annotations

from sqlalchemy import select

from bot import texts
from bot.app import setup_bot
from bot.models import TelegramLink
from tests.support.telegram import USER_ID, message_update


async def test_command_menu_is_registered_in_chinese(bot_app, telegram):
    await setup_bot(bot_app)
    (parameters,) = telegram.sent("setMyCommands")
    commands = {c["command"]: c["description"] for c in parameters["commands"]}
    assert list(commands) == [
        "start",
        "help",
        "bind",
        "unbind",
        "quiz",
        "contest",
        "courses",
        "progress",
    ]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in d) for d in commands.values())


async def test_start_welcomes_and_gives_examples(bot_app, telegram):
    await bot_app.process_update(message_update(bot_app.bot, "/start"))
    (message,) = telegram.sent()
    assert message["parse_mode"] == "HTML"
    assert "排污许可问答助手" in message["text"]
    assert texts.EXAMPLE_QUESTIONS[0] in message["text"]
    assert "/bind" in message["text"]


async def test_help_lists_every_command(bot_app, telegram):
    await bot_app.process_update(message_update(bot_app.bot, "/help"))
    (text,) = telegram.texts()
    for name, _ in texts.COMMANDS:
        assert f"/{name}" in text
    assert "500" in text


async def test_bind_links_the_telegram_user_to_the_enterprise(
    bot_app, telegram, session, make_enterprise
):
    unit = make_enterprise(name="苏州绿源化工有限公司")
    await bot_app.process_update(message_update(bot_app.bot, f"/bind {unit.credit_code.lower()}"))
    (text,) = telegram.texts()
    assert "已绑定" in text and "苏州绿源化工有限公司" in text
    link = session.scalar(select(TelegramLink).where(TelegramLink.telegram_user_id == USER_ID))
    assert link.enterprise_id == unit.id


async def test_binding_another_enterprise_replaces_the_first(
    bot_app, telegram, session, make_enterprise
):
    first, second = make_enterprise(name="甲公司"), make_enterprise(name="乙公司")
    await bot_app.process_update(message_update(bot_app.bot, f"/bind {first.credit_code}"))
    await bot_app.process_update(message_update(bot_app.bot, f"/bind {second.credit_code}"))
    assert "原绑定的 甲公司 已解除" in telegram.texts()[-1]
    links = session.scalars(
        select(TelegramLink).where(TelegramLink.telegram_user_id == USER_ID)
    ).all()
    assert [link.enterprise_id for link in links] == [second.id]


async def test_bind_rejects_a_code_with_a_wrong_check_digit(
    bot_app, telegram, session, make_enterprise
):
    unit = make_enterprise()
    wrong = unit.credit_code[:-1] + ("0" if unit.credit_code[-1] != "0" else "1")
    await bot_app.process_update(message_update(bot_app.bot, f"/bind {wrong}"))
    (text,) = telegram.texts()
    assert "校验位错误" in text
    assert session.scalar(select(TelegramLink)) is None


async def test_bind_rejects_a_valid_code_missing_from_the_registry(bot_app, telegram):
    from tests.support.telegram import credit_code

    code = credit_code("91110000MA0099999")
    await bot_app.process_update(message_update(bot_app.bot, f"/bind {code}"))
    (text,) = telegram.texts()
    assert "名录中没有" in text and code in text


async def test_bind_without_a_code_explains_the_usage(bot_app, telegram):
    await bot_app.process_update(message_update(bot_app.bot, "/bind"))
    assert telegram.texts() == [texts.BIND_USAGE]


async def test_unbind_forgets_the_enterprise(bot_app, telegram, session, make_enterprise):
    unit = make_enterprise(name="苏州<蓝天>&环保")
    await bot_app.process_update(message_update(bot_app.bot, f"/bind {unit.credit_code}"))
    await bot_app.process_update(message_update(bot_app.bot, "/unbind"))
    assert "已解除与 <b>苏州&lt;蓝天&gt;&amp;环保</b> 的绑定" in telegram.texts()[-1]
    assert session.scalar(select(TelegramLink)) is None
    await bot_app.process_update(message_update(bot_app.bot, "/unbind"))
    assert telegram.texts()[-1] == texts.UNBIND_NONE


async def test_start_with_a_link_code_links_the_platform_account(
    bot_app, telegram, session, make_user
):
    from bot.service import link_code

    user = make_user("staff", display_name="李审批", province="江苏省", city="苏州市")
    await bot_app.process_update(message_update(bot_app.bot, f"/start {link_code(user.id)}"))
    (text,) = telegram.texts()
    assert "已关联平台账号 <b>李审批</b>（工作人员）" in text
    session.refresh(user)
    assert user.telegram_user_id == USER_ID


async def test_start_with_a_forged_or_expired_code_links_nothing(
    bot_app, telegram, session, make_user
):
    import time

    from bot.service import link_code

    user = make_user("national")
    forged = link_code(user.id)[:-1] + ("0" if link_code(user.id)[-1] != "0" else "1")
    expired = link_code(user.id, now=time.time() - 3600)
    for code in (forged, expired, "nonsense"):
        await bot_app.process_update(message_update(bot_app.bot, f"/start {code}"))
    assert telegram.texts() == [texts.LINK_INVALID, texts.LINK_EXPIRED, texts.LINK_INVALID]
    session.refresh(user)
    assert user.telegram_user_id is None


async def test_linking_a_second_account_moves_the_link(bot_app, session, make_user):
    from bot.service import link_code

    first, second = make_user("staff"), make_user("city", province="江苏省", city="苏州市")
    for user in (first, second):
        await bot_app.process_update(message_update(bot_app.bot, f"/start {link_code(user.id)}"))
    session.refresh(first)
    session.refresh(second)
    assert (first.telegram_user_id, second.telegram_user_id) == (None, USER_ID)
