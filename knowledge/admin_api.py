"""Knowledge admin API: documents managed like data, and batch evaluation for scripts.

Documents: list, upload (a document with the title or content of a stored one replaces it, and
the reply says so), replace a given one, disable/enable, delete. Changes need the caller to own
the document (national documents: national admins). Evaluation: ``POST /api/knowledge/eval``
with a .jsonl file as the body (or a multipart ``file``), the format of ``permithub eval``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    Query,
    Request,
    Response,
    UploadFile,
    status,
)

from core.bounds import IdPath
from core.deps import AdminScope, AdminUser, RequestSessionRoute, SessionDep
from core.errors import Invalid
from core.imports import ImportSlot
from core.openapi import error_responses
from core.regions.scope import RegionScope
from core.uploads import FileKind, read_body, read_form_file
from knowledge import documents, evaluation, ownership, service
from knowledge.admin_schemas import DocumentRead, EvalMiss, EvalRead, UploadRead
from knowledge.ingest import IngestResult
from knowledge.models import DOCUMENT_ACTIVE, DOCUMENT_DISABLED, Document

router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/knowledge",
    tags=["knowledge-admin"],
    responses=error_responses(401, 403, 404, 409, 422),
)
EVAL_EXAMPLE = (
    '{"q": "排污许可证有效期几年", "in_scope": true, "must_contain_any": ["有效期为5年"]}\n'
    '{"q": "明天会下雨吗", "in_scope": false}\n'
)


def document_read(document: Document, scope: RegionScope) -> DocumentRead:
    """The API shape of a document, and whether ``scope`` may change it."""
    return DocumentRead(
        id=document.id,
        title=document.title,
        source=document.source,
        kind=document.kind,
        status=document.status,
        chunk_count=document.chunk_count,
        sha256=document.sha256,
        content_sha256=document.content_sha256,
        province=document.province,
        city=document.city,
        owner=ownership.owner_label(document.province, document.city),
        editable=scope.owns(document.province, document.city),
        ingested_at=document.ingested_at,
    )


def _read_upload(file: UploadFile) -> bytes:
    return read_form_file(file, kind=FileKind.DOCUMENT, required="请以 file 字段上传文档")[1]


def _upload_read(result, response: Response) -> UploadRead:
    if not isinstance(result, IngestResult):  # a FAQ table cannot come through here
        raise Invalid("此接口只接受文档（.txt .md .docx .pdf）")
    if result.status == "created":
        response.status_code = status.HTTP_201_CREATED
    return UploadRead(
        status=result.status,
        document_id=result.document_id,
        title=result.title,
        chunks=result.chunks,
        message=result.summary(),
    )


@router.get("/documents", response_model=list[DocumentRead], summary="知识库文档列表")
def list_documents(session: SessionDep, scope: AdminScope) -> list[DocumentRead]:
    """National documents and those of the caller's region, newest first."""
    return [document_read(d, scope) for d in documents.list_documents(session, scope=scope)]


@router.post(
    "/documents",
    response_model=UploadRead,
    status_code=status.HTTP_200_OK,
    responses={201: {"model": UploadRead, "description": "新导入的文档"}},
    summary="上传文档（标题相同或内容相同时替换原文档，并在 message 中说明）",
    dependencies=[ImportSlot],  # one import at a time, taken before the caller is loaded
)
def upload_document(
    session: SessionDep,
    scope: AdminScope,
    user: AdminUser,
    response: Response,
    file: Annotated[UploadFile, File(description=".txt .md .docx .pdf")],
    title: Annotated[str, Form(max_length=300)] = "",
) -> UploadRead:
    """201 with a new document; 200 when it replaced one (``status`` replaced) or was unchanged."""
    if documents.is_table(file.filename or ""):
        raise Invalid("此接口只接受文档（.txt .md .docx .pdf）；问答表请在网页“文档管理”中上传")
    result = service.ingest_bytes(
        session,
        data=_read_upload(file),
        filename=file.filename or "",
        title=title.strip() or None,
        scope=scope,
        actor=user,
    )
    return _upload_read(result, response)


@router.put(
    "/documents/{document_id}",
    response_model=UploadRead,
    summary="用新文件替换指定文档（保留原标题）",
    dependencies=[ImportSlot],
)
def replace_document(
    document_id: IdPath,
    session: SessionDep,
    scope: AdminScope,
    user: AdminUser,
    response: Response,
    file: Annotated[UploadFile, File(description=".txt .md .docx .pdf")],
) -> UploadRead:
    """Replace the passages of a document the caller owns with those of the new file."""
    result = service.ingest_bytes(
        session,
        data=_read_upload(file),
        filename=file.filename or "",
        scope=scope,
        actor=user,
        replace_id=document_id,
    )
    return _upload_read(result, response)


@router.post(
    "/documents/{document_id}/disable",
    response_model=DocumentRead,
    summary="停用文档（保留，但不参与问答）",
)
def disable_document(
    document_id: IdPath, session: SessionDep, scope: AdminScope, user: AdminUser
) -> DocumentRead:
    """Keep the document but leave it out of every worker's index."""
    document = documents.set_document_status(
        session, document_id=document_id, status=DOCUMENT_DISABLED, scope=scope, actor=user
    )
    return document_read(document, scope)


@router.post("/documents/{document_id}/enable", response_model=DocumentRead, summary="启用文档")
def enable_document(
    document_id: IdPath, session: SessionDep, scope: AdminScope, user: AdminUser
) -> DocumentRead:
    """Use a disabled document for answers again."""
    document = documents.set_document_status(
        session, document_id=document_id, status=DOCUMENT_ACTIVE, scope=scope, actor=user
    )
    return document_read(document, scope)


@router.delete(
    "/documents/{document_id}", status_code=status.HTTP_204_NO_CONTENT, summary="删除文档"
)
def delete_document(
    document_id: IdPath, session: SessionDep, scope: AdminScope, user: AdminUser
) -> None:
    """Remove a document and its passages (audited)."""
    documents.delete_document(session, document_id=document_id, scope=scope, actor=user)


async def _jsonl_body(request: Request) -> bytes:
    """The .jsonl file: the raw body, or the ``file`` field of a multipart form; size capped."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise Invalid("请以 file 字段上传 .jsonl 文件")
        return read_form_file(upload, kind=FileKind.EVALUATION)[1]
    return await read_body(request.stream(), filename="", kind=FileKind.EVALUATION)


@router.post(
    "/eval",
    response_model=EvalRead,
    summary="批量评测：上传问题 .jsonl，返回首条/前三条正确率、拒答情况和未答对的问题",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-ndjson": {
                    "schema": {"type": "string"},
                    "example": EVAL_EXAMPLE,
                },
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            },
        }
    },
)
def evaluate(
    session: SessionDep,
    scope: AdminScope,
    data: Annotated[bytes, Depends(_jsonl_body)],
    province: Annotated[str | None, Query(max_length=32)] = None,
    city: Annotated[str | None, Query(max_length=32)] = None,
) -> EvalRead:
    """Answer every question as /api/ask would (nothing logged) for an asker in the caller's
    region, or in ``province``/``city`` inside it; 422 with ``第N行: 原因`` for bad lines."""
    region = scope.narrow(province, city)
    report = evaluation.evaluate_file(session, data, province=region.province, city=region.city)
    figures = report.figures()
    return EvalRead(**figures, misses=[_miss(o) for o in report.misses])


def _miss(o: evaluation.Outcome) -> EvalMiss:
    return EvalMiss(
        line=o.item.line,
        id=o.item.id,
        question=o.item.question,
        in_scope=o.item.in_scope,
        verdict=o.verdict,
        verdict_label=evaluation.VERDICT_LABELS[o.verdict],
        answered=o.answered,
        answer=o.answer,
        confidence=o.confidence,
        cited=o.cited,
        expected=list(o.item.must_contain_any),
    )
