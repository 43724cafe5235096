"""POST /wechat end to end: signed, AES-encrypted XML built with wechatpy's own crypto is posted
to the running app; the reply is decrypted and read. The Q&A service is the real one."""

from __future__ import annotations

import logging
import re

from sqlalchemy import func, select

from bot.models import ChatTurn
from core.regions.scope import RegionScope
from knowledge import faq
from knowledge.models import QuestionLog
from tests.support.wechat import (
    AES_KEY,
    OPENID,
    TOKEN,
    FakeWeChat,
    event_xml,
    message_xml,
    sign,
)
from wechat import texts
from wechat.models import WechatDelivery

QUESTION = "老板要参加什么培训，截止到啥时候？"


def log_rows(session, question: str | None = None) -> int:
    stmt = select(func.count()).select_from(QuestionLog).where(QuestionLog.channel == "wechat")
    if question:
        stmt = stmt.where(QuestionLog.question == question)
    return session.scalar(stmt)


def test_handshake_echoes_only_a_signed_challenge(client, wechat_settings):
    params = {"timestamp": "1700000000", "nonce": "abc", "echostr": "challenge-42"}
    good = client.get("/wechat", params={**params, "signature": sign(TOKEN, "1700000000", "abc")})
    assert good.status_code == 200 and good.text == "challenge-42"
    bad = client.get("/wechat", params={**params, "signature": "0" * 40})
    assert bad.status_code == 403 and "challenge-42" not in bad.text


def test_encrypted_question_gets_an_encrypted_reply_citing_the_clause(wechat, session, knowledge):
    reply = wechat.ask(QUESTION)
    assert "法定代表人专题培训班" in reply
    assert "措施33" in reply and "完成时限：2024年12月" in reply
    assert "📖 依据" in reply
    link = re.search(r'href="https://permithub\.example(/a/[0-9]+-[0-9a-f]{16})"', reply)
    assert link, reply
    assert len(reply.encode()) <= 2048
    log = session.scalar(select(QuestionLog).where(QuestionLog.channel == "wechat"))
    assert (log.question, log.answered, log.conversation) == (QUESTION, True, f"wx:{OPENID}")


def test_plaintext_and_compatible_modes_answer_too(client, wechat_settings, knowledge):
    for mode in ("plain", "compatible"):
        fake = FakeWeChat(client, mode=mode)
        reply = fake.ask(QUESTION)
        assert "措施33" in reply, mode
        if mode == "plain":
            assert "<Content><![CDATA[" in fake.last_response.text


def test_three_deliveries_of_one_msgid_answer_once_and_log_once(wechat, session, knowledge):
    msg_id = wechat.next_id()
    replies = [wechat.ask(QUESTION, msg_id=msg_id) for _ in range(3)]
    assert replies[0] and replies[0] == replies[1] == replies[2]
    assert log_rows(session, QUESTION) == 1
    assert session.scalar(select(func.count()).select_from(ChatTurn)) == 1
    assert session.scalar(select(func.count()).select_from(WechatDelivery)) == 1
    # a new message with the same words is a new question
    wechat.ask(QUESTION)
    assert log_rows(session, QUESTION) == 2


def test_bad_signature_is_refused_and_logged_without_secrets(wechat, session, knowledge, caplog):
    caplog.set_level(logging.WARNING)

    def wrong_signature(params, body):
        return {**params, "signature": sign("not-the-token", params["timestamp"], "x")}, body

    def wrong_msg_signature(params, body):
        return {**params, "msg_signature": "f" * 40}, body

    def garbage(params, body):
        return params, body.replace("<Encrypt><![CDATA[", "<Encrypt><![CDATA[AAAA")

    for tamper in (wrong_signature, wrong_msg_signature, garbage):
        response, _ = wechat.post_raw(message_xml(QUESTION, msg_id=wechat.next_id()), tamper=tamper)
        assert response.status_code == 403, tamper.__name__
        assert "措施33" not in response.text
    assert log_rows(session) == 0
    logged = caplog.text
    assert "拒绝微信回调" in logged
    assert TOKEN not in logged and AES_KEY not in logged


def test_xml_with_entities_is_refused(client, wechat_settings):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
        "<xml><FromUserName>&a;</FromUserName><MsgType>text</MsgType></xml>"
    )
    fake = FakeWeChat(client, mode="plain")
    response, _ = fake.post_raw(bomb)
    assert response.status_code == 403


def test_unconfigured_channel_is_not_found(client):
    assert client.get("/wechat", params={"echostr": "x"}).status_code == 404


def test_long_answer_is_cut_at_a_sentence_with_a_link_to_the_whole_answer(
    wechat, client, session, knowledge
):
    sentence = (
        "排污单位应当按照排污许可证规定的污染物种类、浓度和排放量开展自行监测并如实记录台账。"
    )
    long_answer = "".join(f"第{i}点：{sentence}" for i in range(1, 41))
    faq.create_faq(
        session,
        scope=RegionScope(),
        question="自行监测和台账记录有哪些具体要求？",
        answer=long_answer,
        basis="行动计划措施18",
    )
    reply = wechat.ask("自行监测和台账记录有哪些具体要求？")
    assert len(reply.encode()) <= 2048
    body = reply.split(texts.CUT_NOTE)[0]
    assert texts.CUT_NOTE in reply and body.endswith("。")
    assert long_answer.startswith(body)
    path = re.search(r'href="https://permithub\.example(/a/[^"]+)"', reply).group(1)
    page = client.get(path)
    assert page.status_code == 200
    assert long_answer in page.text
    assert "👍" in page.text and "👎" in page.text
    # a made-up token is not an answer page
    turn_id = path.split("/")[-1].split("-")[0]
    assert client.get(f"/a/{turn_id}-0000000000000000").status_code == 404


def test_numbered_suggestions_and_replying_a_number_asks_it(wechat, session, knowledge):
    reply = wechat.ask("年假怎么请")  # off topic: refused, with numbered suggestions
    turn = session.scalars(select(ChatTurn).order_by(ChatTurn.id.desc())).first()
    assert turn.suggestions, reply
    assert "1. " + turn.suggestions[0] in reply and "回复 1" in reply
    second = wechat.ask("1")
    assert second.startswith(f"问：{turn.suggestions[0]}")
    assert log_rows(session, turn.suggestions[0]) == 1


def test_follow_up_uses_the_previous_turn(wechat, session, knowledge):
    wechat.ask("法定代表人培训是什么要求？")
    wechat.ask("截止到什么时候？")
    logs = session.scalars(
        select(QuestionLog).where(QuestionLog.channel == "wechat").order_by(QuestionLog.id)
    ).all()
    assert len(logs) == 2 and logs[1].conversation == logs[0].conversation
    assert "法定代表人" in logs[1].normalized  # read together with the previous question
    assert logs[1].answered and logs[1].source_measure == 33


def test_voice_with_recognition_is_a_question_and_images_get_a_short_reply(
    wechat, session, knowledge
):
    voice = message_xml(
        msg_type="voice",
        msg_id=wechat.next_id(),
        extra="<MediaId><![CDATA[m1]]></MediaId><Format><![CDATA[amr]]></Format>"
        f"<Recognition><![CDATA[{QUESTION}]]></Recognition>",
    )
    assert "措施33" in wechat.send(voice)
    image = message_xml(
        msg_type="image",
        msg_id=wechat.next_id(),
        extra="<PicUrl><![CDATA[http://x/y.jpg]]></PicUrl><MediaId><![CDATA[m2]]></MediaId>",
    )
    assert wechat.send(image) == texts.NOT_SUPPORTED
    location = message_xml(
        msg_type="location",
        msg_id=wechat.next_id(),
        extra="<Location_X>31.3</Location_X><Location_Y>120.6</Location_Y><Scale>15</Scale>"
        "<Label><![CDATA[苏州]]></Label>",
    )
    assert wechat.send(location) == texts.NOT_SUPPORTED


def test_subscribe_welcomes_with_examples_and_menu_clicks_answer(wechat, session, knowledge):
    welcome = wechat.send(event_xml("subscribe"))
    assert "欢迎关注" in welcome and texts.EXAMPLE_QUESTIONS[0] in welcome
    faq.create_faq(
        session,
        scope=RegionScope(),
        question="排污许可证有效期多久？",
        answer="五年。",
        basis="条例",
    )
    menu = wechat.send(event_xml("CLICK", "FAQ", create_time=1_700_000_001))
    assert "排污许可证有效期多久？" in menu and "https://permithub.example/faq/" in menu
    answered = wechat.ask("排污许可证有效期多久？")
    assert "五年。" in answered and "常见问题原文：" in answered and "/faq/" in answered
    bind = wechat.send(event_xml("CLICK", "BIND", create_time=1_700_000_002))
    assert "https://permithub.example/wechat/bind" in bind
    practice = wechat.send(event_xml("CLICK", "PRACTICE", create_time=1_700_000_003))
    assert "关联平台账号" in practice
    from cases import service as case_service
    from cases.demo import STARTER_CASES
    from cases.schemas import CaseCreate

    case = case_service.create_case(session, data=CaseCreate(**STARTER_CASES[0]))
    case_service.publish_case(session, case_id=case.id)
    cases = wechat.send(event_xml("CLICK", "CASES", create_time=1_700_000_004))
    assert case.title in cases and f"https://permithub.example/cases/{case.id}" in cases
    answer = wechat.ask("有没有无证排污被处罚的案例")
    assert f"《典型案例：{case.title}》" in answer
    # the same event delivered again is not answered twice
    again = wechat.send(event_xml("CLICK", "BIND", create_time=1_700_000_002))
    assert again == bind


def test_two_menu_clicks_in_the_same_second_are_two_events(wechat, session):
    faq = wechat.send(event_xml("CLICK", "FAQ", create_time=1_700_000_100))
    bind = wechat.send(event_xml("CLICK", "BIND", create_time=1_700_000_100))
    assert faq != bind and "/wechat/bind" in bind
