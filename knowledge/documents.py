"""Ingested documents managed like data: list, replace, disable/enable, delete.

Rules of an upload (``store_upload``), so that the knowledge base never holds two copies:

- the same title as a stored document → that document is replaced, and the result says which
  file it replaced (``good.pdf`` then ``good.docx``: "替换了原有的 PDF 文件“good.pdf”");
- the same content (``content_sha256``: the extracted text without layout) under another title
  or in another format → the stored document is replaced and **keeps its title**, so links,
  citations and logs that name it stay right; the result names it;
- a title of one document and the content of another → refused (Conflict): the uploader must
  say which one to replace;
- ``replace_id`` replaces that document whatever the file's title (the title is kept).

Ownership (``knowledge.ownership``): national documents are changed by national admins only; a
province or city adds its own local rules, which answer only askers in that region (the engine
leaves other regions' passages out). Disabled documents stay
stored but are left out of the index. Every change is audited and bumps the index version, so
every worker reloads its snapshot on its next question.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.errors import Conflict, Invalid, NotFound
from core.regions.scope import NATIONAL, RegionScope
from knowledge import ownership
from knowledge.index import STATE_ID, refresh_index
from knowledge.ingest import TABLE_SUFFIXES, IngestResult, ParsedDocument, store_parsed
from knowledge.models import (
    DOCUMENT_ACTIVE,
    DOCUMENT_DISABLED,
    DOCUMENT_STATUSES,
    Chunk,
    Document,
    IndexState,
)

KIND_LABELS = {"text": "文本", "markdown": "Markdown", "docx": "Word", "pdf": "PDF"}
STATUS_LABELS = {DOCUMENT_ACTIVE: "在用", DOCUMENT_DISABLED: "已停用"}


# ---- reading ------------------------------------------------------------------------------


def list_documents(session: Session, *, scope: RegionScope = NATIONAL) -> list[Document]:
    """Documents ``scope`` may see (national ones and its own region's), newest first."""
    stmt = select(Document).order_by(Document.ingested_at.desc(), Document.id.desc())
    return list(session.scalars(ownership.visible(stmt, scope, Document.province, Document.city)))


def get_document(session: Session, *, document_id: int, scope: RegionScope = NATIONAL) -> Document:
    """One document ``scope`` may see; NotFound otherwise (another region's is not revealed)."""
    document = session.get(Document, document_id)
    if document is None or not ownership.can_see(scope, document.province, document.city):
        raise NotFound(f"文档 #{document_id} 不存在")
    return document


def find_document(session: Session, *, ref: str, scope: RegionScope = NATIONAL) -> Document:
    """A document by number (``12`` or ``#12``) or exact title (the command line)."""
    ref = (ref or "").strip()
    number = ref.lstrip("#")
    if number.isdigit() and len(number) < 10:
        return get_document(session, document_id=int(number), scope=scope)
    document = session.scalar(select(Document).where(Document.title == ref))
    if document is None or not ownership.can_see(scope, document.province, document.city):
        raise NotFound(f"没有标题为《{ref}》的文档")
    return document


def is_table(filename: str) -> bool:
    """True for a FAQ table (.csv/.xlsx) rather than a document."""
    return Path(filename).suffix.lower() in TABLE_SUFFIXES


def describe(document: Document) -> str:
    """``PDF 文件“good.pdf”`` — how the result of an upload names what it replaced."""
    return f"{KIND_LABELS.get(document.kind, document.kind)} 文件“{document.source}”"


# ---- uploads ------------------------------------------------------------------------------


def check_upload_allowed(
    session: Session, *, scope: RegionScope, replace_id: int | None = None
) -> None:
    """Refuse an upload ``scope`` may not make, before the file is read and embedded."""
    if replace_id is not None:
        target = get_document(session, document_id=replace_id, scope=scope)
        ownership.require_document_owner(scope, target)


def _match(
    session: Session, parsed: ParsedDocument, replace_id: int | None, scope: RegionScope
) -> tuple[Document | None, str]:
    """The stored document an upload replaces and why ("title", "content", "id"), if any."""
    by_title = session.scalar(select(Document).where(Document.title == parsed.title))
    by_content = None
    if parsed.content_sha256:
        by_content = session.scalar(
            select(Document)
            .where(Document.content_sha256 == parsed.content_sha256)
            .order_by(Document.id)
            .limit(1)
        )
    if replace_id is not None:
        target = get_document(session, document_id=replace_id, scope=scope)
        if by_content is not None and by_content.id != target.id:
            raise Conflict(
                f"上传的文件与已有文档《{by_content.title}》（#{by_content.id}）内容相同，"
                f"不能再作为《{target.title}》保存一份；请替换或删除该文档"
            )
        return target, "id"
    if by_title is not None and by_content is not None and by_title.id != by_content.id:
        raise Conflict(
            f"标题与已有文档《{by_title.title}》（#{by_title.id}）相同，内容却与"
            f"《{by_content.title}》（#{by_content.id}）相同：请指定要替换的文档，或换一个标题"
        )
    if by_title is not None:
        return by_title, "title"
    if by_content is not None:
        return by_content, "content"
    return None, ""


def _serialise_uploads(session: Session) -> None:
    """Make concurrent uploads take turns until commit, so two workers storing the same content
    at once cannot both find nothing to replace. The lock is on the index-state row, which the
    upload's ``refresh_index`` updates anyway (PostgreSQL; SQLite's BEGIN IMMEDIATE already
    serialises writers)."""
    session.execute(select(IndexState.id).where(IndexState.id == STATE_ID).with_for_update())


def store_upload(
    session: Session,
    parsed: ParsedDocument,
    *,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
    replace_id: int | None = None,
) -> IngestResult:
    """Store a parsed upload: a new document, or a replacement of the one it matches (flushed,
    audited, not committed; the caller refreshes the index)."""
    check_upload_allowed(session, scope=scope, replace_id=replace_id)
    _serialise_uploads(session)
    target, reason = _match(session, parsed, replace_id, scope)
    before = None
    if target is not None:
        ownership.require_document_owner(scope, target)
        before = ownership.document_snapshot(target)
        replaced_what = describe(target)
        parsed.title = target.title  # the stored title stays (see the module docstring)
    result = store_parsed(session, parsed)
    document = session.get(Document, result.document_id)
    if target is None:
        document.province, document.city = scope.owner_region()
    result.note = _note(result, reason, parsed, replaced_what if target is not None else "")
    if target is not None and target.status == DOCUMENT_DISABLED:
        result.note += "；该文档已停用，启用后才参与问答"
    if result.status != "unchanged":
        session.flush()
        ownership.audit(
            session,
            actor=actor,
            action="document.create" if target is None else "document.replace",
            target_kind="document",
            target_id=document.id,
            region=(document.province, document.city),
            before=before,
            after=ownership.document_snapshot(document),
            matched_by=reason or None,
        )
    return result


def _note(result: IngestResult, reason: str, parsed: ParsedDocument, replaced: str) -> str:
    upload = f"“{parsed.filename}”"
    if result.status == "unchanged":
        return f"{upload}与已有文档内容相同，未重复导入" if reason == "content" else ""
    if result.status != "replaced":
        return ""
    if reason == "content":
        return f"{upload}与已有文档内容相同，已替换原有的{replaced}，保留原标题，未新增副本"
    return f"替换了原有的{replaced}"


# ---- status and deletion ------------------------------------------------------------------


def set_document_status(
    session: Session,
    *,
    document_id: int,
    status: str,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
) -> Document:
    """Disable a document (kept, not searched) or enable it again; audited; refreshes the index."""
    if status not in DOCUMENT_STATUSES:
        raise Invalid("文档状态只能是 active（在用）或 disabled（停用）")
    document = get_document(session, document_id=document_id, scope=scope)
    ownership.require_document_owner(scope, document)
    if document.status == status:
        return document
    before = ownership.document_snapshot(document)
    document.status = status
    session.flush()
    ownership.audit(
        session,
        actor=actor,
        action="document.disable" if status == DOCUMENT_DISABLED else "document.enable",
        target_kind="document",
        target_id=document.id,
        region=(document.province, document.city),
        before=before,
        after=ownership.document_snapshot(document),
    )
    refresh_index(session)
    return document


def delete_document(
    session: Session,
    *,
    document_id: int,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
) -> dict:
    """Remove a document and its passages; audited; refreshes the index. Returns what it was."""
    document = get_document(session, document_id=document_id, scope=scope)
    ownership.require_document_owner(scope, document)
    before = ownership.document_snapshot(document)
    ownership.audit(
        session,
        actor=actor,
        action="document.delete",
        target_kind="document",
        target_id=document.id,
        region=(document.province, document.city),
        before=before,
        after=None,
    )
    # one DELETE for the passages rather than loading thousands of them to cascade
    session.execute(delete(Chunk).where(Chunk.document_id == document.id))
    session.expire(document, ["chunks"])
    session.delete(document)
    session.flush()
    refresh_index(session)
    return before
