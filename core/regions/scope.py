"""RegionScope: the province/city an account is limited to, applied in every service query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

from core.errors import Forbidden, Invalid
from core.regions.names import city_variants, full_province_name

S = TypeVar("S", bound=Select)

# The one reason every import gives for a row outside the importing admin's region.
OUT_OF_SCOPE = "不在您的管辖范围内"


@dataclass(frozen=True)
class RegionScope:
    """``province``/``city`` of ``None`` mean "all"; a city scope always names its province."""

    province: str | None = None
    city: str | None = None

    @property
    def is_national(self) -> bool:
        return self.province is None

    @property
    def label(self) -> str:
        """Human-readable name of the scope, e.g. ``江苏省苏州市`` or ``全国``."""
        if self.province is None:
            return "全国"
        if self.city is None or self.city == self.province:
            return self.province
        return f"{self.province}{self.city}"

    def allows(self, province: str | None, city: str | None) -> bool:
        """True when a record in ``province``/``city`` lies inside this scope."""
        if self.province is not None and province != self.province:
            return False
        return self.city is None or city == self.city

    def outside(self, province: str | None, city: str | None, what: str = "该单位") -> str:
        """Why a row naming something in ``province``/``city`` is refused: ``第N行`` reason text."""
        return f"{OUT_OF_SCOPE}（{what}位于{province or ''}{city or ''}，您的辖区为{self.label}）"

    def apply(
        self, stmt: S, province_col: InstrumentedAttribute, city_col: InstrumentedAttribute
    ) -> S:
        """Add the scope's WHERE clauses to ``stmt``."""
        if self.province is not None:
            stmt = stmt.where(province_col == self.province)
        if self.city is not None:
            stmt = stmt.where(city_col == self.city)
        return stmt

    def owns(self, province: str | None, city: str | None) -> bool:
        """True when content owned by ``province``/``city`` may be edited from this scope.

        Shared content without a region (national FAQ, bank, synonyms, documents) belongs to the
        nation: only a national scope edits it. A province edits its own and its cities' entries,
        a city only its own.
        """
        if province is None:
            return self.is_national
        return self.allows(province, city)

    def require_owner(self, province: str | None, city: str | None, what: str = "该内容") -> None:
        """Raise Forbidden unless this scope owns the content (see ``owns``)."""
        if not self.owns(province, city):
            if province is None:
                raise Forbidden(f"{what}属于全国共用内容，只有部级管理员可以修改")
            raise Forbidden(f"{what}不属于您的辖区，无权修改")

    def owner_region(self) -> tuple[str | None, str | None]:
        """The (province, city) that new content created from this scope belongs to."""
        return self.province, self.city

    def narrow(self, province: str | None = None, city: str | None = None) -> RegionScope:
        """A narrower scope for a drill-down; asking for a region outside this scope is refused.

        Names are taken as people type them: 江苏 is 江苏省, and 苏州 is the admin's own 苏州市.
        """
        province = full_province_name(province) or (province or "").strip() or None
        city = (city or "").strip() or None
        if city is not None and self.city is not None and self.city in city_variants(city):
            city = self.city
        if province is None and city is None:
            return self
        if self.province is not None and province not in (None, self.province):
            raise Forbidden("无权查看本辖区以外的数据")
        if self.city is not None and city not in (None, self.city):
            raise Forbidden("无权查看本辖区以外的数据")
        new_province = province or self.province
        if city is not None and new_province is None:
            raise Invalid("按城市筛选时请同时指定省份")
        return RegionScope(new_province, city or self.city)


NATIONAL = RegionScope()
