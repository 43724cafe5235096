"""Contest administration API: edit safely, duplicate, close early, reopen for one person,
results with item analysis (XLSX or CSV). The same actions as the contest admin pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from core.deps import AdminUser, RequestSessionRoute, SessionDep
from core.openapi import XLSX, error_responses, file_responses
from quiz import contest_admin, schemas
from quiz.api import IdPath

router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/quiz", tags=["quiz"], responses=error_responses(401, 403, 404, 409, 422, 429)
)


class ExtensionCreate(BaseModel):
    """Reopen a contest for one participant."""

    username: str = Field(min_length=1, max_length=64)
    closes_at: dt.datetime = Field(
        description="此人的截止时间（不带时区时按北京时间）；最多 30 天后"
    )
    extra_attempts: int = Field(default=1, ge=0, le=contest_admin.MAX_EXTRA_ATTEMPTS)


class ExtensionRead(BaseModel):
    contest_id: int
    username: str
    closes_at: dt.datetime
    extra_attempts: int


@router.put(
    "/contests/{contest_id}/settings",
    response_model=schemas.ContestRead,
    summary="修改竞赛（组织者）：开始前可改全部设置，开始后只能改名称、类别、说明、结束时间、答案显示方式和荣誉证书名额",
)
def edit_contest(
    contest_id: IdPath, data: schemas.ContestCreate, session: SessionDep, admin: AdminUser
) -> schemas.ContestRead:
    contest = contest_admin.edit_contest(session, contest_id=contest_id, data=data, admin=admin)
    return schemas.ContestRead.model_validate(contest)


@router.post(
    "/contests/{contest_id}/duplicate",
    response_model=schemas.ContestRead,
    status_code=201,
    summary="复制竞赛（组织者）：设置相同，明天开始、时长相同",
)
def duplicate_contest(
    contest_id: IdPath, session: SessionDep, admin: AdminUser
) -> schemas.ContestRead:
    copy = contest_admin.duplicate_contest(session, contest_id=contest_id, admin=admin)
    return schemas.ContestRead.model_validate(copy)


@router.post(
    "/contests/{contest_id}/close",
    response_model=schemas.ContestRead,
    summary="提前结束进行中的竞赛（组织者）：未交的答卷按已保存的答案计分",
)
def close_contest(contest_id: IdPath, session: SessionDep, admin: AdminUser) -> schemas.ContestRead:
    contest = contest_admin.close_now(session, contest_id=contest_id, admin=admin)
    return schemas.ContestRead.model_validate(contest)


@router.post(
    "/contests/{contest_id}/extensions",
    response_model=ExtensionRead,
    summary="为一名参赛者重新开放竞赛（组织者）：到指定时间前可再开始作答",
)
def reopen_for(
    contest_id: IdPath, data: ExtensionCreate, session: SessionDep, admin: AdminUser
) -> ExtensionRead:
    extension = contest_admin.reopen_for(
        session,
        contest_id=contest_id,
        username=data.username,
        closes_at=data.closes_at,
        extra_attempts=data.extra_attempts,
        admin=admin,
    )
    return ExtensionRead(
        contest_id=extension.contest_id,
        username=data.username.strip(),
        closes_at=extension.closes_at,
        extra_attempts=extension.extra_attempts,
    )


@router.get(
    "/contests/{contest_id}/results",
    response_class=Response,
    responses=file_responses(
        "text/csv", XLSX, description="成绩（XLSX 另含“试题分析”工作表），本辖区的答卷"
    ),
    summary="导出竞赛成绩和试题分析（管理员，本辖区）",
)
def results(
    contest_id: IdPath,
    session: SessionDep,
    admin: AdminUser,
    format: Annotated[Literal["xlsx", "csv"], Query()] = "xlsx",
) -> Response:
    contest, body = contest_admin.results_file(
        session, contest_id=contest_id, admin=admin, fmt=format
    )
    media = "text/csv; charset=utf-8" if format == "csv" else XLSX
    name = f"{contest.title}_成绩.{format}"
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="contest-{contest.id}-results.{format}"; '
            f"filename*=UTF-8''{quote(name)}"
        },
    )
