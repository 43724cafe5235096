"""FAQ entries and the synonym dictionary: the one service that creates, edits and lists them.

Every caller (the API, the admin pages, the curation workflow, the FAQ table import, the command
line, the demo, the tests) goes through these functions, so an entry is checked once, with the
same words everywhere (问题, 答案, 依据, 标签, 相似问法; 说法 and 规范说法 for synonyms).

``scope`` is the editor's region: FAQ entries have an owner region (None: national); an editor
sees national entries and its own region's and changes only those it owns; synonyms are one
national dictionary changed by national admins only (``knowledge.ownership``). ``actor`` is the
user recorded in the audit row (None: the command line). Every change is audited and calls
``refresh_index`` so the next question is answered from the new content without a restart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from core.db import utcnow
from core.errors import Conflict, Invalid, NotFound
from core.regions.scope import RegionScope
from core.search import contains
from core.tabular import check_length
from knowledge import ownership, texts
from knowledge.index import refresh_index
from knowledge.models import FAQ_ACTIVE, FAQ_RETIRED, FaqEntry, FaqPhrasing, QuestionLog, Synonym
from knowledge.schemas import MAX_QUESTION_CHARS

MAX_QUESTION = MAX_QUESTION_CHARS
MAX_ANSWER = 5000
MAX_BASIS = 200
MAX_TAGS = 200
MAX_TERM = 64
PAGE_SIZE = 30

# The one vocabulary of messages and forms.
QUESTION, ANSWER, BASIS, TAGS, PHRASING = "问题", "答案", "依据", "标签", "相似问法"
TERM, CANONICAL = "说法", "规范说法"
BAD_INPUT = "提交的内容有误："
BAD_STATUS = "状态只能是 active（在用）或 retired（已停用）"


# ---- checking what an editor typed ---------------------------------------------------------


@dataclass(frozen=True)
class EntryText:
    """The texts of an entry, stripped; phrasings without blanks, repeats or the question."""

    question: str
    answer: str
    basis: str
    tags: str
    phrasings: list[str]


def check_entry(
    question: str, answer: str, basis: str = "", tags: str = "", phrasings: Iterable[str] = ()
) -> tuple[EntryText, list[str]]:
    """The entry's texts cleaned, and what is wrong with them (empty when nothing)."""
    question, answer = (question or "").strip(), (answer or "").strip()
    basis, tags = (basis or "").strip(), (tags or "").strip()
    problems = [
        check_length(question, QUESTION, MAX_QUESTION),
        check_length(answer, ANSWER, MAX_ANSWER),
        check_length(basis, BASIS, MAX_BASIS, required=False),
        check_length(tags, TAGS, MAX_TAGS, required=False),
    ]
    cleaned: list[str] = []
    for number, text in enumerate(phrasings, start=1):
        text = (text or "").strip()
        if len(text) > MAX_QUESTION:
            problems.append(check_length(text, f"{PHRASING}第{number}条", MAX_QUESTION))
        elif text and text != question and text not in cleaned:
            cleaned.append(text)
    found = [p for p in problems if p]
    return EntryText(question, answer, basis, tags, cleaned), found


def _valid_entry(
    question: str, answer: str, basis: str = "", tags: str = "", phrasings: Iterable[str] = ()
) -> EntryText:
    """The entry's texts cleaned; ``Invalid`` naming every problem when something is wrong."""
    entry, problems = check_entry(question, answer, basis, tags, phrasings)
    if problems:
        raise Invalid(BAD_INPUT + "；".join(problems), details=problems)
    return entry


def parse_phrasings(text: str) -> list[str]:
    """Phrasings typed one per line (blank lines ignored); a too-long line is refused by number."""
    phrasings: list[str] = []
    problems: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if len(line) > MAX_QUESTION:
            problems.append(f"第{number}行: {check_length(line, PHRASING, MAX_QUESTION)}")
        elif line not in phrasings:
            phrasings.append(line)
    if problems:
        raise Invalid(f"{PHRASING}有误：" + "；".join(problems), details=problems)
    return phrasings


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


# ---- reading entries -----------------------------------------------------------------------


@dataclass
class FaqPage:
    """One page of a FAQ listing."""

    items: list[FaqEntry]
    total: int
    page: int
    pages: int


def get_faq(session: Session, *, faq_id: int, scope: RegionScope) -> FaqEntry:
    """One entry ``scope`` sees, with its phrasings (another region's is not revealed: 404)."""
    entry = session.scalar(
        select(FaqEntry).where(FaqEntry.id == faq_id).options(selectinload(FaqEntry.phrasings))
    )
    if entry is None or not ownership.can_see(scope, entry.province, entry.city):
        raise NotFound(texts.FAQ_NOT_FOUND)
    return entry


def list_faqs(
    session: Session,
    *,
    scope: RegionScope,
    query: str = "",
    status: str | None = None,
    page: int = 1,
) -> FaqPage:
    """Entries ``scope`` sees (national and its region's), newest change first; ``query`` words
    must each match some field or phrasing (``%`` and ``_`` are taken literally)."""
    stmt = ownership.visible(select(FaqEntry), scope, FaqEntry.province, FaqEntry.city)
    if status:
        if status not in (FAQ_ACTIVE, FAQ_RETIRED):
            raise Invalid(BAD_STATUS)
        stmt = stmt.where(FaqEntry.status == status)
    for word in (query or "").split():
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
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    items = list(
        session.scalars(
            stmt.options(selectinload(FaqEntry.phrasings))
            .order_by(FaqEntry.updated_at.desc(), FaqEntry.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    )
    return FaqPage(items, total, page, pages)


def active_faqs(session: Session, *, scope: RegionScope) -> list[FaqEntry]:
    """Every active entry ``scope`` sees, with its phrasings, oldest first."""
    stmt = select(FaqEntry).where(FaqEntry.status == FAQ_ACTIVE)
    stmt = ownership.visible(stmt, scope, FaqEntry.province, FaqEntry.city)
    return list(
        session.scalars(stmt.options(selectinload(FaqEntry.phrasings)).order_by(FaqEntry.id))
    )


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
    return dict(session.execute(scope.apply(stmt, QuestionLog.province, QuestionLog.city)).all())


def can_edit(scope: RegionScope, entry: FaqEntry) -> bool:
    """True when ``scope`` may change the entry (pages hide the buttons otherwise)."""
    return scope.owns(entry.province, entry.city)


# ---- changing entries ----------------------------------------------------------------------


def _audit(
    session: Session, entry: FaqEntry, *, action: str, actor: object | None, before: dict | None
) -> None:
    ownership.audit(
        session,
        actor=actor,
        action=action,
        target_kind="faq",
        target_id=entry.id,
        region=(entry.province, entry.city),
        before=before,
        after=ownership.faq_snapshot(entry),
    )


def new_entry(
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
    """An active entry owned by ``scope``'s region, written and audited but not committed.

    For a caller that changes more in the same transaction (the curation workflow); others use
    ``create_faq``.
    """
    text = _valid_entry(question, answer, basis, tags, phrasings)
    _check_question_free(session, text.question, scope)
    province, city = scope.owner_region()
    now = utcnow()
    entry = FaqEntry(
        question=text.question,
        answer=text.answer,
        basis=text.basis,
        tags=text.tags,
        status=FAQ_ACTIVE,
        province=province,
        city=city,
        created_at=now,
        updated_at=now,
    )
    entry.phrasings = [FaqPhrasing(text=p) for p in text.phrasings]
    session.add(entry)
    session.flush()
    _audit(session, entry, action="faq.create", actor=actor, before=None)
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
    entry = new_entry(
        session,
        scope=scope,
        question=question,
        answer=answer,
        basis=basis,
        tags=tags,
        phrasings=phrasings,
        actor=actor,
    )
    refresh_index(session)
    return entry


def _owned(session: Session, faq_id: int, scope: RegionScope) -> FaqEntry:
    entry = get_faq(session, faq_id=faq_id, scope=scope)
    ownership.require_faq_owner(scope, entry)
    return entry


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
    entry = _owned(session, faq_id, scope)
    text = _valid_entry(question, answer, basis, tags, phrasings)
    _check_question_free(session, text.question, scope, except_id=entry.id)
    before = ownership.faq_snapshot(entry)
    entry.question, entry.answer = text.question, text.answer
    entry.basis, entry.tags = text.basis, text.tags
    if [p.text for p in entry.phrasings] != text.phrasings:
        entry.phrasings.clear()
        session.flush()  # delete the old phrasings before inserting possibly equal texts
        entry.phrasings.extend(FaqPhrasing(text=p) for p in text.phrasings)
    entry.updated_at = utcnow()
    session.flush()
    _audit(session, entry, action="faq.update", actor=actor, before=before)
    refresh_index(session)
    return entry


def add_phrasings(
    session: Session,
    *,
    scope: RegionScope,
    faq_id: int,
    phrasings: Iterable[str],
    actor: object | None = None,
) -> FaqEntry:
    """Add ways of asking to an active entry ``scope`` owns; written and audited, not committed.

    Texts already known (the question or a phrasing) are skipped; the caller commits with
    ``refresh_index`` (the curation workflow marks its questions handled in the same transaction).
    """
    entry = _owned(session, faq_id, scope)
    if entry.status != FAQ_ACTIVE:
        raise Conflict("该 FAQ 条目已停用，请先恢复后再添加问法")
    phrasings = list(phrasings)
    _valid_entry(entry.question, entry.answer, phrasings=phrasings)
    before = ownership.faq_snapshot(entry)
    known = {entry.question.strip(), *(p.text.strip() for p in entry.phrasings)}
    for text in phrasings:
        text = (text or "").strip()
        if text and text not in known:
            entry.phrasings.append(FaqPhrasing(text=text))
            known.add(text)
    entry.updated_at = utcnow()
    session.flush()
    _audit(session, entry, action="faq.update", actor=actor, before=before)
    return entry


def _set_status(
    session: Session, *, scope: RegionScope, faq_id: int, status: str, actor: object | None
) -> FaqEntry:
    entry = _owned(session, faq_id, scope)
    if entry.status == status:
        return entry
    before = ownership.faq_snapshot(entry)
    entry.status = status
    entry.updated_at = utcnow()
    session.flush()
    action = "faq.retire" if status == FAQ_RETIRED else "faq.restore"
    _audit(session, entry, action=action, actor=actor, before=before)
    refresh_index(session)
    return entry


def retire_faq(
    session: Session, *, scope: RegionScope, faq_id: int, actor: object | None = None
) -> FaqEntry:
    """Stop answering with an entry ``scope`` owns (kept for the record)."""
    return _set_status(session, scope=scope, faq_id=faq_id, status=FAQ_RETIRED, actor=actor)


def restore_faq(
    session: Session, *, scope: RegionScope, faq_id: int, actor: object | None = None
) -> FaqEntry:
    """Answer with a retired entry ``scope`` owns again."""
    return _set_status(session, scope=scope, faq_id=faq_id, status=FAQ_ACTIVE, actor=actor)


# ---- synonyms (one national dictionary) ----------------------------------------------------


def list_synonyms(session: Session, *, query: str = "") -> list[Synonym]:
    """The dictionary, by canonical wording; ``query`` filters on either side."""
    stmt = select(Synonym).order_by(Synonym.canonical, Synonym.term)
    query = (query or "").strip()
    if query:
        stmt = stmt.where(or_(contains(Synonym.term, query), contains(Synonym.canonical, query)))
    return list(session.scalars(stmt))


def _get_synonym(session: Session, synonym_id: int) -> Synonym:
    synonym = session.get(Synonym, synonym_id)
    if synonym is None:
        raise NotFound(texts.SYNONYM_NOT_FOUND)
    return synonym


def _valid_synonym(term: str, canonical: str) -> tuple[str, str]:
    term, canonical = (term or "").strip(), (canonical or "").strip()
    problems = [check_length(term, TERM, MAX_TERM), check_length(canonical, CANONICAL, MAX_TERM)]
    found = [p for p in problems if p]
    if not found and term == canonical:
        found.append(f"{TERM}与{CANONICAL}相同，无需添加")
    if found:
        raise Invalid(BAD_INPUT + "；".join(found), details=found)
    return term, canonical


def _check_term_free(session: Session, term: str, except_id: int | None = None) -> None:
    stmt = select(Synonym).where(Synonym.term == term)
    if except_id is not None:
        stmt = stmt.where(Synonym.id != except_id)
    other = session.scalar(stmt)
    if other is not None:
        raise Conflict(f"“{term}”已在词典中（对应“{other.canonical}”），请直接修改该条")


def _audit_synonym(
    session: Session,
    row: Synonym,
    action: str,
    actor: object | None,
    before: dict | None,
    after: dict | None,
) -> None:
    ownership.audit(
        session,
        actor=actor,
        action=action,
        target_kind="synonym",
        target_id=row.id,
        region=(None, None),
        before=before,
        after=after,
    )


def add_synonym(
    session: Session, *, scope: RegionScope, term: str, canonical: str, actor: object | None = None
) -> Synonym:
    """Add ``term`` → ``canonical`` (national admins only); questions using the term then match
    the documents' wording."""
    ownership.require_synonym_editor(scope)
    term, canonical = _valid_synonym(term, canonical)
    _check_term_free(session, term)
    row = Synonym(term=term, canonical=canonical, created_at=utcnow())
    session.add(row)
    session.flush()
    _audit_synonym(session, row, "synonym.create", actor, None, ownership.synonym_snapshot(row))
    refresh_index(session)
    return row


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
    row = _get_synonym(session, synonym_id)
    term, canonical = _valid_synonym(term, canonical)
    _check_term_free(session, term, except_id=row.id)
    before = ownership.synonym_snapshot(row)
    row.term, row.canonical = term, canonical
    session.flush()
    _audit_synonym(session, row, "synonym.update", actor, before, ownership.synonym_snapshot(row))
    refresh_index(session)
    return row


def delete_synonym(
    session: Session, *, scope: RegionScope, synonym_id: int, actor: object | None = None
) -> None:
    """Remove a dictionary entry (national admins only)."""
    ownership.require_synonym_editor(scope)
    row = _get_synonym(session, synonym_id)
    _audit_synonym(session, row, "synonym.delete", actor, ownership.synonym_snapshot(row), None)
    session.delete(row)
    session.flush()
    refresh_index(session)
