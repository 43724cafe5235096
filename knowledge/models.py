"""Knowledge-base models: documents and chunks, curated FAQ, synonyms, the question log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow

FAQ_ACTIVE = "active"
FAQ_RETIRED = "retired"
FAQ_STATUSES = (FAQ_ACTIVE, FAQ_RETIRED)
DOCUMENT_ACTIVE = "active"
DOCUMENT_DISABLED = "disabled"
DOCUMENT_STATUSES = (DOCUMENT_ACTIVE, DOCUMENT_DISABLED)
CHANNELS = ("web", "telegram", "api", "wechat")
# A document's standing as policy (the /policies page); ``status`` says whether it is searched.
POLICY_IN_FORCE = "in_force"
POLICY_DRAFT = "draft"
POLICY_REPEALED = "repealed"
POLICY_STATUSES = {
    POLICY_IN_FORCE: "现行有效",
    POLICY_DRAFT: "征求意见稿",
    POLICY_REPEALED: "已废止",
}


class Document(Base):
    """One ingested source (the action plan, a PDF …); re-ingesting replaces its chunks."""

    __tablename__ = "knowledge_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), unique=True)
    source: Mapped[str] = mapped_column(String(500), default="")
    # "text" | "markdown" | "docx" | "pdf" | "faq"
    kind: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64))
    # hash of the normalised text: the same content uploaded under another title or format
    content_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    # "active" documents are searched; "disabled" ones are kept but not searched
    status: Mapped[str] = mapped_column(String(16), default=DOCUMENT_ACTIVE, index=True)
    # owner region: None for national documents (edited by national admins only)
    province: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    city: Mapped[str | None] = mapped_column(String(32), default=None)
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)
    # what the /policies page shows: 发文机关, 文号, 发布日期 and in force / draft / repealed
    issuing_body: Mapped[str] = mapped_column(String(100), default="", server_default="")
    doc_number: Mapped[str] = mapped_column(String(100), default="", server_default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    policy_status: Mapped[str] = mapped_column(
        String(16), default=POLICY_IN_FORCE, server_default=POLICY_IN_FORCE
    )
    ingested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    chunks: Mapped[list[Chunk]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Chunk.ordinal"
    )


class Chunk(Base):
    """A retrievable passage: a paragraph under its section path, or one numbered measure."""

    __tablename__ = "knowledge_chunk"
    __table_args__ = (UniqueConstraint("document_id", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_document.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    # e.g. "二、夯实排污许可证质量 > （一）“双百”任务提质增效"
    section: Mapped[str | None] = mapped_column(String(500), default=None)
    measure: Mapped[int | None] = mapped_column(Integer, default=None)
    # the article of a legal text the passage belongs to, e.g. "第十四条"
    article: Mapped[str | None] = mapped_column(String(32), default=None)
    deadline: Mapped[str | None] = mapped_column(String(64), default=None)  # 完成时限
    departments: Mapped[str | None] = mapped_column(String(300), default=None)  # 责任部门
    page: Mapped[int | None] = mapped_column(Integer, default=None)
    text: Mapped[str] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="chunks")


class FaqEntry(Base):
    """A curated question with its answer, returned word for word when a question matches it."""

    __tablename__ = "faq_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(String(500))
    answer: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(String(200), default="")  # 依据, e.g. 行动计划措施33
    tags: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default=FAQ_ACTIVE, index=True)
    # owner region: None for national entries; a region's entries are answered in that region
    province: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    city: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    phrasings: Mapped[list[FaqPhrasing]] = relationship(
        back_populates="faq", cascade="all, delete-orphan", order_by="FaqPhrasing.id"
    )


class FaqPhrasing(Base):
    """Another way of asking a FAQ entry's question (相似问法)."""

    __tablename__ = "faq_phrasing"
    __table_args__ = (UniqueConstraint("faq_id", "text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    faq_id: Mapped[int] = mapped_column(ForeignKey("faq_entry.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))

    faq: Mapped[FaqEntry] = relationship(back_populates="phrasings")


class Synonym(Base):
    """A term users type and the documents' canonical wording (法人→法定代表人)."""

    __tablename__ = "synonym"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(64), unique=True)
    canonical: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QuestionLog(Base):
    """Every question asked, with what we answered; the curation pages read it."""

    __tablename__ = "question_log"
    __table_args__ = (Index("ix_question_log_answered_created", "answered", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(String(500))
    normalized: Mapped[str] = mapped_column(String(500), default="")
    answered: Mapped[bool] = mapped_column(Boolean)
    answer: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    channel: Mapped[str] = mapped_column(String(16), default="api", index=True)
    province: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    city: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    client_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    # a chat conversation (web, Telegram, or the id an API client sends): follow-ups read the
    # previous question of the same conversation
    conversation: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    # the unit of an enterprise account or a bound chat user: the unit's own question history
    enterprise_id: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    faq_id: Mapped[int | None] = mapped_column(
        ForeignKey("faq_entry.id", ondelete="SET NULL"), default=None, index=True
    )
    source_title: Mapped[str | None] = mapped_column(String(300), default=None)
    source_section: Mapped[str | None] = mapped_column(String(500), default=None)
    source_measure: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    feedback: Mapped[list[AnswerFeedback]] = relationship(
        back_populates="question_log", cascade="all, delete-orphan", passive_deletes=True
    )


class AnswerFeedback(Base):
    """A user's vote on one answer; one per voter, a changed mind updates it."""

    __tablename__ = "answer_feedback"
    __table_args__ = (UniqueConstraint("question_log_id", "voter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_log_id: Mapped[int] = mapped_column(
        ForeignKey("question_log.id", ondelete="CASCADE"), index=True
    )
    helpful: Mapped[bool] = mapped_column(Boolean)
    voter: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    question_log: Mapped[QuestionLog] = relationship(back_populates="feedback")


class IndexState(Base):
    """One row: the version of the search index; processes rebuild or reload when it changes."""

    __tablename__ = "knowledge_index_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    # random per bump, so index files of different databases sharing DATA_DIR never mix
    token: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
