"""API shapes of the question bank, practice and contests.

Shapes a participant receives before submitting (``PracticeQuestion``, ``AttemptView`` items)
have no answer or explanation field at all, so a key cannot leak by accident.

Every number a client sends is bounded here (ids fit a 32-bit column, counts and durations have
caps, times lie within 2000–2100), and text may not carry control characters: out-of-range input
is a 422 with a Chinese message, never an overflow deep in the database driver.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from core.bounds import MAX_ID
from quiz.models import ContestState

# Most contests have 20–100 questions; a cap keeps one attempt's draw and its page small.
MAX_CONTEST_QUESTIONS = 200
MAX_QUOTAS = 20
FIRST_YEAR, LAST_YEAR = 2000, 2100
# C0 controls other than tab and newlines: never part of a question, and PostgreSQL refuses NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    """True when ``text`` holds a control character other than tab and line breaks."""
    return bool(_CONTROL.search(text))


def no_control_characters(text: str | None) -> str | None:
    """Refuse text containing control characters (a pydantic validator)."""
    if text and has_control_characters(text):
        raise ValueError("不能包含控制字符")
    return text


Text = Annotated[str, AfterValidator(no_control_characters)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Option(BaseModel):
    letter: str
    text: str


# ---- question bank -----------------------------------------------------------------------


class QuestionCreate(BaseModel):
    # Loose caps only: the service explains the real limits (six options, ten tags …) in Chinese.
    kind: Text = Field(max_length=16, description="单选、多选 或 判断")
    stem: Text = Field(min_length=1, max_length=2000)
    options: list[Annotated[Text, Field(max_length=2000)]] = Field(
        default_factory=list, max_length=26, description="选项文字（判断题可留空）"
    )
    answer: Text = Field(max_length=32, description="如 A、ACD；判断题 对/错")
    explanation: Text = Field(default="", max_length=5000)
    tags: list[Annotated[Text, Field(max_length=200)]] = Field(default_factory=list, max_length=100)
    difficulty: int = Field(default=3, ge=1, le=5)
    source: Text = Field(default="", max_length=2000)
    status: Text = Field(default="published", max_length=16)


class QuestionUpdate(QuestionCreate):
    pass


class QuestionRead(BaseModel):
    """A bank question for admins; the key only for owners who are not taking it in a contest."""

    id: int
    kind: str
    stem: str
    options: list[str]
    answer: str | None = Field(description="答案；无权查看时为空")
    explanation: str | None = Field(description="解析；无权查看答案时为空")
    tags: list[str]
    difficulty: int
    source: str
    status: str
    province: str | None
    city: str | None
    owner: str = Field(description="所属辖区，如 全国、江苏省")
    key_visible: bool
    editable: bool


class QuestionPage(BaseModel):
    items: list[QuestionRead]
    total: int
    page: int
    pages: int


class ImportResult(BaseModel):
    summary: str
    created: int
    errors: list[str] = Field(
        description="前若干行错误（第N行: 原因），最多 PERMITHUB_IMPORT_ERRORS_SHOWN 行"
    )
    error_count: int = Field(0, description="有误的行数（全部）")
    errors_url: str | None = Field(None, description="完整错误清单的下载地址（只列出部分时提供）")
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
    question_id: Id
    choice: Text = Field(max_length=32, description="如 A、ACD；判断题 A/B 或 对/错")


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
    locked: bool = Field(
        default=False, description="这道题正用于尚未结束的竞赛：答案与解析暂不显示"
    )


# ---- contests ----------------------------------------------------------------------------


class Quota(BaseModel):
    tag: Text | None = Field(default=None, max_length=32, description="标签；空为不限")
    difficulty: int | None = Field(default=None, ge=1, le=5, description="难度；空为不限")
    count: int = Field(ge=1, le=MAX_CONTEST_QUESTIONS)


class ContestCreate(BaseModel):
    title: Text = Field(min_length=1, max_length=200)
    kind: Text = Field(default="知识竞赛", max_length=16, description="知识竞赛 或 审核技能竞赛")
    description: Text = Field(default="", max_length=5000)
    audience_roles: list[Annotated[Text, Field(max_length=32)]] = Field(
        default_factory=lambda: ["staff"], max_length=10
    )
    audience_regions: list[Annotated[Text, Field(max_length=64)]] = Field(
        default_factory=list,
        max_length=400,
        description="如 江苏省 或 江苏省/苏州市；空为组织者辖区",
    )
    opens_at: dt.datetime = Field(description=f"{FIRST_YEAR}–{LAST_YEAR} 年之间")
    closes_at: dt.datetime = Field(description=f"{FIRST_YEAR}–{LAST_YEAR} 年之间")
    time_limit_minutes: int = Field(default=30, ge=1, le=600)
    attempts_allowed: int = Field(default=1, ge=1, le=20)
    quotas: list[Quota] = Field(min_length=1, max_length=MAX_QUOTAS)
    shuffle_options: bool = True
    show_explanations: bool = True
    show_answers: Literal["immediately", "after_close", "never"] | None = Field(
        default=None,
        description="何时向交卷者显示答案和解析：immediately 交卷后立即、after_close 竞赛结束后、"
        "never 不显示；不填时按 show_explanations（真为 immediately，假为 never）",
    )
    pass_percent: int = Field(default=60, ge=0, le=100)
    certificate_top_n: int = Field(default=10, ge=0, le=1000)

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _within_years(cls, value: dt.datetime) -> dt.datetime:
        # Year 1 or 9999 overflows when shifted between time zones or extended by a time limit.
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(f"时间应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间")
        return value

    @model_validator(mode="after")
    def _total_questions(self) -> ContestCreate:
        total = sum(q.count for q in self.quotas)
        if total > MAX_CONTEST_QUESTIONS:
            raise ValueError(f"每份答卷最多 {MAX_CONTEST_QUESTIONS} 题，抽题规则合计 {total} 题")
        return self


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
    show_answers: str
    pass_percent: int
    certificate_top_n: int


class ContestForUser(BaseModel):
    contest: ContestRead
    state: ContestState = Field(description="upcoming 未开始 / open 进行中 / closed 已结束")
    state_label: str = Field(description="状态的中文说明：未开始、进行中 或 已结束")
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
    choice: Text = Field(
        default="",
        max_length=32,
        description="按显示的字母，如 A、BD；判断题 A/B 或 对/错；空为清除",
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
