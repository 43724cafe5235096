"""Bodies of the curation API: FAQ, synonyms, the question queue, the retrieval test."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from core.bounds import Id
from knowledge.faq import MAX_ANSWER, MAX_BASIS, MAX_QUESTION, MAX_TAGS, MAX_TERM

# One review handles a page of the queue, not the whole log.
LogIds = Annotated[list[Id], Field(min_length=1, max_length=500, description="问题记录编号")]

# FAQ and synonym texts are checked by ``knowledge.faq`` (blank, too long, repeated), with the
# same messages as the admin pages and the FAQ import. The bodies only bound the sizes the API
# accepts (documented in the OpenAPI), with the service's own limits.


class FaqCreate(BaseModel):
    """A new FAQ entry; ``phrasings`` are other ways of asking the same question."""

    question: str = Field(max_length=MAX_QUESTION, description="标准问题")
    answer: str = Field(max_length=MAX_ANSWER, description="答案")
    basis: str = Field(default="", max_length=MAX_BASIS, description="依据，如“行动计划措施33”")
    tags: str = Field(default="", max_length=MAX_TAGS, description="标签，多个以 | 分隔")
    phrasings: list[str] = Field(default_factory=list, description="相似问法")


class FaqUpdate(FaqCreate):
    """The full new content of an entry (phrasings replace the old list)."""


class FaqRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    question: str
    answer: str
    basis: str
    tags: str
    status: str
    phrasings: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime
    province: str | None = Field(default=None, description="所属省份；为空表示全国共用条目")
    city: str | None = Field(default=None, description="所属城市")
    owner: str = Field(default="全国", description="所属地区，如“全国”“江苏省苏州市”")
    editable: bool = Field(default=True, description="当前管理员能否修改此条目")


class FaqPage(BaseModel):
    items: list[FaqRead]
    total: int
    page: int
    pages: int


class SynonymWrite(BaseModel):
    """A term users type and the wording of the documents it stands for."""

    term: str = Field(max_length=MAX_TERM, description="用户的说法或简称，如“排污证”")
    canonical: str = Field(max_length=MAX_TERM, description="规范说法，如“排污许可证”")


class SynonymRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    term: str
    canonical: str


class PendingRead(BaseModel):
    log_id: int
    question: str
    region: str
    reason: str
    asked_at: dt.datetime | None


class GroupRead(BaseModel):
    """Similar pending questions; ``log_ids`` are what the promote/attach/dismiss calls take."""

    representative: str
    count: int
    unanswered: int
    unhelpful: int
    regions: list[tuple[str, int]]
    phrasings: list[tuple[str, int]]
    last_asked_at: dt.datetime | None
    log_ids: list[int]
    suggested_faqs: list[FaqRead]


class RegionRead(BaseModel):
    label: str
    province: str | None
    city: str | None
    count: int


class QueueRead(BaseModel):
    """The top groups, with totals over every pending question of the region."""

    groups: list[GroupRead]
    group_count: int
    question_count: int
    regions: list[RegionRead]


class PromoteRequest(BaseModel):
    """Turn logged questions into a new FAQ entry."""

    log_ids: LogIds
    question: str = Field(max_length=MAX_QUESTION, description="标准问题")
    answer: str = Field(max_length=MAX_ANSWER, description="答案")
    basis: str = Field(default="", max_length=MAX_BASIS, description="依据")
    tags: str = Field(default="", max_length=MAX_TAGS, description="标签")


class AttachRequest(BaseModel):
    """Add logged questions as phrasings of an existing FAQ entry."""

    log_ids: LogIds
    faq_id: Id = Field(description="FAQ 条目编号")


class DismissRequest(BaseModel):
    log_ids: LogIds


class ReviewResult(BaseModel):
    handled: int
    faq: FaqRead | None = None


def _required_question(value: str) -> str:
    """Strip the question; a blank one is refused with a Chinese message."""
    value = (value or "").strip()
    if not value:
        raise PydanticCustomError("blank", "问题不能为空")
    return value


class RetrievalTestRequest(BaseModel):
    question: str = Field(max_length=MAX_QUESTION, description="测试问题")

    _check = field_validator("question")(_required_question)
