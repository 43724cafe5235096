"""Practice questions and binding in the WeChat chat, through the running app."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from core.enterprises.credit_code import check_character
from core.enterprises.models import Enterprise
from quiz import bank
from quiz import schemas as quiz_schemas
from quiz.models import Mistake, PracticeAnswer
from tests.support.wechat import OPENID
from wechat import binding, texts
from wechat.models import WechatFollower


def _code(body: str) -> str:
    return body + check_character(body)


def _enterprise(session, **fields) -> Enterprise:
    unit = Enterprise(
        credit_code=_code(fields.pop("body", "91320500MA1W2X3Y4")),
        name=fields.pop("name", "苏州某某化工有限公司"),
        province="江苏省",
        city="苏州市",
        division_code="320500",
        management_category="重点管理",
        permit_status="有效",
        legal_rep_name="张三",
        legal_rep_since=dt.date(2020, 1, 1),
        **fields,
    )
    session.add(unit)
    session.flush()
    return unit


def _question(session):
    return bank.create_question(
        session,
        data=quiz_schemas.QuestionCreate(
            kind="单选",
            stem="法定代表人专题培训要在何时前实现全覆盖？",
            options=["2023年6月", "2024年12月", "2025年12月"],
            answer="B",
            explanation="行动计划措施33：2024年12月底前实现全覆盖。",
            tags=["培训"],
            difficulty=1,
            source="《行动计划》措施33",
        ),
    )


def _link(wechat, client, login, make_user):
    user = make_user("staff", username="wx-staff", province="江苏省", city="苏州市")
    login("wx-staff")
    page = client.get("/wechat/bind")
    command = re.search(r'id="link-command">([^<]+)<', page.text).group(1)
    return user, wechat.ask(command)


def test_practice_round_scores_the_letter_explains_and_keeps_mistakes(
    wechat, client, session, login, make_user
):
    question = _question(session)
    assert "关联平台账号" in wechat.ask("练习")  # not linked yet
    user, linked = _link(wechat, client, login, make_user)
    assert linked.startswith("已关联平台账号")
    shown = wechat.ask("练习")
    assert question.stem in shown and "B. 2024年12月" in shown
    wrong = wechat.ask("a")
    assert "回答错误" in wrong and "正确答案：B. 2024年12月" in wrong
    assert "解析：行动计划措施33" in wrong
    mistake = session.scalar(select(Mistake).where(Mistake.user_id == user.id))
    assert mistake is not None and mistake.question_id == question.id
    # the question is closed: a letter now is a question to the Q&A service, not an answer
    assert session.scalar(select(WechatFollower.practice_question_id)) is None
    wechat.ask("练习")
    right = wechat.ask("B")
    assert right.startswith("✅")
    session.refresh(mistake)
    assert mistake.mastered_at is not None
    assert len(session.scalars(select(PracticeAnswer)).all()) == 2


def test_a_letter_the_question_lacks_keeps_it_open(wechat, client, session, login, make_user):
    _question(session)
    _link(wechat, client, login, make_user)
    wechat.ask("练习")
    refused = wechat.ask("E")
    assert "✅" not in refused and "❌" not in refused
    assert session.scalar(select(WechatFollower.practice_question_id)) is not None


def test_binding_an_enterprise_needs_its_code_from_the_enterprise_account(
    wechat, client, session, login, make_user
):
    unit = _enterprise(session)
    other = _enterprise(session, body="91320500MA1W2X3Y5", name="另一家公司")
    wrong = wechat.ask(f"绑定 {unit.credit_code} {binding.enterprise_code(other.id)}")
    assert wrong == texts.BIND_BAD_CODE
    assert wechat.ask("绑定") == texts.BIND_USAGE
    make_user("enterprise", username="wx-unit", credit_code=unit.credit_code)
    login("wx-unit")
    page = client.get("/wechat/bind")
    command = re.search(r'id="unit-command">([^<]+)<', page.text).group(1)
    assert command.startswith(f"绑定 {unit.credit_code} ")
    done = wechat.ask(command)
    assert "苏州某某化工有限公司" in done and "江苏省苏州市" in done
    row = session.scalar(select(WechatFollower).where(WechatFollower.openid == OPENID))
    assert row.enterprise_id == unit.id
    assert wechat.ask("解绑") == texts.UNBOUND
    assert wechat.ask("解绑") == texts.NOTHING_BOUND


def test_enterprise_code_expires(session):
    unit = _enterprise(session)
    code = binding.enterprise_code(unit.id, now=1_700_000_000)
    later = 1_700_000_000 + 2 * binding.ENTERPRISE_WINDOW_SECONDS
    import pytest

    from core.errors import Invalid

    with pytest.raises(Invalid):
        binding.bind_enterprise(
            session, openid="o1", credit_code=unit.credit_code, code=code, now=later
        )
    binding.bind_enterprise(
        session, openid="o1", credit_code=unit.credit_code, code=code, now=1_700_000_000 + 60
    )


def test_bind_page_needs_a_login(client):
    response = client.get("/wechat/bind", follow_redirects=False)
    assert response.status_code == 303 and "/login" in response.headers["location"]
