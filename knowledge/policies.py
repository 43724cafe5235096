"""The policy list: ingested documents as policies (issuing body, number, date, status) and their
passages; admins who own a document set its facts (audited like other document changes)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Invalid, NotFound
from core.regions.scope import RegionScope
from knowledge import ownership
from knowledge.models import (
    DOCUMENT_ACTIVE,
    POLICY_DRAFT,
    POLICY_STATUSES,
    Chunk,
    Document,
)

NATIONAL = RegionScope()
MAX_POLICIES = 1000


def list_policies(
    session: Session, *, exclude_prefix: str | None = None, status: str | None = None
) -> list[Document]:
    """Searched (active) documents, newest issue date first; ``exclude_prefix`` drops titles
    that are not policies (e.g. the typical cases kept as documents)."""
    if status and status not in POLICY_STATUSES:
        raise Invalid(f"未知的状态“{status}”")
    stmt = select(Document).where(Document.status == DOCUMENT_ACTIVE)
    if status:
        stmt = stmt.where(Document.policy_status == status)
    if exclude_prefix:
        stmt = stmt.where(~Document.title.startswith(exclude_prefix, autoescape=True))
    stmt = stmt.order_by(
        Document.issued_on.desc().nulls_last(), Document.ingested_at.desc(), Document.id.desc()
    ).limit(MAX_POLICIES)
    return list(session.scalars(stmt))


def get_policy(session: Session, *, document_id: int) -> tuple[Document, list[Chunk]]:
    """A searched document and its passages in order."""
    document = session.get(Document, document_id)
    if document is None or document.status != DOCUMENT_ACTIVE:
        raise NotFound("政策文件不存在或已停用")
    chunks = list(
        session.scalars(
            select(Chunk).where(Chunk.document_id == document.id).order_by(Chunk.ordinal)
        )
    )
    return document, chunks


def set_policy_facts(
    session: Session,
    *,
    document_id: int,
    issuing_body: str,
    doc_number: str,
    issued_on: dt.date | None,
    policy_status: str,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
) -> Document:
    """Set a document's issuing body, number, date and status; audited, one transaction."""
    document = session.get(Document, document_id)
    if document is None or not ownership.can_see(scope, document.province, document.city):
        raise NotFound(f"文档 #{document_id} 不存在")
    ownership.require_document_owner(scope, document)
    problems = []
    if len(issuing_body.strip()) > 100:
        problems.append("发文机关: 最多 100 个字")
    if len(doc_number.strip()) > 100:
        problems.append("文号: 最多 100 个字")
    if policy_status not in POLICY_STATUSES:
        problems.append(f"状态: 应为 {'、'.join(POLICY_STATUSES.values())} 之一")
    if issued_on is not None and issued_on > dt.date.today():
        problems.append("发布日期: 不能晚于今天")
    if problems:
        raise Invalid("文件信息有误：" + "；".join(problems), details=problems)
    before = {**ownership.document_snapshot(document), **_facts(document)}
    document.issuing_body = issuing_body.strip()
    document.doc_number = doc_number.strip()
    document.issued_on = issued_on
    document.policy_status = policy_status
    session.flush()
    ownership.audit(
        session,
        actor=actor,
        action="document.facts",
        target_kind="document",
        target_id=document.id,
        region=(document.province, document.city),
        before=before,
        after={**ownership.document_snapshot(document), **_facts(document)},
    )
    session.commit()
    return document


def _facts(document: Document) -> dict:
    return {
        "issuing_body": document.issuing_body,
        "doc_number": document.doc_number,
        "issued_on": document.issued_on.isoformat() if document.issued_on else None,
        "policy_status": document.policy_status,
    }


def load_demo_policy_facts(session: Session) -> str:
    """The demo's action plan is the draft for comment (征求意见稿): say so on /policies."""
    document = session.scalar(
        select(Document).where(Document.title.startswith("排污许可提质增效行动计划"))
    )
    if document is None or document.issuing_body:
        return ""
    document.issuing_body = "生态环境部"
    document.policy_status = POLICY_DRAFT
    session.commit()
    return "政策文件：已为行动计划填写发文机关和状态。"
