"""The legal representative registered for a unit on a given date, and the key units.

The registered representative on a date comes from the registry's change history: a change
recorded with a later effective date means its previous holder was still in office, so a change
imported today never rewrites a figure as of an earlier date. Without recorded changes the
representative is the registry's current one. ``courses.coverage`` counts with these; the
attendance import checks who a roster names as a unit's representative.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, case, func, literal, null, select, text
from sqlalchemy.orm import Session

from core.bulk import select_in_chunks
from core.enterprises.models import Enterprise, LegalRepChange, ManagementCategory, PermitStatus
from core.regions.scope import RegionScope


def is_key_unit():
    """Units counted by the coverage: 重点管理 with a valid permit."""
    # literal values (not bound parameters) so SQLite and PostgreSQL can use the partial index
    return and_(
        Enterprise.management_category
        == literal(ManagementCategory.KEY.value, literal_execute=True),
        Enterprise.permit_status == literal(PermitStatus.VALID.value, literal_execute=True),
    )


def units_changed_after(day: dt.date):
    """Ids of the units with a change effective after ``day`` (a few): one uncorrelated
    subquery the database evaluates once, not a lookup per key unit."""
    return select(LegalRepChange.enterprise_id).where(LegalRepChange.changed_on > day)


def rep_on(changes: list[tuple[str, dt.date]], current: str, day: dt.date) -> str:
    """The representative on ``day``: the previous holder of the first change effective later.

    ``changes`` are (previous_name, changed_on) oldest first; ``current`` the registry's name.
    """
    for previous, changed_on in changes:
        if changed_on > day:
            return previous
    return current


def without_jit(session: Session) -> None:
    """PostgreSQL estimates a long list's per-unit checks high enough to JIT-compile them, which
    takes longer than running them (45 of 130 ms at 100,000 units); off for this transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def key_units_with_rep(scope: RegionScope, day: dt.date):
    """The key units in ``scope`` with the representative registered on ``day`` (``rep``) and
    the date they took office (``since``; NULL when in office before the first recorded change).

    The few recorded changes are joined once (the first change after ``day`` names its previous
    holder, the last one before it the start), not looked up unit by unit.
    """
    ranked = (
        select(
            LegalRepChange.enterprise_id,
            LegalRepChange.previous_name,
            func.row_number()
            .over(
                partition_by=LegalRepChange.enterprise_id,
                order_by=(LegalRepChange.changed_on, LegalRepChange.id),
            )
            .label("n"),
        )
        .where(LegalRepChange.changed_on > day)
        .subquery("ranked")
    )
    later = (
        select(ranked.c.enterprise_id, ranked.c.previous_name)
        .where(ranked.c.n == 1)
        .subquery("later")
    )
    took = (
        select(LegalRepChange.enterprise_id, func.max(LegalRepChange.changed_on).label("on"))
        .where(LegalRepChange.changed_on <= day)
        .group_by(LegalRepChange.enterprise_id)
        .subquery("took")
    )
    # the current holder's start is the registry's; an earlier holder's is their change's date
    since = func.coalesce(
        took.c.on,
        case((later.c.enterprise_id.is_not(None), null()), else_=Enterprise.legal_rep_since),
    )
    stmt = (
        select(
            Enterprise.id,
            Enterprise.credit_code,
            Enterprise.name,
            Enterprise.province,
            Enterprise.city,
            func.coalesce(later.c.previous_name, Enterprise.legal_rep_name).label("rep"),
            since.label("since"),
        )
        .select_from(Enterprise)
        .outerjoin(later, later.c.enterprise_id == Enterprise.id)
        .outerjoin(took, took.c.enterprise_id == Enterprise.id)
        .where(is_key_unit())
    )
    return scope.apply(stmt, Enterprise.province, Enterprise.city).subquery("u")


def reps_on(session: Session, unit_ids: list[int], day: dt.date) -> dict[int, str]:
    """The registered representative of each unit on ``day``, by unit id."""
    current = dict(
        select_in_chunks(
            session,
            lambda ids: select(Enterprise.id, Enterprise.legal_rep_name).where(
                Enterprise.id.in_(ids)
            ),
            unit_ids,
        )
    )
    changes = changes_after(session, list(current), day)
    return {uid: rep_on(changes.get(uid, []), name, day) for uid, name in current.items()}


def changes_after(
    session: Session, unit_ids: list[int], day: dt.date
) -> dict[int, list[tuple[str, dt.date]]]:
    rows = select_in_chunks(
        session,
        lambda ids: (
            select(
                LegalRepChange.enterprise_id,
                LegalRepChange.previous_name,
                LegalRepChange.changed_on,
            )
            .where(LegalRepChange.enterprise_id.in_(ids), LegalRepChange.changed_on > day)
            .order_by(LegalRepChange.changed_on, LegalRepChange.id)
        ),
        unit_ids,
    )
    out: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for uid, previous, changed_on in rows:
        out[uid].append((previous, changed_on))
    return out
