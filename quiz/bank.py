"""The question bank: validation, adding, editing and retiring questions, search, and who may
see a question's key (``KeyAccess``)."""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.accounts import service as account_service
from core.accounts.models import User
from core.audit.service import record_audit
from core.db import get_or_404, utcnow
from core.errors import Conflict, Forbidden, Invalid
from core.regions.scope import NATIONAL, RegionScope
from core.search import contains
from quiz import schemas, scoring
from quiz.models import (
    JUDGE_OPTIONS,
    Contest,
    Question,
    QuestionKind,
    QuestionStatus,
    QuestionTag,
)
from quiz.pools import refill_pools
from quiz.rules import (
    is_eligible,
    open_attempt_question_ids,
    reserved_ids,
    usable,
    visible_to,
)

MAX_OPTIONS = 6
MAX_TAGS = 10


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
    blocked = set(session.scalars(open_attempt_question_ids(admin.id, now)))
    if entered:
        blocked.update(session.scalars(reserved_ids(now, entered)))
    return KeyAccess(scope, frozenset(blocked))


def owner_scope(admin: User | None) -> RegionScope:
    """The region new content belongs to: the admin's, or national for the command line."""
    return NATIONAL if admin is None else account_service.require_admin(admin)


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


def get_question(session: Session, question_id: int) -> Question:
    """The question with this id."""
    return get_or_404(session, Question, question_id, "题目不存在")


def _visible_question(session: Session, question_id: int, scope: RegionScope) -> Question:
    def visible(question: Question) -> bool:
        return (
            scope.is_national
            or scope.owns(question.province, question.city)
            or usable(question, scope.province, scope.city)
        )

    return get_or_404(session, Question, question_id, "题目不存在", allowed=visible)


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
            refill_pools(session, question.id)
    return question


def retire_question(session: Session, *, question_id: int, admin: User | None = None) -> Question:
    """Stop drawing a question in contests and practice (owners only); past attempts keep it."""
    question = _owned_question(session, question_id, admin)
    before = {"status": question.status}
    with _saving(session):
        question.status = QuestionStatus.RETIRED.value
        after = {"status": question.status}
        _audit_question(session, admin, "question.retire", question, before=before, after=after)
        refill_pools(session, question.id)
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
    stmt = select(Question).where(visible_to(scope))
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
