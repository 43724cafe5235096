"""Accounts API for admins: list, create, import, edit, disable/enable, reset; the audit log.

Everything the account pages do, for scripts: an admin manages accounts below their own level
inside their region (see ``core.accounts.admin``). New and reset accounts get a one-time
password, answered once (in the JSON answer, or in the result file of an import).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Response, UploadFile

from core.accounts import admin
from core.accounts.schemas import (
    AccountCreate,
    AccountPageRead,
    AccountRead,
    AccountUpdate,
    AuditRead,
    OneTimePassword,
)
from core.bounds import IdPath, PageQuery
from core.deps import AdminUser, RequestSessionRoute, SessionDep
from core.imports import ImportSlot
from core.openapi import XLSX, error_responses, file_responses
from core.spreadsheets import CSV_MEDIA_TYPE, table_response
from core.uploads import FileKind, read_form_file

router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/users", tags=["users"], responses=error_responses(401, 403, 404, 409, 422, 429)
)
FileFormat = Literal["xlsx", "csv"]


def _one_time(created: admin.CreatedAccount) -> OneTimePassword:
    return OneTimePassword(
        account=AccountRead.model_validate(created.user), one_time_password=created.password
    )


@router.get("", response_model=AccountPageRead, summary="辖区内的账号（按角色、用户名或姓名筛选）")
def list_accounts(
    session: SessionDep,
    user: AdminUser,
    role: Literal["national", "province", "city", "staff", "enterprise"] | None = None,
    q: Annotated[str, Query(max_length=64)] = "",
    page: PageQuery = 1,
) -> AccountPageRead:
    result = admin.list_accounts(session, actor=user, role=role, query=q, page=page)
    return AccountPageRead(
        items=[AccountRead.model_validate(u) for u in result.users],
        total=result.total,
        page=result.page,
        pages=result.pages,
    )


@router.post(
    "",
    response_model=OneTimePassword,
    status_code=201,
    summary="新建下级账号：返回一次性密码（仅此一次），用户首次登录时须修改",
)
def create_account(data: AccountCreate, session: SessionDep, user: AdminUser) -> OneTimePassword:
    created = admin.create_account(
        session, actor=user, fields=admin.AccountFields(**data.model_dump())
    )
    return _one_time(created)


@router.get(
    "/import/template",
    response_class=Response,
    responses=file_responses(CSV_MEDIA_TYPE, XLSX, description="账号导入模板（中文表头）"),
    summary="账号导入模板",
)
def import_template(user: AdminUser, format: FileFormat = "xlsx") -> Response:
    example = admin.TEMPLATE_EXAMPLE
    return table_response(
        admin.ACCOUNT_TEMPLATE_HEADER,
        [example],
        fmt=format,
        name="accounts-template",
        sheet_title="账号",
        no_store=True,
    )


@router.post(
    "/import",
    response_class=Response,
    responses=file_responses(
        CSV_MEDIA_TYPE, XLSX, description="导入结果：每个新账号的用户名和一次性密码（仅此一次）"
    ),
    summary="从 CSV/XLSX 批量导入账号：全部成功才写入；结果文件含一次性密码",
    dependencies=[ImportSlot],
)
def import_accounts(
    session: SessionDep,
    user: AdminUser,
    file: Annotated[UploadFile, File(description="账号 .csv 或 .xlsx（表头见导入模板）")],
    format: FileFormat = "xlsx",
) -> Response:
    filename, data = read_form_file(file, kind=FileKind.TABLE, required="请选择账号文件")
    result = admin.import_accounts(session, data, actor=user, filename=filename)
    return table_response(
        admin.RESULT_HEADER,
        admin.result_rows(result.created),
        fmt=format,
        name="accounts-created",
        sheet_title="新建账号",
        title=result.summary() if format == "xlsx" else None,
        no_store=True,
    )


@router.get("/audit", response_model=list[AuditRead], summary="账号变更记录（仅部级管理员）")
def account_audit(
    session: SessionDep, user: AdminUser, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[AuditRead]:
    return [
        AuditRead.model_validate(e) for e in admin.account_audit(session, actor=user, limit=limit)
    ]


@router.get("/{user_id}", response_model=AccountRead, summary="查看辖区内的一个账号")
def read_account(user_id: IdPath, session: SessionDep, user: AdminUser) -> AccountRead:
    return AccountRead.model_validate(admin.get_account(session, actor=user, user_id=user_id))


@router.patch(
    "/{user_id}", response_model=AccountRead, summary="修改下级账号的姓名、单位、人员类别或城市"
)
def update_account(
    user_id: IdPath, data: AccountUpdate, session: SessionDep, user: AdminUser
) -> AccountRead:
    account = admin.update_account(
        session, actor=user, user_id=user_id, **data.model_dump(exclude_unset=True)
    )
    return AccountRead.model_validate(account)


@router.post(
    "/{user_id}/disable", response_model=AccountRead, summary="停用下级账号（其所有登录随即失效）"
)
def disable_account(user_id: IdPath, session: SessionDep, user: AdminUser) -> AccountRead:
    return AccountRead.model_validate(
        admin.set_active(session, actor=user, user_id=user_id, active=False)
    )


@router.post("/{user_id}/enable", response_model=AccountRead, summary="重新启用下级账号")
def enable_account(user_id: IdPath, session: SessionDep, user: AdminUser) -> AccountRead:
    return AccountRead.model_validate(
        admin.set_active(session, actor=user, user_id=user_id, active=True)
    )


@router.post(
    "/{user_id}/password-reset",
    response_model=OneTimePassword,
    summary="为下级账号生成新的一次性密码（仅此一次）；其所有登录随即失效",
)
def reset_password(user_id: IdPath, session: SessionDep, user: AdminUser) -> OneTimePassword:
    return _one_time(admin.reset_to_one_time(session, actor=user, user_id=user_id))
