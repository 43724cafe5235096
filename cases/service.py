"""Typical cases: write, edit, publish, retire (region-scoped), import, list and search.

Ownership works like FAQ entries: a case of no province is national and only national admins
change it; a provincial admin changes the cases of their province. City admins and everyone else
read the published cases only.

A published case is also a knowledge source: it is stored as a document titled
``典型案例：<标题>`` (``knowledge.service.ingest_bytes``), so a question such as
"有没有无证排污被处罚的案例" is answered from it and cites it; retiring the case removes the
document.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from cases.models import (
    CASE_DRAFT,
    CASE_KINDS,
    CASE_PUBLISHED,
    CASE_RETIRED,
    TypicalCase,
)
from cases.schemas import CaseCreate, CaseUpdate
from core.accounts.models import Role, User
from core.audit.service import record_audit
from core.db import utcnow
from core.errors import Forbidden, Invalid, NotFound
from core.regions.scope import RegionScope
from core.search import contains
from core.tabular import ImportReport, check_length, parse_date, read_table

logger = logging.getLogger(__name__)

DOCUMENT_PREFIX = "典型案例："
MAX_IMPORT_ROWS = 2000
NATIONAL = RegionScope()
IMPORT_COLUMNS = ("title", "occurred_on", "kind", "summary")
IMPORT_OPTIONAL = ("province", "city", "clauses", "lesson")
IMPORT_ALIASES = {
    "标题": "title",
    "日期": "occurred_on",
    "类型": "kind",
    "案情": "summary",
    "省份": "province",
    "城市": "city",
    "依据条款": "clauses",
    "启示": "lesson",
}
LIMITS = {"title": 200, "summary": 5000, "clauses": 500, "lesson": 3000}
LABELS = {
    "title": "标题",
    "occurred_on": "日期",
    "kind": "类型",
    "summary": "案情",
    "province": "省份",
    "city": "城市",
    "clauses": "依据条款",
    "lesson": "启示",
}


def editor_scope(user: User) -> RegionScope:
    """The region a national or provincial admin edits cases in; anyone else is refused."""
    role = user.role_enum
    if role is Role.NATIONAL:
        return RegionScope()
    if role is Role.PROVINCE:
        return RegionScope(user.province)
    raise Forbidden("典型案例由部级和省级管理员维护")


def region_label(case: TypicalCase) -> str:
    return RegionScope(case.province, case.city).label if case.province else "全国"


def _problems(values: dict) -> list[str]:
    """Why the values cannot make a case, one ``字段: 原因`` each."""
    problems = []
    for name in ("title", "summary", "clauses", "lesson"):
        problem = check_length(
            (values.get(name) or "").strip(),
            LABELS[name],
            LIMITS[name],
            required=name in ("title", "summary"),
        )
        if problem:
            problems.append(problem)
    kind = (values.get("kind") or "").strip()
    if kind not in CASE_KINDS:
        problems.append(f"类型“{kind}”不在可选范围内（{'、'.join(CASE_KINDS)}）")
    occurred = values.get("occurred_on")
    if isinstance(occurred, dt.date) and occurred > dt.date.today():
        problems.append("日期不能晚于今天")
    if values.get("city") and not values.get("province"):
        problems.append("填写城市时请同时填写省份")
    return problems


def _clean(values: dict) -> dict:
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    out["province"] = out.get("province") or None
    out["city"] = out.get("city") or None
    return out


def _audit(session: Session, actor, action: str, case: TypicalCase, **detail) -> None:
    record_audit(
        session,
        actor=actor,
        action=action,
        target_kind="typical_case",
        target_id=case.id,
        province=case.province,
        city=case.city,
        detail={"title": case.title, "status": case.status, **detail},
    )


def create_case(
    session: Session, *, data: CaseCreate, scope: RegionScope = NATIONAL, actor=None
) -> TypicalCase:
    """A new draft case in ``scope``'s region (a province admin's cases are their province's)."""
    values = _clean(data.model_dump())
    if not scope.is_national and values["province"] is None:
        values["province"] = scope.province
    problems = _problems(values)
    if problems:
        raise Invalid("典型案例内容有误：" + "；".join(problems), details=problems)
    scope.require_owner(values["province"], values["city"], "该地区的典型案例")
    case = TypicalCase(**values, status=CASE_DRAFT, created_at=utcnow(), updated_at=utcnow())
    session.add(case)
    session.flush()
    _audit(session, actor, "case.create", case)
    session.commit()
    return case


def _owned(session: Session, case_id: int, scope: RegionScope) -> TypicalCase:
    case = session.get(TypicalCase, case_id)
    if case is None or not (case.province is None or scope.allows(case.province, None)):
        raise NotFound("典型案例不存在")  # another region's case is not even shown to exist
    scope.require_owner(case.province, case.city, f"典型案例“{case.title}”")
    return case


def get_for_editor(session: Session, *, case_id: int, scope: RegionScope) -> TypicalCase:
    """A case the editor's scope owns (any status)."""
    return _owned(session, case_id, scope)


def update_case(
    session: Session, *, case_id: int, data: CaseUpdate, scope: RegionScope = NATIONAL, actor=None
) -> TypicalCase:
    """Change a case; a published case's knowledge document is replaced to match."""
    case = _owned(session, case_id, scope)
    # null leaves a field as it is; only the region may be emptied (province null = national)
    changes = {
        k: v
        for k, v in data.model_dump(exclude_unset=True).items()
        if v is not None or k in ("province", "city")
    }
    values = _clean(
        {name: getattr(case, name) for name in LABELS} | {k: v for k, v in changes.items()}
    )
    if values["occurred_on"] is None:
        raise Invalid("日期不能为空", details=["occurred_on: 日期不能为空"])
    problems = _problems(values)
    if problems:
        raise Invalid("典型案例内容有误：" + "；".join(problems), details=problems)
    scope.require_owner(values["province"], values["city"], "该地区的典型案例")
    for name, value in values.items():
        setattr(case, name, value)
    case.updated_at = utcnow()
    session.flush()
    _audit(session, actor, "case.update", case)
    if case.status == CASE_PUBLISHED:
        _index(session, case)
    session.commit()
    return case


def publish_case(
    session: Session, *, case_id: int, scope: RegionScope = NATIONAL, actor=None
) -> TypicalCase:
    """Publish a case: it shows on /cases and the Q&A answers from it."""
    case = _owned(session, case_id, scope)
    if case.status == CASE_PUBLISHED:
        return case
    _index(session, case)
    case.status = CASE_PUBLISHED
    case.published_at = case.updated_at = utcnow()
    session.flush()
    _audit(session, actor, "case.publish", case)
    session.commit()
    return case


def retire_case(
    session: Session, *, case_id: int, scope: RegionScope = NATIONAL, actor=None
) -> TypicalCase:
    """Take a case down: off /cases and out of the Q&A (kept for the record)."""
    case = _owned(session, case_id, scope)
    if case.status == CASE_RETIRED:
        return case
    _unindex(session, case)
    case.status = CASE_RETIRED
    case.updated_at = utcnow()
    session.flush()
    _audit(session, actor, "case.retire", case)
    session.commit()
    return case


# ---- the case as a knowledge source --------------------------------------------------------


def document_title(case: TypicalCase) -> str:
    """The title the case is cited under: ``典型案例：<标题>``."""
    return f"{DOCUMENT_PREFIX}{case.title}"[:300]


def document_text(case: TypicalCase) -> str:
    """The case as Markdown: its kind and region as the section, then the facts and lesson."""
    lines = [
        f"# {case.kind}典型案例（{region_label(case)}，{case.occurred_on:%Y年%m月}）",
        "",
        f"{case.title}。这是一起{case.kind}方面的典型案例。{case.summary}",
    ]
    if case.clauses:
        lines += ["", f"依据条款：{case.clauses}"]
    if case.lesson:
        lines += ["", f"对企业的启示：{case.lesson}"]
    return "\n".join(lines) + "\n"


def _index(session: Session, case: TypicalCase) -> None:
    from knowledge import service as knowledge_service

    result = knowledge_service.ingest_bytes(
        session,
        data=document_text(case).encode("utf-8"),
        filename=f"typical-case-{case.id}.md",
        title=document_title(case),
        replace_id=case.document_id,
    )
    case.document_id = getattr(result, "document_id", None) or case.document_id


def _unindex(session: Session, case: TypicalCase) -> None:
    from knowledge import documents

    if case.document_id is None:
        return
    try:
        documents.delete_document(session, document_id=case.document_id)
    except NotFound:
        pass  # removed on the knowledge pages already
    case.document_id = None


# ---- reading ------------------------------------------------------------------------------


def _search(stmt, query: str | None):
    if query and query.strip():
        words = query.strip()
        stmt = stmt.where(
            or_(
                contains(TypicalCase.title, words),
                contains(TypicalCase.summary, words),
                contains(TypicalCase.clauses, words),
                contains(TypicalCase.lesson, words),
                contains(TypicalCase.kind, words),
            )
        )
    return stmt


def list_published(
    session: Session,
    *,
    kind: str | None = None,
    province: str | None = None,
    query: str | None = None,
    offset: int = 0,
    limit: int = 30,
) -> tuple[list[TypicalCase], int]:
    """Published cases, newest first, by kind and region (``全国`` = national cases)."""
    stmt = select(TypicalCase).where(TypicalCase.status == CASE_PUBLISHED)
    if kind:
        stmt = stmt.where(TypicalCase.kind == kind)
    if province == "全国":
        stmt = stmt.where(TypicalCase.province.is_(None))
    elif province:
        stmt = stmt.where(TypicalCase.province == province)
    stmt = _search(stmt, query)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(TypicalCase.occurred_on.desc(), TypicalCase.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), int(total)


def published_regions(session: Session) -> list[str]:
    """Provinces that have published cases (``全国`` first when there are national ones)."""
    rows = session.execute(
        select(TypicalCase.province).where(TypicalCase.status == CASE_PUBLISHED).distinct()
    ).scalars()
    names = sorted({r or "全国" for r in rows}, key=lambda n: (n != "全国", n))
    return names


def get_published(session: Session, *, case_id: int) -> TypicalCase:
    """A published case (public page)."""
    case = session.get(TypicalCase, case_id)
    if case is None or case.status != CASE_PUBLISHED:
        raise NotFound("典型案例不存在或已撤下")
    return case


def list_for_editor(
    session: Session, *, scope: RegionScope, query: str | None = None, limit: int = 200
) -> list[TypicalCase]:
    """Every case the editor may change (drafts, published, retired), newest first."""
    stmt = select(TypicalCase)
    if not scope.is_national:
        stmt = stmt.where(TypicalCase.province == scope.province)
    stmt = _search(stmt, query)
    return list(
        session.scalars(
            stmt.order_by(TypicalCase.updated_at.desc(), TypicalCase.id.desc()).limit(limit)
        )
    )


# ---- import -------------------------------------------------------------------------------


def import_cases(
    session: Session,
    data: bytes,
    *,
    filename: str,
    scope: RegionScope = NATIONAL,
    actor=None,
) -> ImportReport:
    """Import cases (CSV/XLSX) as drafts, all or nothing: any bad line → nothing is written."""
    table = read_table(
        data,
        columns=IMPORT_COLUMNS,
        optional=IMPORT_OPTIONAL,
        aliases=IMPORT_ALIASES,
        filename=filename,
        max_rows=MAX_IMPORT_ROWS + 1,
    )
    report = ImportReport(kind="典型案例", total=table.row_count)
    for error in table.problems:
        report.add_error(error.line, error.message)
    rows = []
    for row in table.rows:
        values = _clean({name: row.values.get(name, "") for name in LABELS})
        date, problem = parse_date(values["occurred_on"] or "", "日期")
        if problem:
            report.add_error(row.line, problem)
        values["occurred_on"] = date
        if not scope.is_national and values["province"] is None:
            values["province"] = scope.province
        for message in _problems(values):
            report.add_error(row.line, message)
        if not scope.owns(values["province"], values["city"]):
            report.add_error(row.line, f"省份“{values['province'] or '全国'}”不在您的辖区")
        rows.append(values)
    if report.errors:
        session.rollback()
        raise Invalid(report.summary(), details=list(report.error_lines(limit=100)))
    now = utcnow()
    for values in rows:
        case = TypicalCase(**values, status=CASE_DRAFT, created_at=now, updated_at=now)
        session.add(case)
        session.flush()
        _audit(session, actor, "case.import", case)
    session.commit()
    report.created = len(rows)
    report.written = True
    return report
