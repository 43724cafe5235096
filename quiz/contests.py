"""Contests: settings, creation and editing by organisers, and the list a user sees."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts import service as account_service
from core.accounts.models import Role, User
from core.audit.service import record_audit
from core.db import utcnow
from core.errors import Invalid, NotFound
from core.regions.scope import RegionScope
from core.times import BEIJING
from quiz import schemas
from quiz.models import (
    Attempt,
    Contest,
    ContestKind,
    ContestState,
    ShowAnswers,
)
from quiz.pools import fill_quotas, quota_pools, reserve_pool
from quiz.rules import (
    contest_state,
    get_contest,
    is_eligible,
    is_running,
    organiser_scope,
    parse_region,
    visible_to_admin,
)


def _validate_contest(
    session: Session, data: schemas.ContestCreate, scope: RegionScope
) -> list[str]:
    """Problems of the settings for a contest organised in ``scope`` (its pool is drawn there)."""
    from core.regions.data import PROVINCES

    problems = []
    if data.kind not in {k.value for k in ContestKind}:
        problems.append("竞赛类别应为 知识竞赛 或 审核技能竞赛")
    if data.closes_at <= data.opens_at:
        problems.append("结束时间应晚于开始时间")
    roles = {r.value for r in Role}
    for role in data.audience_roles:
        if role not in roles:
            problems.append(f"参赛角色“{role}”无效")
    if not data.audience_roles:
        problems.append("请至少选择一个参赛角色")
    for entry in data.audience_regions:
        province, city = parse_region(entry)
        if province not in PROVINCES:
            problems.append(f"参赛地区“{entry}”中的省份无效（请写全称，如 江苏省）")
        elif not scope.allows(province, city if scope.city else None) or (
            scope.city and city != scope.city
        ):
            problems.append(f"参赛地区“{entry}”超出您的管辖范围（{scope.label}）")
    quotas = [q.model_dump() for q in data.quotas]
    pools = quota_pools(session, quotas, scope)
    _picked, short = fill_quotas(pools, quotas, random.Random(0))
    for index, available in short:
        quota = data.quotas[index]
        problems.append(
            f"第{index + 1}条抽题规则（标签：{quota.tag or '不限'}，"
            f"难度：{quota.difficulty or '不限'}）"
            f"需要 {quota.count} 道题，题库中可用的已发布题目只有 {available} 道"
            + ("（与前面的规则共用的题目不重复计算）" if available < len(pools[index]) else "")
        )
    return problems


def _apply_contest(contest: Contest, data: schemas.ContestCreate) -> None:
    contest.title = data.title.strip()
    contest.kind = data.kind
    contest.description = data.description.strip()
    contest.audience_roles = list(dict.fromkeys(data.audience_roles))
    contest.audience_regions = [e.strip() for e in data.audience_regions if e.strip()]
    contest.opens_at = data.opens_at
    contest.closes_at = data.closes_at
    contest.time_limit_minutes = data.time_limit_minutes
    contest.attempts_allowed = data.attempts_allowed
    contest.quotas = [q.model_dump() for q in data.quotas]
    contest.shuffle_options = data.shuffle_options
    contest.show_answers = data.show_answers or (
        ShowAnswers.IMMEDIATELY if data.show_explanations else ShowAnswers.NEVER
    )
    contest.show_explanations = contest.show_answers != ShowAnswers.NEVER
    contest.pass_percent = data.pass_percent
    contest.certificate_top_n = data.certificate_top_n


def _contest_facts(contest: Contest) -> dict:
    """What an audit row records of a contest's settings."""
    return schemas.ContestRead.model_validate(contest).model_dump(
        mode="json", exclude={"id", "question_count"}
    )


def _audit_contest(session: Session, admin: User, action: str, contest: Contest, **detail) -> None:
    record_audit(
        session,
        actor=admin,
        action=action,
        target_kind="contest",
        target_id=contest.id,
        province=contest.province,
        city=contest.city,
        detail=detail,
    )


def _aware(value: dt.datetime) -> dt.datetime:
    # Times typed into a form carry no zone; PermitHub's users are in China.
    return value if value.tzinfo else value.replace(tzinfo=BEIJING)


def create_contest(session: Session, *, data: schemas.ContestCreate, admin: User) -> Contest:
    """Create a contest organised in the admin's region and reserve its pool from the bank."""
    scope = account_service.require_admin(admin)
    data = data.model_copy(
        update={"opens_at": _aware(data.opens_at), "closes_at": _aware(data.closes_at)}
    )
    problems = _validate_contest(session, data, scope)
    if problems:
        raise Invalid("竞赛设置有误：" + "；".join(problems), details=problems)
    contest = Contest(province=scope.province, city=scope.city, created_by_id=admin.id)
    _apply_contest(contest, data)
    session.add(contest)
    session.flush()
    reserve_pool(session, contest, random.SystemRandom())
    _audit_contest(session, admin, "contest.create", contest, after=_contest_facts(contest))
    session.commit()
    return contest


def managed_contest(session: Session, contest_id: int, admin: User) -> Contest:
    scope = account_service.require_admin(admin)
    contest = get_contest(session, contest_id)
    if not visible_to_admin(contest, scope):
        raise NotFound("竞赛不存在")
    scope.require_owner(contest.province, contest.city, "该竞赛")
    return contest


def update_contest(
    session: Session, *, contest_id: int, data: schemas.ContestCreate, admin: User
) -> Contest:
    """Change a contest's settings (organisers only); started attempts keep their draw."""
    contest = managed_contest(session, contest_id, admin)
    data = data.model_copy(
        update={"opens_at": _aware(data.opens_at), "closes_at": _aware(data.closes_at)}
    )
    problems = _validate_contest(session, data, organiser_scope(contest))
    if problems:
        raise Invalid("竞赛设置有误：" + "；".join(problems), details=problems)
    before = _contest_facts(contest)
    _apply_contest(contest, data)
    if contest.quotas != before["quotas"]:
        reserve_pool(session, contest, random.SystemRandom())
    _audit_contest(
        session, admin, "contest.update", contest, before=before, after=_contest_facts(contest)
    )
    session.commit()
    return contest


def list_contests_for_user(session: Session, *, user: User) -> list[schemas.ContestForUser]:
    """Contests the user may enter (or, for admins, oversee), with their own attempt state."""
    now = utcnow()
    contests = list(session.scalars(select(Contest).order_by(Contest.opens_at.desc())))
    scope = account_service.region_scope(user) if user.role_enum.is_admin else None
    mine: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in session.scalars(select(Attempt).where(Attempt.user_id == user.id)):
        mine[attempt.contest_id].append(attempt)
    result = []
    for contest in contests:
        eligible = is_eligible(contest, user)
        if not eligible and not (scope is not None and visible_to_admin(contest, scope)):
            continue
        attempts = mine.get(contest.id, [])
        running = next((a for a in attempts if is_running(a, now)), None)
        state = contest_state(contest, now)
        result.append(
            schemas.ContestForUser(
                contest=schemas.ContestRead.model_validate(contest),
                state=state,
                state_label=state.label,
                attempts_used=len(attempts),
                open_attempt_id=running.id if running else None,
                can_start=eligible
                and state is ContestState.OPEN
                and (running is not None or len(attempts) < contest.attempts_allowed),
            )
        )
    return result
