"""Curation workflow: the queue of unanswered and unhelpful questions, and what admins do with it.

Admins see the questions the knowledge base failed on, grouped by similarity
(``knowledge.grouping``), and turn a group into a new FAQ entry (``promote_to_faq``) or phrasings
of an existing one (``attach_to_faq``), or dismiss it; the group's log rows are then recorded as
handled (``QuestionReview``) and leave the queue, in the same transaction as the FAQ change. The
entries themselves are created and checked by ``knowledge.faq``, like every other FAQ change.

The question log is regional (province, city of the asker): every query here takes the admin's
``RegionScope``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.regions.scope import RegionScope
from knowledge import faq
from knowledge.curation_models import (
    REVIEW_DISMISSED,
    REVIEW_NEW_FAQ,
    REVIEW_PHRASING,
    QuestionReview,
)
from knowledge.grouping import (
    DEFAULT_THRESHOLD,
    PendingQuestion,
    QuestionGroup,
    TermWeights,
    group_questions,
    question_terms,
)
from knowledge.index import refresh_index
from knowledge.models import AnswerFeedback, FaqEntry, QuestionLog

logger = logging.getLogger(__name__)

QUEUE_LIMIT = 3000  # newest pending questions considered; older ones wait for the next pass


# ---- the queue of questions to curate -----------------------------------------------------


def _scoped(stmt, scope: RegionScope):
    """Limit a question-log query to the admin's region (province, and city for city admins)."""
    return scope.apply(stmt, QuestionLog.province, QuestionLog.city)


def _pending_stmt(columns, scope: RegionScope, reason: str | None):
    """SELECT ``columns`` over unhandled question logs in ``scope`` that need an admin."""
    votes = (
        select(
            AnswerFeedback.question_log_id.label("log_id"),
            func.sum(case((AnswerFeedback.helpful.is_(True), 1), else_=0)).label("helpful"),
            func.sum(case((AnswerFeedback.helpful.is_(False), 1), else_=0)).label("unhelpful"),
        )
        .group_by(AnswerFeedback.question_log_id)
        .subquery()
    )
    unhelpful = (func.coalesce(votes.c.unhelpful, 0) > 0) & (
        func.coalesce(votes.c.unhelpful, 0) >= func.coalesce(votes.c.helpful, 0)
    )
    refused = QuestionLog.answered.is_(False)
    if reason == "unanswered":
        condition = refused
    elif reason == "unhelpful":
        condition = QuestionLog.answered.is_(True) & unhelpful
    elif reason is None:
        condition = or_(refused, unhelpful)
    else:
        raise Invalid("问题类型只能是 unanswered（未能回答）或 unhelpful（回答无帮助）")
    stmt = (
        select(*columns)
        .select_from(QuestionLog)
        .outerjoin(votes, votes.c.log_id == QuestionLog.id)
        .outerjoin(QuestionReview, QuestionReview.question_log_id == QuestionLog.id)
        .where(QuestionReview.id.is_(None), condition)
    )
    return _scoped(stmt, scope)


def pending_questions(
    session: Session, *, scope: RegionScope, reason: str | None = None, limit: int = QUEUE_LIMIT
) -> list[PendingQuestion]:
    """Unhandled questions in ``scope`` that were refused, or answered and voted unhelpful.

    An answer counts as unhelpful when it has at least one "not helpful" vote and no more
    "helpful" votes than "not helpful" ones. Newest first, at most ``limit``.
    """
    stmt = (
        _pending_stmt([QuestionLog], scope, reason)
        .order_by(QuestionLog.created_at.desc(), QuestionLog.id.desc())
        .limit(limit)
    )
    return [
        PendingQuestion(
            log_id=log.id,
            text=log.question,
            province=log.province,
            city=log.city,
            asked_at=log.created_at,
            reason="unanswered" if not log.answered else "unhelpful",
            match_text=log.normalized or "",
            answer=log.answer if log.answered else "",
        )
        for log in session.scalars(stmt)
    ]


def pending_counts(session: Session, *, scope: RegionScope) -> dict[str, int]:
    """Questions in ``scope`` waiting for an admin: ``unanswered``, ``unhelpful``, ``total``."""
    stmt = _pending_stmt([QuestionLog.answered, func.count(QuestionLog.id)], scope, None).group_by(
        QuestionLog.answered
    )
    counts = {"unanswered": 0, "unhelpful": 0}
    for answered, count in session.execute(stmt):
        counts["unhelpful" if answered else "unanswered"] += count
    counts["total"] = counts["unanswered"] + counts["unhelpful"]
    return counts


@dataclass(frozen=True)
class RegionCount:
    """How many pending questions came from one region (``province`` None: unknown)."""

    label: str
    province: str | None
    city: str | None
    count: int


def region_counts(questions: Iterable[PendingQuestion]) -> list[RegionCount]:
    """Where the questions came from, most frequent region first."""
    counts = Counter((q.region, q.province, q.city) for q in questions)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    return [RegionCount(label, province, city, n) for (label, province, city), n in ranked]


@dataclass
class CurationGroup:
    """A group of similar pending questions with the FAQ entries it might belong to."""

    group: QuestionGroup
    suggestions: list[FaqEntry]


@dataclass
class CurationQueue:
    """The top groups of a region's pending questions, with totals over all of them."""

    groups: list[CurationGroup]
    group_count: int
    question_count: int
    regions: list[RegionCount]


def curation_queue(
    session: Session,
    *,
    scope: RegionScope,
    reason: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int | None = None,
    suggestions: int = 5,
) -> CurationQueue:
    """Pending questions in ``scope`` grouped by similarity, most frequent topic first.

    Only the first ``limit`` groups (all when None) get FAQ suggestions and are returned.
    """
    if not 0.0 < threshold <= 1.0:
        raise Invalid("相似度阈值应在 0 到 1 之间")
    pending = pending_questions(session, scope=scope, reason=reason)
    if not pending:
        return CurationQueue([], 0, 0, [])
    entries = faq.active_faqs(session, scope=scope)
    faq_texts = {e.id: [e.question, *(p.text for p in e.phrasings)] for e in entries}
    background = [t for texts in faq_texts.values() for t in texts]
    groups = group_questions(pending, threshold=threshold, background=background)
    shown = groups if limit is None else groups[:limit]
    matcher = _FaqMatcher(entries, faq_texts, [g.representative for g in shown])
    return CurationQueue(
        groups=[CurationGroup(g, matcher.best(g, suggestions)) for g in shown],
        group_count=len(groups),
        question_count=len(pending),
        regions=region_counts(pending),
    )


class _FaqMatcher:
    """Ranks FAQ entries by similarity of their question and phrasings to a group's wordings.

    An inverted index from terms to (entry, phrasing vector) keeps this proportional to the
    terms a group shares with the FAQ rather than to the size of the FAQ.
    """

    MIN_SCORE = 0.15

    def __init__(self, entries: list[FaqEntry], texts: dict[int, list[str]], extra: list[str]):
        self.entries = {e.id: e for e in entries}
        self.weights = TermWeights(
            [question_terms(t) for ts in texts.values() for t in ts]
            + [question_terms(t) for t in extra]
        )
        self.owner: list[int] = []
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for faq_id, phrasings in texts.items():
            for text in phrasings:
                index = len(self.owner)
                self.owner.append(faq_id)
                for term, weight in self.weights.vector(question_terms(text)).items():
                    self.postings.setdefault(term, []).append((index, weight))

    def best(self, group: QuestionGroup, limit: int) -> list[FaqEntry]:
        """Up to ``limit`` entries, closest first (best phrasing vs the group's top wordings)."""
        scores: dict[int, float] = {}
        for text, _ in group.phrasings[:5]:
            dots: dict[int, float] = {}
            for term, weight in self.weights.vector(question_terms(text)).items():
                for index, other in self.postings.get(term, ()):
                    dots[index] = dots.get(index, 0.0) + weight * other
            for index, dot in dots.items():
                faq_id = self.owner[index]
                if dot > scores.get(faq_id, 0.0):
                    scores[faq_id] = dot
        ranked = sorted(
            ((score, faq_id) for faq_id, score in scores.items() if score > self.MIN_SCORE),
            key=lambda s: (-s[0], s[1]),
        )
        return [self.entries[faq_id] for _, faq_id in ranked[:limit]]


def _claim_logs(
    session: Session, *, scope: RegionScope, log_ids: Sequence[int]
) -> list[QuestionLog]:
    """The named logs, checked to lie in ``scope`` and to be still unhandled."""
    ids = sorted({int(i) for i in log_ids})
    if not ids:
        raise Invalid("没有选择任何问题记录")
    logs = list(session.scalars(select(QuestionLog).where(QuestionLog.id.in_(ids))))
    if len(logs) != len(ids):
        raise NotFound("部分问题记录不存在")
    for log in logs:
        if not scope.allows(log.province, log.city):
            raise Forbidden("无权处理本辖区以外的问题记录")
    handled = set(
        session.scalars(
            select(QuestionReview.question_log_id).where(QuestionReview.question_log_id.in_(ids))
        )
    )
    open_logs = [log for log in logs if log.id not in handled]
    if not open_logs:
        raise Conflict("这些问题已由其他管理员处理")
    return open_logs


def _mark_handled(
    session: Session,
    logs: Iterable[QuestionLog],
    *,
    action: str,
    faq_id: int | None,
    reviewer_id: int | None,
) -> int:
    """Record the logs as handled (flushed, not committed); a concurrent handling is a Conflict."""
    count = 0
    now = utcnow()
    for log in logs:
        session.add(
            QuestionReview(
                question_log_id=log.id,
                action=action,
                faq_id=faq_id,
                reviewer_id=reviewer_id,
                reviewed_at=now,
            )
        )
        count += 1
    try:
        session.flush()
    except IntegrityError:
        # Another admin handled the same questions between our check and this insert.
        session.rollback()
        raise Conflict("这些问题已由其他管理员处理，请刷新页面") from None
    return count


def promote_to_faq(
    session: Session,
    *,
    scope: RegionScope,
    log_ids: Sequence[int],
    question: str,
    answer: str,
    basis: str = "",
    tags: str = "",
    reviewer_id: int | None = None,
    actor: object | None = None,
) -> FaqEntry:
    """Create a FAQ entry from a group of logged questions; their wordings become phrasings.

    The entry belongs to ``scope``'s region (a city's curated answer is the city's own).
    """
    logs = _claim_logs(session, scope=scope, log_ids=log_ids)
    entry = faq.new_entry(
        session,
        scope=scope,
        question=question,
        answer=answer,
        basis=basis,
        tags=tags,
        phrasings=_distinct(log.question for log in logs),
        actor=actor,
    )
    _mark_handled(session, logs, action=REVIEW_NEW_FAQ, faq_id=entry.id, reviewer_id=reviewer_id)
    refresh_index(session)  # one commit: the entry, its phrasings and the handled marks together
    logger.info("FAQ %d created from %d logged questions", entry.id, len(logs))
    return entry


def attach_to_faq(
    session: Session,
    *,
    scope: RegionScope,
    log_ids: Sequence[int],
    faq_id: int,
    reviewer_id: int | None = None,
    actor: object | None = None,
) -> FaqEntry:
    """Add a group's wordings as phrasings of an existing FAQ entry ``scope`` owns."""
    logs = _claim_logs(session, scope=scope, log_ids=log_ids)
    entry = faq.add_phrasings(
        session,
        scope=scope,
        faq_id=faq_id,
        phrasings=_distinct(log.question for log in logs),
        actor=actor,
    )
    _mark_handled(session, logs, action=REVIEW_PHRASING, faq_id=entry.id, reviewer_id=reviewer_id)
    refresh_index(session)
    return entry


def dismiss_questions(
    session: Session, *, scope: RegionScope, log_ids: Sequence[int], reviewer_id: int | None = None
) -> int:
    """Mark logged questions as handled without an entry (noise, out of scope)."""
    logs = _claim_logs(session, scope=scope, log_ids=log_ids)
    count = _mark_handled(
        session, logs, action=REVIEW_DISMISSED, faq_id=None, reviewer_id=reviewer_id
    )
    session.commit()
    return count


def _distinct(texts: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for text in texts:
        text = (text or "").strip()[: faq.MAX_QUESTION]
        if text and text not in seen:
            seen.append(text)
    return seen
