"""The public certificate check ``/verify?code=…`` for every certificate PermitHub issues.

Domains register their lookups with ``core.certificates.register_verifier`` when their modules
are imported (the app imports every domain router); ``VERIFIER_MODULES`` makes sure they are.
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter, Request

from core.certificates import normalise_code, verify_code
from core.deps import SessionDep
from core.errors import NotFound
from core.openapi import error_responses
from web.deps import MaybePageUser
from web.templating import render

router = APIRouter()

# Modules whose import registers a certificate verifier.
VERIFIER_MODULES: tuple[str, ...] = ("quiz.certificates", "courses.certificates")


def _load_verifiers() -> None:
    for module in VERIFIER_MODULES:
        importlib.import_module(module)


@router.get("/verify", include_in_schema=False)
def verify_page(request: Request, session: SessionDep, user: MaybePageUser, code: str = ""):
    _load_verifiers()
    code = normalise_code(code)[:64]
    found = verify_code(session, code) if code else None
    return render(
        request, "verify.html", {"code": code, "found": found}, 200 if found or not code else 404
    )


@router.get(
    "/api/verify",
    tags=["certificates"],
    summary="证书查验（公开）：按查验码返回持证人、项目与颁发日期",
    responses=error_responses(404, 422),
)
def verify_api(session: SessionDep, code: str) -> dict:
    _load_verifiers()
    found = verify_code(session, code)
    if found is None:
        raise NotFound("未找到该查验码对应的证书")
    return found
