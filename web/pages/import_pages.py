"""The admins' upload page: import units, courses or training records from CSV/XLSX with a report.

Any admin may upload. The importers enforce the region: rows for units outside a provincial or
city admin's region are reported as ``第N行: 不在您的管辖范围内``, and only national admins may
change the (nationwide) course catalogue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, Response

from core.accounts import service as account_service
from core.deps import RequestSessionRoute, SessionDep
from core.enterprises.importer import ENTERPRISE_ALIASES, ENTERPRISE_COLUMNS, import_enterprises
from core.errors import DomainError, Invalid, NotFound
from core.import_process import run_import_file
from core.imports import ImportSlot, digest, error_list_path
from core.spreadsheets import TABLE_FORMATS, table_response
from core.tabular import ImportReport
from core.uploads import FileKind, read_form_file
from courses.importer import (
    COURSE_ALIASES,
    COURSE_COLUMNS,
    TRAINING_ALIASES,
    TRAINING_COLUMNS,
    import_courses,
    import_training,
)
from web.deps import CsrfChecked, PageAdmin
from web.templating import render

logger = logging.getLogger(__name__)
router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)


@dataclass(frozen=True)
class ImportKind:
    """One kind of file the page accepts."""

    key: str
    label: str
    columns: tuple[str, ...]
    run: Callable[..., ImportReport]
    note: str
    aliases: dict[str, str]

    @property
    def chinese_columns(self) -> tuple[str, ...]:
        """The template's Chinese header: the first Chinese name of each column."""
        return tuple(
            next((zh for zh, col in self.aliases.items() if col == column), column)
            for column in self.columns
        )

    def accepted_names(self, column: str) -> list[str]:
        """Every header accepted for ``column``: its English name and its Chinese names."""
        return [column, *(zh for zh, col in self.aliases.items() if col == column)]


IMPORT_KINDS: dict[str, ImportKind] = {
    kind.key: kind
    for kind in (
        ImportKind(
            "enterprises",
            "排污单位",
            ENTERPRISE_COLUMNS,
            import_enterprises,
            "按统一社会信用代码新增或更新；法定代表人变更会记录变更历史。",
            ENTERPRISE_ALIASES,
        ),
        ImportKind(
            "courses",
            "课程",
            COURSE_COLUMNS,
            import_courses,
            "按课程代码新增或更新；课程目录全国统一，仅部级管理员可导入。",
            COURSE_ALIASES,
        ),
        ImportKind(
            "training",
            "培训记录",
            TRAINING_COLUMNS,
            import_training,
            "单位和课程须已存在；同一单位、人员、课程和日期的记录只保留一条。",
            TRAINING_ALIASES,
        ),
    )
}


def _context(kind: str, **extra) -> dict:
    return {
        "kinds": IMPORT_KINDS.values(),
        "kind": kind,
        "report": None,
        "error": None,
        "details": [],
        "errors": None,
        "skip_invalid": False,
        "filename": "",
        **extra,
    }


@router.get("/admin/import")
def import_page(request: Request, user: PageAdmin, kind: str = "enterprises"):
    """The upload form."""
    scope = account_service.region_scope(user)
    kind = kind if kind in IMPORT_KINDS else "enterprises"
    return render(request, "core/import.html", _context(kind, scope=scope))


# ImportSlot before the user is loaded: a second import waits its turn or gets a 409 at once.
@router.post("/admin/import", dependencies=[CsrfChecked, ImportSlot])
def import_submit(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    kind: Annotated[str, Form()] = "enterprises",
    file: Annotated[UploadFile | None, File()] = None,
    skip_invalid: Annotated[str | None, Form()] = None,
):
    """Import the uploaded file and show the report (every bad line as 第N行: 原因)."""
    scope = account_service.region_scope(user)
    skip = skip_invalid is not None
    filename = (file.filename or "") if file is not None else ""
    context = _context(
        kind if kind in IMPORT_KINDS else "enterprises",
        scope=scope,
        skip_invalid=skip,
        filename=filename,
    )
    try:
        if kind not in IMPORT_KINDS:
            raise Invalid("请选择导入的数据类型：排污单位、课程或培训记录")
        filename, data = read_form_file(
            file, kind=FileKind.TABLE, required="请选择要上传的 CSV 或 XLSX 文件"
        )
        report = run_import_file(
            IMPORT_KINDS[kind].run,
            session,
            data,
            skip_invalid=skip,
            scope=scope,
            filename=filename,
        )
    except DomainError as exc:
        session.rollback()
        context.update(error=exc.message, details=exc.details)
        return render(request, "core/import.html", context, exc.status_code)
    logger.info("%s imported %s (%s): %s", user.username, kind, filename, report.summary())
    context.update(report=report, errors=digest(report, owner_id=user.id))
    status = 422 if report.errors and not report.written else 200
    return render(request, "core/import.html", context, status)


@router.get("/admin/import/template/{kind}.csv")
def import_template(user: PageAdmin, kind: str):
    """An empty CSV with the right header (UTF-8 with BOM so that Excel opens it correctly)."""
    if kind not in IMPORT_KINDS:
        raise NotFound("没有这种导入模板")
    body = "\ufeff" + ",".join(IMPORT_KINDS[kind].columns) + "\r\n"
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{kind}-template.csv"'},
    )


@router.get("/admin/import/template-zh/{kind}.{fmt}")
def import_template_chinese(user: PageAdmin, kind: str, fmt: str):
    """The template with Chinese headers (CSV or XLSX), as the question bank's template has."""
    if kind not in IMPORT_KINDS or fmt not in TABLE_FORMATS:
        raise NotFound("没有这种导入模板")
    spec = IMPORT_KINDS[kind]
    return table_response(
        spec.chinese_columns, [], fmt=fmt, name=f"{kind}-template-zh", sheet_title=spec.label
    )


@router.get("/admin/import/errors/{token}.txt")
def import_errors(user: PageAdmin, token: str):
    """The full list of bad lines of an import, for the admin who ran it."""
    return FileResponse(
        error_list_path(token, owner_id=user.id),
        media_type="text/plain; charset=utf-8",
        filename="import-errors.txt",
    )
