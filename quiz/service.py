"""Question bank, practice, contests, ranking, certificates and statistics.

Every contest rule is enforced here, on the server: the draw, each drawn question's content and
key, and the deadline are fixed when an attempt starts; each answer is written as soon as it is
given, answers after the deadline plus ``GRACE_SECONDS`` are refused, a participant only ever
finds their own attempt, and no answer key leaves before the attempt is submitted.

Contest integrity by design: a contest reserves its pool of questions when it is created, and
until it closes those questions can be neither drawn nor answered in practice, and admins in its
audience do not see their keys. Questions and contests belong to a region; only admins who own
that region change them, and every change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import random
import secrets
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import and_, delete, exists, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from core.accounts import service as account_service
from core.accounts.models import Role, User
from core.audit.service import record_audit
from core.certificates import register_verifier
from core.db import utcnow
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.regions.scope import NATIONAL, RegionScope
from core.search import contains
from quiz import schemas, scoring
from quiz.models import (
    JUDGE_OPTIONS,
    Attempt,
    AttemptItem,
    Certificate,
    Contest,
    ContestKind,
    ContestQuestion,
    Mistake,
    PracticeAnswer,
    Question,
    QuestionKind,
    QuestionStatus,
    QuestionTag,
)

logger = logging.getLogger(__name__)

# Network delay between the participant's click and our clock; answers this late still count.
GRACE_SECONDS = 20
MAX_OPTIONS = 6
MAX_TAGS = 10
# A contest reserves up to this many times the questions each quota draws, so attempts differ
# while the rest of the bank stays open for practice.
POOL_FACTOR = 2
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed by hand
IN_CONTEST = "这道题正用于尚未结束的竞赛，竞赛结束后才能练习"


# ---- regions and keys ----------------------------------------------------------------------


def usable_in(province: str | None, city: str | None):
    """SQL condition: questions usable in a region (national ones, its province's, its own)."""
    national = Question.province.is_(None)
    if province is None:
        return national
    local = or_(Question.city.is_(None), Question.city == city) if city else Question.city.is_(None)
    return or_(national, and_(Question.province == province, local))


def _usable(question: Question, province: str | None, city: str | None) -> bool:
    if question.province is None:
        return True
    return question.province == province and question.city in (None, city)


def _visible_to(scope: RegionScope):
    """SQL condition: bank questions an admin sees (usable in their region, or owned below it)."""
    if scope.is_national:
        return true()
    if scope.city is None:
        return or_(Question.province.is_(None), Question.province == scope.province)
    return usable_in(scope.province, scope.city)


def _reserved_ids(now: dt.datetime, contest_ids=None):
    """Ids of questions reserved by contests not yet closed (of ``contest_ids`` when given)."""
    stmt = (
        select(ContestQuestion.question_id)
        .join(Contest, Contest.id == ContestQuestion.contest_id)
        .where(Contest.closes_at > now)
    )
    if contest_ids is not None:
        stmt = stmt.where(Contest.id.in_(contest_ids))
    return stmt


def _open_attempt_question_ids(user_id: int, now: dt.datetime):
    """Questions of the user's running contest attempts."""
    return (
        select(AttemptItem.question_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Attempt.user_id == user_id,
            Attempt.submitted_at.is_(None),
            Attempt.deadline_at > now - dt.timedelta(seconds=GRACE_SECONDS),
        )
    )


@dataclass(frozen=True)
class KeyAccess:
    """Which keys an admin may see and change: questions they own, unless they take part in an
    unclosed contest that reserved the question."""

    scope: RegionScope
    blocked: frozenset[int]

    def owns_key(self, question: Question) -> bool:
        return self.scope.owns(question.province, question.city) and question.id not in self.blocked


# The command line (and the demo loader) acts as a national admin who takes part in nothing.
COMMAND_LINE_ACCESS = KeyAccess(NATIONAL, frozenset())


def key_access(session: Session, *, admin: User) -> KeyAccess:
    """The admin's key access: their scope, and the questions of contests they may enter."""
    scope = account_service.require_admin(admin)
    now = utcnow()
    unclosed = session.scalars(select(Contest).where(Contest.closes_at > now))
    entered = [c.id for c in unclosed if is_eligible(c, admin)]
    blocked = set(session.scalars(_open_attempt_question_ids(admin.id, now)))
    if entered:
        blocked.update(session.scalars(_reserved_ids(now, entered)))
    return KeyAccess(scope, frozenset(blocked))


def owner_scope(admin: User | None) -> RegionScope:
    """The region new content belongs to: the admin's, or national for the command line."""
    return NATIONAL if admin is None else account_service.require_admin(admin)


# ---- question bank -----------------------------------------------------------------------


def stem_hash(stem: str) -> str:
    """Fingerprint of a stem for duplicate detection: width, spacing and end punctuation ignored."""
    text = unicodedata.normalize("NFKC", stem)
    text = "".join(text.split()).rstrip("。.?？!！")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_tags(text: str) -> list[str]:
    """Tags from ``标签`` text separated by 、，,;； or spaces, in order, without repeats."""
    for sep in "，,;；| ":
        text = text.replace(sep, "、")
    tags: list[str] = []
    for tag in text.split("、"):
        tag = tag.strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _option_problems(kind: str, options: list[str]) -> tuple[list[str], list[str]]:
    """(problems, cleaned options) of a question's options."""
    problems: list[str] = []
    if kind == QuestionKind.JUDGE:
        if any(o.strip() for o in options) and [o.strip() for o in options if o.strip()] not in (
            [],
            JUDGE_OPTIONS,
            ["对", "错"],
        ):
            problems.append("判断题不需要填写选项（选项A–F 应留空）")
        return problems, list(JUDGE_OPTIONS)
    # Options must be filled from A without gaps: "A, B, , D" would misalign the letters.
    trimmed = [o.strip() for o in options]
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    if any(not o for o in trimmed):
        problems.append("选项中间不能有空白（请从选项A起连续填写）")
    if len(trimmed) < 2:
        problems.append(f"{kind}题至少需要两个选项")
    if len(trimmed) > MAX_OPTIONS:
        problems.append("最多六个选项（A–F）")
    if any(len(o) > 500 for o in trimmed):
        problems.append("选项过长（每项最多 500 字）")
    if len(set(trimmed)) != len(trimmed):
        problems.append("选项内容有重复")
    return problems, trimmed


def question_problems(
    *,
    kind: str,
    stem: str,
    options: list[str],
    answer: str,
    difficulty: int | None,
    tags: list[str],
) -> tuple[list[str], list[str], str | None]:
    """Validate a question; returns (problems, cleaned options, answer as original letters)."""
    problems: list[str] = []
    if kind not in {k.value for k in QuestionKind}:
        problems.append(f"题型“{kind}”无效（应为 单选、多选 或 判断）")
        return problems, options, None
    if not stem.strip():
        problems.append("题干不能为空")
    elif len(stem) > 2000:
        problems.append("题干过长（最多 2000 字）")
    option_problems, options = _option_problems(kind, options)
    problems += option_problems
    key = None
    # A key is only checked against a usable option list: letters of nothing mean nothing.
    if 0 < len(options) <= MAX_OPTIONS:
        key, problem = scoring.parse_choice(kind, answer, len(options))
        if problem:
            problems.append(problem)
        elif kind == QuestionKind.MULTIPLE and key is not None and len(key) < 2:
            problems.append("多选题答案至少包含两个选项")
    if difficulty is None or not 1 <= difficulty <= 5:
        problems.append("难度应为 1–5 的整数")
    if len(tags) > MAX_TAGS:
        problems.append(f"标签最多 {MAX_TAGS} 个")
    if any(len(t) > 32 for t in tags):
        problems.append("每个标签最多 32 个字")
    return problems, options, key


@dataclass
class _CleanQuestion:
    data: schemas.QuestionCreate
    options: list[str]
    key: str
    tags: list[str]
    fingerprint: str


def _validated(data: schemas.QuestionCreate) -> _CleanQuestion:
    """The question's cleaned parts, or ``Invalid`` listing every problem (nothing changed)."""
    tags = split_tags("、".join(data.tags))
    problems, options, key = question_problems(
        kind=data.kind,
        stem=data.stem,
        options=data.options,
        answer=data.answer,
        difficulty=data.difficulty,
        tags=tags,
    )
    if data.status not in {s.value for s in QuestionStatus}:
        problems.append("状态应为 draft、published 或 retired")
    if len(data.source) > 255:
        problems.append("出处过长（最多 255 字）")
    if problems:
        raise Invalid("题目有误：" + "；".join(problems), details=problems)
    return _CleanQuestion(data, options, key or "", tags, stem_hash(data.stem))


def _write(question: Question, clean: _CleanQuestion) -> None:
    data = clean.data
    question.kind = data.kind
    question.stem = data.stem.strip()
    question.stem_hash = clean.fingerprint
    question.options = clean.options
    question.answer = clean.key
    question.explanation = data.explanation.strip()
    question.difficulty = data.difficulty
    question.source = data.source.strip()
    question.status = data.status
    existing = {t.tag: t for t in question.tag_rows}
    question.tag_rows = [existing.get(t) or QuestionTag(tag=t) for t in clean.tags]


def _check_duplicate(session: Session, fingerprint: str, own_id: int | None) -> None:
    clash = session.scalar(
        select(Question.id).where(Question.stem_hash == fingerprint, Question.id != (own_id or 0))
    )
    if clash is not None:
        raise Conflict(f"题库中已有相同题干的题目（编号 {clash}）")


@contextmanager
def _saving(session: Session) -> Iterator[None]:
    """Write the block's changes and commit; what a concurrent request saved meanwhile (a twin
    stem) is a 409 with nothing written, not a 500."""
    try:
        yield
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("其他管理员刚刚修改了题库（如新增了相同题干的题目），请刷新后重试") from None


def _question_facts(question: Question) -> dict:
    """What an audit row records of a question, key included."""
    return {
        "kind": question.kind,
        "stem": question.stem,
        "options": list(question.options),
        "answer": question.answer,
        "explanation": question.explanation,
        "tags": question.tags,
        "difficulty": question.difficulty,
        "source": question.source,
        "status": question.status,
    }


def _audit_question(
    session: Session, admin: User | None, action: str, question: Question, **detail
) -> None:
    record_audit(
        session,
        actor=admin,
        action=action,
        target_kind="question",
        target_id=question.id,
        province=question.province,
        city=question.city,
        detail=detail,
    )


def create_question(
    session: Session, *, data: schemas.QuestionCreate, admin: User | None = None
) -> Question:
    """Add a question owned by the admin's region (national from the command line)."""
    owner = owner_scope(admin)
    clean = _validated(data)
    _check_duplicate(session, clean.fingerprint, None)
    question = Question(province=owner.province, city=owner.city)
    _write(question, clean)
    with _saving(session):
        session.add(question)
        session.flush()
        _audit_question(
            session, admin, "question.create", question, after=_question_facts(question)
        )
    return question


def _load(session: Session, model, object_id: int):
    """``session.get`` that treats an id no column can hold as absent (not an overflow)."""
    if not 1 <= object_id <= schemas.MAX_ID:
        return None
    return session.get(model, object_id)


def get_question(session: Session, question_id: int) -> Question:
    """The question with this id."""
    question = _load(session, Question, question_id)
    if question is None:
        raise NotFound("题目不存在")
    return question


def _visible_question(session: Session, question_id: int, scope: RegionScope) -> Question:
    question = _load(session, Question, question_id)
    if question is None or not (
        scope.is_national
        or scope.owns(question.province, question.city)
        or _usable(question, scope.province, scope.city)
    ):
        raise NotFound("题目不存在")
    return question


def _owned_question(session: Session, question_id: int, admin: User | None) -> Question:
    """A question the admin may change: visible, owned, and not in a contest they may enter."""
    if admin is None:
        return get_question(session, question_id)
    access = key_access(session, admin=admin)
    question = _visible_question(session, question_id, access.scope)
    access.scope.require_owner(question.province, question.city, "这道题")
    if question.id in access.blocked:
        raise Forbidden("这道题正用于您可参加的竞赛，竞赛结束前您不能查看或修改它的答案")
    return question


def read_question(session: Session, *, question_id: int, admin: User) -> schemas.QuestionRead:
    """One bank question for an admin; the key only where ``KeyAccess`` allows."""
    access = key_access(session, admin=admin)
    return question_read(_visible_question(session, question_id, access.scope), access)


def update_question(
    session: Session,
    *,
    question_id: int,
    data: schemas.QuestionUpdate,
    admin: User | None = None,
) -> Question:
    """Edit a question (owners only); attempts already started keep the version they drew."""
    question = _owned_question(session, question_id, admin)
    clean = _validated(data)
    _check_duplicate(session, clean.fingerprint, question.id)
    before = _question_facts(question)
    with _saving(session):
        _write(question, clean)
        after = _question_facts(question)
        key_changed = any(before[f] != after[f] for f in ("kind", "options", "answer"))
        action = "question.key_change" if key_changed else "question.update"
        _audit_question(session, admin, action, question, before=before, after=after)
        if before["status"] == QuestionStatus.PUBLISHED and question.status != before["status"]:
            _refill_pools(session, question.id)
    return question


def retire_question(session: Session, *, question_id: int, admin: User | None = None) -> Question:
    """Stop drawing a question in contests and practice (owners only); past attempts keep it."""
    question = _owned_question(session, question_id, admin)
    before = {"status": question.status}
    with _saving(session):
        question.status = QuestionStatus.RETIRED.value
        after = {"status": question.status}
        _audit_question(session, admin, "question.retire", question, before=before, after=after)
        _refill_pools(session, question.id)
    return question


def question_read(question: Question, access: KeyAccess) -> schemas.QuestionRead:
    """A bank question as an admin may see it."""
    shown = access.owns_key(question)
    return schemas.QuestionRead(
        id=question.id,
        kind=question.kind,
        stem=question.stem,
        options=list(question.options),
        answer=question.answer if shown else None,
        explanation=question.explanation if shown else None,
        tags=question.tags,
        difficulty=question.difficulty,
        source=question.source,
        status=question.status,
        province=question.province,
        city=question.city,
        owner=RegionScope(question.province, question.city).label,
        key_visible=shown,
        editable=shown,
    )


@dataclass
class QuestionPageResult:
    items: list[Question]
    total: int
    page: int
    pages: int


def list_questions(
    session: Session,
    *,
    scope: RegionScope = NATIONAL,
    query: str = "",
    tag: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    page: int = 1,
    per_page: int = 30,
) -> QuestionPageResult:
    """Search the bank visible in ``scope`` by words in stem, explanation or source; filter."""
    stmt = _bank_query(scope, query=query, tag=tag, kind=kind, status=status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    items = list(
        session.scalars(stmt.order_by(Question.id).offset((page - 1) * per_page).limit(per_page))
    )
    return QuestionPageResult(items, total, page, pages)


def visible_questions(
    session: Session, *, scope: RegionScope, status: str | None = None
) -> list[Question]:
    """Every bank question visible in ``scope`` (of ``status``), oldest first: for exports."""
    return list(session.scalars(_bank_query(scope, status=status).order_by(Question.id)))


def _bank_query(
    scope: RegionScope,
    *,
    query: str = "",
    tag: str | None = None,
    kind: str | None = None,
    status: str | None = None,
):
    stmt = select(Question).where(_visible_to(scope))
    for word in query.split():
        stmt = stmt.where(
            or_(
                contains(Question.stem, word, ignore_case=True),
                contains(Question.explanation, word, ignore_case=True),
                contains(Question.source, word, ignore_case=True),
            )
        )
    if tag:
        stmt = stmt.where(
            exists().where(QuestionTag.question_id == Question.id, QuestionTag.tag == tag)
        )
    if kind:
        stmt = stmt.where(Question.kind == kind)
    if status:
        stmt = stmt.where(Question.status == status)
    return stmt


def tag_counts(session: Session) -> list[tuple[str, int]]:
    """Tags of published questions with how many questions carry each, most used first."""
    rows = session.execute(
        select(QuestionTag.tag, func.count())
        .join(Question, Question.id == QuestionTag.question_id)
        .where(Question.status == QuestionStatus.PUBLISHED.value)
        .group_by(QuestionTag.tag)
        .order_by(func.count().desc(), QuestionTag.tag)
    )
    return [(tag, count) for tag, count in rows]


def lettered(options: list[str], order: str | None = None) -> list[schemas.Option]:
    """Options labelled A, B, … in ``order`` (original letters in display order)."""
    order = order or scoring.LETTERS[: len(options)]
    return [
        schemas.Option(letter=scoring.LETTERS[i], text=options[scoring.LETTERS.index(orig)])
        for i, orig in enumerate(order)
    ]


def answer_text(question: Question, key: str) -> str:
    """The key spelled out: ``A. 正确`` / ``A、C``."""
    if question.kind == QuestionKind.JUDGE:
        return JUDGE_OPTIONS[scoring.LETTERS.index(key)] if key else ""
    return "；".join(f"{k}. {question.options[scoring.LETTERS.index(k)]}" for k in key)


# ---- practice (also used by the Telegram bot's /quiz) --------------------------------------


def _published(stmt, tag: str | None):
    stmt = stmt.where(Question.status == QuestionStatus.PUBLISHED.value)
    if tag:
        stmt = stmt.where(
            exists().where(QuestionTag.question_id == Question.id, QuestionTag.tag == tag)
        )
    return stmt


def practice_question(
    session: Session, *, user: User, tag: str | None = None, mistakes_only: bool = False
) -> schemas.PracticeQuestion:
    """A random published question (of ``tag``) without its key; ``mistakes_only``: from 错题本.

    Only questions usable in the user's region, and none reserved by an unclosed contest.
    """
    now = utcnow()
    stmt = _published(select(Question.id), tag).where(
        usable_in(user.province, user.city),
        Question.id.not_in(_reserved_ids(now)),
        Question.id.not_in(_open_attempt_question_ids(user.id, now)),
    )
    if mistakes_only:
        stmt = stmt.where(
            exists().where(
                Mistake.question_id == Question.id,
                Mistake.user_id == user.id,
                Mistake.mastered_at.is_(None),
            )
        )
    ids = list(session.scalars(stmt))
    if not ids:
        if mistakes_only:
            raise NotFound("错题本中没有待练习的题目")
        raise NotFound(f"没有标签为“{tag}”的题目" if tag else "题库中还没有可练习的题目")
    question = session.get(Question, random.choice(ids))
    return schemas.PracticeQuestion(
        id=question.id,
        kind=question.kind,
        stem=question.stem,
        options=lettered(question.options),
        tags=question.tags,
        difficulty=question.difficulty,
    )


def check_practice_answer(
    session: Session, *, user: User, question_id: int, choice: str
) -> schemas.PracticeResult:
    """Mark a practice answer, record it, keep the user's 错题本; return the key and explanation.

    Questions an unclosed contest reserved are refused (409) before anything is revealed.
    """
    question = _load(session, Question, question_id)
    if (
        question is None
        or question.status != QuestionStatus.PUBLISHED.value
        or not _usable(question, user.province, user.city)
    ):
        raise NotFound("题目不存在或已停用")
    now = utcnow()
    if session.scalar(
        select(
            exists(
                _open_attempt_question_ids(user.id, now).where(
                    AttemptItem.question_id == question_id
                )
            )
        )
    ):
        raise Conflict("这道题在您正在进行的竞赛中，交卷后才能练习")
    if session.scalar(
        select(exists(_reserved_ids(now).where(ContestQuestion.question_id == question_id)))
    ):
        raise Conflict(IN_CONTEST)
    given, problem = scoring.parse_choice(question.kind, choice, len(question.options))
    if problem:
        raise Invalid(problem)
    correct = scoring.is_correct(question.answer, given)
    session.add(
        PracticeAnswer(
            user_id=user.id,
            question_id=question.id,
            choice=given or "",
            correct=correct,
            answered_at=now,
        )
    )
    _record_practice(
        session,
        user_id=user.id,
        question_id=question_id,
        given=given or "",
        correct=correct,
        now=now,
    )
    session.commit()
    return schemas.PracticeResult(
        question_id=question.id,
        correct=correct,
        choice=given or "",
        answer=question.answer,
        answer_text=answer_text(question, question.answer),
        explanation=question.explanation,
        source=question.source,
    )


def _record_practice(
    session: Session, *, user_id: int, question_id: int, given: str, correct: bool, now: dt.datetime
) -> None:
    mistake = session.scalar(
        select(Mistake).where(Mistake.user_id == user_id, Mistake.question_id == question_id)
    )
    if correct:
        if mistake is not None and mistake.mastered_at is None:
            mistake.mastered_at = now
        return
    if mistake is None:
        session.add(
            Mistake(user_id=user_id, question_id=question_id, last_answer=given, last_wrong_at=now)
        )
    else:
        mistake.wrong_count += 1
        mistake.last_answer = given
        mistake.last_wrong_at = now
        mistake.mastered_at = None


def _record_mistakes(
    session: Session, *, user_id: int, wrong: dict[int, str], now: dt.datetime
) -> None:
    """Add a contest's wrong answers to the 错题本 with one query for the existing entries."""
    existing = {
        m.question_id: m
        for m in session.scalars(
            select(Mistake).where(Mistake.user_id == user_id, Mistake.question_id.in_(list(wrong)))
        )
    }
    for question_id, given in wrong.items():
        mistake = existing.get(question_id)
        if mistake is None:
            session.add(
                Mistake(
                    user_id=user_id, question_id=question_id, last_answer=given, last_wrong_at=now
                )
            )
        else:
            mistake.wrong_count += 1
            mistake.last_answer = given
            mistake.last_wrong_at = now
            mistake.mastered_at = None


def list_mistakes(
    session: Session, *, user_id: int, include_mastered: bool = False
) -> list[schemas.MistakeRead]:
    """The user's 错题本, most recent first; mastered entries only when asked."""
    stmt = (
        select(Mistake, Question)
        .join(Question, Question.id == Mistake.question_id)
        .where(Mistake.user_id == user_id)
        .order_by(Mistake.last_wrong_at.desc())
    )
    if not include_mastered:
        stmt = stmt.where(Mistake.mastered_at.is_(None))
    rows = session.execute(stmt).all()
    # A question an unclosed contest reserved keeps its key to itself here too.
    locked = set(
        session.scalars(
            _reserved_ids(utcnow()).where(ContestQuestion.question_id.in_([q.id for _m, q in rows]))
        )
    )
    return [
        schemas.MistakeRead(
            question_id=q.id,
            kind=q.kind,
            stem=q.stem,
            options=lettered(q.options),
            answer="" if q.id in locked else q.answer,
            explanation="" if q.id in locked else q.explanation,
            last_answer=m.last_answer,
            wrong_count=m.wrong_count,
            last_wrong_at=m.last_wrong_at,
            mastered=m.mastered_at is not None,
            locked=q.id in locked,
        )
        for m, q in rows
    ]


# ---- contests ----------------------------------------------------------------------------


def _organiser_scope(contest: Contest) -> RegionScope:
    return RegionScope(contest.province, contest.city)


def _parse_region(entry: str) -> tuple[str, str | None]:
    province, _, city = entry.partition("/")
    return province.strip(), (city.strip() or None)


def is_eligible(contest: Contest, user: User) -> bool:
    """True when the user's role and region are in the contest's audience."""
    if user.role not in contest.audience_roles:
        return False
    if not contest.audience_regions:
        return _organiser_scope(contest).allows(user.province, user.city)
    for entry in contest.audience_regions:
        province, city = _parse_region(entry)
        if user.province == province and (city is None or user.city == city):
            return True
    return False


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
        province, city = _parse_region(entry)
        if province not in PROVINCES:
            problems.append(f"参赛地区“{entry}”中的省份无效（请写全称，如 江苏省）")
        elif not scope.allows(province, city if scope.city else None) or (
            scope.city and city != scope.city
        ):
            problems.append(f"参赛地区“{entry}”超出您的管辖范围（{scope.label}）")
    quotas = [q.model_dump() for q in data.quotas]
    pools = _quota_pools(session, quotas, scope)
    _picked, short = _fill_quotas(pools, quotas, random.Random(0))
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
    contest.show_explanations = data.show_explanations
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
    # Times typed into a form carry no zone; PermitHub's users are in China (UTC+8).
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))


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
    _reserve_pool(session, contest, random.SystemRandom())
    _audit_contest(session, admin, "contest.create", contest, after=_contest_facts(contest))
    session.commit()
    return contest


def get_contest(session: Session, contest_id: int) -> Contest:
    """The contest with this id."""
    contest = _load(session, Contest, contest_id)
    if contest is None:
        raise NotFound("竞赛不存在")
    return contest


def _managed_contest(session: Session, contest_id: int, admin: User) -> Contest:
    scope = account_service.require_admin(admin)
    contest = get_contest(session, contest_id)
    if not _visible_to_admin(contest, scope):
        raise NotFound("竞赛不存在")
    scope.require_owner(contest.province, contest.city, "该竞赛")
    return contest


def update_contest(
    session: Session, *, contest_id: int, data: schemas.ContestCreate, admin: User
) -> Contest:
    """Change a contest's settings (organisers only); started attempts keep their draw."""
    contest = _managed_contest(session, contest_id, admin)
    data = data.model_copy(
        update={"opens_at": _aware(data.opens_at), "closes_at": _aware(data.closes_at)}
    )
    problems = _validate_contest(session, data, _organiser_scope(contest))
    if problems:
        raise Invalid("竞赛设置有误：" + "；".join(problems), details=problems)
    before = _contest_facts(contest)
    _apply_contest(contest, data)
    if contest.quotas != before["quotas"]:
        _reserve_pool(session, contest, random.SystemRandom())
    _audit_contest(
        session, admin, "contest.update", contest, before=before, after=_contest_facts(contest)
    )
    session.commit()
    return contest


def _visible_to_admin(contest: Contest, scope: RegionScope) -> bool:
    """Admins see contests they organise and those organised above them that reach their region."""
    organiser = _organiser_scope(contest)
    return scope.allows(contest.province, contest.city) or organiser.allows(
        scope.province, scope.city
    )


def contest_state(contest: Contest, now: dt.datetime | None = None) -> str:
    """未开始 / 进行中 / 已结束."""
    now = now or utcnow()
    if now < contest.opens_at:
        return "未开始"
    if now >= contest.closes_at:
        return "已结束"
    return "进行中"


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
        if not eligible and not (scope is not None and _visible_to_admin(contest, scope)):
            continue
        attempts = mine.get(contest.id, [])
        running = next((a for a in attempts if _is_running(a, now)), None)
        state = contest_state(contest, now)
        result.append(
            schemas.ContestForUser(
                contest=schemas.ContestRead.model_validate(contest),
                state=state,
                attempts_used=len(attempts),
                open_attempt_id=running.id if running else None,
                can_start=eligible
                and state == "进行中"
                and (running is not None or len(attempts) < contest.attempts_allowed),
            )
        )
    return result


def _is_running(attempt: Attempt, now: dt.datetime) -> bool:
    return attempt.submitted_at is None and now <= attempt.deadline_at + dt.timedelta(
        seconds=GRACE_SECONDS
    )


# ---- contest pools and draws -------------------------------------------------------------


def _quota_pools(
    session: Session, quotas: list[dict], region: RegionScope = NATIONAL
) -> list[set[int]]:
    """The published question ids usable in ``region`` each quota may draw from."""
    pools = []
    for quota in quotas:
        stmt = _published(select(Question.id), quota.get("tag")).where(
            usable_in(region.province, region.city)
        )
        if quota.get("difficulty") is not None:
            stmt = stmt.where(Question.difficulty == quota["difficulty"])
        pools.append(set(session.scalars(stmt)))
    return pools


def _fill_quotas(
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


def _reserve_pool(session: Session, contest: Contest, rng: random.Random) -> None:
    """(Re)build the contest's pool: each quota's count, then up to ``POOL_FACTOR`` times it."""
    session.execute(delete(ContestQuestion).where(ContestQuestion.contest_id == contest.id))
    pools = _quota_pools(session, contest.quotas, _organiser_scope(contest))
    picked, _short = _fill_quotas(pools, contest.quotas, rng)
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


def _refill_pools(session: Session, question_id: int) -> None:
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
        pools = _quota_pools(session, contest.quotas, _organiser_scope(contest))
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
    picked, short = _fill_quotas(_quota_pools(session, quotas), quotas, rng)
    if short:
        raise Conflict("题库中可抽取的题目不足，请联系竞赛组织者")
    chosen = [qid for ids in picked for qid in ids]
    rng.shuffle(chosen)
    return _load_questions(session, chosen)


def _load_questions(session: Session, ids: list[int]) -> list[Question]:
    # Tags are not needed to lay out an attempt; skip their eager load on this hot path.
    stmt = select(Question).where(Question.id.in_(ids)).options(lazyload(Question.tag_rows))
    by_id = {q.id: q for q in session.scalars(stmt)}
    return [by_id[i] for i in ids]


def _draw_contest(session: Session, contest: Contest, rng: random.Random) -> list[Question]:
    """One attempt's questions: each quota's count at random from its reserved pool."""
    pool = _pool_by_quota(session, contest)
    chosen: list[int] = []
    for index, quota in enumerate(contest.quotas):
        ids = pool.get(index, [])
        if len(ids) < int(quota["count"]):
            raise Conflict("题库中可抽取的题目不足，请联系竞赛组织者")
        chosen += rng.sample(ids, int(quota["count"]))
    rng.shuffle(chosen)
    return _load_questions(session, chosen)


# ---- attempts ----------------------------------------------------------------------------


def _drawn_item(position: int, question: Question, order: str) -> AttemptItem:
    """An attempt's copy of a question: later edits of the bank never reach it."""
    return AttemptItem(
        position=position,
        question_id=question.id,
        option_order=order,
        kind=question.kind,
        stem=question.stem,
        options=list(question.options),
        answer_key=question.answer,
        explanation=question.explanation,
        source=question.source,
    )


def start_attempt(
    session: Session,
    *,
    contest_id: int,
    user: User,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Start (or resume) the user's attempt: questions, option order and deadline fixed now."""
    now = now or utcnow()
    contest = get_contest(session, contest_id)
    if not is_eligible(contest, user):
        raise Forbidden("您不在本次竞赛的参赛范围内")
    state = contest_state(contest, now)
    if state != "进行中":
        raise Conflict("竞赛尚未开始" if state == "未开始" else "竞赛已结束")
    attempts = list(
        session.scalars(
            select(Attempt).where(Attempt.contest_id == contest.id, Attempt.user_id == user.id)
        )
    )
    for attempt in attempts:
        if _is_running(attempt, now):
            return attempt
        if attempt.submitted_at is None:
            _finalise(session, attempt, contest, now)
    if len(attempts) >= contest.attempts_allowed:
        session.commit()
        raise Conflict("您的作答次数已用完")
    rng = rng or random.SystemRandom()
    questions = _draw_contest(session, contest, rng)
    deadline = min(now + dt.timedelta(minutes=contest.time_limit_minutes), contest.closes_at)
    attempt = Attempt(
        contest_id=contest.id,
        user_id=user.id,
        attempt_no=len(attempts) + 1,
        province=user.province,
        city=user.city,
        organisation=user.organisation,
        started_at=now,
        deadline_at=deadline,
        question_count=len(questions),
    )
    for position, question in enumerate(questions, start=1):
        order = list(scoring.LETTERS[: len(question.options)])
        if contest.shuffle_options and question.kind != QuestionKind.JUDGE:
            rng.shuffle(order)
        attempt.items.append(_drawn_item(position, question, "".join(order)))
    session.add(attempt)
    try:
        session.commit()
    except IntegrityError:
        # A double click started the same attempt in two requests; the first one stands.
        session.rollback()
        existing = session.scalar(
            select(Attempt).where(
                Attempt.contest_id == contest.id,
                Attempt.user_id == user.id,
                Attempt.attempt_no == len(attempts) + 1,
            )
        )
        if existing is None:
            raise
        return existing
    return attempt


def my_attempts(session: Session, *, contest_id: int, user: User) -> list[Attempt]:
    """The user's own attempts at a contest, oldest first."""
    return list(
        session.scalars(
            select(Attempt)
            .where(Attempt.contest_id == contest_id, Attempt.user_id == user.id)
            .order_by(Attempt.attempt_no)
        )
    )


def _own_attempt(session: Session, attempt_id: int, user: User) -> Attempt:
    attempt = _load(session, Attempt, attempt_id)
    # Someone else's attempt is "not found", so ids cannot be probed.
    if attempt is None or attempt.user_id != user.id:
        raise NotFound("答卷不存在")
    return attempt


def _to_display(order: str, letters: str | None) -> str | None:
    if not letters:
        return None
    return "".join(sorted(scoring.LETTERS[order.index(ch)] for ch in letters))


def _items(session: Session, attempt_id: int) -> list[AttemptItem]:
    """An attempt's drawn questions in shown order (each carries its own copy of the question)."""
    return list(
        session.scalars(
            select(AttemptItem)
            .where(AttemptItem.attempt_id == attempt_id)
            .order_by(AttemptItem.position)
        )
    )


def get_attempt_view(
    session: Session, *, attempt_id: int, user: User, now: dt.datetime | None = None
) -> schemas.AttemptView:
    """The participant's own attempt: questions as shown, saved choices, no key until submitted."""
    now = now or utcnow()
    attempt = _own_attempt(session, attempt_id, user)
    contest = session.get(Contest, attempt.contest_id)
    if attempt.submitted_at is None and not _is_running(attempt, now):
        _finalise(session, attempt, contest, now)
        session.commit()
    items = _items(session, attempt.id)
    questions = [
        schemas.AttemptQuestion(
            position=item.position,
            kind=item.kind,
            stem=item.stem,
            options=lettered(item.options, item.option_order),
            choice=_to_display(item.option_order, item.answer),
        )
        for item in items
    ]
    result = _result(session, attempt, contest, items) if attempt.submitted_at is not None else None
    seconds_left = max(0, int((attempt.deadline_at - now).total_seconds())) if result is None else 0
    return schemas.AttemptView(
        id=attempt.id,
        contest_id=contest.id,
        contest_title=contest.title,
        started_at=attempt.started_at,
        deadline_at=attempt.deadline_at,
        seconds_left=seconds_left,
        submitted=result is not None,
        questions=questions,
        result=result,
    )


def save_answer(
    session: Session,
    *,
    attempt_id: int,
    user: User,
    position: int,
    choice: str,
    now: dt.datetime | None = None,
) -> schemas.SavedAnswer:
    """Store one answer at once (``choice`` in shown letters); late or after submitting: refused."""
    now = now or utcnow()
    if not 1 <= position <= schemas.MAX_CONTEST_QUESTIONS:
        _own_attempt(session, attempt_id, user)  # no such attempt is told first
        raise NotFound(f"第 {position} 题不存在")
    if not 1 <= attempt_id <= schemas.MAX_ID:
        raise NotFound("答卷不存在")
    # One query for the attempt and the item: this runs once per answer per person.
    row = session.execute(
        select(Attempt, AttemptItem)
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .where(Attempt.id == attempt_id, AttemptItem.position == position)
    ).first()
    if row is None or row[0].user_id != user.id:
        _own_attempt(session, attempt_id, user)  # someone else's or no such attempt: 404
        raise NotFound(f"第 {position} 题不存在")
    attempt, item = row
    if attempt.submitted_at is not None:
        raise Conflict("已交卷，不能再修改答案")
    if now > attempt.deadline_at + dt.timedelta(seconds=GRACE_SECONDS):
        raise Conflict("作答时间已到，答案未保存")
    stored: str | None = None
    if choice.strip():
        shown, problem = scoring.parse_choice(item.kind, choice, len(item.option_order))
        if problem:
            raise Invalid(f"第 {position} 题：{problem}")
        stored = "".join(sorted(item.option_order[scoring.LETTERS.index(ch)] for ch in shown))
    item.answer = stored
    item.answered_at = now
    session.commit()
    return schemas.SavedAnswer(
        position=position, choice=_to_display(item.option_order, stored), saved_at=now
    )


def _finalise(session: Session, attempt: Attempt, contest: Contest, now: dt.datetime) -> bool:
    """Score an attempt once from its own copy of the keys; a concurrent resubmit is a no-op."""
    limit = attempt.deadline_at + dt.timedelta(seconds=GRACE_SECONDS)
    submitted_at = min(now, limit)
    claimed = session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=submitted_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        session.refresh(attempt)
        return False
    correct = 0
    wrong: dict[int, str] = {}
    for item in _items(session, attempt.id):
        counted = item.answered_at is not None and item.answered_at <= limit
        item.is_correct = counted and scoring.is_correct(item.answer_key, item.answer)
        correct += item.is_correct
        if contest.show_explanations and not item.is_correct and item.answer:
            wrong[item.question_id] = item.answer
    if wrong:
        _record_mistakes(session, user_id=attempt.user_id, wrong=wrong, now=now)
    attempt.submitted_at = submitted_at
    attempt.correct_count = correct
    attempt.time_used_seconds = max(
        0, int((min(submitted_at, attempt.deadline_at) - attempt.started_at).total_seconds())
    )
    attempt.passed = 100 * correct >= contest.pass_percent * attempt.question_count
    if attempt.passed:
        _ensure_certificate(session, attempt, contest, award="合格证书", rank=None)
    return True


def submit_attempt(
    session: Session, *, attempt_id: int, user: User, now: dt.datetime | None = None
) -> schemas.AttemptResult:
    """Hand in the attempt and score it; submitting again returns the same result."""
    now = now or utcnow()
    attempt = _own_attempt(session, attempt_id, user)
    contest = session.get(Contest, attempt.contest_id)
    if attempt.submitted_at is None:
        _finalise(session, attempt, contest, now)
        session.commit()
    return _result(session, attempt, contest)


def _result(
    session: Session, attempt: Attempt, contest: Contest, items: list[AttemptItem] | None = None
) -> schemas.AttemptResult:
    review: list[schemas.ReviewItem] = []
    if contest.show_explanations:
        if items is None:
            items = _items(session, attempt.id)
        review = [
            schemas.ReviewItem(
                position=item.position,
                correct=bool(item.is_correct),
                answer=_to_display(item.option_order, item.answer_key) or "",
                explanation=item.explanation,
                source=item.source,
            )
            for item in items
        ]
    certificate = session.scalar(
        select(Certificate.code).where(Certificate.attempt_id == attempt.id)
    )
    return schemas.AttemptResult(
        attempt_id=attempt.id,
        correct_count=attempt.correct_count or 0,
        question_count=attempt.question_count,
        score=attempt.score or 0.0,
        time_used_seconds=attempt.time_used_seconds or 0,
        passed=bool(attempt.passed),
        rank=_rank_of(session, contest, attempt) if contest_state(contest) == "已结束" else None,
        certificate_code=certificate,
        review=review,
    )


def finalise_expired(session: Session, *, contest_id: int, now: dt.datetime | None = None) -> int:
    """Score attempts whose time ran out without a submit (answers saved in time still count)."""
    now = now or utcnow()
    contest = get_contest(session, contest_id)
    stale = list(
        session.scalars(
            select(Attempt).where(
                Attempt.contest_id == contest_id,
                Attempt.submitted_at.is_(None),
                Attempt.deadline_at < now - dt.timedelta(seconds=GRACE_SECONDS),
            )
        )
    )
    done = sum(_finalise(session, a, contest, now) for a in stale)
    if stale:
        session.commit()
    return done


# ---- ranking -----------------------------------------------------------------------------


@dataclass
class _Best:
    attempt_id: int
    user_id: int
    name: str
    province: str | None
    city: str | None
    organisation: str | None
    score: float
    seconds: int


def _best_attempts(
    session: Session, contest_id: int, scope: RegionScope | None = None
) -> list[_Best]:
    """Each participant's best submitted attempt (highest score, then quickest)."""
    stmt = (
        select(Attempt, User.display_name)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.contest_id == contest_id, Attempt.submitted_at.is_not(None))
    )
    if scope is not None:
        stmt = scope.apply(stmt, Attempt.province, Attempt.city)
    best: dict[int, _Best] = {}
    for attempt, name in session.execute(stmt):
        entry = _Best(
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


def _rank_of(session: Session, contest: Contest, attempt: Attempt) -> int | None:
    ranked = scoring.rank_by_score_then_time(
        _best_attempts(session, contest.id), lambda b: b.score, lambda b: b.seconds
    )
    return next((rank for rank, b in ranked if b.attempt_id == attempt.id), None)


LEADERBOARD_GROUPS = {"person": "个人", "province": "省份", "city": "城市", "organisation": "单位"}


def _viewer_scope(contest: Contest, viewer: User) -> RegionScope:
    if viewer.role_enum.is_admin:
        scope = account_service.region_scope(viewer)
        if not _visible_to_admin(contest, scope):
            raise NotFound("竞赛不存在")
        return scope
    if not is_eligible(contest, viewer):
        raise NotFound("竞赛不存在")
    return RegionScope()


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
    scope = _viewer_scope(contest, viewer).narrow(province, city)
    finalise_expired(session, contest_id=contest.id)
    best = _best_attempts(session, contest.id, scope)
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
        teams: dict[tuple, list[_Best]] = defaultdict(list)
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


# ---- certificates ------------------------------------------------------------------------


def _new_code(session: Session) -> str:
    while True:
        code = "QZ" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        if session.scalar(select(Certificate.id).where(Certificate.code == code)) is None:
            return code


def _ensure_certificate(
    session: Session, attempt: Attempt, contest: Contest, *, award: str, rank: int | None
) -> Certificate:
    cert = session.scalar(select(Certificate).where(Certificate.attempt_id == attempt.id))
    if cert is None:
        holder = session.get(User, attempt.user_id)
        cert = Certificate(
            code=_new_code(session),
            contest_id=contest.id,
            attempt_id=attempt.id,
            user_id=attempt.user_id,
            holder_name=holder.display_name if holder else "",
            award=award,
            rank=rank,
            score=attempt.score or 0.0,
        )
        session.add(cert)
    elif rank is not None:
        cert.award, cert.rank = award, rank
    return cert


def issue_certificates(session: Session, *, contest_id: int, admin: User) -> int:
    """Certificates for the top ranks (after the contest closes) and for everyone who passed.

    Returns the number of certificates created or upgraded. Re-running changes nothing; a pass
    certificate becomes a rank certificate under the same verification code.
    """
    contest = _managed_contest(session, contest_id, admin)
    finalise_expired(session, contest_id=contest.id)
    closed = contest_state(contest) == "已结束"
    best = _best_attempts(session, contest.id)
    ranked = scoring.rank_by_score_then_time(best, lambda b: b.score, lambda b: b.seconds)
    attempts = {
        a.id: a
        for a in session.scalars(
            select(Attempt).where(Attempt.id.in_([b.attempt_id for _, b in ranked]))
        )
    }
    existing = {
        c.attempt_id: c
        for c in session.scalars(select(Certificate).where(Certificate.contest_id == contest.id))
    }
    changed = 0
    for rank, b in ranked:
        attempt = attempts[b.attempt_id]
        top = closed and rank <= contest.certificate_top_n and b.score > 0
        if top:
            before = existing.get(attempt.id)
            if before is None or before.rank != rank:
                _ensure_certificate(session, attempt, contest, award=f"第{rank}名", rank=rank)
                changed += 1
        elif attempt.passed and attempt.id not in existing:
            _ensure_certificate(session, attempt, contest, award="合格证书", rank=None)
            changed += 1
    session.commit()
    return changed


def _certificate_read(cert: Certificate, contest: Contest) -> schemas.CertificateRead:
    return schemas.CertificateRead(
        code=cert.code,
        contest_id=contest.id,
        contest_title=contest.title,
        holder_name=cert.holder_name,
        award=cert.award,
        rank=cert.rank,
        score=cert.score,
        issued_at=cert.issued_at,
    )


def my_certificates(session: Session, *, user: User) -> list[schemas.CertificateRead]:
    """The user's contest certificates, newest first."""
    rows = session.execute(
        select(Certificate, Contest)
        .join(Contest, Contest.id == Certificate.contest_id)
        .where(Certificate.user_id == user.id)
        .order_by(Certificate.issued_at.desc())
    )
    return [_certificate_read(c, k) for c, k in rows]


def get_certificate(session: Session, *, code: str, user: User) -> tuple[Certificate, Contest]:
    """A certificate for its holder, or for an admin whose region covers the holder's attempt."""
    from core.certificates import normalise_code

    cert = session.scalar(select(Certificate).where(Certificate.code == normalise_code(code)))
    if cert is None:
        raise NotFound("证书不存在")
    if cert.user_id != user.id:
        attempt = session.get(Attempt, cert.attempt_id)
        if not (
            user.role_enum.is_admin
            and account_service.region_scope(user).allows(attempt.province, attempt.city)
        ):
            raise NotFound("证书不存在")
    return cert, session.get(Contest, cert.contest_id)


@register_verifier
def verify_contest_certificate(session: Session, code: str) -> dict | None:
    """Verifier for ``core.certificates``: a contest certificate's public facts."""
    row = session.execute(
        select(Certificate, Contest)
        .join(Contest, Contest.id == Certificate.contest_id)
        .where(Certificate.code == code)
    ).first()
    if row is None:
        return None
    cert, contest = row
    return {
        "kind": f"{contest.kind}证书",
        "holder": cert.holder_name,
        "title": contest.title,
        "issued_on": cert.issued_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
        .date()
        .isoformat(),
        "detail": f"{cert.award}，成绩 {cert.score:g} 分",
        "issuer": "PermitHub 排污许可知识竞赛",
    }


# ---- statistics --------------------------------------------------------------------------


def contest_statistics(
    session: Session, *, contest_id: int, admin: User
) -> schemas.ContestStatistics:
    """Participation, score histogram, item analysis and weakest tags, in the admin's region."""
    scope = account_service.require_admin(admin)
    contest = get_contest(session, contest_id)
    if not _visible_to_admin(contest, scope):
        raise NotFound("竞赛不存在")
    finalise_expired(session, contest_id=contest.id)
    best = _best_attempts(session, contest.id, scope)
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
        weakest_tags=_weakest_tags(session, questions, responses),
    )


def _participation(
    session: Session, contest: Contest, scope: RegionScope, best: list[_Best]
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
    session: Session, questions: dict[int, Question], responses, limit: int = 5
) -> list[schemas.WeakTag]:
    """Tags with the lowest correct rate, with courses whose title or description names the tag."""
    from courses.models import Course

    per_tag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _attempt, qid, correct in responses:
        for tag in questions[qid].tags if qid in questions else []:
            per_tag[tag][0] += 1
            per_tag[tag][1] += bool(correct)
    ranked = sorted(per_tag.items(), key=lambda kv: (kv[1][1] / kv[1][0], -kv[1][0], kv[0]))[:limit]
    result = []
    for tag, (n, right) in ranked:
        courses = session.scalars(
            select(Course.title)
            .where(
                or_(
                    contains(Course.title, tag, ignore_case=True),
                    contains(Course.description, tag, ignore_case=True),
                )
            )
            .order_by(Course.title)
            .limit(5)
        )
        result.append(
            schemas.WeakTag(
                tag=tag, responses=n, correct_rate=round(right / n, 4), courses=list(courses)
            )
        )
    return result
