"""Typical-case payloads (loose caps; the service explains the real limits in Chinese)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from core.bounds import Day


class CaseCreate(BaseModel):
    title: str = Field(max_length=200, description="标题")
    occurred_on: Day = Field(description="日期（YYYY-MM-DD）")
    province: str | None = Field(default=None, max_length=32, description="省份；空 = 全国")
    city: str | None = Field(default=None, max_length=32)
    kind: str = Field(max_length=16, description="类型：无证排污、不按证排污、执行报告……")
    summary: str = Field(max_length=5000, description="案情")
    clauses: str = Field(default="", max_length=500, description="依据条款")
    lesson: str = Field(default="", max_length=3000, description="对企业的启示")


class CaseUpdate(BaseModel):
    title: str | None = Field(default=None, max_length=200)
    occurred_on: Day | None = None
    province: str | None = Field(default=None, max_length=32)
    city: str | None = Field(default=None, max_length=32)
    kind: str | None = Field(default=None, max_length=16)
    summary: str | None = Field(default=None, max_length=5000)
    clauses: str | None = Field(default=None, max_length=500)
    lesson: str | None = Field(default=None, max_length=3000)


class CaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    occurred_on: dt.date
    province: str | None
    city: str | None
    kind: str
    summary: str
    clauses: str
    lesson: str
    status: str
    updated_at: dt.datetime
    published_at: dt.datetime | None


class CasePage(BaseModel):
    items: list[CaseRead]
    total: int
