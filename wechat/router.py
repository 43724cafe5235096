"""The WeChat server endpoint ``/wechat`` and the pages it links to.

- ``GET /wechat``: the server-verification handshake (signature over token, timestamp, nonce).
- ``POST /wechat``: message XML in plaintext mode, or in compatible / safe mode
  (``encrypt_type=aes``: the body is AES-encrypted with the EncodingAESKey and signed in
  ``msg_signature``); the reply is encrypted the same way. A bad signature or a body that cannot
  be decrypted gets 403 and a log line that names the caller, never a secret.
- ``GET /a/{token}``: the public page of one answer (whole text, sources, 👍/👎).
- ``GET /wechat/bind``: the codes a logged-in user sends to the account to bind WeChat.
"""

from __future__ import annotations

import logging
from typing import Annotated

from defusedxml import ElementTree as SafeElementTree
from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from bot import texts as chat_texts
from bot.models import ChatTurn
from core.config import get_settings
from core.deps import RequestSessionRoute, SessionDep
from core.errors import Forbidden, NotFound
from core.proxies import client_address
from web.deps import CsrfChecked, MaybePageUser, PageUser
from web.templating import render
from wechat import binding
from wechat import service as wechat_service

logger = logging.getLogger(__name__)
router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)

MAX_BODY_BYTES = 64 * 1024  # WeChat's messages are a few hundred bytes
NOT_CONFIGURED = "未配置微信公众号（PERMITHUB_WECHAT_TOKEN）"
BAD_SIGNATURE = "微信签名校验失败"
BAD_BODY = "无法解析或解密的微信消息"
ANSWER_VOTER_KEY = "answer_voter"
Text = Annotated[str, Query(max_length=200)]


def _token() -> str:
    secret = get_settings().wechat_token
    if secret is None or not secret.get_secret_value():
        raise NotFound(NOT_CONFIGURED)
    return secret.get_secret_value()


def _crypto(token: str) -> WeChatCrypto | None:
    settings = get_settings()
    if settings.wechat_aes_key is None or not settings.wechat_app_id:
        return None
    try:
        return WeChatCrypto(
            token, settings.wechat_aes_key.get_secret_value(), settings.wechat_app_id
        )
    except (AssertionError, ValueError, TypeError):
        logger.error("PERMITHUB_WECHAT_AES_KEY 格式不正确（应为 43 个字符的 EncodingAESKey）")
        return None


def _refuse(request: Request, reason: str, message: str) -> None:
    # The caller and the reason only: never the token, the key, a signature or the body.
    logger.warning("拒绝微信回调（%s），来自 %s", reason, client_address(request))
    raise Forbidden(message)


@router.get("/wechat")
def wechat_handshake(
    request: Request,
    signature: Text = "",
    timestamp: Text = "",
    nonce: Text = "",
    echostr: Text = "",
):
    """WeChat's server verification: echo ``echostr`` when the signature is ours."""
    token = _token()
    try:
        check_signature(token, signature, timestamp, nonce)
    except InvalidSignatureException:
        _refuse(request, "握手签名不符", BAD_SIGNATURE)
    return PlainTextResponse(echostr)


@router.post("/wechat")
async def wechat_message(
    request: Request,
    session: SessionDep,
    signature: Text = "",
    timestamp: Text = "",
    nonce: Text = "",
    encrypt_type: Text = "",
    msg_signature: Text = "",
):
    """One message or event; the passive reply is the response body ("success" for none)."""
    token = _token()
    body = b""
    async for chunk in request.stream():  # never more than the cap + one chunk in memory
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            break
    if len(body) > MAX_BODY_BYTES:
        _refuse(request, f"消息体过大（{len(body)} 字节）", BAD_BODY)
    try:
        check_signature(token, signature, timestamp, nonce)
    except InvalidSignatureException:
        _refuse(request, "签名不符", BAD_SIGNATURE)
    encrypted = encrypt_type.lower() == "aes"
    crypto = _crypto(token) if encrypted else None
    if encrypted and crypto is None:
        _refuse(request, "收到加密消息但未配置 AppID/EncodingAESKey", BAD_BODY)
    try:
        _check_xml(body)
        if crypto is not None:
            body = crypto.decrypt_message(body, msg_signature, timestamp, nonce)
            _check_xml(body)
        message = parse_message(body)
    except InvalidSignatureException:
        _refuse(request, "消息签名（msg_signature）不符", BAD_SIGNATURE)
    except InvalidAppIdException:
        _refuse(request, "消息属于另一个公众号（AppID 不符）", BAD_BODY)
    except Exception as exc:  # broken XML, base64 or padding: whatever a forged body trips on
        _refuse(request, f"消息无法解析或解密：{type(exc).__name__}", BAD_BODY)
    if message is None or not getattr(message, "source", None):
        _refuse(request, "消息缺少发送者", BAD_BODY)
    inbound = wechat_service.inbound_from(message)
    text = await run_in_threadpool(wechat_service.handle, session, inbound)
    if not text:
        return PlainTextResponse("success")
    reply = TextReply(source=message.target, target=message.source, content=text).render()
    if crypto is not None:
        reply = crypto.encrypt_message(reply, nonce, timestamp)
    return Response(reply, media_type="application/xml")


def _check_xml(body: bytes | str) -> None:
    """Refuse DTDs and entities before ``xmltodict`` reads the body (entity expansion bombs)."""
    SafeElementTree.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)


# ---- the public answer page ----------------------------------------------------------------


def _turn(session, token: str) -> ChatTurn:
    turn_id = wechat_service.turn_of_token(token)
    turn = session.get(ChatTurn, turn_id) if turn_id is not None else None
    if turn is None:
        raise NotFound("回答不存在或链接有误")
    return turn


def _voter(request: Request, user) -> str:
    if user is not None:
        return f"user:{user.id}"
    key = request.session.get(ANSWER_VOTER_KEY)
    if not key:
        import secrets

        key = "page:" + secrets.token_urlsafe(12)
        request.session[ANSWER_VOTER_KEY] = key
    return key


@router.get("/a/{token}")
def answer_page(
    request: Request,
    session: SessionDep,
    user: MaybePageUser,
    token: Annotated[str, Path(max_length=40)],
):
    """The whole answer a chat reply linked to, with its sources and 👍/👎; no login needed."""
    turn = _turn(session, token)
    context = {
        "turn": turn,
        "token": token,
        "texts": chat_texts,
        "voted": request.query_params.get("voted"),
    }
    return render(request, "wechat/answer.html", context)


@router.post("/a/{token}/feedback", dependencies=[CsrfChecked])
def answer_feedback(
    request: Request,
    session: SessionDep,
    user: MaybePageUser,
    token: Annotated[str, Path(max_length=40)],
    helpful: Annotated[int, Form(ge=0, le=1)],
):
    """👍/👎 on a public answer page: one vote per visitor (or account) and answer."""
    turn = _turn(session, token)
    if turn.log_id is None:
        raise NotFound(chat_texts.FEEDBACK_GONE)
    from knowledge import service as knowledge_service

    knowledge_service.record_feedback(
        session, log_id=turn.log_id, helpful=bool(helpful), voter=_voter(request, user)
    )
    session.commit()
    return RedirectResponse(f"/a/{token}?voted={int(bool(helpful))}", status_code=303)


# ---- binding codes ---------------------------------------------------------------------------


@router.get("/wechat/bind")
def bind_page(request: Request, session: SessionDep, user: PageUser):
    """The account code, and for an enterprise account the unit's code, to send on WeChat."""
    unit = None
    if user.enterprise_id is not None:
        from core.enterprises.models import Enterprise

        unit = session.get(Enterprise, user.enterprise_id)
    context = {
        "link_code": binding.link_code(user.id),
        "unit": unit,
        "unit_code": binding.enterprise_code(unit.id) if unit is not None else None,
    }
    return render(request, "wechat/bind.html", context)
