"""Bodies of the curation API: FAQ, synonyms, the question queue, the retrieval test."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from core.bounds import Id

# One review handles a page of the queue, not the whole log.
LogIds = Annotated[list[Id], Field(min_length=1, max_length=500, description="问题记录编号")]
FIELD_LABELS = {"question": "问题", "answer": "答案", "term": "说法", "canonical": "规范说法"}


def _required_text(value: str, info: ValidationInfo) -> str:
    """Strip the text; blank text is refused with a Chinese message naming the field."""
    value = (value or "").strip()
    if not value:
        label = FIELD_LABELS.get(info.field_name or "", "内容")
        raise PydanticCustomError("blank", "{label}不能为空", {"label": label})
    return value


class FaqCreate(BaseModel):
    """A new FAQ entry; ``phrasings`` are other ways of asking the same question."""

    question: str = Field(max_length=500, description="标准问题")
    answer: str = Field(max_length=5000, description="答案")
    basis: str = Field(default="", max_length=200, description="依据，如“行动计划措施33”")
    tags: str = Field(default="", max_length=200, description="标签，多个以 | 分隔")
    phrasings: list[str] = Field(default_factory=list, description="相似问法")

    _check_question = field_validator("question", "answer")(_required_text)


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

    term: str = Field(max_length=64, description="用户的说法或简称，如“排污证”")
    canonical: str = Field(max_length=64, description="规范说法，如“排污许可证”")

    _check = field_validator("term", "canonical")(_required_text)


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
    question: str = Field(max_length=500, description="标准问题")
    answer: str = Field(max_length=5000, description="答案")
    basis: str = Field(default="", max_length=200, description="依据")
    tags: str = Field(default="", max_length=200, description="标签")

    _check = field_validator("question", "answer")(_required_text)


class AttachRequest(BaseModel):
    """Add logged questions as phrasings of an existing FAQ entry."""

    log_ids: LogIds
    faq_id: Id = Field(description="FAQ 条目编号")


class DismissRequest(BaseModel):
    log_ids: LogIds


class ReviewResult(BaseModel):
    handled: int
    faq: FaqRead | None = None


class RetrievalTestRequest(BaseModel):
    question: str = Field(max_length=500, description="测试问题")

    _check = field_validator("question")(_required_text)
