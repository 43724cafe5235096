"""Knowledge services: answer questions, record feedback, ingest documents, manage the index.

FAQ entries and synonyms are changed through ``knowledge.faq``, FAQ tables imported through
``knowledge.importer``, documents managed through ``knowledge.documents``. Every change to what
is searchable calls ``knowledge.index.refresh_index``, which bumps the index version in the
database; each process notices the new version on its next question and rebuilds its in-memory
snapshot (re-using cached vectors).
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.config import get_settings
from core.db import reading, utcnow
from core.errors import Invalid, NotFound
from core.imports import one_import_at_a_time
from core.regions.scope import NATIONAL, RegionScope
from core.tabular import ImportReport
from knowledge import documents, importer, texts
from knowledge.answers import compose
from knowledge.embedder import get_embedder
from knowledge.index import IndexManager, KnowledgeIndex, dense_texts_for, refresh_index
from knowledge.ingest import DOCUMENT_SUFFIXES, TABLE_SUFFIXES, IngestResult, parse_document
from knowledge.models import CHANNELS, AnswerFeedback, QuestionLog
from knowledge.retrieval import DEFAULT_PARAMS, MODES, Params, Retrieval, retrieve, warm_snapshot
from knowledge.schemas import MAX_QUESTION_CHARS, Answer, PassageHit

logger = logging.getLogger(__name__)

_manager: IndexManager | None = None


def _check_mode(mode: str) -> str:
    if mode not in MODES:
        raise Invalid(texts.UNKNOWN_MODE)
    return mode


def index_manager() -> IndexManager:
    """The process-wide index manager (configured embedder, DATA_DIR)."""
    global _manager
    if _manager is None:
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


def warm_up(session: Session) -> int:
    """Build the index and compute ahead the question encoder's work for the words questions
    will likely hold (the passages' and FAQ entries' first): after a start, a new question is
    otherwise about a millisecond slower until its words have been asked before. Returns how
    many tokens were computed."""
    index = current_index(session)
    warm_snapshot(index)
    warm = getattr(index.embedder, "warm_questions", None)
    if warm is None:
        return 0
    return warm([*index.passage_index.prepared, *index.faq_index.prepared])


# ---- answering ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _salt() -> str:
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


# Built once, on the table: every question passes here, and the ORM's unit of work or a statement
# built anew costs more than the insert itself (about 0.3 against 0.17 ms with the commit).
_LOG_QUESTION = insert(QuestionLog.__table__).returning(QuestionLog.__table__.c.id)


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
    enterprise_id: int | None = None,
) -> Answer:
    """Answer from the FAQ or the best passage, or refuse politely; every question is logged
    (with the asker's unit when known, for that unit's question history)."""
    text = check_question(question)
    if channel not in CHANNELS:
        raise Invalid(f"未知的提问渠道“{channel}”")
    # Everything up to the log only reads: in a transaction that takes no write lock on SQLite,
    # so other requests can write while this one ranks passages.
    with reading(session):
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
    log_id = session.execute(
        _LOG_QUESTION,
        {
            "enterprise_id": enterprise_id,
            "question": text,
            "normalized": found.prepared[:500],
            "answered": answered,
            "answer": answer.answer,
            "confidence": answer.confidence,
            "channel": channel,
            "province": (province or None) and province[:32],
            "city": (city or None) and city[:32],
            "client_hash": hash_key(client),
            "conversation": (conversation or None) and conversation[:64],
            "faq_id": answer.faq_id,
            "source_title": top.title[:300] if top and answered else None,
            "source_section": top.section[:500] if top and top.section and answered else None,
            "source_measure": top.measure if top and answered else None,
            "created_at": utcnow(),
        },
    ).scalar_one()
    session.commit()
    answer.log_id = log_id
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


def unit_questions(session: Session, *, enterprise_id: int, limit: int = 20) -> list[QuestionLog]:
    """The newest questions asked by a unit's people (its accounts and bound chat users)."""
    stmt = (
        select(QuestionLog)
        .where(QuestionLog.enterprise_id == enterprise_id)
        .order_by(QuestionLog.created_at.desc(), QuestionLog.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


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
    params = params or DEFAULT_PARAMS
    index = current_index(session)
    found = retrieve(
        index,
        text,
        mode=mode or "hybrid",
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
    """What the engine does with a question (the retrieval-test page): ranked passages with their
    scores, the FAQ match, the decision and the thresholds it was made against. Nothing is logged,
    so testing does not fill the curation queue."""
    text = check_question(question)
    index = current_index(session)
    found = retrieve(index, text, k=k, mode=_check_mode(mode))
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
        # so the page can show how close the decision was
        "answer_threshold": DEFAULT_PARAMS.answer_threshold,
        "faq_threshold": DEFAULT_PARAMS.faq_threshold,
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
    suffix = Path(filename).suffix.lower()
    if suffix in TABLE_SUFFIXES and replace_id is None:
        return importer.import_faq(
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
        [t for p in parsed.pieces for t in dense_texts_for(p.section, p.text)], progress=progress
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
