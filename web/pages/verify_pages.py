"""The public certificate check ``/verify?code=…`` for every certificate PermitHub issues.

Each domain that issues certificates offers a lookup ``(session, code) -> dict | None`` in its
``certificates`` module; ``VERIFIERS`` lists them and ``core.certificates.verify_code`` asks
each in turn.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from core.certificates import normalise_code, verify_code
from core.deps import RequestSessionRoute, SessionDep
from core.errors import NotFound
from core.openapi import error_responses
from courses import certificates as course_certificates
from quiz import certificates as quiz_certificates
from web.deps import MaybePageUser
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute)

# The certificate lookups of every domain that issues certificates, asked in this order.
VERIFIERS = (
    quiz_certificates.verify_contest_certificate,
    course_certificates.verify_course_certificate,
)


@router.get("/verify", include_in_schema=False)
def verify_page(request: Request, session: SessionDep, user: MaybePageUser, code: str = ""):
    code = normalise_code(code)[:64]
    found = verify_code(session, code, VERIFIERS) if code else None
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
    found = verify_code(session, code, VERIFIERS)
    if found is None:
        raise NotFound("未找到该查验码对应的证书")
    return found
