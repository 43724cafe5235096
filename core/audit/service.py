"""Recording and reading the audit trail."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.models import AuditEntry
from core.db import utcnow
from core.regions.scope import RegionScope

MAX_DETAIL_CHARS = 20_000


def record_audit(
    session: Session,
    *,
    actor: Any | None,
    action: str,
    target_kind: str,
    target_id: object = "",
    province: str | None = None,
    city: str | None = None,
    detail: dict | str | None = None,
) -> AuditEntry:
    """Add one audit row in the caller's transaction (it commits or rolls back with the change).

    ``actor`` is a ``User`` or None (the command line); ``detail`` a dict such as
    ``{"before": {...}, "after": {...}}`` stored as JSON.
    """
    if isinstance(detail, dict):
        text = json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True)
    else:
        text = detail or ""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor=(getattr(actor, "username", None) or "cli")[:64],
        action=action[:64],
        target_kind=target_kind[:32],
        target_id=str(target_id)[:64],
        province=province,
        city=city,
        detail=text[:MAX_DETAIL_CHARS],
        created_at=utcnow(),
    )
    session.add(entry)
    return entry


def list_audit(
    session: Session,
    *,
    scope: RegionScope,
    target_kind: str | None = None,
    limit: int = 200,
) -> list[AuditEntry]:
    """The newest audit rows about content in the admin's region (national content for all)."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 1000)))
    if target_kind:
        stmt = stmt.where(AuditEntry.target_kind == target_kind)
    stmt = scope.apply(stmt, AuditEntry.province, AuditEntry.city)
    return list(session.scalars(stmt))
