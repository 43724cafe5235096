"""The audit trail: one row per change of shared content, answer keys or accounts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    """Who changed what: kept forever, never edited, shown to admins for their own region."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True, default=None
    )
    actor: Mapped[str] = mapped_column(String(64), default="")  # username, or "cli"
    # e.g. "faq.update", "question.update", "document.delete", "synonym.create"
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_kind: Mapped[str] = mapped_column(String(32), index=True)
    target_id: Mapped[str] = mapped_column(String(64), default="")
    # the region the changed content belongs to (None: national content)
    province: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    city: Mapped[str | None] = mapped_column(String(32), default=None)
    detail: Mapped[str] = mapped_column(Text, default="")  # JSON: before/after or a summary
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
