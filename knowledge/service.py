"""Knowledge services: answer, record feedback, ingest documents, curate FAQ and synonyms.

Every change to what is searchable (ingest, FAQ import or edit, synonym edit) calls
``refresh_index``, which bumps the index version in the database; each process notices the new
version on its next question and rebuilds its in-memory snapshot (re-using cached vectors).
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from core.db import utcnow
from core.errors import Conflict, Invalid, NotFound
from core.imports import one_import_at_a_time
from core.regions.scope import NATIONAL, RegionScope
from core.search import contains
from core.tabular import ImportReport
from knowledge import ownership, texts
from knowledge.answers import compose
from knowledge.index import IndexManager, KnowledgeIndex, bump_version, dense_text_for
from knowledge.ingest import (
    DOCUMENT_SUFFIXES,
    TABLE_SUFFIXES,
    IngestResult,
    parse_document,
)
from knowledge.models import (
    CHANNELS,
    FAQ_ACTIVE,
    FAQ_RETIRED,
    FAQ_STATUSES,
    AnswerFeedback,
    FaqEntry,
    FaqPhrasing,
    QuestionLog,
    Synonym,
)
from knowledge.retrieval import (
    DEFAULT_PARAMS,
    Params,
    Retrieval,
    retrieve,
)
from knowledge.schemas import (
    MAX_QUESTION_CHARS,
    Answer,
    FaqCreate,
    FaqUpdate,
    PassageHit,
)

logger = logging.getLogger(__name__)

_manager: IndexManager | None = None
# How /api/ask and the bot rank and refuse; the benchmark switches these to measure each part.
_retrieval = {"mode": "hybrid", "params": DEFAULT_PARAMS}


def configure_retrieval(*, mode: str | None = None, params: Params | None = None) -> None:
    """Change the default ranking mode (hybrid, bm25, dense) or parameters for this process."""
    from knowledge.retrieval import MODES

    if mode is not None:
        if mode not in MODES:
            raise Invalid(f"未知的检索方式“{mode}”")
        _retrieval["mode"] = mode
    if params is not None:
        _retrieval["params"] = params


def index_manager() -> IndexManager:
    """The process-wide index manager (configured embedder, DATA_DIR)."""
    global _manager
    if _manager is None:
        from core.config import get_settings
        from knowledge.embedder import get_embedder

        _manager = IndexManager(get_settings().data_dir, lambda: get_embedder())
    return _manager


def set_index_manager(manager: IndexManager | None) -> IndexManager | None:
    """Use another manager (tests, the benchmark); returns the previous one."""
    global _manager
    previous, _manager = _manager, manager
    return previous


def current_index(session: Session) -> KnowledgeIndex:
    """The index snapshot matching the database (rebuilt when the version changed)."""
    return index_manager().current(session)


def refresh_index(session: Session) -> int:
    """Mark the index stale after FAQ, synonym or document changes; commits; returns the version."""
    version = bump_version(session)
    session.commit()
    return version


# ---- answering ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _salt() -> str:
    from core.config import get_settings

    return get_settings().secret()


def hash_key(value: str | None) -> str | None:
    """A stable, non-reversible key for a client address or voter (never stored in clear)."""
    if not value:
        return None
    return hashlib.sha256(f"{_salt()}\x00{value}".encode()).hexdigest()[:32]


def check_question(question: str | None) -> str:
    """The question stripped; Invalid when empty, longer than 500 characters or holding a NUL."""
    text = (question or "").strip()
    if not text:
        raise Invalid(texts.EMPTY_QUESTION)
    if len(text) > MAX_QUESTION_CHARS:
        raise Invalid(texts.QUESTION_TOO_LONG.format(limit=MAX_QUESTION_CHARS))
    if "\x00" in text:  # PostgreSQL cannot store it in the question log
        raise Invalid(texts.QUESTION_NUL)
    return text


def answer_question(
    session: Session,
    *,
    question: str,
    channel: str = "api",
    client: str | None = None,
    province: str | None = None,
    city: str | None = None,
    params: Params | None = None,
    mode: str | None = None,
    conversation: str | None = None,
) -> Answer:
    """Answer from the FAQ or the best passage, or refuse politely; every question is logged."""
    text = check_question(question)
    if channel not in CHANNELS:
        raise Invalid(f"未知的提问渠道“{channel}”")
    previous = _previous_question(session, conversation) if conversation else None
    answer, found = _answer(
        session,
        text,
        params=params,
        mode=mode,
        province=province,
        city=city,
        previous=previous,
    )
    top = answer.sources[0] if answer.sources else None
    answered = answer.answered
    log = QuestionLog(
        question=text,
        normalized=found.prepared[:500],
        answered=answered,
        answer=answer.answer,
        confidence=answer.confidence,
        channel=channel,
        province=(province or None) and province[:32],
        city=(city or None) and city[:32],
        client_hash=hash_key(client),
        conversation=(conversation or None) and conversation[:64],
        faq_id=answer.faq_id,
        source_title=top.title[:300] if top and answered else None,
        source_section=top.section[:500] if top and top.section and answered else None,
        source_measure=top.measure if top and answered else None,
        created_at=utcnow(),
    )
    session.add(log)
    session.commit()
    answer.log_id = log.id
    answer.conversation_id = conversation
    return answer


def _previous_question(session: Session, conversation: str) -> str | None:
    """The question of the latest turn of a conversation (a follow-up is read with it).

    A follow-up of a follow-up keeps the topic: the stored question of a turn that leaned on its
    predecessor is the combined one (``QuestionLog.normalized`` holds what was looked up).
    """
    row = session.execute(
        select(QuestionLog.question, QuestionLog.normalized)
        .where(QuestionLog.conversation == conversation[:64])
        .order_by(QuestionLog.id.desc())
        .limit(1)
    ).first()
    return (row.normalized or row.question) if row else None


def preview_answer(
    session: Session,
    *,
    question: str,
    province: str | None = None,
    city: str | None = None,
    params: Params | None = None,
    mode: str | None = None,
) -> Answer:
    """The answer ``answer_question`` would give, without logging it (batch evaluation)."""
    return _answer(
        session, check_question(question), params=params, mode=mode, province=province, city=city
    )[0]


def _answer(
    session: Session,
    text: str,
    *,
    params: Params | None,
    mode: str | None,
    province: str | None,
    city: str | None,
    previous: str | None = None,
) -> tuple[Answer, Retrieval]:
    params = params or _retrieval["params"]
    index = current_index(session)
    found = retrieve(
        index,
        text,
        mode=mode or _retrieval["mode"],
        params=params,
        province=province,
        city=city,
        previous=previous,
    )
    answered, reply, sources, suggestions, faq_id = compose(index, found, params)
    answer = Answer(
        answered=answered,
        answer=reply,
        confidence=round(found.confidence, 4),
        sources=sources,
        suggestions=suggestions,
        faq_id=faq_id,
    )
    return answer, found


def explain(session: Session, *, question: str, k: int = 10, mode: str = "hybrid") -> dict:
    """Ranked passages with their scores and the answer decision (the retrieval-test page)."""
    text = check_question(question)
    found = retrieve(current_index(session), text, k=k, mode=mode)
    index = current_index(session)
    return {
        "prepared": found.prepared,
        "answered": found.answered,
        "confidence": round(found.confidence, 4),
        "features": {k_: round(v, 4) for k_, v in found.features.items()},
        "faq": (
            {
                "faq_id": found.faq.faq_id,
                "question": index.faqs[found.faq.faq_id].question,
                "phrasing": found.faq.phrasing,
                "strength": round(found.faq.strength, 4),
            }
            if found.faq and found.faq.faq_id in index.faqs
            else None
        ),
        "hits": [
            PassageHit(
                title=h.passage.title,
                section=h.passage.section,
                measure=h.passage.measure,
                deadline=h.passage.deadline,
                departments=h.passage.departments,
                text=h.passage.text,
                score=round(h.score, 4),
                bm25=round(h.bm25, 4),
                dense=round(h.dense, 4),
                coverage=round(h.coverage, 4),
            )
            for h in found.hits
        ],
    }


# ---- feedback -----------------------------------------------------------------------------


def record_feedback(session: Session, *, log_id: int, helpful: bool, voter: str) -> None:
    """Record a helpful/unhelpful vote; one per voter and answer (a changed vote replaces it)."""
    if session.get(QuestionLog, log_id) is None:
        raise NotFound(texts.LOG_NOT_FOUND)
    key = hash_key(voter) or "anonymous"
    vote = session.scalar(
        select(AnswerFeedback).where(
            AnswerFeedback.question_log_id == log_id, AnswerFeedback.voter == key
        )
    )
    if vote is None:
        session.add(
            AnswerFeedback(question_log_id=log_id, helpful=helpful, voter=key, created_at=utcnow())
        )
    else:
        vote.helpful = helpful
        vote.created_at = utcnow()
    session.commit()


# ---- ingestion ----------------------------------------------------------------------------


@one_import_at_a_time
def import_faq(
    session: Session,
    path: Path | str | bytes,
    *,
    filename: str | None = None,
    skip_invalid: bool = False,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
) -> ImportReport:
    """Import a FAQ table (.csv/.xlsx) in one transaction and refresh the index.

    New entries belong to ``scope``'s region (national from the command line); a row whose
    question is an entry ``scope`` does not own is refused by line.
    """
    from knowledge.importer import import_faq as run

    report = run(
        session, path, filename=filename, skip_invalid=skip_invalid, scope=scope, actor=actor
    )
    if report.written and (report.created or report.updated):
        refresh_index(session)
    elif report.written:
        session.commit()
    else:
        session.rollback()
    return report


@one_import_at_a_time
def ingest_bytes(
    session: Session,
    *,
    data: bytes,
    filename: str,
    title: str | None = None,
    progress: bool = False,
    skip_invalid: bool = False,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
    replace_id: int | None = None,
) -> IngestResult | ImportReport:
    """Ingest one uploaded file: a document (.txt/.md/.docx/.pdf) or a FAQ table (.csv/.xlsx).

    A document with the title or the content of a stored one replaces it (and says so, see
    ``knowledge.documents.store_upload``); ``replace_id`` names the document to replace.
    """
    from knowledge import documents

    suffix = Path(filename).suffix.lower()
    if suffix in TABLE_SUFFIXES and replace_id is None:
        return import_faq(
            session, data, filename=filename, skip_invalid=skip_invalid, scope=scope, actor=actor
        )
    if suffix not in DOCUMENT_SUFFIXES:
        raise Invalid(texts.UNSUPPORTED_FILE.format(name=filename))
    # refuse before the slow part (reading, embedding) what would be refused when storing
    documents.check_upload_allowed(session, scope=scope, replace_id=replace_id)
    parsed = parse_document(data, filename, title, progress)
    # Embedding is the slow part (seconds to a minute for a long PDF). Do it before the write
    # transaction, and end any read transaction first: on SQLite every transaction holds the
    # write lock, and nobody else could log a question meanwhile.
    if session.in_transaction():
        session.commit()
    index_manager().prewarm(
        [dense_text_for(p.section, p.text) for p in parsed.pieces], progress=progress
    )
    try:
        result = documents.store_upload(
            session, parsed, scope=scope, actor=actor, replace_id=replace_id
        )
    except BaseException:
        session.rollback()
        raise
    if result.status == "unchanged":
        session.rollback()
        return result
    refresh_index(session)
    if progress:  # build the new snapshot now rather than on the first question
        index_manager().current(session, progress=True)
        session.commit()
    return result


def ingest_path(
    session: Session,
    path: Path | str,
    *,
    title: str | None = None,
    progress: bool = False,
    skip_invalid: bool = False,
    replace_id: int | None = None,
) -> IngestResult | ImportReport:
    """Ingest a file from disk as a national admin would (see ``ingest_bytes``)."""
    file = Path(path)
    if not file.is_file():
        raise Invalid(texts.FILE_NOT_FOUND.format(path=file))
    return ingest_bytes(
        session,
        data=file.read_bytes(),
        filename=file.name,
        title=title,
        progress=progress,
        skip_invalid=skip_invalid,
        replace_id=replace_id,
    )


# ---- FAQ curation -------------------------------------------------------------------------
#
# ``scope`` is the editor's region (national by default: the command line, the demo, the
# benchmark); ``actor`` the user recorded in the audit row (None: the command line).


def get_faq(session: Session, *, faq_id: int) -> FaqEntry:
    """One FAQ entry with its phrasings."""
    entry = session.scalar(
        select(FaqEntry).where(FaqEntry.id == faq_id).options(selectinload(FaqEntry.phrasings))
    )
    if entry is None:
        raise NotFound(texts.FAQ_NOT_FOUND)
    return entry


def list_faqs(
    session: Session,
    *,
    query: str | None = None,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[FaqEntry], int]:
    """FAQ entries matching a text (question, phrasing, answer, basis or tags), and the total."""
    stmt = select(FaqEntry)
    if status:
        if status not in FAQ_STATUSES:
            raise Invalid(f"未知的状态“{status}”")
        stmt = stmt.where(FaqEntry.status == status)
    if query and query.strip():
        words = query.strip()
        phrasing_match = select(FaqPhrasing.faq_id).where(contains(FaqPhrasing.text, words))
        stmt = stmt.where(
            or_(
                contains(FaqEntry.question, words),
                contains(FaqEntry.answer, words),
                contains(FaqEntry.basis, words),
                contains(FaqEntry.tags, words),
                FaqEntry.id.in_(phrasing_match),
            )
        )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.options(selectinload(FaqEntry.phrasings))
        .order_by(FaqEntry.updated_at.desc(), FaqEntry.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), int(total)


def _clean_phrasings(question: str, phrasings: list[str]) -> list[str]:
    out: list[str] = []
    for p in phrasings:
        p = p.strip()
        if len(p) > MAX_QUESTION_CHARS:
            raise Invalid(f"相似问法“{p[:20]}…”过长（最多 {MAX_QUESTION_CHARS} 个字）")
        if p and p != question and p not in out:
            out.append(p)
    return out


def create_faq(
    session: Session,
    *,
    data: FaqCreate,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
) -> FaqEntry:
    """A new active FAQ entry owned by ``scope``'s region; audited; refreshes the index."""
    question = data.question.strip()
    if not question or not data.answer.strip():
        raise Invalid("问题和答案都不能为空")
    if session.scalar(select(FaqEntry.id).where(FaqEntry.question == question)) is not None:
        raise Conflict(f"问答库中已有问题“{question}”")
    now = utcnow()
    province, city = scope.owner_region()
    entry = FaqEntry(
        question=question,
        answer=data.answer.strip(),
        basis=data.basis.strip(),
        tags=data.tags.strip(),
        status=FAQ_ACTIVE,
        province=province,
        city=city,
        created_at=now,
        updated_at=now,
    )
    entry.phrasings = [FaqPhrasing(text=p) for p in _clean_phrasings(question, data.phrasings)]
    session.add(entry)
    session.flush()
    audit_faq(session, entry, action="faq.create", actor=actor, before=None)
    refresh_index(session)
    return entry


def audit_faq(
    session: Session, entry: FaqEntry, *, action: str, actor: object | None, before: dict | None
) -> None:
    """The audit row of a FAQ change (``before`` None for a new entry)."""
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


def update_faq(
    session: Session,
    *,
    faq_id: int,
    data: FaqUpdate,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
) -> FaqEntry:
    """Change an entry ``scope`` owns (fields left None stay); audited; refreshes the index."""
    entry = get_faq(session, faq_id=faq_id)
    ownership.require_faq_owner(scope, entry)
    before = ownership.faq_snapshot(entry)
    if data.question is not None:
        question = data.question.strip()
        if not question:
            raise Invalid("问题不能为空")
        clash = session.scalar(
            select(FaqEntry.id).where(FaqEntry.question == question, FaqEntry.id != faq_id)
        )
        if clash is not None:
            raise Conflict(f"问答库中已有问题“{question}”")
        entry.question = question
    if data.answer is not None:
        if not data.answer.strip():
            raise Invalid("答案不能为空")
        entry.answer = data.answer.strip()
    if data.basis is not None:
        entry.basis = data.basis.strip()
    if data.tags is not None:
        entry.tags = data.tags.strip()
    if data.status is not None:
        if data.status not in FAQ_STATUSES:
            raise Invalid(f"未知的状态“{data.status}”")
        entry.status = data.status
    if data.phrasings is not None:
        wanted = _clean_phrasings(entry.question, data.phrasings)
        if [p.text for p in entry.phrasings] != wanted:
            entry.phrasings.clear()
            session.flush()
            entry.phrasings.extend(FaqPhrasing(text=p) for p in wanted)
    entry.updated_at = utcnow()
    session.flush()
    after = ownership.faq_snapshot(entry)
    changed = [k for k in after if after[k] != before[k]]
    action = "faq.update"
    if changed == ["status"]:
        action = "faq.retire" if entry.status == FAQ_RETIRED else "faq.restore"
    audit_faq(session, entry, action=action, actor=actor, before=before)
    refresh_index(session)
    return entry


def retire_faq(
    session: Session, *, faq_id: int, scope: RegionScope = NATIONAL, actor: object | None = None
) -> FaqEntry:
    """Stop answering with an entry (kept for the record); refreshes the index."""
    return update_faq(
        session, faq_id=faq_id, data=FaqUpdate(status=FAQ_RETIRED), scope=scope, actor=actor
    )


def add_phrasing(
    session: Session,
    *,
    faq_id: int,
    text: str,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
) -> FaqEntry:
    """Attach another way of asking (e.g. an unanswered question); refreshes the index."""
    entry = get_faq(session, faq_id=faq_id)
    ownership.require_faq_owner(scope, entry)
    phrasing = text.strip()
    if not phrasing:
        raise Invalid("相似问法不能为空")
    if len(phrasing) > MAX_QUESTION_CHARS:
        raise Invalid(f"相似问法过长（最多 {MAX_QUESTION_CHARS} 个字）")
    if phrasing != entry.question and phrasing not in {p.text for p in entry.phrasings}:
        before = ownership.faq_snapshot(entry)
        entry.phrasings.append(FaqPhrasing(text=phrasing))
        entry.updated_at = utcnow()
        session.flush()
        audit_faq(session, entry, action="faq.update", actor=actor, before=before)
        refresh_index(session)
    return entry


# ---- synonyms (one national dictionary) ---------------------------------------------------


def list_synonyms(session: Session) -> list[Synonym]:
    """The synonym dictionary, alphabetically by term."""
    return list(session.scalars(select(Synonym).order_by(Synonym.canonical, Synonym.term)))


def _audit_synonym(
    session: Session, row: Synonym, action: str, actor, before: dict | None, after: dict | None
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


def _check_synonym(term: str, canonical: str) -> tuple[str, str]:
    term, canonical = term.strip(), canonical.strip()
    if not term or not canonical:
        raise Invalid("同义词和标准说法都不能为空")
    if len(term) > 64 or len(canonical) > 64:
        raise Invalid("同义词和标准说法最多 64 个字")
    if term == canonical:
        raise Invalid("同义词与标准说法相同，无需添加")
    return term, canonical


def set_synonym(
    session: Session,
    *,
    term: str,
    canonical: str,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
) -> Synonym:
    """Add or change a synonym (term → canonical wording); national only; refreshes the index."""
    ownership.require_synonym_editor(scope)
    term, canonical = _check_synonym(term, canonical)
    row = session.scalar(select(Synonym).where(Synonym.term == term))
    before = None if row is None else ownership.synonym_snapshot(row)
    if row is None:
        row = Synonym(term=term, canonical=canonical, created_at=utcnow())
        session.add(row)
    else:
        row.canonical = canonical
    session.flush()
    action = "synonym.create" if before is None else "synonym.update"
    _audit_synonym(session, row, action, actor, before, ownership.synonym_snapshot(row))
    refresh_index(session)
    return row


def update_synonym(
    session: Session,
    *,
    synonym_id: int,
    term: str,
    canonical: str,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
) -> Synonym:
    """Change either side of a synonym; national only; refreshes the index."""
    ownership.require_synonym_editor(scope)
    row = session.get(Synonym, synonym_id)
    if row is None:
        raise NotFound("同义词不存在")
    term, canonical = _check_synonym(term, canonical)
    clash = session.scalar(select(Synonym.id).where(Synonym.term == term, Synonym.id != row.id))
    if clash is not None:
        raise Conflict(f"“{term}”已在词典中")
    before = ownership.synonym_snapshot(row)
    row.term, row.canonical = term, canonical
    session.flush()
    after = ownership.synonym_snapshot(row)
    _audit_synonym(session, row, "synonym.update", actor, before, after)
    refresh_index(session)
    return row


def delete_synonym(
    session: Session,
    *,
    synonym_id: int,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
) -> None:
    """Remove a synonym; national only; refreshes the index."""
    ownership.require_synonym_editor(scope)
    row = session.get(Synonym, synonym_id)
    if row is None:
        raise NotFound("同义词不存在")
    _audit_synonym(session, row, "synonym.delete", actor, ownership.synonym_snapshot(row), None)
    session.delete(row)
    session.flush()
    refresh_index(session)
