"""/remind in Telegram: a linked admin gets the list the reminder e-mail carries."""

from __future__ import annotations

import datetime as dt

from bot import texts
from core.enterprises.models import Enterprise
from tests.support.telegram import USER_ID, message_update


def _unit(session, code: str, name: str, city: str) -> None:
    session.add(
        Enterprise(
            credit_code=code,
            name=name,
            province="江苏省",
            city=city,
            division_code="320500",
            industry="化工",
            management_category="重点管理",
            permit_status="有效",
            legal_rep_name="周八",
            legal_rep_since=dt.date(2021, 1, 1),
        )
    )


async def test_linked_city_admin_gets_their_uncovered_units(bot_app, telegram, session, make_user):
    _unit(session, "91320500MA1RMND01X", "苏州提醒测试有限公司", "苏州市")
    _unit(session, "91320200MA1RMND02X", "无锡别处有限公司", "无锡市")
    admin = make_user("city", province="江苏省", city="苏州市")
    admin.telegram_user_id = USER_ID
    session.flush()
    await bot_app.process_update(message_update(bot_app.bot, "/remind"))
    (text,) = telegram.texts()
    assert "江苏省苏州市法定代表人培训提醒" in text
    assert "苏州提醒测试有限公司" in text and "无锡别处有限公司" not in text


async def test_remind_is_for_admins_only(bot_app, telegram, session, make_user):
    staff = make_user("staff", province="江苏省", city="苏州市")
    staff.telegram_user_id = USER_ID
    session.flush()
    await bot_app.process_update(message_update(bot_app.bot, "/remind"))
    assert telegram.texts() == [texts.REMIND_ADMINS_ONLY]
