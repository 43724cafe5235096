"""Typical-case API: anyone reads the published cases; national and provincial admins write,
edit, publish and retire the cases of their region."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from cases import service
from cases.schemas import CaseCreate, CasePage, CaseRead, CaseUpdate
from core.bounds import IdPath, PageQuery
from core.deps import AdminUser, RequestSessionRoute, SessionDep
from core.openapi import error_responses

router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/cases",
    tags=["cases"],
    responses=error_responses(404, 422),
)
PAGE_SIZE = 30
Short = Annotated[str, Query(max_length=100)]
ADMIN_ERRORS = error_responses(401, 403, 409)


@router.get("", response_model=CasePage, summary="已发布的典型案例（按类型、地区筛选，可搜索）")
def list_cases(
    session: SessionDep, kind: Short = "", region: Short = "", q: Short = "", page: PageQuery = 1
):
    rows, total = service.list_published(
        session,
        kind=kind or None,
        province=region or None,
        query=q or None,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    return CasePage(items=[CaseRead.model_validate(c) for c in rows], total=total)


@router.get("/{case_id}", response_model=CaseRead, summary="一个已发布的典型案例")
def read_case(session: SessionDep, case_id: IdPath):
    return service.get_published(session, case_id=case_id)


@router.post(
    "",
    response_model=CaseRead,
    status_code=201,
    responses=ADMIN_ERRORS,
    summary="新建典型案例（草稿；省级管理员只能写本省的）",
)
def create_case(session: SessionDep, user: AdminUser, data: CaseCreate):
    return service.create_case(session, data=data, scope=service.editor_scope(user), actor=user)


@router.patch("/{case_id}", response_model=CaseRead, responses=ADMIN_ERRORS, summary="修改典型案例")
def update_case(session: SessionDep, user: AdminUser, case_id: IdPath, data: CaseUpdate):
    return service.update_case(
        session, case_id=case_id, data=data, scope=service.editor_scope(user), actor=user
    )


@router.post(
    "/{case_id}/publish",
    response_model=CaseRead,
    responses=ADMIN_ERRORS,
    summary="发布典型案例：出现在 /cases，问答可以引用",
)
def publish_case(session: SessionDep, user: AdminUser, case_id: IdPath):
    return service.publish_case(
        session, case_id=case_id, scope=service.editor_scope(user), actor=user
    )


@router.post(
    "/{case_id}/retire",
    response_model=CaseRead,
    responses=ADMIN_ERRORS,
    summary="撤下典型案例",
)
def retire_case(session: SessionDep, user: AdminUser, case_id: IdPath):
    return service.retire_case(
        session, case_id=case_id, scope=service.editor_scope(user), actor=user
    )
