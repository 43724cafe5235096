"""Pydantic shapes of the knowledge API and the service's answer."""

from __future__ import annotations

from pydantic import BaseModel, Field

MAX_QUESTION_CHARS = 500


class Source(BaseModel):
    """A passage cited by an answer."""

    title: str
    section: str | None = None
    article: str | None = None
    measure: int | None = None
    deadline: str | None = None
    departments: str | None = None
    text: str
    score: float


class Answer(BaseModel):
    """The reply to a question: answered or honestly refused, with sources and suggestions."""

    answered: bool
    answer: str
    confidence: float = Field(ge=0.0, le=1.0)
    sources: list[Source] = []
    suggestions: list[str] = []
    log_id: int | None = None
    faq_id: int | None = None
    conversation_id: str | None = None


class AskRequest(BaseModel):
    """``POST /api/ask`` body."""

    question: str
    conversation_id: str | None = None


class FeedbackRequest(BaseModel):
    """``POST /api/ask/{log_id}/feedback`` body."""

    helpful: bool


class FeedbackRead(BaseModel):
    """The vote as stored."""

    log_id: int
    helpful: bool


class PassageHit(BaseModel):
    """A ranked passage with its scores, for the retrieval-test page."""

    title: str
    section: str | None
    measure: int | None
    deadline: str | None
    departments: str | None
    text: str
    score: float
    bm25: float
    dense: float
    coverage: float
