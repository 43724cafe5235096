"""Course catalogue and training records (completions of people, keyed by their unit)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class Audience(enum.StrEnum):
    LEGAL_REP = "法定代表人"
    ENV_MANAGER = "环保负责人"
    APPROVAL_STAFF = "审批人员"
    TECH_INSTITUTION = "技术机构人员"


class CourseKind(enum.StrEnum):
    REQUIRED = "必修"
    ELECTIVE = "选修"


class Course(Base):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(16), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    credits: Mapped[float] = mapped_column(default=1.0)
    year: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class TrainingRecord(Base):
    """A person's completion of a course: imported from training.csv or recorded by PermitHub."""

    __tablename__ = "training_record"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "person_name", "course_id", "completed_on"),
        Index("ix_training_record_person", "enterprise_id", "person_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    person_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    completed_on: Mapped[dt.date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(16), default="import")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
