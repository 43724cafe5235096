"""WeChat tables: each delivered message once (retries share its reply), and who a follower is."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class WechatDelivery(Base):
    """One message or event WeChat delivered; its retries (same ``MsgId``) find this row.

    The unique key is claimed before answering, so three deliveries reaching three workers answer
    once: the others wait for ``reply`` (None while the first is still answering).
    """

    __tablename__ = "wechat_delivery"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "msg:<MsgId>" for messages; "evt:<openid>:<CreateTime>:<event>" for events (no MsgId)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    openid: Mapped[str] = mapped_column(String(64), index=True)
    reply: Mapped[str | None] = mapped_column(Text, default=None)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class WechatFollower(Base):
    """A WeChat user (openid) of the account: the enterprise and the account it is bound to,
    and the practice question waiting for its answer letter."""

    __tablename__ = "wechat_follower"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="SET NULL"), default=None, index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None, index=True
    )
    practice_question_id: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
