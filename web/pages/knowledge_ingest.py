"""Admin page: upload documents (.txt .md .docx .pdf) or FAQ tables (.csv .xlsx) (knowledge base).

Same code path as ``permithub ingest``. The knowledge base is nationwide, so only national admins
may change it; other admins see the list of ingested documents.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile

from core.accounts.models import Role
from core.deps import SessionDep
from core.errors import DomainError, Forbidden, Invalid
from core.tabular import ImportReport
from knowledge import service
from web.deps import CsrfChecked, PageAdmin
from web.templating import render

router = APIRouter(include_in_schema=False)

MAX_UPLOAD_BYTES = 100 * 1024 * 1024
TEMPLATE = "knowledge/ingest.html"


def _context(session, user, **extra) -> dict:
    return {
        "documents": service.list_documents(session),
        "can_ingest": user.role == Role.NATIONAL.value,
        "result": None,
        "report": None,
        "error": None,
        "details": [],
        "filename": "",
        "title": "",
        **extra,
    }


@router.get("/admin/knowledge/ingest")
def ingest_page(request: Request, session: SessionDep, user: PageAdmin):
    return render(request, TEMPLATE, _context(session, user))


@router.post("/admin/knowledge/ingest", dependencies=[CsrfChecked])
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
        if user.role != Role.NATIONAL.value:
            raise Forbidden("知识库全国通用，仅部级管理员可以导入文档")
        if file is None or not filename:
            raise Invalid("请选择要上传的文件")
        data = file.file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise Invalid(
                f"文件太大（超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB），"
                "请使用命令行 permithub ingest 导入"
            )
        outcome = service.ingest_bytes(
            session,
            data=data,
            filename=filename,
            title=title.strip() or None,
            skip_invalid=skip_invalid is not None,
        )
    except DomainError as exc:
        session.rollback()
        context = _context(
            session, user, error=exc.message, details=exc.details, filename=filename, title=title
        )
        return render(request, TEMPLATE, context, exc.status_code)
    if isinstance(outcome, ImportReport):
        context = _context(session, user, report=outcome, filename=filename)
        return render(
            request, TEMPLATE, context, 422 if outcome.errors and not outcome.written else 200
        )
    return render(request, TEMPLATE, _context(session, user, result=outcome, filename=filename))
