"""Quiz API: bank (admins), practice, contests, attempts, leaderboards, certificates, statistics."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import AfterValidator

from core.bounds import IdPath
from core.deps import AdminUser, CurrentUser, RequestSessionRoute, SessionDep, rate_limit
from core.imports import ImportSlot, digest
from core.openapi import XLSX, error_responses, file_responses
from core.uploads import FileKind, read_form_file
from quiz import (
    attempts,
    bank,
    certificates,
    contests,
    importer,
    practice,
    ranking,
    schemas,
    scoring,
    stats,
)
from quiz.certificates import certificate_pdf

router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/quiz", tags=["quiz"], responses=error_responses(401, 403, 404, 409, 422, 429)
)

# Path and query parameters are bounded like the schemas: a 64-bit id is a 422, not an overflow.
PositionPath = Annotated[int, Path(ge=1, le=schemas.MAX_CONTEST_QUESTIONS)]
CodePath = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")]
Word = Annotated[str, AfterValidator(schemas.no_control_characters), Query(max_length=100)]
MaybeWord = Annotated[
    str | None, AfterValidator(schemas.no_control_characters), Query(max_length=100)
]
MAX_PAGE = 100_000


def _question_read(session, question, admin) -> schemas.QuestionRead:
    return bank.question_read(question, bank.key_access(session, admin=admin))


# ---- question bank -----------------------------------------------------------------------


@router.get(
    "/questions",
    response_model=schemas.QuestionPage,
    summary="检索题库（管理员：本辖区可用的题目；只有所属辖区的管理员看得到答案）",
)
def list_questions(
    session: SessionDep,
    admin: AdminUser,
    q: Word = "",
    tag: MaybeWord = None,
    kind: MaybeWord = None,
    status: MaybeWord = None,
    page: int = Query(default=1, ge=1, le=MAX_PAGE),
) -> schemas.QuestionPage:
    access = bank.key_access(session, admin=admin)
    result = bank.list_questions(
        session, scope=access.scope, query=q, tag=tag, kind=kind, status=status, page=page
    )
    return schemas.QuestionPage(
        items=[bank.question_read(x, access) for x in result.items],
        total=result.total,
        page=result.page,
        pages=result.pages,
    )


@router.post(
    "/questions",
    response_model=schemas.QuestionRead,
    status_code=201,
    summary="新增题目（管理员；题目属于本辖区）",
)
def create_question(
    session: SessionDep, admin: AdminUser, data: schemas.QuestionCreate
) -> schemas.QuestionRead:
    question = bank.create_question(session, data=data, admin=admin)
    return _question_read(session, question, admin)


@router.get(
    "/questions/export",
    summary="导出本辖区可见的题库为 CSV 或 XLSX（管理员）",
    response_class=Response,
    responses=file_responses("text/csv", XLSX, description="题库文件"),
)
def export_questions(
    session: SessionDep,
    admin: AdminUser,
    format: Literal["csv", "xlsx"] = "csv",
    status: MaybeWord = None,
) -> Response:
    access = bank.key_access(session, admin=admin)
    data = importer.export_questions(session, access=access, fmt=format, status=status)
    media = "text/csv; charset=utf-8" if format == "csv" else XLSX
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="questions.{format}"'},
    )


@router.post(
    "/questions/import",
    response_model=schemas.ImportResult,
    summary="导入题库文件（管理员；导入的题目属于本辖区）",
    dependencies=[ImportSlot],  # before the caller is loaded: see core.imports
)
def import_questions(
    session: SessionDep,
    admin: AdminUser,
    file: Annotated[UploadFile, File(description="题库 .csv 或 .xlsx")],
    skip_invalid: Annotated[bool, Form()] = False,
) -> schemas.ImportResult:
    filename, data = read_form_file(
        file, kind=FileKind.TABLE, required="请以 file 字段上传题库文件（CSV 或 XLSX）"
    )
    report = importer.import_questions(
        session, data, filename=filename, skip_invalid=skip_invalid, admin=admin
    )
    errors = digest(report, owner_id=admin.id)
    return schemas.ImportResult(
        summary=report.summary(),
        created=report.created,
        errors=errors.lines,
        error_count=errors.total,
        errors_url=f"/admin/import/errors/{errors.token}.txt" if errors.token else None,
        written=report.written,
    )


@router.get(
    "/questions/{question_id}", response_model=schemas.QuestionRead, summary="题目详情（管理员）"
)
def read_question(
    session: SessionDep, admin: AdminUser, question_id: IdPath
) -> schemas.QuestionRead:
    return bank.read_question(session, question_id=question_id, admin=admin)


@router.put(
    "/questions/{question_id}",
    response_model=schemas.QuestionRead,
    summary="修改题目（题目所属辖区的管理员；已开始的答卷不受影响）",
)
def update_question(
    session: SessionDep, admin: AdminUser, question_id: IdPath, data: schemas.QuestionUpdate
) -> schemas.QuestionRead:
    question = bank.update_question(session, question_id=question_id, data=data, admin=admin)
    return _question_read(session, question, admin)


@router.post(
    "/questions/{question_id}/retire",
    response_model=schemas.QuestionRead,
    summary="停用题目（题目所属辖区的管理员）",
)
def retire_question(
    session: SessionDep, admin: AdminUser, question_id: IdPath
) -> schemas.QuestionRead:
    question = bank.retire_question(session, question_id=question_id, admin=admin)
    return _question_read(session, question, admin)


@router.get("/tags", response_model=list[schemas.TagCount], summary="题目标签及题量")
def tags(session: SessionDep, _user: CurrentUser) -> list[schemas.TagCount]:
    return [schemas.TagCount(tag=t, count=c) for t, c in bank.tag_counts(session)]


# ---- practice ----------------------------------------------------------------------------

# Per user (per address before login), shared by all workers: practice reveals answers.
practice_limit = rate_limit(
    "practice", lambda settings: settings.practice_rate_per_minute, "练习过于频繁，请稍后再试"
)


@router.get(
    "/practice/question",
    dependencies=[practice_limit],
    response_model=schemas.PracticeQuestion,
    summary="随机抽一道练习题（需登录；不含答案，不含尚未结束的竞赛所用的题目）",
)
def practice_question(
    session: SessionDep, user: CurrentUser, tag: MaybeWord = None, mistakes: bool = False
) -> schemas.PracticeQuestion:
    question = practice.practice_question(session, user=user, tag=tag, mistakes_only=mistakes)
    return question


@router.post(
    "/practice/answer",
    dependencies=[practice_limit],
    response_model=schemas.PracticeResult,
    summary="提交练习答案（需登录，按用户记录），返回正确答案与解析",
)
def practice_answer(
    session: SessionDep, user: CurrentUser, data: schemas.PracticeAnswer
) -> schemas.PracticeResult:
    return practice.check_practice_answer(
        session, user=user, question_id=data.question_id, choice=data.choice
    )


@router.get(
    "/practice/mistakes",
    dependencies=[practice_limit],
    response_model=list[schemas.MistakeRead],
    summary="我的错题本",
)
def mistakes(
    session: SessionDep, user: CurrentUser, include_mastered: bool = False
) -> list[schemas.MistakeRead]:
    return practice.list_mistakes(session, user_id=user.id, include_mastered=include_mastered)


# ---- contests ----------------------------------------------------------------------------


@router.get(
    "/contests", response_model=list[schemas.ContestForUser], summary="我可参加（或管理）的竞赛"
)
def list_contests(session: SessionDep, user: CurrentUser) -> list[schemas.ContestForUser]:
    return contests.list_contests_for_user(session, user=user)


@router.post(
    "/contests", response_model=schemas.ContestRead, status_code=201, summary="创建竞赛（管理员）"
)
def create_contest(
    session: SessionDep, admin: AdminUser, data: schemas.ContestCreate
) -> schemas.ContestRead:
    return schemas.ContestRead.model_validate(
        contests.create_contest(session, data=data, admin=admin)
    )


@router.put(
    "/contests/{contest_id}", response_model=schemas.ContestRead, summary="修改竞赛设置（组织者）"
)
def update_contest(
    session: SessionDep, admin: AdminUser, contest_id: IdPath, data: schemas.ContestCreate
) -> schemas.ContestRead:
    contest = contests.update_contest(session, contest_id=contest_id, data=data, admin=admin)
    return schemas.ContestRead.model_validate(contest)


@router.post(
    "/contests/{contest_id}/attempts",
    response_model=schemas.AttemptView,
    status_code=201,
    summary="开始（或继续）作答：服务器抽题并确定截止时间",
)
def start_attempt(
    session: SessionDep, user: CurrentUser, contest_id: IdPath
) -> schemas.AttemptView:
    attempt = attempts.start_attempt(session, contest_id=contest_id, user=user)
    return attempts.get_attempt_view(session, attempt_id=attempt.id, user=user)


@router.get(
    "/attempts/{attempt_id}",
    response_model=schemas.AttemptView,
    summary="我的答卷（交卷前不含答案）",
)
def read_attempt(session: SessionDep, user: CurrentUser, attempt_id: IdPath) -> schemas.AttemptView:
    return attempts.get_attempt_view(session, attempt_id=attempt_id, user=user)


@router.put(
    "/attempts/{attempt_id}/answers/{position}",
    response_model=schemas.SavedAnswer,
    summary="保存一道题的答案（立即保存，超时不计）",
)
def save_answer(
    session: SessionDep,
    user: CurrentUser,
    attempt_id: IdPath,
    position: PositionPath,
    data: schemas.SaveAnswer,
) -> schemas.SavedAnswer:
    return attempts.save_answer(
        session, attempt_id=attempt_id, user=user, position=position, choice=data.choice
    )


@router.post(
    "/attempts/{attempt_id}/submit",
    response_model=schemas.AttemptResult,
    summary="交卷（重复交卷返回同一结果）",
)
def submit_attempt(
    session: SessionDep, user: CurrentUser, attempt_id: IdPath
) -> schemas.AttemptResult:
    return attempts.submit_attempt(session, attempt_id=attempt_id, user=user)


@router.get(
    "/contests/{contest_id}/leaderboard",
    response_model=schemas.Leaderboard,
    summary="排行榜：个人或按省份、城市、单位的团体平均分（管理员只看本辖区）",
)
def leaderboard(
    session: SessionDep,
    user: CurrentUser,
    contest_id: IdPath,
    group: Literal["person", "province", "city", "organisation"] = "person",
    province: MaybeWord = None,
    city: MaybeWord = None,
    organisation: MaybeWord = None,
    limit: int = Query(default=100, ge=1, le=1000),
) -> schemas.Leaderboard:
    board = ranking.leaderboard(
        session,
        contest_id=contest_id,
        viewer=user,
        group=group,
        province=province,
        city=city,
        organisation=organisation,
        limit=limit,
    )
    return board


# GET /contests/{contest_id}/statistics suggests courses for weak tags, so the edge composes it
# with the course catalogue: web/pages/quiz_admin_pages.py (``api_router``).


@router.get(
    "/contests/{contest_id}/histogram.svg",
    summary="成绩分布直方图（SVG，管理员）",
    response_class=Response,
    responses=file_responses("image/svg+xml", description="SVG 图"),
)
def histogram_svg(session: SessionDep, admin: AdminUser, contest_id: IdPath) -> Response:
    report = stats.contest_statistics(session, contest_id=contest_id, admin=admin)
    return Response(scoring.histogram_svg(report.histogram), media_type="image/svg+xml")


@router.post(
    "/contests/{contest_id}/certificates",
    summary="颁发证书：名次证书（竞赛结束后）与合格证书（组织者）",
)
def issue_certificates(session: SessionDep, admin: AdminUser, contest_id: IdPath) -> dict[str, int]:
    return {"issued": certificates.issue_certificates(session, contest_id=contest_id, admin=admin)}


@router.get("/certificates", response_model=list[schemas.CertificateRead], summary="我的竞赛证书")
def my_certificates(session: SessionDep, user: CurrentUser) -> list[schemas.CertificateRead]:
    return certificates.my_certificates(session, user=user)


@router.get(
    "/certificates/{code}.pdf",
    summary="下载证书 PDF（本人或辖区管理员）",
    response_class=Response,
    responses=file_responses("application/pdf", description="证书 PDF") | error_responses(503),
)
def certificate_download(session: SessionDep, user: CurrentUser, code: CodePath) -> Response:
    cert, contest = certificates.get_certificate(session, code=code, user=user)
    return Response(
        certificate_pdf(cert, contest),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="certificate-{cert.code}.pdf"'},
    )
