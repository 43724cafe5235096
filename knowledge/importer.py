"""Import the FAQ table (.csv/.xlsx): 问题, 相似问法 (separated by |), 答案, 依据, 标签.

Entries are matched by their question: a known question is updated (answer, basis, tags and the
phrasings in the file replace the stored ones), a new one is created. All or nothing unless
``skip_invalid``. New entries belong to the importer's region (national from the command line, a
province's or city's from its admin on the web); a row naming an entry the importer does not own
(a national entry, for a city) is refused by line. Rows are checked by ``knowledge.faq.check_entry``
like every other FAQ change. Each entry created or changed is audited.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.db import utcnow
from core.imports import one_import_at_a_time
from core.regions.scope import NATIONAL, RegionScope
from core.tabular import ImportReport, read_table
from knowledge import faq, ownership
from knowledge.index import refresh_index
from knowledge.models import FAQ_ACTIVE, FaqEntry, FaqPhrasing

COLUMNS = ("问题", "答案")
OPTIONAL = ("相似问法", "依据", "标签")
ALIASES = {
    "question": "问题",
    "answer": "答案",
    "phrasings": "相似问法",
    "basis": "依据",
    "tags": "标签",
    "相似问题": "相似问法",
    "其他问法": "相似问法",
    "出处": "依据",
}
_PHRASING_SEP = re.compile(r"[|｜\n]")


def split_phrasings(text: str) -> list[str]:
    """相似问法 cell → distinct non-empty phrasings, in order."""
    seen: list[str] = []
    for part in _PHRASING_SEP.split(text or ""):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return seen


@one_import_at_a_time
def import_faq(
    session: Session,
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    skip_invalid: bool = False,
    scope: RegionScope = NATIONAL,
    actor: object | None = None,
) -> ImportReport:
    """Create or update FAQ entries from a table in one transaction and refresh the index.

    New entries belong to ``scope``'s region (national from the command line); a row whose
    question is an entry ``scope`` does not own is refused by line.
    """
    report = _import(
        session, source, filename=filename, skip_invalid=skip_invalid, scope=scope, actor=actor
    )
    if report.written and (report.created or report.updated):
        refresh_index(session)
    elif report.written:
        session.commit()
    else:
        session.rollback()
    return report


def _import(
    session: Session,
    source: Path | str | bytes,
    *,
    filename: str | None,
    skip_invalid: bool,
    scope: RegionScope,
    actor: object | None,
) -> ImportReport:
    table = read_table(
        source, columns=COLUMNS, optional=OPTIONAL, aliases=ALIASES, filename=filename
    )
    report = ImportReport(kind="问答", total=table.row_count, skip_invalid=skip_invalid)
    report.errors.extend(table.problems)

    parsed: list[tuple[int, str, str, list[str], str, str]] = []
    first_line: dict[str, int] = {}
    for row in table.rows:
        v = row.values
        text, problems = faq.check_entry(
            v["问题"],
            v["答案"],
            v.get("依据", ""),
            v.get("标签", ""),
            split_phrasings(v.get("相似问法", "")),
        )
        question = text.question
        if question and question in first_line:
            problems.append(f"问题与第{first_line[question]}行重复")
        elif question:
            first_line[question] = row.line
        for problem in problems:
            report.add_error(row.line, problem)
        if not problems:
            parsed.append((row.line, question, text.answer, text.phrasings, text.basis, text.tags))

    existing = {
        e.question: e
        for e in session.scalars(
            select(FaqEntry)
            .where(FaqEntry.question.in_([p[1] for p in parsed]))
            .options(selectinload(FaqEntry.phrasings))
        )
    }
    allowed = []
    for item in parsed:
        entry = existing.get(item[1])
        if entry is not None and not scope.owns(entry.province, entry.city):
            report.add_error(item[0], _not_owned(entry))
        else:
            allowed.append(item)
    if report.errors and not skip_invalid:
        return report

    changes: list[tuple[str, FaqEntry, dict | None]] = []
    province, city = scope.owner_region()
    for _line, question, answer, phrasings, basis, tags in allowed:
        entry = existing.get(question)
        if entry is None:
            entry = FaqEntry(
                question=question,
                answer=answer,
                basis=basis,
                tags=tags,
                status=FAQ_ACTIVE,
                province=province,
                city=city,
            )
            entry.phrasings = [FaqPhrasing(text=p) for p in phrasings]
            session.add(entry)
            changes.append(("faq.create", entry, None))
            report.created += 1
            continue
        same = (
            entry.answer == answer
            and entry.basis == basis
            and entry.tags == tags
            and entry.status == FAQ_ACTIVE
            and [p.text for p in entry.phrasings] == phrasings
        )
        if same:
            report.unchanged += 1
            continue
        changes.append(("faq.update", entry, ownership.faq_snapshot(entry)))
        entry.answer, entry.basis, entry.tags, entry.status = answer, basis, tags, FAQ_ACTIVE
        if [p.text for p in entry.phrasings] != phrasings:
            entry.phrasings.clear()
            session.flush()  # delete the old phrasings before inserting possibly equal texts
            entry.phrasings.extend(FaqPhrasing(text=p) for p in phrasings)
        entry.updated_at = utcnow()
        report.updated += 1
    session.flush()
    for action, entry, before in changes:
        ownership.audit(
            session,
            actor=actor,
            action=action,
            target_kind="faq",
            target_id=entry.id,
            region=(entry.province, entry.city),
            before=before,
            after=ownership.faq_snapshot(entry),
            via="import",
        )
    session.flush()
    report.written = True
    return report


def _not_owned(entry: FaqEntry) -> str:
    if entry.province is None:
        return f"问题与全国共用的 FAQ 条目 #{entry.id} 相同，只有部级管理员可以修改该条目"
    return f"问题与其他地区的 FAQ 条目 #{entry.id} 相同，无权修改"
