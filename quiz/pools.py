"""Contest pools and draws: which published questions each quota may use, reserving a contest's
pool, topping it up when a question leaves the bank, and drawing one attempt's questions."""

from __future__ import annotations

import random
from collections import defaultdict

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session, lazyload

from core.db import utcnow
from core.errors import Conflict
from core.regions.scope import NATIONAL, RegionScope
from quiz.models import (
    Contest,
    ContestQuestion,
    Question,
    QuestionStatus,
    QuestionTag,
)
from quiz.rules import organiser_scope, usable_in

# A contest reserves up to this many times the questions each quota draws, so attempts differ
# while the rest of the bank stays open for practice.
POOL_FACTOR = 2


def published(stmt, tag: str | None):
    stmt = stmt.where(Question.status == QuestionStatus.PUBLISHED.value)
    if tag:
        stmt = stmt.where(
            exists().where(QuestionTag.question_id == Question.id, QuestionTag.tag == tag)
        )
    return stmt


def quota_pools(
    session: Session, quotas: list[dict], region: RegionScope = NATIONAL
) -> list[set[int]]:
    """The published question ids usable in ``region`` each quota may draw from."""
    pools = []
    for quota in quotas:
        stmt = published(select(Question.id), quota.get("tag")).where(
            usable_in(region.province, region.city)
        )
        if quota.get("difficulty") is not None:
            stmt = stmt.where(Question.difficulty == quota["difficulty"])
        pools.append(set(session.scalars(stmt)))
    return pools


def fill_quotas(
    pools: list[set[int]], quotas: list[dict], rng: random.Random
) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """Fill quotas in order without repeats; returns (ids per quota, [(index, available)] short).

    Each quota takes first from questions no later quota could use, so an overlap (a tag quota
    followed by a difficulty quota) does not starve the later one; the pick is random otherwise.
    """
    picked: list[list[int]] = []
    taken: set[int] = set()
    short: list[tuple[int, int]] = []
    for index, quota in enumerate(quotas):
        count = int(quota["count"])
        available = pools[index] - taken
        later = set().union(*pools[index + 1 :])
        exclusive = sorted(available - later)
        shared = sorted(available & later)
        if len(available) < count:
            short.append((index, len(available)))
            count = len(available)
        chosen = rng.sample(exclusive, min(count, len(exclusive)))
        chosen += rng.sample(shared, count - len(chosen))
        picked.append(chosen)
        taken.update(chosen)
    return picked, short


def reserve_pool(session: Session, contest: Contest, rng: random.Random) -> None:
    """(Re)build the contest's pool: each quota's count, then up to ``POOL_FACTOR`` times it."""
    session.execute(delete(ContestQuestion).where(ContestQuestion.contest_id == contest.id))
    pools = quota_pools(session, contest.quotas, organiser_scope(contest))
    picked, _short = fill_quotas(pools, contest.quotas, rng)
    taken = {qid for ids in picked for qid in ids}
    for index, quota in enumerate(contest.quotas):
        spare = sorted(pools[index] - taken)
        extra = rng.sample(spare, min(len(spare), int(quota["count"]) * (POOL_FACTOR - 1)))
        picked[index] += extra
        taken.update(extra)
    session.add_all(
        ContestQuestion(contest_id=contest.id, question_id=qid, quota_index=index)
        for index, ids in enumerate(picked)
        for qid in ids
    )


def _pool_by_quota(session: Session, contest: Contest) -> dict[int, list[int]]:
    """The contest's reserved questions still published, by quota index."""
    rows = session.execute(
        select(ContestQuestion.quota_index, ContestQuestion.question_id)
        .join(Question, Question.id == ContestQuestion.question_id)
        .where(
            ContestQuestion.contest_id == contest.id,
            Question.status == QuestionStatus.PUBLISHED.value,
        )
        .order_by(ContestQuestion.question_id)
    )
    by_quota: dict[int, list[int]] = defaultdict(list)
    for index, qid in rows:
        by_quota[index].append(qid)
    return by_quota


def refill_pools(session: Session, question_id: int) -> None:
    """A reserved question left the published bank: top up the pools of unclosed contests."""
    contests = session.scalars(
        select(Contest).where(
            Contest.closes_at > utcnow(),
            Contest.id.in_(
                select(ContestQuestion.contest_id).where(ContestQuestion.question_id == question_id)
            ),
        )
    )
    rng = random.SystemRandom()
    for contest in contests:
        session.flush()
        live = _pool_by_quota(session, contest)
        reserved = set(
            session.scalars(
                select(ContestQuestion.question_id).where(ContestQuestion.contest_id == contest.id)
            )
        )
        pools = quota_pools(session, contest.quotas, organiser_scope(contest))
        for index, quota in enumerate(contest.quotas):
            missing = int(quota["count"]) * POOL_FACTOR - len(live.get(index, []))
            spare = sorted(pools[index] - reserved)
            for qid in rng.sample(spare, max(0, min(missing, len(spare)))):
                session.add(
                    ContestQuestion(contest_id=contest.id, question_id=qid, quota_index=index)
                )
                reserved.add(qid)


def draw_questions(
    session: Session, *, quotas: list[dict], rng: random.Random | None = None
) -> list[Question]:
    """National published questions filling each quota at random, no repeats (course tests)."""
    rng = rng or random.SystemRandom()
    picked, short = fill_quotas(quota_pools(session, quotas), quotas, rng)
    if short:
        raise Conflict("题库中可抽取的题目不足，请联系竞赛组织者")
    chosen = [qid for ids in picked for qid in ids]
    rng.shuffle(chosen)
    return load_questions(session, chosen)


def load_questions(session: Session, ids: list[int]) -> list[Question]:
    # Tags are not needed to lay out an attempt; skip their eager load on this hot path.
    stmt = select(Question).where(Question.id.in_(ids)).options(lazyload(Question.tag_rows))
    by_id = {q.id: q for q in session.scalars(stmt)}
    return [by_id[i] for i in ids]


def draw_contest(session: Session, contest: Contest, rng: random.Random) -> list[Question]:
    """One attempt's questions: each quota's count at random from its reserved pool."""
    pool = _pool_by_quota(session, contest)
    chosen: list[int] = []
    for index, quota in enumerate(contest.quotas):
        ids = pool.get(index, [])
        if len(ids) < int(quota["count"]):
            raise Conflict("题库中可抽取的题目不足，请联系竞赛组织者")
        chosen += rng.sample(ids, int(quota["count"]))
    rng.shuffle(chosen)
    return load_questions(session, chosen)
