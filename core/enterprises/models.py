"""Registry models: a unit, keyed by its 统一社会信用代码, and its legal-representative history."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow


class ManagementCategory(enum.StrEnum):
    KEY = "重点管理"
    SIMPLIFIED = "简化管理"
    REGISTRATION = "登记管理"


class PermitStatus(enum.StrEnum):
    VALID = "有效"
    REVOKED = "注销"
    WITHDRAWN = "撤销"
    CANCELLED = "吊销"
    EXPIRED = "过期"


class Enterprise(Base):
    __tablename__ = "enterprise"
    __table_args__ = (
        Index("ix_enterprise_province_city", "province", "city"),
        Index("ix_enterprise_category_status", "management_category", "permit_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    province: Mapped[str] = mapped_column(String(32))
    city: Mapped[str] = mapped_column(String(32))
    division_code: Mapped[str] = mapped_column(String(6))
    industry: Mapped[str] = mapped_column(String(64), default="")
    management_category: Mapped[str] = mapped_column(String(8))
    permit_status: Mapped[str] = mapped_column(String(8))
    legal_rep_name: Mapped[str] = mapped_column(String(64))
    legal_rep_since: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    legal_rep_changes: Mapped[list[LegalRepChange]] = relationship(
        back_populates="enterprise", order_by="LegalRepChange.changed_on"
    )

    @property
    def is_key_unit(self) -> bool:
        """In the coverage denominator: key management with a valid permit."""
        return (
            self.management_category == ManagementCategory.KEY
            and self.permit_status == PermitStatus.VALID
        )


class LegalRepChange(Base):
    """One change of legal representative, recorded when a re-import names someone new."""

    __tablename__ = "legal_rep_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    previous_name: Mapped[str] = mapped_column(String(64))
    new_name: Mapped[str] = mapped_column(String(64))
    changed_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    enterprise: Mapped[Enterprise] = relationship(back_populates="legal_rep_changes")
