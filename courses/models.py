"""Course catalogue and training records (completions of people, keyed by their unit)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.accounts.models import StaffKind
from core.db import Base, UTCDateTime, utcnow
from core.enterprises.models import Enterprise


class Audience(enum.StrEnum):
    """Who a course is for: a unit's people, or a kind of staff (``core.accounts.StaffKind``,
    whose values these are: a course counts for staff whose ``staff_kind`` equals its audience)."""

    LEGAL_REP = "法定代表人"
    ENV_MANAGER = "环保负责人"
    APPROVAL_STAFF = StaffKind.APPROVAL.value
    TECH_INSTITUTION = StaffKind.TECH_INSTITUTION.value


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
    # the year (年度) the course belongs to: its credits count for that year only; None for a
    # course offered every year (credits count in the year of completion)
    year: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[float] = mapped_column(Float, default=1.0, server_default="1")  # 学时
    issuer: Mapped[str] = mapped_column(String(100), default="", server_default="")  # 颁发单位
    # a certificate's validity in years from completion; None: no expiry
    valid_years: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    # retired: kept for its enrolments and records, closed to new learners
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # optional final test drawn from the course's own question pool: 0 questions means no test
    test_question_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pass_mark: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    # tries at the final test, and the wait after a failed one, so guessing cannot pass it
    max_attempts: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    retry_wait_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course", order_by="Lesson.position", cascade="all, delete-orphan"
    )
    questions: Mapped[list[CourseQuestion]] = relationship(
        back_populates="course", order_by="CourseQuestion.id", cascade="all, delete-orphan"
    )

    @property
    def has_test(self) -> bool:
        return self.test_question_count > 0


class LessonKind(enum.StrEnum):
    TEXT = "text"
    VIDEO = "video"


class Lesson(Base):
    """A lesson: a text, or a video uploaded under DATA_DIR and played by the browser."""

    __tablename__ = "lesson"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8), default=LessonKind.TEXT.value)
    body: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    video_file: Mapped[str | None] = mapped_column(String(255))  # relative to DATA_DIR
    video_type: Mapped[str | None] = mapped_column(String(64))
    video_seconds: Mapped[float | None] = mapped_column(Float)
    # the least time a text lesson must be open before it counts; None: from the text's length
    min_seconds: Mapped[int | None] = mapped_column(Integer)
    # retired: no longer shown or required; learners' progress on it is kept
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="lessons")
    attachments: Mapped[list[LessonAttachment]] = relationship(
        back_populates="lesson", order_by="LessonAttachment.id", cascade="all, delete-orphan"
    )


class LessonAttachment(Base):
    __tablename__ = "lesson_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_file: Mapped[str] = mapped_column(String(255))  # relative to DATA_DIR
    content_type: Mapped[str] = mapped_column(String(128), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    lesson: Mapped[Lesson] = relationship(back_populates="attachments")


class EnrolmentSource(enum.StrEnum):
    ONLINE = "online"  # lessons (and the test) on the platform
    CLASS = "class"  # attendance at a class, recorded by an admin


class Enrolment(Base):
    """A user taking a course in a year; completed when every required lesson is done and the
    test passed, or when an admin records the user's attendance at a class of the course."""

    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("course_id", "user_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    person_name: Mapped[str] = mapped_column(String(64))
    # the course's year, or for a course offered every year the year of enrolment: a new year
    # starts a new enrolment
    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(
        String(8), default=EnrolmentSource.ONLINE.value, server_default="online"
    )
    enrolled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    test_score: Mapped[float | None] = mapped_column(Float)
    test_passed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    completed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    certificate_code: Mapped[str | None] = mapped_column(String(16), unique=True)

    course: Mapped[Course] = relationship()


class LessonProgress(Base):
    """How much of a lesson a learner has done; videos are checked against reported positions."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("enrolment_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), index=True)
    watched_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # one character per slot of the video ("1" = seen), so skipping ahead leaves gaps
    slots: Mapped[str] = mapped_column(Text, default="")
    last_position: Mapped[float] = mapped_column(Float, default=0.0)
    last_report_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # issued with each view of the lesson page; a video's progress counts only once the video
    # was fetched with the same token (a script that never loads the video earns nothing)
    view_token: Mapped[str | None] = mapped_column(String(32))
    loaded_token: Mapped[str | None] = mapped_column(String(32))


class LearningClock(Base):
    """Which lesson a learner's time is being credited to: one lesson at a time per learner."""

    __tablename__ = "learning_clock"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lesson.id", ondelete="SET NULL"))
    since: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuestionKind(enum.StrEnum):
    SINGLE = "单选"
    MULTIPLE = "多选"
    JUDGE = "判断"


class CourseQuestion(Base):
    """A question of a course's own final-test pool (not the practice and contest bank)."""

    __tablename__ = "course_question"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default=QuestionKind.SINGLE.value)
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON)
    answer: Mapped[str] = mapped_column(String(8))  # letters, e.g. "B" or "ACD"
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="questions")


class CourseTestAttempt(Base):
    """One try at a course's final test: the questions drawn and, once submitted, the score."""

    __tablename__ = "course_test_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    question_ids: Mapped[list[int]] = mapped_column(JSON)
    # the drawn questions as they were (stem, options, key): later edits never change a try
    questions: Mapped[list[dict] | None] = mapped_column(JSON)
    answers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)


class TrainingClass(Base):
    """A training class (培训班): dates, a place or online, a roster and its attendance."""

    __tablename__ = "training_class"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    province: Mapped[str | None] = mapped_column(String(32), index=True)
    city: Mapped[str | None] = mapped_column(String(32))
    # retired: kept with its roster and records, no longer offered
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course | None] = relationship()
    attendees: Mapped[list[ClassAttendee]] = relationship(
        back_populates="training_class", order_by="ClassAttendee.id", cascade="all, delete-orphan"
    )


class ClassAttendee(Base):
    """One person on a class roster, from the attendance import."""

    __tablename__ = "class_attendee"
    __table_args__ = (UniqueConstraint("training_class_id", "enterprise_id", "person_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    training_class_id: Mapped[int] = mapped_column(
        ForeignKey("training_class.id", ondelete="CASCADE"), index=True
    )
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    # staff on the roster are identified by their account (by username, or name + organisation)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    organisation: Mapped[str] = mapped_column(String(128), default="", server_default="")
    person_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    # listed as the unit's legal representative but not the one registered on the class's last
    # day: kept on the roster, counted nowhere
    not_current_rep: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    training_class: Mapped[TrainingClass] = relationship(back_populates="attendees")


class TrainingRecord(Base):
    """A person's completion of a course: imported from training.csv or recorded by PermitHub."""

    __tablename__ = "training_record"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "person_name", "course_id", "completed_on"),
        Index("ix_training_record_person", "enterprise_id", "person_name"),
        # covers the coverage report's lookup of a person's first passed completion per unit, and
        # the source of that evidence (the report counts covered units by source)
        Index(
            "ix_training_record_coverage",
            "enterprise_id",
            "person_name",
            "completed_on",
            "course_id",
            "passed",
            "source",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    person_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    completed_on: Mapped[dt.date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column(Boolean)
    # where the evidence comes from (EvidenceSource): every source a bureau stands behind counts
    source: Mapped[str] = mapped_column(String(16), default="import")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvidenceSource(enum.StrEnum):
    """Where a training record comes from; each is evidence a bureau stands behind."""

    CLASS = "class"  # attendance at a class, recorded by an admin, name matching the registry
    IMPORT = "import"  # records imported by an admin from another platform
    PLATFORM = "platform"  # an online course completed by an account a bureau has verified

    @property
    def label(self) -> str:
        return EVIDENCE_LABELS[self]


EVIDENCE_LABELS = {
    EvidenceSource.CLASS: "培训班出勤",
    EvidenceSource.IMPORT: "导入记录",
    EvidenceSource.PLATFORM: "在线学习（已核实）",
}


class VerificationStatus(enum.StrEnum):
    PENDING = "待核实"
    APPROVED = "已核实"
    REJECTED = "已驳回"


class RepVerification(Base):
    """An enterprise account's claim to be its unit's legal representative under a name.

    Online completions of a 法定代表人 course count for coverage only once a city or province
    admin has approved the claim: until then anyone with the unit's account could certify.
    """

    __tablename__ = "rep_verification"
    __table_args__ = (UniqueConstraint("user_id", "enterprise_id", "person_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    person_name: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(
        String(8), default=VerificationStatus.PENDING.value, index=True
    )
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


# The coverage report walks the key units (重点管理, permit 有效) in (id, legal_rep_name) order; a
# partial index holds exactly them with the columns the report reads. Declared here, beside the
# report's other index, because it serves only the coverage report.
_KEY_UNIT = "management_category = '重点管理' AND permit_status = '有效'"
Index(
    "ix_enterprise_key_unit",
    Enterprise.id,
    Enterprise.legal_rep_name,
    Enterprise.province,
    Enterprise.city,
    postgresql_where=text(_KEY_UNIT),
    sqlite_where=text(_KEY_UNIT),
)
# the same units by region, for a provincial or city report (index lookups per unit)
Index(
    "ix_enterprise_key_unit_region",
    Enterprise.province,
    Enterprise.city,
    Enterprise.id,
    Enterprise.legal_rep_name,
    postgresql_where=text(_KEY_UNIT),
    sqlite_where=text(_KEY_UNIT),
)


class CoverageArchive(Base):
    """A city's coverage figures at a month end, frozen the first time they were computed after
    the month ended: later registry or training changes never alter them (a national admin may
    re-archive a month, audited)."""

    __tablename__ = "coverage_archive"
    __table_args__ = (UniqueConstraint("month_on", "province", "city"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month_on: Mapped[dt.date] = mapped_column(Date)  # the month's last day
    province: Mapped[str] = mapped_column(String(32))
    city: Mapped[str] = mapped_column(String(32))
    key_units: Mapped[int] = mapped_column(Integer)
    covered: Mapped[int] = mapped_column(Integer)
    covered_class: Mapped[int] = mapped_column(Integer, default=0)
    covered_import: Mapped[int] = mapped_column(Integer, default=0)
    covered_platform: Mapped[int] = mapped_column(Integer, default=0)
    archived_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_by: Mapped[str] = mapped_column(String(64), default="")  # "" when computed on read


class ExternalTraining(Base):
    """Training a staff member did elsewhere, with its evidence; counts once an admin approves."""

    __tablename__ = "external_training"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    credits: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(8))  # CourseKind
    attachment_name: Mapped[str] = mapped_column(String(255))
    attachment_file: Mapped[str] = mapped_column(String(255))  # relative to DATA_DIR
    attachment_type: Mapped[str] = mapped_column(String(128), default="application/octet-stream")
    status: Mapped[str] = mapped_column(
        String(8), default=VerificationStatus.PENDING.value, index=True
    )
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(String(200), default="")


class ReminderDelivery(Base):
    """A reminder list mailed to one admin for one period (month); sent once per period."""

    __tablename__ = "reminder_delivery"
    __table_args__ = (UniqueConstraint("user_id", "period", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM of the list's date
    channel: Mapped[str] = mapped_column(String(16), default="email")
    recipient: Mapped[str] = mapped_column(String(254))
    region: Mapped[str] = mapped_column(String(80))
    units: Mapped[int] = mapped_column(Integer)
    as_of_on: Mapped[dt.date] = mapped_column(Date)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
