"""Curation records: which logged questions an admin has already dealt with, and how."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow

REVIEW_NEW_FAQ = "new_faq"  # became a new FAQ entry
REVIEW_PHRASING = "phrasing"  # added as a phrasing of an existing entry
REVIEW_DISMISSED = "dismissed"  # out of scope or noise; no entry needed
REVIEW_ACTIONS = (REVIEW_NEW_FAQ, REVIEW_PHRASING, REVIEW_DISMISSED)


class QuestionReview(Base):
    """A logged question an admin has handled; handled questions leave the curation queue."""

    __tablename__ = "question_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_log_id: Mapped[int] = mapped_column(
        ForeignKey("question_log.id", ondelete="CASCADE"), unique=True
    )
    action: Mapped[str] = mapped_column(String(16))
    faq_id: Mapped[int | None] = mapped_column(
        ForeignKey("faq_entry.id", ondelete="SET NULL"), default=None, index=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    reviewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
