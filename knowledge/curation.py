"""Curation loop: the queue of unanswered and unhelpful questions, FAQ and synonym editing.

Admins see the questions the knowledge base failed on, grouped by similarity
(``knowledge.grouping``), and turn a group into a new FAQ entry or a phrasing of an existing one;
the group's log rows are then recorded as handled (``QuestionReview``) and leave the queue. Every
change to FAQ entries or synonyms calls the engine's ``refresh_index`` so the next question is
answered from the new content without a restart.

The question log is regional (province, city of the asker): every query here takes the admin's
``RegionScope``. FAQ entries have an owner region (None: national): an admin sees national
entries and its own region's, and changes only those it owns; synonyms are one national
dictionary changed by national admins only (``knowledge.ownership``). Every change is audited.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from core.db import utcnow
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.regions.scope import RegionScope
from core.search import contains
from knowledge import ownership
from knowledge import service as knowledge_service
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
from knowledge.models import (
    FAQ_ACTIVE,
    FAQ_RETIRED,
    AnswerFeedback,
    FaqEntry,
    FaqPhrasing,
    QuestionLog,
    Synonym,
)
from knowledge.schemas import FaqCreate, FaqUpdate

logger = logging.getLogger(__name__)

MAX_QUESTION = 500
MAX_ANSWER = 5000
MAX_BASIS = 200
MAX_TAGS = 200
MAX_TERM = 64
QUEUE_LIMIT = 3000  # newest pending questions considered; older ones wait for the next pass
FAQ_PAGE_SIZE = 30


def refresh_index(session: Session) -> None:
    """Make FAQ or synonym changes searchable (commits; the next question sees them)."""
    knowledge_service.refresh_index(session)


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
    entries = _active_faqs(session, scope)
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


def _active_faqs(session: Session, scope: RegionScope) -> list[FaqEntry]:
    stmt = select(FaqEntry).where(FaqEntry.status == FAQ_ACTIVE)
    stmt = ownership.visible(stmt, scope, FaqEntry.province, FaqEntry.city)
    return list(
        session.scalars(stmt.options(selectinload(FaqEntry.phrasings)).order_by(FaqEntry.id))
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
    wordings = _distinct(log.question for log in logs)
    entry = _new_entry(
        session,
        question=question,
        answer=answer,
        basis=basis,
        tags=tags,
        phrasings=wordings,
        owner=scope.owner_region(),
    )
    knowledge_service.audit_faq(session, entry, action="faq.create", actor=actor, before=None)
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
    entry = get_faq(session, faq_id=faq_id, scope=scope)
    ownership.require_faq_owner(scope, entry)
    if entry.status != FAQ_ACTIVE:
        raise Conflict("该 FAQ 条目已停用，请先恢复后再添加问法")
    before = ownership.faq_snapshot(entry)
    known = {entry.question.strip(), *(p.text.strip() for p in entry.phrasings)}
    for text in _distinct(log.question for log in logs):
        if text not in known:
            entry.phrasings.append(FaqPhrasing(text=text))
            known.add(text)
    entry.updated_at = utcnow()
    _mark_handled(session, logs, action=REVIEW_PHRASING, faq_id=entry.id, reviewer_id=reviewer_id)
    knowledge_service.audit_faq(session, entry, action="faq.update", actor=actor, before=before)
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
        text = (text or "").strip()[:MAX_QUESTION]
        if text and text not in seen:
            seen.append(text)
    return seen


# ---- FAQ entries --------------------------------------------------------------------------


@dataclass
class FaqPage:
    items: list[FaqEntry]
    total: int
    page: int
    pages: int


def list_faqs(
    session: Session,
    *,
    scope: RegionScope,
    query: str = "",
    status: str | None = None,
    page: int = 1,
) -> FaqPage:
    """Entries ``scope`` sees (national and its region's), newest change first; ``query`` words
    must each match some field or phrasing."""
    stmt = ownership.visible(select(FaqEntry), scope, FaqEntry.province, FaqEntry.city)
    if status:
        if status not in (FAQ_ACTIVE, FAQ_RETIRED):
            raise Invalid("状态只能是 active（在用）或 retired（已停用）")
        stmt = stmt.where(FaqEntry.status == status)
    for word in query.split():
        phrasing_hit = select(FaqPhrasing.id).where(
            FaqPhrasing.faq_id == FaqEntry.id, contains(FaqPhrasing.text, word)
        )
        stmt = stmt.where(
            or_(
                contains(FaqEntry.question, word),
                contains(FaqEntry.answer, word),
                contains(FaqEntry.basis, word),
                contains(FaqEntry.tags, word),
                phrasing_hit.exists(),
            )
        )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, math.ceil(total / FAQ_PAGE_SIZE))
    page = min(max(page, 1), pages)
    items = list(
        session.scalars(
            stmt.options(selectinload(FaqEntry.phrasings))
            .order_by(FaqEntry.updated_at.desc(), FaqEntry.id.desc())
            .offset((page - 1) * FAQ_PAGE_SIZE)
            .limit(FAQ_PAGE_SIZE)
        )
    )
    return FaqPage(items, total, page, pages)


def faq_hit_counts(
    session: Session, *, scope: RegionScope, faq_ids: Sequence[int]
) -> dict[int, int]:
    """How often each entry answered a question asked in ``scope``."""
    if not faq_ids:
        return {}
    stmt = (
        select(QuestionLog.faq_id, func.count(QuestionLog.id))
        .where(QuestionLog.faq_id.in_(list(faq_ids)))
        .group_by(QuestionLog.faq_id)
    )
    return dict(session.execute(_scoped(stmt, scope)).all())


def get_faq(session: Session, *, faq_id: int, scope: RegionScope) -> FaqEntry:
    """One entry ``scope`` sees, with its phrasings (another region's is not revealed: 404)."""
    entry = knowledge_service.get_faq(session, faq_id=faq_id)
    if not ownership.can_see(scope, entry.province, entry.city):
        raise NotFound("FAQ 条目不存在")
    return entry


def can_edit(scope: RegionScope, entry: FaqEntry) -> bool:
    """True when ``scope`` may change the entry (pages hide the buttons otherwise)."""
    return scope.owns(entry.province, entry.city)


def parse_phrasings(text: str) -> list[str]:
    """Phrasings typed one per line (blank lines ignored); a too-long line is refused by number."""
    phrasings: list[str] = []
    problems: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if len(line) > MAX_QUESTION:
            problems.append(f"第{number}行: 相似问法过长（最多 {MAX_QUESTION} 个字）")
        elif line not in phrasings:
            phrasings.append(line)
    if problems:
        raise Invalid("相似问法有误：" + "；".join(problems), details=problems)
    return phrasings


def _clean_entry(
    question: str, answer: str, basis: str, tags: str, phrasings: Iterable[str]
) -> tuple[str, str, str, str, list[str]]:
    question, answer = (question or "").strip(), (answer or "").strip()
    basis, tags = (basis or "").strip(), (tags or "").strip()
    problems = []
    if not question:
        problems.append("问题: 不能为空")
    elif len(question) > MAX_QUESTION:
        problems.append(f"问题: 最多 {MAX_QUESTION} 个字")
    if not answer:
        problems.append("答案: 不能为空")
    elif len(answer) > MAX_ANSWER:
        problems.append(f"答案: 最多 {MAX_ANSWER} 个字")
    if len(basis) > MAX_BASIS:
        problems.append(f"依据: 最多 {MAX_BASIS} 个字")
    if len(tags) > MAX_TAGS:
        problems.append(f"标签: 最多 {MAX_TAGS} 个字")
    cleaned = []
    for number, text in enumerate(phrasings, start=1):
        text = (text or "").strip()
        if len(text) > MAX_QUESTION:
            problems.append(f"相似问法第{number}条: 最多 {MAX_QUESTION} 个字")
        elif text and text != question and text not in cleaned:
            cleaned.append(text)
    if problems:
        raise Invalid("提交的内容有误：" + "；".join(problems), details=problems)
    return question, answer, basis, tags, cleaned


def _check_question_free(
    session: Session, question: str, scope: RegionScope, *, except_id: int | None = None
) -> None:
    """Questions are unique across regions; the message says what ``scope`` can do about it."""
    stmt = select(FaqEntry).where(FaqEntry.question == question)
    if except_id is not None:
        stmt = stmt.where(FaqEntry.id != except_id)
    other = session.scalar(stmt.limit(1))
    if other is None:
        return
    if scope.owns(other.province, other.city):
        raise Conflict(f"已有相同问题的 FAQ 条目（编号 {other.id}），请编辑该条目或添加为相似问法")
    if other.province is None:
        raise Conflict(
            f"全国共用的 FAQ 条目 #{other.id} 已有相同问题（只有部级管理员可以修改），请换一种问法"
        )
    raise Conflict("其他地区已有相同问题的 FAQ 条目，请换一种问法")


def _new_entry(
    session: Session,
    *,
    question: str,
    answer: str,
    basis: str,
    tags: str,
    phrasings: Iterable[str],
    owner: tuple[str | None, str | None],
) -> FaqEntry:
    question, answer, basis, tags, cleaned = _clean_entry(question, answer, basis, tags, phrasings)
    _check_question_free(session, question, RegionScope(*owner))
    entry = FaqEntry(
        question=question,
        answer=answer,
        basis=basis,
        tags=tags,
        status=FAQ_ACTIVE,
        province=owner[0],
        city=owner[1],
    )
    entry.phrasings = [FaqPhrasing(text=t) for t in cleaned]
    session.add(entry)
    session.flush()
    return entry


def create_faq(
    session: Session,
    *,
    scope: RegionScope,
    question: str,
    answer: str,
    basis: str = "",
    tags: str = "",
    phrasings: Iterable[str] = (),
    actor: object | None = None,
) -> FaqEntry:
    """Create an active entry owned by ``scope``'s region; answerable as soon as this returns."""
    question, answer, basis, tags, cleaned = _clean_entry(question, answer, basis, tags, phrasings)
    _check_question_free(session, question, scope)
    data = FaqCreate(question=question, answer=answer, basis=basis, tags=tags, phrasings=cleaned)
    return knowledge_service.create_faq(session, data=data, scope=scope, actor=actor)


def update_faq(
    session: Session,
    *,
    scope: RegionScope,
    faq_id: int,
    question: str,
    answer: str,
    basis: str = "",
    tags: str = "",
    phrasings: Iterable[str] = (),
    actor: object | None = None,
) -> FaqEntry:
    """Replace the question, answer, basis, tags and phrasings of an entry ``scope`` owns."""
    entry = get_faq(session, faq_id=faq_id, scope=scope)
    ownership.require_faq_owner(scope, entry)
    question, answer, basis, tags, cleaned = _clean_entry(question, answer, basis, tags, phrasings)
    _check_question_free(session, question, scope, except_id=entry.id)
    data = FaqUpdate(question=question, answer=answer, basis=basis, tags=tags, phrasings=cleaned)
    return knowledge_service.update_faq(
        session, faq_id=entry.id, data=data, scope=scope, actor=actor
    )


def set_faq_status(
    session: Session,
    *,
    scope: RegionScope,
    faq_id: int,
    status: str,
    actor: object | None = None,
) -> FaqEntry:
    """Retire an entry ``scope`` owns (no longer used for answers) or restore it."""
    if status not in (FAQ_ACTIVE, FAQ_RETIRED):
        raise Invalid("状态只能是 active（在用）或 retired（已停用）")
    entry = get_faq(session, faq_id=faq_id, scope=scope)
    ownership.require_faq_owner(scope, entry)
    if entry.status == status:
        return entry
    return knowledge_service.update_faq(
        session, faq_id=entry.id, data=FaqUpdate(status=status), scope=scope, actor=actor
    )


# ---- synonyms -----------------------------------------------------------------------------


def list_synonyms(session: Session, *, query: str = "") -> list[Synonym]:
    """The dictionary, by canonical wording; ``query`` filters on either side."""
    stmt = select(Synonym).order_by(Synonym.canonical, Synonym.term)
    query = query.strip()
    if query:
        stmt = stmt.where(or_(contains(Synonym.term, query), contains(Synonym.canonical, query)))
    return list(session.scalars(stmt))


def _clean_synonym(term: str, canonical: str) -> tuple[str, str]:
    term, canonical = (term or "").strip(), (canonical or "").strip()
    problems = []
    for label, value in (("说法", term), ("规范说法", canonical)):
        if not value:
            problems.append(f"{label}: 不能为空")
        elif len(value) > MAX_TERM:
            problems.append(f"{label}: 最多 {MAX_TERM} 个字")
    if not problems and term == canonical:
        problems.append("说法与规范说法相同，无需添加")
    if problems:
        raise Invalid("提交的内容有误：" + "；".join(problems), details=problems)
    return term, canonical


def _check_term_free(session: Session, term: str, except_id: int | None = None) -> None:
    stmt = select(Synonym).where(Synonym.term == term)
    if except_id is not None:
        stmt = stmt.where(Synonym.id != except_id)
    other = session.scalar(stmt)
    if other is not None:
        raise Conflict(f"“{term}”已在词典中（对应“{other.canonical}”），请直接修改该条")


def add_synonym(
    session: Session, *, scope: RegionScope, term: str, canonical: str, actor: object | None = None
) -> Synonym:
    """Add ``term`` → ``canonical`` (national admins only); questions using the term then match
    the documents' wording."""
    ownership.require_synonym_editor(scope)
    term, canonical = _clean_synonym(term, canonical)
    _check_term_free(session, term)
    return knowledge_service.set_synonym(
        session, term=term, canonical=canonical, scope=scope, actor=actor
    )


def get_synonym(session: Session, *, synonym_id: int) -> Synonym:
    """One dictionary entry."""
    synonym = session.get(Synonym, synonym_id)
    if synonym is None:
        raise NotFound("同义词条目不存在")
    return synonym


def update_synonym(
    session: Session,
    *,
    scope: RegionScope,
    synonym_id: int,
    term: str,
    canonical: str,
    actor: object | None = None,
) -> Synonym:
    """Change a dictionary entry (either side; national admins only)."""
    ownership.require_synonym_editor(scope)
    synonym = get_synonym(session, synonym_id=synonym_id)
    term, canonical = _clean_synonym(term, canonical)
    _check_term_free(session, term, except_id=synonym.id)
    return knowledge_service.update_synonym(
        session, synonym_id=synonym.id, term=term, canonical=canonical, scope=scope, actor=actor
    )


def delete_synonym(
    session: Session, *, scope: RegionScope, synonym_id: int, actor: object | None = None
) -> None:
    """Remove a dictionary entry (national admins only)."""
    ownership.require_synonym_editor(scope)
    get_synonym(session, synonym_id=synonym_id)
    knowledge_service.delete_synonym(session, synonym_id=synonym_id, scope=scope, actor=actor)


# ---- retrieval test -----------------------------------------------------------------------


def retrieval_test(session: Session, *, question: str, mode: str = "hybrid", k: int = 10) -> dict:
    """What the engine does with a question: ranked passages with scores, FAQ match, decision.

    Nothing is logged, so testing does not fill the curation queue.
    """
    from knowledge.retrieval import DEFAULT_PARAMS, MODES

    if mode not in MODES:
        raise Invalid("检索方式只能是 hybrid（混合）、bm25 或 dense（向量）")
    result = knowledge_service.explain(session, question=question, k=k, mode=mode)
    # The thresholds the decision was made against, so the page can show how close it was.
    result["answer_threshold"] = DEFAULT_PARAMS.answer_threshold
    result["faq_threshold"] = DEFAULT_PARAMS.faq_threshold
    return result
