"""Contest administration pages: edit, duplicate, close early, reopen for one person, results.

The statistics page (``/admin/quiz/contests/{id}``) links here; every action is also in the
JSON API (``quiz.contest_admin_api``).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from core.accounts.models import Role
from core.deps import RequestSessionRoute, SessionDep
from core.errors import DomainError, Invalid
from core.openapi import XLSX
from core.times import in_beijing
from quiz import contest_admin, contests, rules, schemas
from quiz.api import IdPath
from quiz.models import SHOW_ANSWERS_LABELS, ContestKind
from web.deps import CsrfChecked, PageAdmin, PageForm
from web.pages.quiz_admin_pages import _contest_defaults, _parse_quotas
from web.pages.quiz_pages import page_context
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _form_of(contest) -> dict:
    """The edit form's values from a contest (times in Beijing time)."""
    data = contest_admin.form_data(contest)
    return {
        **data.model_dump(),
        "audience_regions": ",".join(data.audience_regions),
        "opens_at": in_beijing(contest.opens_at).strftime(LOCAL_INPUT),
        "closes_at": in_beijing(contest.closes_at).strftime(LOCAL_INPUT),
        "quotas": "\n".join(
            f"{q.tag or '不限'},{q.difficulty or '不限'},{q.count}" for q in data.quotas
        ),
        "show_answers": contest.show_answers,
    }


def read_contest_form(form: FormData) -> tuple[dict, schemas.ContestCreate]:
    """The create/edit form as typed, and as settings (``Invalid`` with field messages)."""
    values = {
        **_contest_defaults(),
        **{k: str(v) for k, v in form.items() if k != "audience_roles"},
    }
    values["audience_roles"] = [str(r) for r in form.getlist("audience_roles")]
    values["shuffle_options"] = form.get("shuffle_options") == "1"
    values["show_answers"] = values.get("show_answers") or "after_close"
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
            show_explanations=values["show_answers"] != "never",
            show_answers=values["show_answers"],
            pass_percent=values["pass_percent"],
            certificate_top_n=values["certificate_top_n"],
        )
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: 格式不正确" for e in exc.errors()]
        raise Invalid("竞赛设置有误", details=problems) from None
    return values, data


def _edit_page(request, contest, *, form, errors=(), status_code=200):
    return render(
        request,
        "quiz/admin_contest_edit.html",
        page_context(
            contest=contest,
            form=form,
            errors=list(errors),
            kinds=[k.value for k in ContestKind],
            roles=list(Role),
            show_answer_choices=[(k.value, label) for k, label in SHOW_ANSWERS_LABELS.items()],
            started=rules.contest_state(contest) is not rules.ContestState.UPCOMING,
            safe_fields=contest_admin.SAFE_AFTER_START,
        ),
        status_code,
    )


@router.get("/admin/quiz/contests/{contest_id}/edit")
def edit_page(request: Request, session: SessionDep, user: PageAdmin, contest_id: IdPath):
    contest = contests.managed_contest(session, contest_id, user)
    return _edit_page(request, contest, form=_form_of(contest))


@router.post("/admin/quiz/contests/{contest_id}/edit", dependencies=[CsrfChecked])
def edit_submit(
    request: Request, session: SessionDep, user: PageAdmin, contest_id: IdPath, form: PageForm
):
    contest = contests.managed_contest(session, contest_id, user)
    values: dict = {}
    try:
        values, data = read_contest_form(form)
        contest_admin.edit_contest(session, contest_id=contest_id, data=data, admin=user)
    except DomainError as exc:
        session.rollback()
        contest = contests.managed_contest(session, contest_id, user)
        errors = exc.details or [exc.message]
        return _edit_page(
            request,
            contest,
            form=values or _form_of(contest),
            errors=errors,
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/admin/quiz/contests/{contest_id}?saved=1", status_code=303)


@router.post("/admin/quiz/contests/{contest_id}/duplicate", dependencies=[CsrfChecked])
def duplicate(session: SessionDep, user: PageAdmin, contest_id: IdPath):
    copy = contest_admin.duplicate_contest(session, contest_id=contest_id, admin=user)
    return RedirectResponse(f"/admin/quiz/contests/{copy.id}/edit", status_code=303)


@router.post("/admin/quiz/contests/{contest_id}/close", dependencies=[CsrfChecked])
def close(session: SessionDep, user: PageAdmin, contest_id: IdPath):
    contest_admin.close_now(session, contest_id=contest_id, admin=user)
    return RedirectResponse(f"/admin/quiz/contests/{contest_id}", status_code=303)


@router.post("/admin/quiz/contests/{contest_id}/reopen", dependencies=[CsrfChecked])
def reopen(
    request: Request, session: SessionDep, user: PageAdmin, contest_id: IdPath, form: PageForm
):
    username = str(form.get("username", ""))[:64]
    try:
        until = dt.datetime.fromisoformat(str(form.get("closes_at", ""))[:16])
        extra = int(str(form.get("extra_attempts", "1"))[:2] or 1)
    except ValueError:
        raise Invalid("请填写正确的截止时间和追加次数") from None
    contest_admin.reopen_for(
        session,
        contest_id=contest_id,
        username=username,
        closes_at=until,
        extra_attempts=extra,
        admin=user,
    )
    return RedirectResponse(f"/admin/quiz/contests/{contest_id}?reopened=1", status_code=303)


@router.get("/admin/quiz/contests/{contest_id}/results.{fmt}")
def results(session: SessionDep, user: PageAdmin, contest_id: IdPath, fmt: str):
    if fmt not in ("xlsx", "csv"):
        raise Invalid("导出格式应为 xlsx 或 csv")
    contest, body = contest_admin.results_file(session, contest_id=contest_id, admin=user, fmt=fmt)
    media = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    name = quote(f"{contest.title}_成绩.{fmt}")
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="contest-{contest.id}-results.{fmt}"; '
            f"filename*=UTF-8''{name}"
        },
    )
