"""Who may change shared knowledge content, and the audit rows that record every change.

Documents and FAQ entries carry an owner region (``province``/``city``; None = national).
National content is changed by national admins only; a province changes its own and its cities'
entries, a city only its own (``RegionScope.owns``). Admins *see* national content plus their own
region's; synonyms are one national dictionary. Each create, edit, retire, disable or delete
adds an ``audit_entry`` row with the content before and after, in the same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.audit.service import record_audit
from core.regions.scope import RegionScope
from knowledge.models import Document, FaqEntry, Synonym

SYNONYMS_WHAT = "同义词词典"


def visible(stmt, scope: RegionScope, province_col: InstrumentedAttribute, city_col):
    """Limit ``stmt`` to national content and content owned inside ``scope``."""
    if scope.is_national:
        return stmt
    own = province_col == scope.province
    if scope.city is not None:
        own = and_(own, city_col == scope.city)
    return stmt.where(or_(province_col.is_(None), own))


def can_see(scope: RegionScope, province: str | None, city: str | None) -> bool:
    """Python twin of ``visible`` for one row."""
    return province is None or scope.allows(province, city)


def owner_label(province: str | None, city: str | None) -> str:
    """``全国`` or the owning region, e.g. ``江苏省苏州市``."""
    return RegionScope(province, city).label


def faq_what(entry: FaqEntry) -> str:
    return f"FAQ 条目 #{entry.id}"


def require_faq_owner(scope: RegionScope, entry: FaqEntry) -> None:
    """Forbidden (Chinese message) unless ``scope`` may change this FAQ entry."""
    scope.require_owner(entry.province, entry.city, faq_what(entry))


def require_synonym_editor(scope: RegionScope) -> None:
    """Forbidden unless national: the synonym dictionary is shared by every region."""
    scope.require_owner(None, None, SYNONYMS_WHAT)


def require_document_owner(scope: RegionScope, document: Document) -> None:
    """Forbidden unless ``scope`` may change this document."""
    scope.require_owner(document.province, document.city, f"文档《{document.title}》")


def faq_snapshot(entry: FaqEntry) -> dict[str, Any]:
    """What an audit row keeps of a FAQ entry."""
    return {
        "question": entry.question,
        "answer": entry.answer,
        "basis": entry.basis,
        "tags": entry.tags,
        "status": entry.status,
        "phrasings": [p.text for p in entry.phrasings],
        "province": entry.province,
        "city": entry.city,
    }


def synonym_snapshot(row: Synonym) -> dict[str, Any]:
    """What an audit row keeps of a synonym."""
    return {"term": row.term, "canonical": row.canonical}


def document_snapshot(document: Document) -> dict[str, Any]:
    """What an audit row keeps of a document (its passages are too long to keep)."""
    return {
        "title": document.title,
        "source": document.source,
        "kind": document.kind,
        "status": document.status,
        "sha256": document.sha256,
        "content_sha256": document.content_sha256,
        "chunk_count": document.chunk_count,
        "province": document.province,
        "city": document.city,
    }


def audit(
    session: Session,
    *,
    actor: Any | None,
    action: str,
    target_kind: str,
    target_id: object,
    region: tuple[str | None, str | None],
    before: dict | None = None,
    after: dict | None = None,
    **extra: Any,
) -> None:
    """One audit row with ``before``/``after`` (None when the content did not exist)."""
    record_audit(
        session,
        actor=actor,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        province=region[0],
        city=region[1],
        detail={"before": before, "after": after, **extra},
    )
