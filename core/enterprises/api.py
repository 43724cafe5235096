"""Registry API: search units within the admin's region."""

from __future__ import annotations

from fastapi import APIRouter, Query

from core.bounds import PageQuery
from core.deps import AdminScope, RequestSessionRoute, SessionDep
from core.enterprises import service
from core.enterprises.schemas import EnterprisePageRead, EnterpriseRead
from core.openapi import error_responses

router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/enterprises", tags=["enterprises"], responses=error_responses(401, 403, 404, 422)
)


@router.get("", response_model=EnterprisePageRead, summary="按名称或信用代码查询排污单位")
def search_enterprises(
    session: SessionDep,
    scope: AdminScope,
    q: str = "",
    page: PageQuery = 1,
    per_page: int = Query(50, ge=1, le=500),
) -> EnterprisePageRead:
    result = service.list_enterprises(session, scope=scope, query=q, page=page, per_page=per_page)
    return EnterprisePageRead(
        items=[EnterpriseRead.model_validate(e) for e in result.items],
        total=result.total,
        page=result.page,
        pages=result.pages,
    )


@router.get("/{credit_code}", response_model=EnterpriseRead, summary="查看一个排污单位")
def read_enterprise(credit_code: str, session: SessionDep, scope: AdminScope) -> EnterpriseRead:
    return EnterpriseRead.model_validate(
        service.get_enterprise(session, scope=scope, credit_code=credit_code)
    )
