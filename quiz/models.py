"""Question-bank and contest models.

A contest attempt stores its own draw (``attempt_item``: which question at which position, the
order its options were shown in, and a copy of the question as it was drawn), so the draw, the
deadline, the key and every saved answer live in the database: a restart, another worker or an
edit of the bank changes nothing in a started attempt.

Questions and contests belong to a region (``province``/``city``; ``None`` is national): only
admins who own that region edit them, and a question is usable in its own region and below it.
A contest reserves its pool (``contest_question``) when it is created; until it closes those
questions are kept out of practice and their keys out of its participants' sight.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow


class QuestionKind(enum.StrEnum):
    SINGLE = "单选"
    MULTIPLE = "多选"
    JUDGE = "判断"


class QuestionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        return {"draft": "草稿", "published": "已发布", "retired": "已停用"}[self.value]


class ContestKind(enum.StrEnum):
    KNOWLEDGE = "知识竞赛"
    REVIEW_SKILL = "审核技能竞赛"


class ContestState(enum.StrEnum):
    """Where a contest is in its time window (computed, never stored)."""

    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"upcoming": "未开始", "open": "进行中", "closed": "已结束"}[self.value]


# 判断题 are stored as two options so scoring and shuffling treat every type alike.
JUDGE_OPTIONS = ["正确", "错误"]


class Question(Base):
    __tablename__ = "question"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), index=True)
    stem: Mapped[str] = mapped_column(Text)
    # sha256 of the normalised stem: a duplicate stem is found by an index, not a text scan.
    stem_hash: Mapped[str] = mapped_column(String(64), unique=True)
    options: Mapped[list[str]] = mapped_column(JSON)
    answer: Mapped[str] = mapped_column(String(8))
    explanation: Mapped[str] = mapped_column(Text, default="")
    difficulty: Mapped[int] = mapped_column(Integer, default=3, index=True)
    source: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(
        String(16), default=QuestionStatus.PUBLISHED.value, index=True
    )
    # Owner region (None = national): who may edit it, and where it may be drawn.
    province: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    city: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    tag_rows: Mapped[list[QuestionTag]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="QuestionTag.id",
    )

    @property
    def tags(self) -> list[str]:
        return [t.tag for t in self.tag_rows]

    @property
    def status_label(self) -> str:
        return QuestionStatus(self.status).label


class QuestionTag(Base):
    __tablename__ = "question_tag"
    __table_args__ = (UniqueConstraint("question_id", "tag"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(32), index=True)

    question: Mapped[Question] = relationship(back_populates="tag_rows")


class ShowAnswers(enum.StrEnum):
    """When a contest shows the correct answers (and explanations) to those who submitted."""

    IMMEDIATELY = "immediately"
    AFTER_CLOSE = "after_close"
    NEVER = "never"

    @property
    def label(self) -> str:
        return SHOW_ANSWERS_LABELS[self]


SHOW_ANSWERS_LABELS = {
    ShowAnswers.IMMEDIATELY: "交卷后立即显示",
    ShowAnswers.AFTER_CLOSE: "竞赛结束后显示",
    ShowAnswers.NEVER: "不显示",
}


class Contest(Base):
    __tablename__ = "contest"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    # Organiser's region (None = national); only admins whose scope covers it may edit.
    province: Mapped[str | None] = mapped_column(String(32), index=True)
    city: Mapped[str | None] = mapped_column(String(32))
    audience_roles: Mapped[list[str]] = mapped_column(JSON)
    # Each entry "江苏省" or "江苏省/苏州市"; empty means everyone in the organiser's region.
    audience_regions: Mapped[list[str]] = mapped_column(JSON)
    opens_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    time_limit_minutes: Mapped[int] = mapped_column(Integer, default=30)
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=1)
    # [{"tag": "许可证核发" | null, "difficulty": 1..5 | null, "count": 5}, …]
    quotas: Mapped[list[dict]] = mapped_column(JSON)
    shuffle_options: Mapped[bool] = mapped_column(Boolean, default=True)
    show_explanations: Mapped[bool] = mapped_column(Boolean, default=True)
    # When participants see the correct answers and explanations (ShowAnswers).
    show_answers: Mapped[str] = mapped_column(
        String(16), default="immediately", server_default="immediately"
    )
    pass_percent: Mapped[int] = mapped_column(Integer, default=60)
    certificate_top_n: Mapped[int] = mapped_column(Integer, default=10)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def question_count(self) -> int:
        return sum(int(q.get("count", 0)) for q in self.quotas)


class ContestQuestion(Base):
    """A question reserved for a contest's draws (by quota): out of practice until it closes."""

    __tablename__ = "contest_question"
    __table_args__ = (UniqueConstraint("contest_id", "question_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    quota_index: Mapped[int] = mapped_column(Integer)


class Attempt(Base):
    __tablename__ = "attempt"
    __table_args__ = (
        UniqueConstraint("contest_id", "user_id", "attempt_no"),
        Index("ix_attempt_contest_submitted", "contest_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    attempt_no: Mapped[int] = mapped_column(Integer, default=1)
    # The participant's region and unit when they started, so leaderboards need no join.
    province: Mapped[str | None] = mapped_column(String(32))
    city: Mapped[str | None] = mapped_column(String(32))
    organisation: Mapped[str | None] = mapped_column(String(128))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    question_count: Mapped[int] = mapped_column(Integer)
    correct_count: Mapped[int | None] = mapped_column(Integer)
    time_used_seconds: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="AttemptItem.position"
    )

    @property
    def score(self) -> float | None:
        """Percentage of questions answered right (every question weighs the same)."""
        if self.correct_count is None or not self.question_count:
            return None
        return round(100 * self.correct_count / self.question_count, 1)


class AttemptItem(Base):
    __tablename__ = "attempt_item"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    # Original option letters in the order shown: "CADB" shows original C as A.
    option_order: Mapped[str] = mapped_column(String(8))
    # The question as drawn: scoring and review use this copy, never the (editable) bank row.
    kind: Mapped[str] = mapped_column(String(8))
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON)
    answer_key: Mapped[str] = mapped_column(String(8))
    explanation: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(255), default="")
    # The participant's choice in original letters, saved as soon as it is made.
    answer: Mapped[str | None] = mapped_column(String(8))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    is_correct: Mapped[bool | None] = mapped_column(Boolean)

    attempt: Mapped[Attempt] = relationship(back_populates="items")


class Mistake(Base):
    """错题本: a question answered wrongly in practice (or in a contest that shows answers)."""

    __tablename__ = "quiz_mistake"
    __table_args__ = (UniqueConstraint("user_id", "question_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    wrong_count: Mapped[int] = mapped_column(Integer, default=1)
    last_answer: Mapped[str] = mapped_column(String(8), default="")
    last_wrong_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the user later answers it right in practice; the entry leaves the open list.
    mastered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PracticeAnswer(Base):
    """Every practice answer, per user: who asked for which key, and when."""

    __tablename__ = "quiz_practice_answer"
    __table_args__ = (Index("ix_quiz_practice_answer_user_answered", "user_id", "answered_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    choice: Mapped[str] = mapped_column(String(8))
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Certificate(Base):
    __tablename__ = "quiz_certificate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    contest_id: Mapped[int] = mapped_column(
        ForeignKey("contest.id", ondelete="CASCADE"), index=True
    )
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    holder_name: Mapped[str] = mapped_column(String(64))
    award: Mapped[str] = mapped_column(String(32))
    rank: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float] = mapped_column()
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContestExtension(Base):
    """A contest reopened for one person: they may start (again) until ``closes_at``."""

    __tablename__ = "contest_extension"
    __table_args__ = (UniqueConstraint("contest_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    closes_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    extra_attempts: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
