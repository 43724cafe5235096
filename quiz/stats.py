"""Contest statistics for organisers: participation, score histogram, item analysis and
weakest tags."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts import service as account_service
from core.accounts.models import User
from core.errors import NotFound
from core.regions.scope import RegionScope
from quiz import schemas, scoring
from quiz.marking import finalise_expired
from quiz.models import (
    Attempt,
    AttemptItem,
    Contest,
    Question,
)
from quiz.ranking import Best, best_attempts
from quiz.rules import get_contest, is_eligible, visible_to_admin

# Course titles that name each of some tags: the quiz knows nothing of courses, so the edge that
# shows statistics passes ``courses.catalogue.courses_naming`` (see web/pages/quiz_admin_pages.py).
CoursesNaming = Callable[[Session, list[str]], dict[str, list[str]]]


def contest_statistics(
    session: Session,
    *,
    contest_id: int,
    admin: User,
    courses_naming: CoursesNaming | None = None,
) -> schemas.ContestStatistics:
    """Participation, score histogram, item analysis and weakest tags, in the admin's region.

    ``courses_naming(session, tags)``: the course titles to suggest for each weak tag (none
    without it).
    """
    scope = account_service.require_admin(admin)
    contest = get_contest(session, contest_id)
    if not visible_to_admin(contest, scope):
        raise NotFound("竞赛不存在")
    finalise_expired(session, contest_id=contest.id)
    best = best_attempts(session, contest.id, scope)
    attempt_stmt = scope.apply(
        select(Attempt.id, Attempt.correct_count, Attempt.question_count).where(
            Attempt.contest_id == contest.id, Attempt.submitted_at.is_not(None)
        ),
        Attempt.province,
        Attempt.city,
    )
    totals = {aid: 100 * c / n for aid, c, n in session.execute(attempt_stmt) if n}
    responses = session.execute(
        select(AttemptItem.attempt_id, AttemptItem.question_id, AttemptItem.is_correct).where(
            AttemptItem.attempt_id.in_(attempt_stmt.with_only_columns(Attempt.id))
        )
    ).all()
    analysis = scoring.item_analysis(totals, [(a, q, bool(c)) for a, q, c in responses])
    questions = {
        q.id: q for q in session.scalars(select(Question).where(Question.id.in_(list(analysis))))
    }
    items = sorted(
        (
            schemas.ItemRow(
                question_id=qid,
                stem=questions[qid].stem,
                tags=questions[qid].tags,
                difficulty=questions[qid].difficulty,
                responses=s.responses,
                correct_rate=round(s.correct_rate, 4),
                discrimination=s.discrimination,
                flags=s.flags,
            )
            for qid, s in analysis.items()
        ),
        key=lambda r: (not r.flags, r.correct_rate, r.question_id),
    )
    return schemas.ContestStatistics(
        contest_id=contest.id,
        scope=scope.label,
        participants=len(best),
        submitted_attempts=len(totals),
        average_score=round(sum(b.score for b in best) / len(best), 1) if best else None,
        participation=_participation(session, contest, scope, best),
        histogram=scoring.histogram([b.score for b in best]),
        items=items,
        weakest_tags=_weakest_tags(session, questions, responses, courses_naming),
    )


def _participation(
    session: Session, contest: Contest, scope: RegionScope, best: list[Best]
) -> list[schemas.RegionParticipation]:
    """Per province (national), city (province) or unit (city view): who took part of who may."""
    if scope.province is None:
        level = lambda p, c, o: p or "（未填省份）"  # noqa: E731
    elif scope.city is None:
        level = lambda p, c, o: c or "（未填城市）"  # noqa: E731
    else:
        level = lambda p, c, o: o or "（未填单位）"  # noqa: E731
    eligible: dict[str, int] = defaultdict(int)
    users = scope.apply(
        select(User).where(User.role.in_(contest.audience_roles), User.is_active.is_(True)),
        User.province,
        User.city,
    )
    for user in session.scalars(users):
        if is_eligible(contest, user):
            eligible[level(user.province, user.city, user.organisation)] += 1
    taken: dict[str, list[float]] = defaultdict(list)
    for b in best:
        taken[level(b.province, b.city, b.organisation)].append(b.score)
    regions = sorted(set(eligible) | set(taken), key=lambda r: (-len(taken.get(r, [])), r))
    return [
        schemas.RegionParticipation(
            region=r,
            participants=len(taken.get(r, [])),
            eligible=eligible.get(r, 0),
            average_score=round(sum(taken[r]) / len(taken[r]), 1) if taken.get(r) else None,
        )
        for r in regions
    ]


def _weakest_tags(
    session: Session,
    questions: dict[int, Question],
    responses,
    courses_naming: CoursesNaming | None,
    limit: int = 5,
) -> list[schemas.WeakTag]:
    """Tags with the lowest correct rate, with the courses ``courses_naming`` finds for each."""
    per_tag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _attempt, qid, correct in responses:
        for tag in questions[qid].tags if qid in questions else []:
            per_tag[tag][0] += 1
            per_tag[tag][1] += bool(correct)
    ranked = sorted(per_tag.items(), key=lambda kv: (kv[1][1] / kv[1][0], -kv[1][0], kv[0]))[:limit]
    named = courses_naming(session, [tag for tag, _ in ranked]) if courses_naming else {}
    return [
        schemas.WeakTag(
            tag=tag, responses=n, correct_rate=round(right / n, 4), courses=named.get(tag, [])
        )
        for tag, (n, right) in ranked
    ]
