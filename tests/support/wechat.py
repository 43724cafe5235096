"""A fake WeChat server side for tests: signed (and AES-encrypted) messages and events.

The fixtures on top of it are in ``tests/wechat/conftest.py``.
"""

from __future__ import annotations

import itertools
import time

import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

TOKEN = "wx-test-token-7f3a"
APP_ID = "wx1234567890abcdef"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat issues them
ACCOUNT = "gh_permithub_test"
OPENID = "oPermitHubTester0000000000001"


def sign(token: str, timestamp: str, nonce: str) -> str:
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    return signer.signature


def message_xml(
    content: str | None = None,
    *,
    openid: str = OPENID,
    msg_id: int | None = None,
    msg_type: str = "text",
    extra: str = "",
    create_time: int | None = None,
) -> str:
    """A message as WeChat delivers it (plaintext XML)."""
    parts = [
        f"<ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>",
        f"<FromUserName><![CDATA[{openid}]]></FromUserName>",
        f"<CreateTime>{create_time or int(time.time())}</CreateTime>",
        f"<MsgType><![CDATA[{msg_type}]]></MsgType>",
    ]
    if content is not None:
        parts.append(f"<Content><![CDATA[{content}]]></Content>")
    parts.append(extra)
    if msg_id is not None:
        parts.append(f"<MsgId>{msg_id}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


def event_xml(event: str, key: str = "", *, openid: str = OPENID, create_time: int | None = None):
    extra = f"<Event><![CDATA[{event}]]></Event>"
    if key:
        extra += f"<EventKey><![CDATA[{key}]]></EventKey>"
    return message_xml(openid=openid, msg_type="event", extra=extra, create_time=create_time)


class FakeWeChat:
    """WeChat's side of the callback: signs, encrypts, posts, decrypts the passive reply."""

    _ids = itertools.count(7_000_000_000_000_000_001)

    def __init__(self, client, *, mode: str = "aes") -> None:
        self.client = client
        self.mode = mode  # "plain", "compatible" or "aes" (safe mode)
        self.crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
        self.last_response = None

    def next_id(self) -> int:
        return next(self._ids)

    def post_raw(self, xml: str, *, token: str = TOKEN, tamper=None):
        timestamp, nonce = str(int(time.time())), "n" + str(self.next_id())[-9:]
        params = {
            "signature": sign(token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
        }
        body = xml
        if self.mode in ("aes", "compatible"):
            encrypted = xmltodict.parse(self.crypto.encrypt_message(xml, nonce, timestamp))["xml"]
            params.update(
                encrypt_type="aes", msg_signature=encrypted["MsgSignature"], openid=OPENID
            )
            envelope = f"<Encrypt><![CDATA[{encrypted['Encrypt']}]]></Encrypt>"
            inner = (
                xml[len("<xml>") : -len("</xml>")]
                if self.mode == "compatible"
                else (f"<ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>")
            )
            body = f"<xml>{inner}{envelope}</xml>"
        if tamper is not None:
            params, body = tamper(params, body)
        self.last_response = self.client.post(
            "/wechat", params=params, content=body.encode(), headers={"Content-Type": "text/xml"}
        )
        return self.last_response, params

    def send(self, xml: str) -> str:
        """Deliver ``xml``; the text of the reply ("" when the app answered ``success``)."""
        response, params = self.post_raw(xml)
        assert response.status_code == 200, response.text
        if response.text == "success":
            return ""
        if self.mode in ("aes", "compatible"):
            envelope = xmltodict.parse(response.text)["xml"]
            assert "Content" not in envelope  # nothing readable travels in safe mode
            plain = self.crypto.decrypt_message(
                response.text, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"]
            )
        else:
            plain = response.text
        reply = xmltodict.parse(plain)["xml"]
        assert reply["ToUserName"] == OPENID and reply["FromUserName"] == ACCOUNT
        assert reply["MsgType"] == "text"
        return reply["Content"]

    def ask(self, text: str, *, msg_id: int | None = None, openid: str = OPENID) -> str:
        return self.send(message_xml(text, msg_id=msg_id or self.next_id(), openid=openid))
