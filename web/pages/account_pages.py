"""Account pages for admins: the list, create, import with one-time passwords, edit, disable,
reset, and the audit log of account changes (national admins).

One-time passwords are shown once on the page that created them; an import's result file
(usernames with their one-time passwords) is kept for its admin to download once, then deleted
(``DATA_DIR/account-results/``, removed after an hour if never fetched).
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from core.accounts import admin
from core.accounts.models import ROLE_LABELS, Role, StaffKind
from core.accounts.service import ROLE_RANK
from core.bounds import MAX_ID
from core.config import get_settings
from core.deps import RequestSessionRoute, SessionDep
from core.errors import DomainError, NotFound
from core.imports import ImportSlot
from core.openapi import XLSX
from core.spreadsheets import CSV_MEDIA_TYPE, csv_bytes, xlsx_bytes
from core.uploads import FileKind, read_form_file
from web.deps import CsrfChecked, PageAdmin
from web.templating import render

logger = logging.getLogger(__name__)
router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)
RESULTS_DIR = "account-results"
KEEP_RESULT_SECONDS = 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def creatable_roles(actor) -> list[tuple[str, str]]:
    """(value, label) of the roles this admin may create."""
    rank = ROLE_RANK[actor.role_enum]
    return [
        (role.value, role.label)
        for role in (Role.STAFF, Role.ENTERPRISE, Role.CITY, Role.PROVINCE, Role.NATIONAL)
        if actor.role_enum is Role.NATIONAL or ROLE_RANK[role] > rank
    ]


def _list_context(session, user, *, role: str = "", q: str = "", page: int = 1, **extra) -> dict:
    role = role if role in {r.value for r in Role} else ""
    result = admin.list_accounts(session, actor=user, role=role or None, query=q, page=max(page, 1))
    return {
        "result": result,
        "role": role,
        "q": q,
        "roles": [(r.value, r.label) for r in Role],
        "creatable": creatable_roles(user),
        "staff_kinds": [k.value for k in StaffKind],
        "scope_label": admin.region_scope(user).label,
        "role_labels": ROLE_LABELS,
        "error": None,
        "details": [],
        "form": {},
        **extra,
    }


@router.get("/admin/accounts")
def accounts_page(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    role: str = "",
    q: str = "",
    page: int = 1,
):
    """The accounts of the admin's region, with the create and import forms."""
    return render(
        request,
        "core/accounts.html",
        _list_context(session, user, role=role, q=q[:64], page=min(page, 100_000)),
    )


@router.post("/admin/accounts", dependencies=[CsrfChecked])
def create_submit(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    username: Annotated[str, Form(max_length=64)] = "",
    role: Annotated[str, Form(max_length=16)] = "staff",
    display_name: Annotated[str, Form(max_length=64)] = "",
    province: Annotated[str, Form(max_length=32)] = "",
    city: Annotated[str, Form(max_length=32)] = "",
    organisation: Annotated[str, Form(max_length=128)] = "",
    staff_kind: Annotated[str, Form(max_length=16)] = "",
    credit_code: Annotated[str, Form(max_length=32)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
):
    """Create one account and show its one-time password once."""
    fields = admin.AccountFields(
        username=username,
        role=role,
        display_name=display_name,
        province=province or None,
        city=city or None,
        organisation=organisation or None,
        staff_kind=staff_kind or None,
        credit_code=credit_code or None,
        email=email or None,
    )
    try:
        created = admin.create_account(session, actor=user, fields=fields)
    except DomainError as exc:
        session.rollback()
        context = _list_context(
            session, user, error=exc.message, details=exc.details, form=fields.__dict__
        )
        return render(request, "core/accounts.html", context, exc.status_code)
    return render(
        request,
        "core/account_password.html",
        {"accounts": [created], "title": "账号已创建", "token": None},
    )


@router.post("/admin/accounts/import", dependencies=[CsrfChecked, ImportSlot])
def import_submit(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    file: Annotated[UploadFile | None, File()] = None,
):
    """Create the accounts of an uploaded file (all or none) and offer the result file."""
    try:
        filename, data = read_form_file(
            file, kind=FileKind.TABLE, required="请选择要上传的 CSV 或 XLSX 文件"
        )
        result = admin.import_accounts(session, data, actor=user, filename=filename)
    except DomainError as exc:
        session.rollback()
        context = _list_context(
            session,
            user,
            error=exc.message,
            details=exc.details[:200],
            more_details=max(0, len(exc.details) - 200),
        )
        return render(request, "core/accounts.html", context, exc.status_code)
    token = _save_result(user.id, admin.result_rows(result.created), result.summary())
    return render(
        request,
        "core/account_password.html",
        {"accounts": result.created, "title": result.summary(), "token": token},
    )


def _results_dir() -> Path:
    folder = get_settings().data_dir / RESULTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _save_result(owner_id: int, rows: list[tuple], summary: str) -> str:
    folder = _results_dir()
    cutoff = time.time() - KEEP_RESULT_SECONDS
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(18)
    path = folder / f"{owner_id}-{token}.xlsx"
    path.write_bytes(xlsx_bytes(admin.RESULT_HEADER, rows, sheet_title="新建账号", title=summary))
    path.chmod(0o600)
    return token


@router.get("/admin/accounts/results/{token}.xlsx")
def import_result(user: PageAdmin, token: str):
    """The result file of an import (one-time passwords): once, for the admin who imported."""
    path = _results_dir() / f"{user.id}-{token}.xlsx"
    if not _TOKEN.fullmatch(token) or not path.is_file():
        raise NotFound("结果文件不存在或已下载过（一次性密码只提供一次，可为账号重新生成）")
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    return Response(
        data,
        media_type=XLSX,
        headers={
            "Content-Disposition": 'attachment; filename="accounts-created.xlsx"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/admin/accounts/template.{fmt}")
def import_template(user: PageAdmin, fmt: str):
    """The import template with Chinese headers and one example row."""
    example = admin.TEMPLATE_EXAMPLE
    if fmt == "csv":
        body, media = csv_bytes(admin.ACCOUNT_TEMPLATE_HEADER, [example]), CSV_MEDIA_TYPE
    elif fmt == "xlsx":
        body, media = xlsx_bytes(admin.ACCOUNT_TEMPLATE_HEADER, [example], sheet_title="账号"), XLSX
    else:
        raise NotFound("没有这种模板格式")
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="accounts-template.{fmt}"'},
    )


@router.get("/admin/accounts/audit")
def audit_page(request: Request, session: SessionDep, user: PageAdmin):
    """Who changed which account (national admins)."""
    entries = admin.account_audit(session, actor=user)
    return render(
        request,
        "core/account_audit.html",
        {"entries": entries, "action_labels": ACTION_LABELS, "usernames": _usernames(entries)},
    )


ACTION_LABELS = {
    "account.create": "新建账号",
    "account.import": "导入账号",
    "account.update": "修改信息",
    "account.disable": "停用",
    "account.enable": "启用",
    "account.password_reset": "重置密码",
    "account.password_change": "本人修改密码",
}


def _usernames(entries) -> dict[int, str]:
    import json

    names = {}
    for entry in entries:
        try:
            names[entry.id] = json.loads(entry.detail).get("username", entry.target_id)
        except (ValueError, AttributeError):
            names[entry.id] = entry.target_id
    return names


def _check_id(user_id: int) -> None:
    if not 1 <= user_id <= MAX_ID:
        raise NotFound("账号不存在")


def _detail(request, session, user, account, *, status: int = 200, error=None, done=None):
    return render(
        request,
        "core/account.html",
        {
            "account": account,
            "may_manage": account.id != user.id
            and admin.may_manage(user, account.role_enum, account.province, account.city),
            "staff_kinds": [k.value for k in StaffKind],
            "role_labels": ROLE_LABELS,
            "error": error,
            "done": done,
        },
        status,
    )


@router.get("/admin/accounts/{user_id}")
def account_page(request: Request, session: SessionDep, user: PageAdmin, user_id: int):
    """One account: details, the edit form and the actions."""
    _check_id(user_id)
    account = admin.get_account(session, actor=user, user_id=user_id)
    return _detail(request, session, user, account)


@router.post("/admin/accounts/{user_id}", dependencies=[CsrfChecked])
def account_submit(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    user_id: int,
    display_name: Annotated[str, Form(max_length=64)] = "",
    organisation: Annotated[str, Form(max_length=128)] = "",
    staff_kind: Annotated[str | None, Form(max_length=16)] = None,
    city: Annotated[str | None, Form(max_length=32)] = None,
    email: Annotated[str | None, Form(max_length=254)] = None,
):
    """Save the edit form."""
    _check_id(user_id)
    try:
        account = admin.update_account(
            session,
            actor=user,
            user_id=user_id,
            display_name=display_name,
            organisation=organisation,
            staff_kind=staff_kind,
            city=city,
            email=email,
        )
    except DomainError as exc:
        session.rollback()
        if exc.status_code == 404:
            raise
        account = admin.get_account(session, actor=user, user_id=user_id)
        return _detail(request, session, user, account, status=exc.status_code, error=exc.message)
    return _detail(request, session, user, account, done="已保存")


@router.post("/admin/accounts/{user_id}/{action}", dependencies=[CsrfChecked])
def account_action(
    request: Request, session: SessionDep, user: PageAdmin, user_id: int, action: str
):
    """Disable, enable, or give a new one-time password."""
    _check_id(user_id)
    if action == "reset":
        created = admin.reset_to_one_time(session, actor=user, user_id=user_id)
        return render(
            request,
            "core/account_password.html",
            {"accounts": [created], "title": "已生成新的一次性密码", "token": None},
        )
    if action not in ("disable", "enable"):
        raise NotFound("没有这个操作")
    admin.set_active(session, actor=user, user_id=user_id, active=action == "enable")
    return RedirectResponse(f"/admin/accounts/{user_id}", status_code=303)
