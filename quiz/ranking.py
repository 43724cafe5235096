"""Ranking: each participant's best attempt (highest score, then quickest) and leaderboards of
people and teams."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts import service as account_service
from core.accounts.models import User
from core.errors import Invalid, NotFound
from core.regions.names import city_variants, full_province_name
from core.regions.scope import RegionScope
from quiz import schemas, scoring
from quiz.marking import finalise_expired
from quiz.models import (
    Attempt,
    Contest,
)
from quiz.rules import get_contest, is_eligible, visible_to_admin


@dataclass
class Best:
    attempt_id: int
    user_id: int
    name: str
    province: str | None
    city: str | None
    organisation: str | None
    score: float
    seconds: int


def best_attempts(
    session: Session, contest_id: int, scope: RegionScope | None = None
) -> list[Best]:
    """Each participant's best submitted attempt (highest score, then quickest), in the order
    they first took the contest: a tie is then shown the same way on every backend and page
    load (PostgreSQL returns an unordered join in any order)."""
    stmt = (
        select(Attempt, User.display_name)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.contest_id == contest_id, Attempt.submitted_at.is_not(None))
        .order_by(Attempt.id)
    )
    if scope is not None:
        stmt = scope.apply(stmt, Attempt.province, Attempt.city)
    best: dict[int, Best] = {}
    for attempt, name in session.execute(stmt):
        entry = Best(
            attempt.id,
            attempt.user_id,
            name,
            attempt.province,
            attempt.city,
            attempt.organisation,
            attempt.score or 0.0,
            attempt.time_used_seconds or 0,
        )
        current = best.get(attempt.user_id)
        if current is None or (entry.score, -entry.seconds) > (current.score, -current.seconds):
            best[attempt.user_id] = entry
    return list(best.values())


def rank_of(session: Session, contest: Contest, attempt: Attempt) -> int | None:
    ranked = scoring.rank_by_score_then_time(
        best_attempts(session, contest.id), lambda b: b.score, lambda b: b.seconds
    )
    return next((rank for rank, b in ranked if b.attempt_id == attempt.id), None)


LEADERBOARD_GROUPS = {"person": "个人", "province": "省份", "city": "城市", "organisation": "单位"}


def _viewer_scope(contest: Contest, viewer: User) -> RegionScope:
    if viewer.role_enum.is_admin:
        scope = account_service.region_scope(viewer)
        if not visible_to_admin(contest, scope):
            raise NotFound("竞赛不存在")
        return scope
    if not is_eligible(contest, viewer):
        raise NotFound("竞赛不存在")
    return RegionScope()


def _typed_region(
    session: Session, contest_id: int, province: str | None, city: str | None
) -> tuple[str | None, str | None]:
    """"江苏" means "江苏省"; "苏州" the "苏州市" participants came from (names as typed)."""
    province = full_province_name(province) or (province or "").strip() or None
    variants = city_variants(city)
    if len(variants) > 1:
        found = session.scalar(
            select(Attempt.city)
            .where(Attempt.contest_id == contest_id, Attempt.city.in_(variants))
            .limit(1)
        )
        return province, found or variants[0]
    return province, (variants[0] if variants else None)


def leaderboard(
    session: Session,
    *,
    contest_id: int,
    viewer: User,
    group: str = "person",
    province: str | None = None,
    city: str | None = None,
    organisation: str | None = None,
    limit: int = 100,
) -> schemas.Leaderboard:
    """Ranking by score then time, of people or teams (average); admins see their region only."""
    if group not in LEADERBOARD_GROUPS:
        raise Invalid("排行方式应为 person、province、city 或 organisation")
    contest = get_contest(session, contest_id)
    province, city = _typed_region(session, contest.id, province, city)
    scope = _viewer_scope(contest, viewer).narrow(province, city)
    finalise_expired(session, contest_id=contest.id)
    best = best_attempts(session, contest.id, scope)
    if organisation:
        best = [b for b in best if b.organisation == organisation]
    entries: list[schemas.LeaderboardEntry] = []
    if group == "person":
        ranked = scoring.rank_by_score_then_time(best, lambda b: b.score, lambda b: b.seconds)
        entries = [
            schemas.LeaderboardEntry(
                rank=rank,
                name=b.name,
                province=b.province,
                city=b.city,
                organisation=b.organisation,
                score=b.score,
                time_used_seconds=b.seconds,
            )
            for rank, b in ranked[:limit]
        ]
    else:
        teams: dict[tuple, list[Best]] = defaultdict(list)
        for b in best:
            key = {
                "province": (b.province,),
                "city": (b.province, b.city),
                "organisation": (b.province, b.city, b.organisation),
            }[group]
            if key[-1]:
                teams[key].append(b)
        rows = [
            (
                key,
                len(m),
                round(sum(x.score for x in m) / len(m), 1),
                round(sum(x.seconds for x in m) / len(m), 1),
            )
            for key, m in teams.items()
        ]
        ranked = scoring.rank_by_score_then_time(rows, lambda r: r[2], lambda r: r[3])
        for rank, (key, n, avg, seconds) in ranked[:limit]:
            entries.append(
                schemas.LeaderboardEntry(
                    rank=rank,
                    name="".join(k for k in key[-1:] if k),
                    participants=n,
                    score=avg,
                    time_used_seconds=seconds,
                    province=key[0],
                    city=key[1] if len(key) > 1 else None,
                    organisation=key[2] if len(key) > 2 else None,
                )
            )
    return schemas.Leaderboard(
        contest_id=contest.id, group=group, scope=scope.label, entries=entries
    )
