"""Shapes of the knowledge admin API: documents and batch evaluation."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class DocumentRead(BaseModel):
    """An ingested document as listed to admins."""

    id: int
    title: str
    source: str = Field(description="上传时的文件名")
    kind: str = Field(description="text | markdown | docx | pdf")
    status: str = Field(description="active（在用）| disabled（停用，不参与问答）")
    chunk_count: int
    sha256: str = Field(description="文件的 SHA-256")
    content_sha256: str = Field(description="去除排版后的文字的 SHA-256：内容相同即相同")
    province: str | None = Field(description="所属省份；为空表示全国文档")
    city: str | None
    owner: str = Field(description="所属地区，如“全国”")
    editable: bool = Field(description="当前管理员能否修改此文档")
    ingested_at: dt.datetime


class UploadRead(BaseModel):
    """What an upload did: created, replaced (and what), or nothing (same file)."""

    status: str = Field(description="created | replaced | unchanged")
    document_id: int | None
    title: str
    chunks: int
    message: str = Field(description="给用户看的一行说明，替换时写明替换了哪个文件")


class EvalMiss(BaseModel):
    """One question that was not answered right."""

    line: int
    id: str | None
    question: str
    in_scope: bool
    verdict: str = Field(description="top3 | wrong | refused | not_refused")
    verdict_label: str
    answered: bool
    answer: str
    confidence: float
    cited: list[str]
    expected: list[str]


class EvalRead(BaseModel):
    """Figures over the file (rates are None when there is no question of that kind)."""

    total: int
    in_scope: int
    out_of_scope: int
    top1: int
    top3: int
    in_scope_refused: int
    out_of_scope_refused: int
    top1_rate: float | None
    top3_rate: float | None
    in_scope_refused_rate: float | None
    out_of_scope_refused_rate: float | None
    misses: list[EvalMiss]
