"""Admin pages of the question bank and contests (/admin/quiz…), and the contest statistics
(page and JSON) composed with the course catalogue."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from core.accounts import service as account_service
from core.accounts.models import Role
from core.bounds import IdPath
from core.deps import AdminUser, RequestSessionRoute, SessionDep
from core.errors import Conflict, DomainError, Invalid
from core.imports import ErrorDigest, ImportSlot, digest
from core.openapi import error_responses
from core.times import BEIJING
from core.uploads import FileKind, read_form_file
from courses import catalogue
from quiz import (
    bank,
    certificates,
    contest_admin,
    contests,
    importer,
    rules,
    schemas,
    scoring,
    stats,
)
from quiz.api import Word
from quiz.models import (
    SHOW_ANSWERS_LABELS,
    ContestKind,
    QuestionKind,
    QuestionStatus,
    ShowAnswers,
)
from web.deps import CsrfChecked, PageAdmin, PageForm
from web.pages.quiz_pages import page_context
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)
# The JSON routes that need another domain too: the quiz knows nothing of courses (see pyproject's
# import contracts), so the statistics with course suggestions are composed here.
api_router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/quiz", tags=["quiz"], responses=error_responses(401, 403, 404, 409, 422, 429)
)


# ---- admin: question bank ----------------------------------------------------------------


def _bank_page(
    request,
    session,
    user,
    *,
    q="",
    tag="",
    kind="",
    status="",
    page=1,
    report=None,
    status_code=200,
):
    access = bank.key_access(session, admin=user)
    result = bank.list_questions(
        session,
        scope=access.scope,
        query=q,
        tag=tag or None,
        kind=kind or None,
        status=status or None,
        page=page,
    )
    return render(
        request,
        "quiz/admin_questions.html",
        page_context(
            result=result,
            items=[bank.question_read(x, access) for x in result.items],
            scope_label=access.scope.label,
            status_labels={s.value: s.label for s in QuestionStatus},
            q=q,
            tag=tag,
            kind=kind,
            status=status,
            report=report,
            kinds=[k.value for k in QuestionKind],
            statuses=list(QuestionStatus),
            tags=bank.tag_counts(session),
        ),
        status_code,
    )


@router.get("/admin/quiz/questions")
def admin_questions(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    q: Word = "",
    tag: Word = "",
    kind: Word = "",
    status: Word = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
):
    return _bank_page(request, session, user, q=q, tag=tag, kind=kind, status=status, page=page)


@router.post("/admin/quiz/questions/import", dependencies=[CsrfChecked, ImportSlot])
def admin_import(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    file: Annotated[UploadFile, File()],
    skip_invalid: Annotated[str, Form()] = "",
):
    try:
        filename, data = read_form_file(
            file, kind=FileKind.TABLE, required="请选择要上传的题库文件（CSV 或 XLSX）"
        )
        report = importer.import_questions(
            session,
            data,
            filename=filename,
            skip_invalid=bool(skip_invalid),
            admin=user,
        )
    except Invalid as exc:
        return _bank_page(
            request,
            session,
            user,
            report={
                "summary": exc.message,
                "errors": ErrorDigest(exc.details, len(exc.details), None),
                "ok": False,
            },
            status_code=422,
        )
    shown = {
        "summary": report.summary(),
        "errors": digest(report, owner_id=user.id),
        "ok": report.written,
    }
    return _bank_page(
        request, session, user, report=shown, status_code=200 if report.written else 422
    )


@router.get("/admin/quiz/questions/export")
def admin_export(session: SessionDep, user: PageAdmin, format: str = "csv"):
    fmt = "xlsx" if format == "xlsx" else "csv"
    media = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    access = bank.key_access(session, admin=user)
    return Response(
        importer.export_questions(session, access=access, fmt=fmt),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="questions.{fmt}"'},
    )


def _question_form(question: schemas.QuestionRead | None = None) -> dict:
    """Form values of a question as the admin may see it (no key where it is hidden)."""
    if question is None:
        return {
            "kind": "单选",
            "stem": "",
            "options": [""] * 6,
            "answer": "",
            "explanation": "",
            "tags": "",
            "difficulty": 3,
            "source": "",
            "status": "published",
        }
    judge = question.kind == QuestionKind.JUDGE
    options = [] if judge else list(question.options)
    return {
        "kind": question.kind,
        "stem": question.stem,
        "options": options + [""] * (6 - len(options)),
        "answer": ("对" if question.answer == "A" else "错")
        if judge and question.answer
        else question.answer or "",
        "explanation": question.explanation or "",
        "tags": "、".join(question.tags),
        "difficulty": question.difficulty,
        "source": question.source,
        "status": question.status,
    }


def _readonly_reason(question: schemas.QuestionRead | None, access) -> str:
    """Why an admin may only look at a question (empty when they may edit it)."""
    if question is None or question.editable:
        return ""
    if access.scope.owns(question.province, question.city):
        return "它正用于您可参加、尚未结束的竞赛：竞赛结束前不显示答案，也不能修改。"
    return "只有该辖区的管理员（全国题目：部级管理员）能查看答案和修改。"


def _edit_page(request, *, question_id, form, errors=None, status_code=200, readonly="", owner=""):
    return render(
        request,
        "quiz/admin_question_edit.html",
        page_context(
            question_id=question_id,
            form=form,
            readonly=readonly,
            owner=owner,
            errors=errors or [],
            kinds=[k.value for k in QuestionKind],
            statuses=list(QuestionStatus),
        ),
        status_code,
    )


@router.get("/admin/quiz/questions/new")
def admin_question_new(request: Request, user: PageAdmin):
    return _edit_page(request, question_id=None, form=_question_form())


@router.get("/admin/quiz/questions/{question_id}")
def admin_question_edit(
    request: Request, session: SessionDep, user: PageAdmin, question_id: IdPath
):
    access = bank.key_access(session, admin=user)
    question = bank.read_question(session, question_id=question_id, admin=user)
    return _edit_page(
        request,
        question_id=question_id,
        form=_question_form(question),
        readonly=_readonly_reason(question, access),
        owner=question.owner,
    )


def _read_question_form(form: FormData) -> tuple[dict, schemas.QuestionCreate | None, list[str]]:
    values = {
        "kind": str(form.get("kind", "")),
        "stem": str(form.get("stem", "")),
        "options": [str(form.get(f"option{i}", "")) for i in range(6)],
        "answer": str(form.get("answer", "")),
        "explanation": str(form.get("explanation", "")),
        "tags": str(form.get("tags", "")),
        "difficulty": str(form.get("difficulty", "3")),
        "source": str(form.get("source", "")),
        "status": str(form.get("status", "published")),
    }
    difficulty = values["difficulty"].strip()
    if not (difficulty.isascii() and difficulty.isdigit() and len(difficulty) <= 3) or not (
        1 <= int(difficulty) <= 5
    ):
        return values, None, ["难度应为 1–5 的整数"]
    try:
        data = schemas.QuestionCreate(
            **{**values, "tags": bank.split_tags(values["tags"]), "difficulty": difficulty}
        )
    except ValidationError as exc:
        return values, None, [_field_problem(e) for e in exc.errors()]
    return values, data, []


QUESTION_FIELDS = {
    "kind": "题型",
    "stem": "题干",
    "options": "选项",
    "answer": "答案",
    "explanation": "解析",
    "tags": "标签",
    "difficulty": "难度",
    "source": "出处",
    "status": "状态",
}


def _field_problem(error: dict) -> str:
    """One form field's problem in Chinese: ``题干: 内容太长`` / ``解析: 不能包含控制字符``."""
    field = QUESTION_FIELDS.get(str(error["loc"][0]), str(error["loc"][0])) if error["loc"] else ""
    reason = {
        "string_too_short": "不能为空",
        "string_too_long": "内容太长",
        "too_long": "项数太多",
    }.get(error["type"], error["msg"].removeprefix("Value error, "))
    return f"{field}: {reason if not reason.isascii() else '格式不正确'}"


@router.post("/admin/quiz/questions/new", dependencies=[CsrfChecked])
def admin_question_create(request: Request, session: SessionDep, user: PageAdmin, form: PageForm):
    values, data, errors = _read_question_form(form)
    if data is not None:
        try:
            question = bank.create_question(session, data=data, admin=user)
            return RedirectResponse(f"/admin/quiz/questions/{question.id}?saved=1", status_code=303)
        except (Invalid, Conflict) as exc:
            errors = exc.details or [exc.message]
    return _edit_page(request, question_id=None, form=values, errors=errors, status_code=422)


@router.post("/admin/quiz/questions/{question_id}", dependencies=[CsrfChecked])
def admin_question_update(
    request: Request, session: SessionDep, user: PageAdmin, question_id: IdPath, form: PageForm
):
    values, data, errors = _read_question_form(form)
    if data is not None:
        try:
            bank.update_question(session, question_id=question_id, data=data, admin=user)
            return RedirectResponse(f"/admin/quiz/questions/{question_id}?saved=1", status_code=303)
        except (Invalid, Conflict) as exc:
            errors = exc.details or [exc.message]
    return _edit_page(request, question_id=question_id, form=values, errors=errors, status_code=422)


@router.post("/admin/quiz/questions/{question_id}/retire", dependencies=[CsrfChecked])
def admin_question_retire(session: SessionDep, user: PageAdmin, question_id: IdPath):
    bank.retire_question(session, question_id=question_id, admin=user)
    return RedirectResponse(f"/admin/quiz/questions/{question_id}?saved=1", status_code=303)


# ---- admin: contests ---------------------------------------------------------------------


def _contest_defaults() -> dict:
    now = dt.datetime.now(BEIJING).replace(second=0, microsecond=0)
    return {
        "title": "",
        "kind": ContestKind.KNOWLEDGE.value,
        "description": "",
        "audience_roles": ["staff"],
        "audience_regions": "",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "time_limit_minutes": 30,
        "attempts_allowed": 1,
        "quotas": "不限,不限,20",
        "shuffle_options": True,
        "show_explanations": True,
        "show_answers": "after_close",
        "pass_percent": 60,
        "certificate_top_n": 10,
    }


def _parse_quotas(text: str) -> list[dict]:
    """Lines ``标签,难度,数量`` (``不限`` or empty for any) into quota dicts."""
    quotas = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().replace("，", ",")
        if not line:
            continue
        parts = [p.strip() for p in line.split(",")]
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        if len(parts) != 3 or not parts[2].isdecimal() or len(parts[2]) > 4:
            raise Invalid(f"抽题规则第{number}行应写成“标签,难度,数量”，如“许可证核发,2,5”")
        tag = None if parts[0] in ("", "不限") else parts[0]
        if parts[1] in ("", "不限"):
            difficulty = None
        elif parts[1].isdecimal() and len(parts[1]) == 1 and 1 <= int(parts[1]) <= 5:
            difficulty = int(parts[1])
        else:
            raise Invalid(f"抽题规则第{number}行的难度应为 1–5 或“不限”")
        quotas.append({"tag": tag, "difficulty": difficulty, "count": int(parts[2])})
    return quotas


def _admin_contests_page(request, session, user, *, form=None, errors=None, status_code=200):
    offered = contests.list_contests_for_user(session, user=user)
    return render(
        request,
        "quiz/admin_contests.html",
        page_context(
            contests=offered,
            form=form or _contest_defaults(),
            errors=errors or [],
            kinds=[k.value for k in ContestKind],
            roles=list(Role),
            scope=account_service.region_scope(user),
            show_answer_choices=[(k.value, label) for k, label in SHOW_ANSWERS_LABELS.items()],
        ),
        status_code,
    )


@router.get("/admin/quiz/contests")
def admin_contests(request: Request, session: SessionDep, user: PageAdmin):
    return _admin_contests_page(request, session, user)


@router.post("/admin/quiz/contests", dependencies=[CsrfChecked])
def admin_contest_create(request: Request, session: SessionDep, user: PageAdmin, form: PageForm):
    values = {
        **_contest_defaults(),
        **{k: str(v) for k, v in form.items() if k != "audience_roles"},
    }
    values["audience_roles"] = [str(r) for r in form.getlist("audience_roles")]
    values["shuffle_options"] = form.get("shuffle_options") == "1"
    values["show_explanations"] = form.get("show_explanations") == "1"
    try:
        data = schemas.ContestCreate(
            title=values["title"],
            kind=values["kind"],
            description=values["description"],
            audience_roles=values["audience_roles"],
            audience_regions=[
                r for r in values["audience_regions"].replace("，", ",").split(",") if r.strip()
            ],
            opens_at=values["opens_at"],
            closes_at=values["closes_at"],
            time_limit_minutes=values["time_limit_minutes"],
            attempts_allowed=values["attempts_allowed"],
            quotas=_parse_quotas(values["quotas"]),
            shuffle_options=values["shuffle_options"],
            show_explanations=values["show_explanations"],
            show_answers=values.get("show_answers") or None,
            pass_percent=values["pass_percent"],
            certificate_top_n=values["certificate_top_n"],
        )
        contest = contests.create_contest(session, data=data, admin=user)
    except ValidationError as exc:
        errors = [f"{'.'.join(str(p) for p in e['loc'])}: 格式不正确" for e in exc.errors()]
        return _admin_contests_page(
            request, session, user, form=values, errors=errors, status_code=422
        )
    except DomainError as exc:
        errors = exc.details or [exc.message]
        return _admin_contests_page(
            request, session, user, form=values, errors=errors, status_code=422
        )
    return RedirectResponse(f"/admin/quiz/contests/{contest.id}", status_code=303)


@router.get("/admin/quiz/contests/{contest_id}")
def admin_contest_stats(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    contest_id: IdPath,
    issued: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
):
    report = stats.contest_statistics(
        session, contest_id=contest_id, admin=user, courses_naming=catalogue.courses_naming
    )
    contest = rules.get_contest(session, contest_id)
    return render(
        request,
        "quiz/admin_contest.html",
        page_context(
            contest=contest,
            stats=report,
            svg=scoring.histogram_svg(report.histogram),
            issued=issued,
            state=rules.contest_state(contest),
            show_answers_label=SHOW_ANSWERS_LABELS[ShowAnswers(contest.show_answers)],
            extensions=contest_admin.extensions(session, contest_id=contest.id),
            may_manage=account_service.region_scope(user).owns(contest.province, contest.city),
        ),
    )


@router.post("/admin/quiz/contests/{contest_id}/certificates", dependencies=[CsrfChecked])
def admin_issue_certificates(session: SessionDep, user: PageAdmin, contest_id: IdPath):
    issued = certificates.issue_certificates(session, contest_id=contest_id, admin=user)
    return RedirectResponse(f"/admin/quiz/contests/{contest_id}?issued={issued}", status_code=303)


# ---- JSON composed with the course catalogue ---------------------------------------------


@api_router.get(
    "/contests/{contest_id}/statistics",
    response_model=schemas.ContestStatistics,
    summary="竞赛统计：参与情况、成绩分布、试题分析、薄弱知识点（管理员，本辖区）",
)
def statistics_api(
    session: SessionDep, admin: AdminUser, contest_id: IdPath
) -> schemas.ContestStatistics:
    report = stats.contest_statistics(
        session, contest_id=contest_id, admin=admin, courses_naming=catalogue.courses_naming
    )
    # End the read transaction in this thread (SQLite holds its write lock until then).
    session.commit()
    return report
