"""Typical cases: the public list ``/cases`` (by kind and region, with search) and a page per case;
the admins' pages ``/admin/cases`` to write, edit, publish, retire and import them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from cases import service as case_service
from cases.models import CASE_KINDS, STATUS_LABELS
from cases.schemas import CaseCreate, CaseUpdate
from core.bounds import IdPath
from core.deps import RequestSessionRoute, SessionDep
from core.errors import DomainError, Invalid
from core.uploads import FileKind, read_form_file
from web.deps import CsrfChecked, MaybePageUser, PageAdmin, PageForm
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)
PAGE_SIZE = 20
Short = Annotated[str, Query(max_length=100)]
PageNumber = Annotated[int, Query(ge=1, le=10_000)]
FIELDS = ("title", "occurred_on", "province", "city", "kind", "summary", "clauses", "lesson")


@router.get("/cases")
def case_list(
    request: Request,
    session: SessionDep,
    user: MaybePageUser,
    q: Short = "",
    kind: Short = "",
    region: Short = "",
    page: PageNumber = 1,
):
    """Published typical cases by kind and region, with search; no login needed."""
    rows, total = case_service.list_published(
        session,
        kind=kind or None,
        province=region or None,
        query=q or None,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    context = {
        "cases": rows,
        "total": total,
        "kinds": CASE_KINDS,
        "regions": case_service.published_regions(session),
        "q": q,
        "kind": kind,
        "region": region,
        "page": page,
        "pages": max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE),
        "region_label": case_service.region_label,
    }
    return render(request, "public/cases_list.html", context)


@router.get("/cases/{case_id}")
def case_page(request: Request, session: SessionDep, user: MaybePageUser, case_id: IdPath):
    """One published case."""
    case = case_service.get_published(session, case_id=case_id)
    context = {"case": case, "region": case_service.region_label(case)}
    return render(request, "public/case.html", context)


# ---- admins ------------------------------------------------------------------------------


def _admin_page(
    request, session, user, *, form=None, error=None, details=(), status=200, edit=None
):
    scope = case_service.editor_scope(user)
    context = {
        "cases": case_service.list_for_editor(session, scope=scope),
        "kinds": CASE_KINDS,
        "status_labels": STATUS_LABELS,
        "form": form or {},
        "error": error,
        "details": list(details),
        "edit": edit,
        "scope_label": scope.label,
        "region_label": case_service.region_label,
    }
    return render(request, "public/admin_cases.html", context, status)


@router.get("/admin/cases")
def admin_cases(request: Request, session: SessionDep, user: PageAdmin):
    return _admin_page(request, session, user)


@router.get("/admin/cases/{case_id}/edit")
def admin_case_edit(request: Request, session: SessionDep, user: PageAdmin, case_id: IdPath):
    case = case_service.get_for_editor(
        session, case_id=case_id, scope=case_service.editor_scope(user)
    )
    form = {name: getattr(case, name) or "" for name in FIELDS}
    return _admin_page(request, session, user, form=form, edit=case)


def _form_values(form) -> dict:
    return {name: str(form.get(name) or "")[:6000] for name in FIELDS}


def _parsed(values: dict) -> dict:
    problems = []
    try:
        occurred = dt.date.fromisoformat(values["occurred_on"].strip())
    except ValueError:
        occurred = None
        problems.append(f"日期“{values['occurred_on']}”不是有效日期（应为 YYYY-MM-DD）")
    if problems:
        raise Invalid("典型案例内容有误：" + "；".join(problems), details=problems)
    return {**values, "occurred_on": occurred}


@router.post("/admin/cases", dependencies=[CsrfChecked])
def admin_case_save(request: Request, session: SessionDep, user: PageAdmin, form: PageForm):
    """Create a case, or save the edit of ``case_id``."""
    values = _form_values(form)
    case_id = str(form.get("case_id") or "")
    try:
        scope = case_service.editor_scope(user)
        parsed = _parsed(values)
        if case_id.isdigit():
            case = case_service.update_case(
                session,
                case_id=int(case_id),
                data=CaseUpdate(**parsed),
                scope=scope,
                actor=user,
            )
        else:
            case = case_service.create_case(
                session, data=CaseCreate(**parsed), scope=scope, actor=user
            )
    except DomainError as exc:
        session.rollback()
        return _admin_page(
            request,
            session,
            user,
            form=values,
            error=exc.message,
            details=exc.details,
            status=exc.status_code,
        )
    except ValidationError as exc:  # a field past its length
        session.rollback()
        details = [
            f"{case_service.LABELS.get(str(e['loc'][0]), e['loc'][0])}: 内容过长或格式不正确"
            for e in exc.errors()
        ]
        return _admin_page(
            request,
            session,
            user,
            form=values,
            error="典型案例内容有误",
            details=details,
            status=422,
        )
    return RedirectResponse(f"/admin/cases#case-{case.id}", status_code=303)


@router.post("/admin/cases/{case_id}/publish", dependencies=[CsrfChecked])
def admin_case_publish(request: Request, session: SessionDep, user: PageAdmin, case_id: IdPath):
    case_service.publish_case(
        session, case_id=case_id, scope=case_service.editor_scope(user), actor=user
    )
    return RedirectResponse(f"/admin/cases#case-{case_id}", status_code=303)


@router.post("/admin/cases/{case_id}/retire", dependencies=[CsrfChecked])
def admin_case_retire(request: Request, session: SessionDep, user: PageAdmin, case_id: IdPath):
    case_service.retire_case(
        session, case_id=case_id, scope=case_service.editor_scope(user), actor=user
    )
    return RedirectResponse(f"/admin/cases#case-{case_id}", status_code=303)


@router.post("/admin/cases/import", dependencies=[CsrfChecked])
def admin_case_import(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    file: Annotated[UploadFile | None, File()] = None,
    note: Annotated[str, Form(max_length=10)] = "",
):
    """Import cases from CSV/XLSX as drafts (all or nothing; bad lines listed as 第N行: 原因)."""
    try:
        scope = case_service.editor_scope(user)
        filename, data = read_form_file(
            file, kind=FileKind.TABLE, required="请选择要导入的 CSV 或 XLSX 文件"
        )
        report = case_service.import_cases(
            session, data, filename=filename, scope=scope, actor=user
        )
    except DomainError as exc:
        session.rollback()
        return _admin_page(
            request, session, user, error=exc.message, details=exc.details, status=exc.status_code
        )
    return _admin_page(request, session, user, error=None, details=[report.summary()])
