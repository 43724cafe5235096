"""Running a contest from the admin pages: safe edits, duplicate, close early, reopen for one
person with extra time, and the results with item analysis as XLSX (or CSV).

Organisers only (``contests.managed_contest``); results and analysis cover the admin's region.
Once a contest has started, only fields that cannot change what participants drew or how they
are marked may change (``SAFE_AFTER_START``).
"""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts import service as account_service
from core.accounts.models import User
from core.db import utcnow
from core.errors import Conflict, Invalid, NotFound
from core.spreadsheets import _xlsx_cell, csv_bytes
from quiz import contests, schemas
from quiz.marking import finalise_expired
from quiz.models import Attempt, Contest, ContestExtension, ContestState
from quiz.rules import contest_state, is_eligible, visible_to_admin
from quiz.stats import contest_statistics

SAFE_AFTER_START = (
    "title",
    "kind",
    "description",
    "closes_at",
    "show_answers",
    "certificate_top_n",
)
FIELD_LABELS = {
    "audience_roles": "参赛角色",
    "audience_regions": "参赛地区",
    "opens_at": "开始时间",
    "time_limit_minutes": "答题限时",
    "attempts_allowed": "可作答次数",
    "quotas": "抽题规则",
    "shuffle_options": "打乱选项",
    "show_explanations": "显示解析",
    "pass_percent": "合格分数线",
}
MAX_EXTENSION_DAYS = 30
COPY_SUFFIX = "（副本）"
MAX_EXTRA_ATTEMPTS = 5


def form_data(contest: Contest) -> schemas.ContestCreate:
    """The contest's settings as the create/edit form holds them."""
    read = schemas.ContestRead.model_validate(contest).model_dump()
    return schemas.ContestCreate(
        **{k: v for k, v in read.items() if k in schemas.ContestCreate.model_fields}
    )


def edit_contest(
    session: Session,
    *,
    contest_id: int,
    data: schemas.ContestCreate,
    admin: User,
    now: dt.datetime | None = None,
) -> Contest:
    """Save the edit form: anything before the start, only the safe fields afterwards."""
    now = now or utcnow()
    contest = contests.managed_contest(session, contest_id, admin)
    if contest_state(contest, now) is not ContestState.UPCOMING:
        current_data = form_data(contest)
        current = current_data.model_dump()
        wanted = data.model_dump()
        wanted["show_answers"] = wanted["show_answers"] or current["show_answers"]
        changed = [
            field
            for field, value in wanted.items()
            if field not in SAFE_AFTER_START and _differs(value, current.get(field))
        ]
        if changed:
            names = "、".join(FIELD_LABELS.get(f, f) for f in changed)
            raise Conflict(
                f"竞赛已经开始，不能再修改：{names}。开始后只能修改名称、类别、说明、结束时间、"
                "答案显示方式和荣誉证书名额；需要其他设置请复制竞赛后修改"
            )
        # the rest stays exactly as it was (a form shows times to the minute only)
        data = data.model_copy(
            update={f: getattr(current_data, f) for f in current if f not in SAFE_AFTER_START}
        )
    return contests.update_contest(session, contest_id=contest_id, data=data, admin=admin)


def _differs(a, b) -> bool:
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        # to the minute: the edit form's datetime-local fields carry no seconds
        a = contests._aware(a).replace(second=0, microsecond=0)
        b = contests._aware(b).replace(second=0, microsecond=0)
    return a != b


def duplicate_contest(
    session: Session, *, contest_id: int, admin: User, now: dt.datetime | None = None
) -> Contest:
    """A copy to edit and run again: same settings, opening tomorrow for the same length."""
    now = now or utcnow()
    contest = contests.managed_contest(session, contest_id, admin)
    data = form_data(contest)
    length = contest.closes_at - contest.opens_at
    opens = (now + dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    title = f"{contest.title.removesuffix(COPY_SUFFIX)[: 200 - len(COPY_SUFFIX)]}{COPY_SUFFIX}"
    # one unedited copy at a time: each copy reserves questions from the bank until it closes
    if session.scalar(select(Contest.id).where(Contest.title == title)) is not None:
        raise Conflict(f"已有名为“{title}”的竞赛，请先修改它的名称或设置，再复制")
    copy = data.model_copy(update={"title": title, "opens_at": opens, "closes_at": opens + length})
    return contests.create_contest(session, data=copy, admin=admin)


def close_now(
    session: Session, *, contest_id: int, admin: User, now: dt.datetime | None = None
) -> Contest:
    """End a running contest now; running attempts are marked at their saved answers."""
    now = now or utcnow()
    contest = contests.managed_contest(session, contest_id, admin)
    if contest_state(contest, now) is not ContestState.OPEN:
        raise Conflict("只有进行中的竞赛可以提前结束")
    before = contest.closes_at
    contest.closes_at = now
    contests._audit_contest(
        session,
        admin,
        "contest.close",
        contest,
        before={"closes_at": before},
        after={"closes_at": now},
    )
    session.commit()
    finalise_expired(session, contest_id=contest.id, now=now + dt.timedelta(hours=1))
    session.commit()
    return contest


def reopen_for(
    session: Session,
    *,
    contest_id: int,
    username: str,
    closes_at: dt.datetime,
    extra_attempts: int = 1,
    admin: User,
    now: dt.datetime | None = None,
) -> ContestExtension:
    """Let one participant start (again) until ``closes_at``, e.g. after a power cut."""
    now = now or utcnow()
    contest = contests.managed_contest(session, contest_id, admin)
    closes_at = contests._aware(closes_at)
    if closes_at <= now:
        raise Invalid("延长后的截止时间应晚于现在")
    if closes_at > now + dt.timedelta(days=MAX_EXTENSION_DAYS):
        raise Invalid(f"延长时间最多 {MAX_EXTENSION_DAYS} 天")
    if not 0 <= extra_attempts <= MAX_EXTRA_ATTEMPTS:
        raise Invalid(f"追加作答次数应在 0–{MAX_EXTRA_ATTEMPTS} 之间")
    user = session.scalar(select(User).where(User.username == username.strip()))
    scope = account_service.require_admin(admin)
    if user is None or not scope.allows(user.province, user.city):
        raise NotFound(f"本辖区没有用户名为“{username.strip()}”的账号")
    if not is_eligible(contest, user):
        raise Invalid(f"“{user.username}”不在本次竞赛的参赛范围内")
    extension = session.scalar(
        select(ContestExtension).where(
            ContestExtension.contest_id == contest.id, ContestExtension.user_id == user.id
        )
    )
    if extension is None:
        extension = ContestExtension(contest_id=contest.id, user_id=user.id)
        session.add(extension)
    extension.closes_at = closes_at
    extension.extra_attempts = extra_attempts
    extension.created_by_id = admin.id
    contests._audit_contest(
        session,
        admin,
        "contest.reopen_for",
        contest,
        after={"username": user.username, "closes_at": closes_at, "extra_attempts": extra_attempts},
    )
    session.commit()
    return extension


def extensions(session: Session, *, contest_id: int) -> list[tuple[ContestExtension, str]]:
    """Who the contest was reopened for, with their usernames."""
    rows = session.execute(
        select(ContestExtension, User.username)
        .join(User, User.id == ContestExtension.user_id)
        .where(ContestExtension.contest_id == contest_id)
        .order_by(ContestExtension.id)
    )
    return [(extension, username) for extension, username in rows]


# ---- results and item analysis ----------------------------------------------------------------

RESULT_HEADER = (
    "用户名",
    "姓名",
    "省份",
    "城市",
    "单位",
    "第几次作答",
    "得分",
    "答对题数",
    "题数",
    "用时（秒）",
    "是否合格",
    "开始时间（北京时间）",
    "交卷时间（北京时间）",
)
ITEM_HEADER = ("题目编号", "题干", "标签", "难度", "作答次数", "正确率（%）", "区分度", "提示")


def result_rows(session: Session, *, contest_id: int, admin: User) -> tuple[Contest, list[tuple]]:
    """Every submitted attempt in the admin's region, best score first."""
    scope = account_service.require_admin(admin)
    contest = contests.get_contest(session, contest_id)
    if not visible_to_admin(contest, scope):
        raise NotFound("竞赛不存在")
    finalise_expired(session, contest_id=contest.id)
    stmt = (
        select(Attempt, User.username, User.display_name)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.contest_id == contest.id, Attempt.submitted_at.is_not(None))
    )
    stmt = scope.apply(stmt, Attempt.province, Attempt.city)
    rows = []
    for attempt, username, name in session.execute(stmt):
        rows.append(
            (
                username,
                name,
                attempt.province or "",
                attempt.city or "",
                attempt.organisation or "",
                attempt.attempt_no,
                attempt.score,
                attempt.correct_count,
                attempt.question_count,
                attempt.time_used_seconds,
                "合格" if attempt.passed else "不合格",
                attempt.started_at,
                attempt.submitted_at,
            )
        )
    rows.sort(key=lambda r: (-(r[6] or 0), r[9] or 0, r[0], r[5]))
    return contest, rows


def item_rows(session: Session, *, contest_id: int, admin: User) -> list[tuple]:
    """The item analysis of the statistics page as rows."""
    stats = contest_statistics(session, contest_id=contest_id, admin=admin)
    return [
        (
            item.question_id,
            item.stem,
            "、".join(item.tags),
            item.difficulty,
            item.responses,
            round(100 * item.correct_rate, 1),
            item.discrimination,
            "、".join(item.flags),
        )
        for item in stats.items
    ]


def results_file(
    session: Session, *, contest_id: int, admin: User, fmt: str
) -> tuple[Contest, bytes]:
    """The results (and, in XLSX, a second sheet with the item analysis)."""
    contest, rows = result_rows(session, contest_id=contest_id, admin=admin)
    if fmt == "csv":
        return contest, csv_bytes(RESULT_HEADER, rows)
    items = item_rows(session, contest_id=contest_id, admin=admin)
    return contest, _workbook(
        [
            ("成绩", f"{contest.title} 成绩（{len(rows)} 份答卷）", RESULT_HEADER, rows),
            ("试题分析", f"{contest.title} 试题分析", ITEM_HEADER, items),
        ]
    )


def _workbook(sheets: list[tuple[str, str, tuple, list[tuple]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, title, header, rows in sheets:
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A3"
        sheet.append([_xlsx_cell(sheet, title, font=bold)])
        sheet.append([_xlsx_cell(sheet, h, font=bold) for h in header])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
