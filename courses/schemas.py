"""API shapes of the courses domain: coverage report and uncovered units."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class CoverageBucketRead(BaseModel):
    key_units: int
    covered: int
    rate: float | None


class CoverageRead(BaseModel):
    """The coverage report; the same shape as the generator's truth.json."""

    as_of: dt.date
    scope: str
    overall: CoverageBucketRead
    # covered units by the source of their first evidence: class, import, platform (verified)
    covered_by_source: dict[str, int] = {}
    by_province: dict[str, CoverageBucketRead]
    by_city: dict[str, CoverageBucketRead]
    monthly_covered: dict[str, int]
    as_of_default: bool = Field(
        False, description="为真时未指定 as_of，as_of 为默认日期（数据中最新培训日期或今天）"
    )
    as_of_note: str = Field(
        "", description="统计日期的说明，如“统计日期默认为数据中最新的培训日期 …”"
    )


class UncoveredUnitRead(BaseModel):
    credit_code: str
    name: str
    province: str
    city: str
    legal_rep_name: str
    since: dt.date | None
    previous_rep_trained: bool
    pending_verification: bool = False


class UncoveredListRead(BaseModel):
    as_of: dt.date
    scope: str
    count: int
    items: list[UncoveredUnitRead]


class CompletionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    course_code: str
    course_title: str
    completed_on: dt.date


class PendingClaimRead(BaseModel):
    """An account's claim to be a unit's legal representative, waiting for a bureau (待核实)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    person_name: str
    credit_code: str
    unit_name: str
    province: str
    city: str
    registered_rep: str
    name_matches: bool
    requested_at: dt.datetime
    completions: list[CompletionRead]


class ClaimDecisionRead(BaseModel):
    id: int
    status: str


class CourseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    title: str
    audience: str
    kind: str
    credits: float
    year: int | None
    description: str
    test_question_count: int
    pass_mark: int
    max_attempts: int
    retry_wait_minutes: int


class LessonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    position: int
    title: str
    kind: str
    required: bool
    video_seconds: float | None


class EnrolmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    course_id: int
    person_name: str
    completed_on: dt.date | None
    test_score: float | None
    certificate_code: str | None


class CourseDetailRead(CourseRead):
    lessons: list[LessonRead]
    enrolment: EnrolmentRead | None


class ProgressReport(BaseModel):
    """A player's report: from ``previous`` to ``position`` seconds, having played ``played`` s
    of media, in the page view ``view`` (the token the lesson page gave the player)."""

    position: float = Field(ge=0, le=86_400)
    previous: float = Field(ge=0, le=86_400)
    played: float = Field(ge=0, le=3600)
    view: str | None = Field(default=None, max_length=64)


class ProgressStatus(BaseModel):
    watched_seconds: float
    seen_share: float
    completed: bool
    course_completed: bool
    counted: bool = True
    note: str = ""


class StaffCreditsRead(BaseModel):
    username: str
    name: str
    staff_kind: str | None
    required_done: float
    required_needed: float
    elective_done: float
    elective_needed: float
    behind: bool


class OrganisationCreditsRead(BaseModel):
    organisation: str
    behind: int
    people: list[StaffCreditsRead]
