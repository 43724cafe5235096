"""Quiz API: bank (admins), practice, contests, attempts, leaderboards, certificates, statistics."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response

from core.deps import AdminScope, AdminUser, CurrentUser, OptionalUser, SessionDep
from core.errors import Invalid
from quiz import importer, schemas, scoring, service
from quiz.certificates import certificate_pdf

router = APIRouter(prefix="/api/quiz", tags=["quiz"])

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _released(session, value):
    """End the request's transaction in the handler's own thread before returning.

    On SQLite every transaction holds the write lock (BEGIN IMMEDIATE); left open, it would be
    held until the session is closed in a later thread-pool hop, stalling other requests.
    """
    session.commit()
    return value


def _question_read(question) -> schemas.QuestionRead:
    return schemas.QuestionRead.model_validate(question)


# ---- question bank -----------------------------------------------------------------------


@router.get("/questions", response_model=schemas.QuestionPage, summary="检索题库（管理员）")
def list_questions(
    session: SessionDep,
    _scope: AdminScope,
    q: str = "",
    tag: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    page: int = Query(default=1, ge=1),
) -> schemas.QuestionPage:
    result = service.list_questions(session, query=q, tag=tag, kind=kind, status=status, page=page)
    return schemas.QuestionPage(
        items=[_question_read(x) for x in result.items],
        total=result.total,
        page=result.page,
        pages=result.pages,
    )


@router.post(
    "/questions", response_model=schemas.QuestionRead, status_code=201, summary="新增题目（管理员）"
)
def create_question(
    session: SessionDep, _scope: AdminScope, data: schemas.QuestionCreate
) -> schemas.QuestionRead:
    return _question_read(service.create_question(session, data=data))


@router.get("/questions/export", summary="导出题库为 CSV 或 XLSX（管理员）")
def export_questions(
    session: SessionDep,
    _scope: AdminScope,
    format: Literal["csv", "xlsx"] = "csv",
    status: str | None = None,
) -> Response:
    data = importer.export_questions(session, fmt=format, status=status)
    media = (
        "text/csv; charset=utf-8"
        if format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="questions.{format}"'},
    )


@router.post(
    "/questions/import", response_model=schemas.ImportResult, summary="导入题库文件（管理员）"
)
def import_questions(
    session: SessionDep,
    _scope: AdminScope,
    file: Annotated[UploadFile, File(description="题库 .csv 或 .xlsx")],
    skip_invalid: Annotated[bool, Form()] = False,
) -> schemas.ImportResult:
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid("上传的文件太大（最多 20 MB）")
    report = importer.import_questions(
        session, data, filename=file.filename or "", skip_invalid=skip_invalid
    )
    return schemas.ImportResult(
        summary=report.summary(),
        created=report.created,
        errors=list(report.error_lines()),
        written=report.written,
    )


@router.get(
    "/questions/{question_id}", response_model=schemas.QuestionRead, summary="题目详情（管理员）"
)
def read_question(
    session: SessionDep, _scope: AdminScope, question_id: int
) -> schemas.QuestionRead:
    return _question_read(service.get_question(session, question_id))


@router.put(
    "/questions/{question_id}", response_model=schemas.QuestionRead, summary="修改题目（管理员）"
)
def update_question(
    session: SessionDep, _scope: AdminScope, question_id: int, data: schemas.QuestionUpdate
) -> schemas.QuestionRead:
    return _question_read(service.update_question(session, question_id=question_id, data=data))


@router.post(
    "/questions/{question_id}/retire",
    response_model=schemas.QuestionRead,
    summary="停用题目（管理员）",
)
def retire_question(
    session: SessionDep, _scope: AdminScope, question_id: int
) -> schemas.QuestionRead:
    return _question_read(service.retire_question(session, question_id=question_id))


@router.get("/tags", response_model=list[schemas.TagCount], summary="题目标签及题量")
def tags(session: SessionDep, _user: CurrentUser) -> list[schemas.TagCount]:
    return [schemas.TagCount(tag=t, count=c) for t, c in service.tag_counts(session)]


# ---- practice ----------------------------------------------------------------------------


@router.get(
    "/practice/question",
    response_model=schemas.PracticeQuestion,
    summary="随机抽一道练习题（不含答案）",
)
def practice_question(
    session: SessionDep, user: OptionalUser, tag: str | None = None, mistakes: bool = False
) -> schemas.PracticeQuestion:
    question = service.practice_question(
        session, user_id=user.id if user else None, tag=tag, mistakes_only=mistakes
    )
    return _released(session, question)


@router.post(
    "/practice/answer",
    response_model=schemas.PracticeResult,
    summary="提交练习答案，返回正确答案与解析",
)
def practice_answer(
    session: SessionDep, user: OptionalUser, data: schemas.PracticeAnswer
) -> schemas.PracticeResult:
    return service.check_practice_answer(
        session, user_id=user.id if user else None, question_id=data.question_id, choice=data.choice
    )


@router.get("/practice/mistakes", response_model=list[schemas.MistakeRead], summary="我的错题本")
def mistakes(
    session: SessionDep, user: CurrentUser, include_mastered: bool = False
) -> list[schemas.MistakeRead]:
    return service.list_mistakes(session, user_id=user.id, include_mastered=include_mastered)


# ---- contests ----------------------------------------------------------------------------


@router.get(
    "/contests", response_model=list[schemas.ContestForUser], summary="我可参加（或管理）的竞赛"
)
def list_contests(session: SessionDep, user: CurrentUser) -> list[schemas.ContestForUser]:
    return _released(session, service.list_contests_for_user(session, user=user))


@router.post(
    "/contests", response_model=schemas.ContestRead, status_code=201, summary="创建竞赛（管理员）"
)
def create_contest(
    session: SessionDep, admin: AdminUser, data: schemas.ContestCreate
) -> schemas.ContestRead:
    return schemas.ContestRead.model_validate(
        service.create_contest(session, data=data, admin=admin)
    )


@router.put(
    "/contests/{contest_id}", response_model=schemas.ContestRead, summary="修改竞赛设置（组织者）"
)
def update_contest(
    session: SessionDep, admin: AdminUser, contest_id: int, data: schemas.ContestCreate
) -> schemas.ContestRead:
    contest = service.update_contest(session, contest_id=contest_id, data=data, admin=admin)
    return schemas.ContestRead.model_validate(contest)


@router.post(
    "/contests/{contest_id}/attempts",
    response_model=schemas.AttemptView,
    status_code=201,
    summary="开始（或继续）作答：服务器抽题并确定截止时间",
)
def start_attempt(session: SessionDep, user: CurrentUser, contest_id: int) -> schemas.AttemptView:
    attempt = service.start_attempt(session, contest_id=contest_id, user=user)
    return _released(session, service.get_attempt_view(session, attempt_id=attempt.id, user=user))


@router.get(
    "/attempts/{attempt_id}",
    response_model=schemas.AttemptView,
    summary="我的答卷（交卷前不含答案）",
)
def read_attempt(session: SessionDep, user: CurrentUser, attempt_id: int) -> schemas.AttemptView:
    return _released(session, service.get_attempt_view(session, attempt_id=attempt_id, user=user))


@router.put(
    "/attempts/{attempt_id}/answers/{position}",
    response_model=schemas.SavedAnswer,
    summary="保存一道题的答案（立即保存，超时不计）",
)
def save_answer(
    session: SessionDep, user: CurrentUser, attempt_id: int, position: int, data: schemas.SaveAnswer
) -> schemas.SavedAnswer:
    return service.save_answer(
        session, attempt_id=attempt_id, user=user, position=position, choice=data.choice
    )


@router.post(
    "/attempts/{attempt_id}/submit",
    response_model=schemas.AttemptResult,
    summary="交卷（重复交卷返回同一结果）",
)
def submit_attempt(
    session: SessionDep, user: CurrentUser, attempt_id: int
) -> schemas.AttemptResult:
    return _released(session, service.submit_attempt(session, attempt_id=attempt_id, user=user))


@router.get(
    "/contests/{contest_id}/leaderboard",
    response_model=schemas.Leaderboard,
    summary="排行榜：个人或按省份、城市、单位的团体平均分（管理员只看本辖区）",
)
def leaderboard(
    session: SessionDep,
    user: CurrentUser,
    contest_id: int,
    group: Literal["person", "province", "city", "organisation"] = "person",
    province: str | None = None,
    city: str | None = None,
    organisation: str | None = None,
    limit: int = Query(default=100, ge=1, le=1000),
) -> schemas.Leaderboard:
    board = service.leaderboard(
        session,
        contest_id=contest_id,
        viewer=user,
        group=group,
        province=province,
        city=city,
        organisation=organisation,
        limit=limit,
    )
    return _released(session, board)


@router.get(
    "/contests/{contest_id}/statistics",
    response_model=schemas.ContestStatistics,
    summary="竞赛统计：参与情况、成绩分布、试题分析、薄弱知识点（管理员，本辖区）",
)
def statistics(session: SessionDep, admin: AdminUser, contest_id: int) -> schemas.ContestStatistics:
    return _released(
        session, service.contest_statistics(session, contest_id=contest_id, admin=admin)
    )


@router.get("/contests/{contest_id}/histogram.svg", summary="成绩分布直方图（SVG，管理员）")
def histogram_svg(session: SessionDep, admin: AdminUser, contest_id: int) -> Response:
    stats = service.contest_statistics(session, contest_id=contest_id, admin=admin)
    return Response(scoring.histogram_svg(stats.histogram), media_type="image/svg+xml")


@router.post(
    "/contests/{contest_id}/certificates",
    summary="颁发证书：名次证书（竞赛结束后）与合格证书（组织者）",
)
def issue_certificates(session: SessionDep, admin: AdminUser, contest_id: int) -> dict[str, int]:
    return {"issued": service.issue_certificates(session, contest_id=contest_id, admin=admin)}


@router.get("/certificates", response_model=list[schemas.CertificateRead], summary="我的竞赛证书")
def my_certificates(session: SessionDep, user: CurrentUser) -> list[schemas.CertificateRead]:
    return _released(session, service.my_certificates(session, user=user))


@router.get("/certificates/{code}.pdf", summary="下载证书 PDF（本人或辖区管理员）")
def certificate_download(session: SessionDep, user: CurrentUser, code: str) -> Response:
    cert, contest = service.get_certificate(session, code=code, user=user)
    return Response(
        certificate_pdf(cert, contest),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="certificate-{cert.code}.pdf"'},
    )
