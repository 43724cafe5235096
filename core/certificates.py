"""One public check for every certificate PermitHub issues (contests, courses …).

The public page ``/verify`` passes the lookup functions of the domains that issue certificates
(``web.pages.verify_pages.VERIFIERS``) and ``verify_code`` asks each in turn; a domain may also
register its lookup with ``register_verifier`` so that ``verify_code`` without a list finds it.
A verifier takes ``(session, code)`` and returns ``None`` when the code is not one of its own,
else a dict with at least these keys (all text):

``kind`` 证书类别, ``holder`` 持证人, ``title`` 竞赛或课程名称, ``issued_on`` 颁发日期 (YYYY-MM-DD),
and optionally ``detail`` (名次、成绩等) and ``issuer``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

Verifier = Callable[[Session, str], "dict | None"]
_VERIFIERS: list[Verifier] = []
_CODE = re.compile(r"[A-Z0-9-]{1,64}")


def register_verifier(fn: Verifier) -> Verifier:
    """Add a lookup function (once, however often its module is imported); usable as a decorator."""
    key = (fn.__module__, fn.__qualname__)
    if not any((v.__module__, v.__qualname__) == key for v in _VERIFIERS):
        _VERIFIERS.append(fn)
    return fn


def normalise_code(code: str) -> str:
    """Codes are printed in upper case; accept what a person types (spaces, lower case)."""
    return "".join(code.split()).upper()


def verify_code(
    session: Session, code: str, verifiers: Iterable[Verifier] | None = None
) -> dict | None:
    """The certificate with this verification code, from whichever domain issued it, or ``None``.

    ``verifiers`` are the lookups to ask; without it, those registered with ``register_verifier``.
    """
    code = normalise_code(code or "")
    # Codes are letters and digits: anything else names no certificate and never reaches the
    # database (PostgreSQL refuses a NUL byte in a query with an error, not an empty result).
    if not _CODE.fullmatch(code):
        return None
    for verifier in _VERIFIERS if verifiers is None else verifiers:
        found = verifier(session, code)
        if found:
            return found
    return None
