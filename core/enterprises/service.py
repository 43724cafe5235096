"""Registry queries, always limited to the caller's region scope."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.bulk import select_in_chunks
from core.enterprises.models import Enterprise
from core.errors import NotFound
from core.regions.scope import RegionScope
from core.search import contains


@dataclass
class EnterprisePage:
    items: list[Enterprise]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def list_enterprises(
    session: Session,
    *,
    scope: RegionScope,
    query: str = "",
    page: int = 1,
    per_page: int = 50,
    management_category: str | None = None,
) -> EnterprisePage:
    """A page of units in ``scope`` whose name or credit code contains ``query``."""
    stmt = scope.apply(select(Enterprise), Enterprise.province, Enterprise.city)
    query = query.strip()
    if query:
        code = query.upper() if query.isascii() else query
        stmt = stmt.where(
            or_(contains(Enterprise.name, query), contains(Enterprise.credit_code, code))
        )
    if management_category:
        stmt = stmt.where(Enterprise.management_category == management_category)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, page)
    rows = session.scalars(
        stmt.order_by(Enterprise.province, Enterprise.city, Enterprise.name)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return EnterprisePage(list(rows), total, page, per_page)


def get_enterprise(session: Session, *, scope: RegionScope, credit_code: str) -> Enterprise:
    """The unit with this credit code; units outside ``scope`` are reported as not found."""
    unit = session.scalar(
        select(Enterprise).where(Enterprise.credit_code == credit_code.strip().upper())
    )
    if unit is None or not scope.allows(unit.province, unit.city):
        raise NotFound(f"未找到统一社会信用代码为 {credit_code} 的排污单位")
    return unit


def find_by_credit_code(session: Session, credit_code: str) -> Enterprise | None:
    """The unit with this credit code, regardless of region (for binding an enterprise user)."""
    return session.scalar(
        select(Enterprise).where(Enterprise.credit_code == credit_code.strip().upper())
    )


@dataclass(frozen=True)
class UnitRef:
    """What imports of training evidence need to know about a unit: its id and region."""

    id: int
    province: str
    city: str


def unit_refs(session: Session, credit_codes: Iterable[str]) -> dict[str, UnitRef]:
    """Id and region of the registered units among ``credit_codes``, in a few queries."""
    return {
        code: UnitRef(unit_id, province, city)
        for code, unit_id, province, city in select_in_chunks(
            session,
            lambda chunk: select(
                Enterprise.credit_code, Enterprise.id, Enterprise.province, Enterprise.city
            ).where(Enterprise.credit_code.in_(chunk)),
            credit_codes,
        )
    }
