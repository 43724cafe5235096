"""Reminders reach every region: each uncovered key unit goes to exactly one admin's list.

A city's uncovered units go to its city admins; a city without one rolls up to its province's
admins, and a province without those to the national admins. Regions nobody receives (no admin
at any level above them) are reported as such, so an empty list never reads as "nothing to do".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts.models import Role, User
from core.regions.scope import RegionScope
from courses.coverage import UncoveredUnit, uncovered_units

RECENT_CHANGE_DAYS = 90
LEVEL_LABELS = {"city": "市级管理员", "province": "省级管理员", "national": "部级管理员"}


@dataclass
class Reminder:
    """One list: who receives it, the region it answers for, its uncovered units (newly
    changed representatives first)."""

    level: str  # city, province or national
    province: str | None
    city: str | None
    admins: list[str]
    units: list[UncoveredUnit]
    as_of: dt.date
    # the cities this list holds for want of an admin nearer to them, as "省份城市"
    rolled_up: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return RegionScope(self.province, self.city).label

    @property
    def admin_label(self) -> str:
        return LEVEL_LABELS[self.level]

    def is_new(self, unit: UncoveredUnit) -> bool:
        """The representative changed after a colleague was trained, or took office lately."""
        return unit.previous_rep_trained or (
            unit.legal_rep_since is not None
            and (self.as_of - unit.legal_rep_since).days <= RECENT_CHANGE_DAYS
        )

    @property
    def newly_changed(self) -> list[UncoveredUnit]:
        return [u for u in self.units if self.is_new(u)]

    @property
    def untrained(self) -> list[UncoveredUnit]:
        return [u for u in self.units if not self.is_new(u)]


@dataclass
class Unreceived:
    """A region whose uncovered units no admin receives."""

    province: str
    city: str
    units: int

    @property
    def label(self) -> str:
        return RegionScope(self.province, self.city).label


@dataclass
class Reminders:
    lists: list[Reminder]
    unreceived: list[Unreceived]

    def for_admin(self, user: User) -> Reminder | None:
        """The list this admin receives, if any."""
        return next((r for r in self.lists if user.username in r.admins), None)


def _admins(session: Session) -> dict[tuple[str, str | None, str | None], list[str]]:
    """Active admins by (level, province, city)."""
    rows = session.execute(
        select(User.role, User.province, User.city, User.username)
        .where(
            User.role.in_([Role.CITY.value, Role.PROVINCE.value, Role.NATIONAL.value]),
            User.is_active.is_(True),
        )
        .order_by(User.username)
    )
    out: dict[tuple[str, str | None, str | None], list[str]] = {}
    for role, province, city, username in rows:
        key = {
            Role.CITY.value: ("city", province, city),
            Role.PROVINCE.value: ("province", province, None),
            Role.NATIONAL.value: ("national", None, None),
        }[role]
        out.setdefault(key, []).append(username)
    return out


def reminders(session: Session, *, as_of: dt.date, scope: RegionScope | None = None) -> Reminders:
    """Every uncovered key unit in ``scope`` on exactly one list, or its region as unreceived."""
    admins = _admins(session)
    by_city: dict[tuple[str, str], list[UncoveredUnit]] = {}
    for unit in uncovered_units(session, scope=scope or RegionScope(), as_of=as_of):
        by_city.setdefault((unit.province, unit.city), []).append(unit)
    lists: dict[tuple[str, str | None, str | None], Reminder] = {}
    unreceived = []
    for (province, city), units in sorted(by_city.items()):
        for key in (
            ("city", province, city),
            ("province", province, None),
            ("national", None, None),
        ):
            if key in admins:
                break
        else:
            unreceived.append(Unreceived(province, city, len(units)))
            continue
        reminder = lists.get(key)
        if reminder is None:
            reminder = lists[key] = Reminder(key[0], key[1], key[2], admins[key], [], as_of)
        reminder.units.extend(units)
        if key[0] != "city":
            reminder.rolled_up.append(RegionScope(province, city).label)
    ordered = sorted(
        lists.values(),
        key=lambda r: (
            {"city": 0, "province": 1, "national": 2}[r.level],
            r.province or "",
            r.city or "",
        ),
    )
    for reminder in ordered:
        reminder.units.sort(key=lambda u: (not reminder.is_new(u), u.province, u.city, u.name))
    return Reminders(ordered, unreceived)
