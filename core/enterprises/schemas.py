"""API shapes of the registry."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class EnterpriseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    credit_code: str
    name: str
    province: str
    city: str
    division_code: str
    industry: str
    management_category: str
    permit_status: str
    legal_rep_name: str
    legal_rep_since: dt.date


class EnterprisePageRead(BaseModel):
    items: list[EnterpriseRead]
    total: int
    page: int
    pages: int
