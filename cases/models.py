"""Typical cases: what happened, where, which clauses it rests on and the lesson for enterprises."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow

CASE_DRAFT = "draft"
CASE_PUBLISHED = "published"
CASE_RETIRED = "retired"
CASE_STATUSES = (CASE_DRAFT, CASE_PUBLISHED, CASE_RETIRED)
STATUS_LABELS = {CASE_DRAFT: "草稿", CASE_PUBLISHED: "已发布", CASE_RETIRED: "已撤下"}
CASE_KINDS = (
    "无证排污",
    "不按证排污",
    "执行报告",
    "台账",
    "自行监测",
    "信息公开",
    "良好实践",
)


class TypicalCase(Base):
    """One typical case; ``province``/``city`` None = a national case (edited nationally only)."""

    __tablename__ = "typical_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    occurred_on: Mapped[dt.date] = mapped_column(Date, index=True)
    province: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    city: Mapped[str | None] = mapped_column(String(32), default=None)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    summary: Mapped[str] = mapped_column(Text)
    clauses: Mapped[str] = mapped_column(String(500), default="")  # the clauses it rests on
    lesson: Mapped[str] = mapped_column(Text, default="")  # 启示 for enterprises
    status: Mapped[str] = mapped_column(String(16), default=CASE_DRAFT, index=True)
    # the knowledge document a published case is answered from (None while not published)
    document_id: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
