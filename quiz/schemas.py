"""API shapes of the question bank, practice and contests.

Shapes a participant receives before submitting (``PracticeQuestion``, ``AttemptView`` items)
have no answer or explanation field at all, so a key cannot leak by accident.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Option(BaseModel):
    letter: str
    text: str


# ---- question bank -----------------------------------------------------------------------


class QuestionCreate(BaseModel):
    kind: str = Field(description="单选、多选 或 判断")
    stem: str = Field(min_length=1, max_length=2000)
    options: list[str] = Field(default_factory=list, description="选项文字（判断题可留空）")
    answer: str = Field(description="如 A、ACD；判断题 对/错")
    explanation: str = ""
    tags: list[str] = Field(default_factory=list)
    difficulty: int = Field(default=3, ge=1, le=5)
    source: str = ""
    status: str = "published"


class QuestionUpdate(QuestionCreate):
    pass


class QuestionRead(BaseModel):
    """A question with its key: for admins only."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    stem: str
    options: list[str]
    answer: str
    explanation: str
    tags: list[str]
    difficulty: int
    source: str
    status: str


class QuestionPage(BaseModel):
    items: list[QuestionRead]
    total: int
    page: int
    pages: int


class ImportResult(BaseModel):
    summary: str
    created: int
    errors: list[str]
    written: bool


class TagCount(BaseModel):
    tag: str
    count: int


# ---- practice ----------------------------------------------------------------------------


class PracticeQuestion(BaseModel):
    """A question to practise, without its answer."""

    id: int
    kind: str
    stem: str
    options: list[Option]
    tags: list[str]
    difficulty: int


class PracticeAnswer(BaseModel):
    question_id: int
    choice: str = Field(description="如 A、ACD；判断题 A/B 或 对/错")


class PracticeResult(BaseModel):
    question_id: int
    correct: bool
    choice: str
    answer: str
    answer_text: str
    explanation: str
    source: str


class MistakeRead(BaseModel):
    question_id: int
    kind: str
    stem: str
    options: list[Option]
    answer: str
    explanation: str
    last_answer: str
    wrong_count: int
    last_wrong_at: dt.datetime
    mastered: bool


# ---- contests ----------------------------------------------------------------------------


class Quota(BaseModel):
    tag: str | None = Field(default=None, description="标签；空为不限")
    difficulty: int | None = Field(default=None, ge=1, le=5, description="难度；空为不限")
    count: int = Field(ge=1, le=200)


class ContestCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    kind: str = Field(default="知识竞赛", description="知识竞赛 或 审核技能竞赛")
    description: str = ""
    audience_roles: list[str] = Field(default_factory=lambda: ["staff"])
    audience_regions: list[str] = Field(
        default_factory=list, description="如 江苏省 或 江苏省/苏州市；空为组织者辖区"
    )
    opens_at: dt.datetime
    closes_at: dt.datetime
    time_limit_minutes: int = Field(default=30, ge=1, le=600)
    attempts_allowed: int = Field(default=1, ge=1, le=20)
    quotas: list[Quota] = Field(min_length=1)
    shuffle_options: bool = True
    show_explanations: bool = True
    pass_percent: int = Field(default=60, ge=0, le=100)
    certificate_top_n: int = Field(default=10, ge=0, le=1000)


class ContestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    kind: str
    description: str
    province: str | None
    city: str | None
    audience_roles: list[str]
    audience_regions: list[str]
    opens_at: dt.datetime
    closes_at: dt.datetime
    time_limit_minutes: int
    attempts_allowed: int
    quotas: list[Quota]
    question_count: int
    shuffle_options: bool
    show_explanations: bool
    pass_percent: int
    certificate_top_n: int


class ContestForUser(BaseModel):
    contest: ContestRead
    state: str = Field(description="未开始 / 进行中 / 已结束")
    attempts_used: int
    open_attempt_id: int | None
    can_start: bool


class AttemptQuestion(BaseModel):
    """One drawn question as the participant sees it: options in shuffled order, no key."""

    position: int
    kind: str
    stem: str
    options: list[Option]
    choice: str | None = Field(description="已保存的答案（按显示的字母）")


class ReviewItem(BaseModel):
    """After submitting, when the contest shows explanations."""

    position: int
    correct: bool
    answer: str
    explanation: str
    source: str


class AttemptResult(BaseModel):
    attempt_id: int
    correct_count: int
    question_count: int
    score: float
    time_used_seconds: int
    passed: bool
    rank: int | None = None
    certificate_code: str | None = None
    review: list[ReviewItem] = Field(default_factory=list)


class AttemptView(BaseModel):
    id: int
    contest_id: int
    contest_title: str
    started_at: dt.datetime
    deadline_at: dt.datetime
    seconds_left: int
    submitted: bool
    questions: list[AttemptQuestion]
    result: AttemptResult | None = None


class SaveAnswer(BaseModel):
    choice: str = Field(
        default="", description="按显示的字母，如 A、BD；判断题 A/B 或 对/错；空为清除"
    )


class SavedAnswer(BaseModel):
    position: int
    choice: str | None
    saved_at: dt.datetime


class LeaderboardEntry(BaseModel):
    rank: int
    name: str
    province: str | None = None
    city: str | None = None
    organisation: str | None = None
    participants: int = 1
    score: float
    time_used_seconds: float


class Leaderboard(BaseModel):
    contest_id: int
    group: str
    scope: str
    entries: list[LeaderboardEntry]


class CertificateRead(BaseModel):
    code: str
    contest_id: int
    contest_title: str
    holder_name: str
    award: str
    rank: int | None
    score: float
    issued_at: dt.datetime


class RegionParticipation(BaseModel):
    region: str
    participants: int
    eligible: int
    average_score: float | None


class ItemRow(BaseModel):
    question_id: int
    stem: str
    tags: list[str]
    difficulty: int
    responses: int
    correct_rate: float
    discrimination: float | None
    flags: list[str]


class WeakTag(BaseModel):
    tag: str
    responses: int
    correct_rate: float
    courses: list[str]


class ContestStatistics(BaseModel):
    contest_id: int
    scope: str
    participants: int
    submitted_attempts: int
    average_score: float | None
    participation: list[RegionParticipation]
    histogram: list[int]
    items: list[ItemRow]
    weakest_tags: list[WeakTag]
