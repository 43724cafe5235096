"""Chat-channel tables: Telegram users linked to an enterprise, and the turns of a conversation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class TelegramLink(Base):
    """A Telegram user who sent ``/bind 统一社会信用代码``: they speak for that enterprise."""

    __tablename__ = "telegram_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    linked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChatTurn(Base):
    """One question and its answer in a conversation (a Telegram chat or a web chat session).

    Kept so the web page can show the conversation again, and so buttons can refer to a turn
    by its id (Telegram allows only 64 bytes of callback data).
    """

    __tablename__ = "chat_turn"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    conversation: Mapped[str] = mapped_column(String(64), index=True)
    question: Mapped[str] = mapped_column(Text)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    answer: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    sources: Mapped[list] = mapped_column(JSON, default=list)
    suggestions: Mapped[list] = mapped_column(JSON, default=list)
    log_id: Mapped[int | None] = mapped_column(Integer)
    # None: no vote yet; the knowledge service counts each voter once anyway.
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    asked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
