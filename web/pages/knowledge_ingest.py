"""Admin pages for the knowledge base's documents: upload, list, replace, disable/enable, delete.

Uploads take documents (.txt .md .docx .pdf) and FAQ tables (.csv .xlsx), the same code path as
``permithub ingest``. A document with the title or the content of a stored one replaces it and
the page says which file it replaced (``knowledge.documents``). National documents are changed
by national admins; province and city admins see them read-only and import FAQ tables whose
entries belong to their region. Deleting asks for confirmation on a page of its own (no
script), so a stray click never removes a document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse

from core.accounts import service as account_service
from core.deps import RequestSessionRoute, SessionDep
from core.errors import DomainError
from core.imports import ImportSlot, digest
from core.tabular import ImportReport
from core.times import beijing_text
from core.uploads import FileKind, read_form_file
from knowledge import documents, ownership, service
from knowledge.models import DOCUMENT_ACTIVE, DOCUMENT_DISABLED
from web.deps import CsrfChecked, PageAdmin
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)

TEMPLATE = "knowledge/ingest.html"
BASE = "/admin/knowledge/documents"
DONE_MESSAGES = {
    "disabled": "已停用《{title}》：文档保留，但不再用于回答。",
    "enabled": "已启用《{title}》，重新用于回答。",
    "deleted": "已删除《{title}》及其全部段落。",
}


def _context(session, user, **extra) -> dict:
    scope = account_service.region_scope(user)
    return {
        "documents": documents.list_documents(session, scope=scope),
        "scope": scope,
        "can_ingest": True,  # a region's documents answer only askers in that region
        "can_edit": lambda d: scope.owns(d.province, d.city),
        "owner_label": ownership.owner_label,
        "kind_labels": documents.KIND_LABELS,
        "status_labels": documents.STATUS_LABELS,
        "beijing_time": beijing_text,
        "result": None,
        "report": None,
        "errors": None,
        "error": None,
        "details": [],
        "filename": "",
        "title": "",
        "message": None,
        **extra,
    }


def _read_upload(file: UploadFile | None) -> tuple[str, bytes]:
    """(file name, bytes) of an upload, refused when missing or larger than its kind's cap."""
    filename = (file.filename or "") if file is not None else ""
    table = Path(filename).suffix.lower() in service.TABLE_SUFFIXES
    kind = FileKind.TABLE if table else FileKind.DOCUMENT
    return read_form_file(file, kind=kind, required="请选择要上传的文件")


@router.get("/admin/knowledge/ingest")
@router.get(BASE)
def documents_page(
    request: Request, session: SessionDep, user: PageAdmin, done: str = "", t: str = ""
):
    template = DONE_MESSAGES.get(done)
    message = template.format(title=t[:300]) if template else None
    return render(request, TEMPLATE, _context(session, user, message=message))


def _outcome_page(request, session, user, outcome, filename: str):
    if isinstance(outcome, ImportReport):
        errors = digest(outcome, owner_id=user.id)
        context = _context(session, user, report=outcome, errors=errors, filename=filename)
        status = 422 if outcome.errors and not outcome.written else 200
        return render(request, TEMPLATE, context, status)
    return render(request, TEMPLATE, _context(session, user, result=outcome, filename=filename))


def _error_page(request, session, user, exc: DomainError, filename: str = "", title: str = ""):
    session.rollback()
    context = _context(
        session, user, error=exc.message, details=exc.details, filename=filename, title=title
    )
    return render(request, TEMPLATE, context, exc.status_code)


@router.post("/admin/knowledge/ingest", dependencies=[CsrfChecked, ImportSlot])
def ingest_submit(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    file: Annotated[UploadFile | None, File()] = None,
    title: Annotated[str, Form()] = "",
    skip_invalid: Annotated[str | None, Form()] = None,
):
    filename = (file.filename or "") if file is not None else ""
    try:
        filename, data = _read_upload(file)
        outcome = service.ingest_bytes(
            session,
            data=data,
            filename=filename,
            title=title.strip() or None,
            skip_invalid=skip_invalid is not None,
            scope=account_service.region_scope(user),
            actor=user,
        )
    except DomainError as exc:
        return _error_page(request, session, user, exc, filename, title)
    return _outcome_page(request, session, user, outcome, filename)


@router.post(f"{BASE}/{{document_id}}/replace", dependencies=[CsrfChecked, ImportSlot])
def replace_submit(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    document_id: int,
    file: Annotated[UploadFile | None, File()] = None,
):
    filename = (file.filename or "") if file is not None else ""
    try:
        filename, data = _read_upload(file)
        outcome = service.ingest_bytes(
            session,
            data=data,
            filename=filename,
            scope=account_service.region_scope(user),
            actor=user,
            replace_id=document_id,
        )
    except DomainError as exc:
        return _error_page(request, session, user, exc, filename)
    return _outcome_page(request, session, user, outcome, filename)


def _set_status(request, session, user, document_id: int, status: str, done: str):
    try:
        document = documents.set_document_status(
            session,
            document_id=document_id,
            status=status,
            scope=account_service.region_scope(user),
            actor=user,
        )
    except DomainError as exc:
        return _error_page(request, session, user, exc)
    query = urlencode({"done": done, "t": document.title})
    return RedirectResponse(f"{BASE}?{query}", status_code=303)


@router.post(f"{BASE}/{{document_id}}/disable", dependencies=[CsrfChecked])
def disable_submit(request: Request, session: SessionDep, user: PageAdmin, document_id: int):
    return _set_status(request, session, user, document_id, DOCUMENT_DISABLED, "disabled")


@router.post(f"{BASE}/{{document_id}}/enable", dependencies=[CsrfChecked])
def enable_submit(request: Request, session: SessionDep, user: PageAdmin, document_id: int):
    return _set_status(request, session, user, document_id, DOCUMENT_ACTIVE, "enabled")


@router.get(f"{BASE}/{{document_id}}/delete")
def delete_confirm_page(request: Request, session: SessionDep, user: PageAdmin, document_id: int):
    scope = account_service.region_scope(user)
    document = documents.get_document(session, document_id=document_id, scope=scope)
    ownership.require_document_owner(scope, document)
    return render(
        request,
        "knowledge/document_delete.html",
        {"document": document, "kind_labels": documents.KIND_LABELS},
    )


@router.post(f"{BASE}/{{document_id}}/delete", dependencies=[CsrfChecked])
def delete_submit(request: Request, session: SessionDep, user: PageAdmin, document_id: int):
    try:
        before = documents.delete_document(
            session,
            document_id=document_id,
            scope=account_service.region_scope(user),
            actor=user,
        )
    except DomainError as exc:
        return _error_page(request, session, user, exc)
    query = urlencode({"done": "deleted", "t": before["title"]})
    return RedirectResponse(f"{BASE}?{query}", status_code=303)
