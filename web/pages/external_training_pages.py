"""Training done elsewhere (measure 34): staff record it with evidence, admins approve it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse

from core.accounts import service as account_service
from core.deps import RequestSessionRoute, SessionDep
from core.errors import Invalid
from core.uploads import FileKind, read_form_file
from courses import external
from courses.models import CourseKind
from web.deps import CsrfChecked, PageAdmin, PageUser
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)


def _number(value: str, label: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise Invalid(f"{label}“{value}”应为数字") from None


@router.get("/external-training")
def external_page(request: Request, session: SessionDep, user: PageUser):
    is_admin = user.role_enum.is_admin
    scope = account_service.region_scope(user) if is_admin else None
    return render(
        request,
        "courses/external.html",
        {
            "mine": external.of_user(session, user=user),
            "queue": external.pending(session, scope=scope) if is_admin else [],
            "is_admin": is_admin,
            "kinds": [k.value for k in CourseKind],
            "today": dt.date.today().isoformat(),
        },
    )


@router.post("/external-training", dependencies=[CsrfChecked])
def external_submit(
    session: SessionDep,
    user: PageUser,
    title: Annotated[str, Form()] = "",
    organiser: Annotated[str, Form()] = "",
    completed_on: Annotated[str, Form()] = "",
    hours: Annotated[str, Form()] = "",
    credits: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    evidence: Annotated[UploadFile | None, File()] = None,
):
    try:
        day = dt.date.fromisoformat(completed_on)
    except ValueError:
        raise Invalid(f"完成日期“{completed_on}”格式不正确，应为 YYYY-MM-DD") from None
    filename, content = read_form_file(evidence, kind=FileKind.EVIDENCE)
    external.submit(
        session,
        user=user,
        title=title,
        organiser=organiser,
        completed_on=day,
        hours=_number(hours, "学时"),
        credits=_number(credits, "学分"),
        kind=kind,
        filename=filename,
        content=content,
    )
    return RedirectResponse("/external-training", status_code=303)


@router.post("/external-training/{record_id}/{decision}", dependencies=[CsrfChecked])
def external_decide(
    session: SessionDep,
    user: PageAdmin,
    record_id: int,
    decision: str,
    note: Annotated[str, Form()] = "",
):
    if decision not in ("approve", "reject"):
        raise Invalid("操作只能是通过（approve）或驳回（reject）")
    external.decide(
        session,
        scope=account_service.region_scope(user),
        actor=user,
        record_id=record_id,
        approve=decision == "approve",
        note=note,
    )
    return RedirectResponse("/external-training", status_code=303)


@router.get("/external-training/{record_id}/evidence")
def external_evidence(session: SessionDep, user: PageUser, record_id: int):
    scope = account_service.region_scope(user) if user.role_enum.is_admin else None
    record, path = external.evidence_file(session, record_id=record_id, user=user, scope=scope)
    return FileResponse(path, media_type=record.attachment_type, filename=record.attachment_name)
