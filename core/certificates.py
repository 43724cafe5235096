"""One public check for every certificate PermitHub issues (contests, courses …).

The public page ``/verify`` passes the lookup functions of the domains that issue certificates
(``web.pages.verify_pages.VERIFIERS``) and ``verify_code`` asks each in turn; a domain may also
register its lookup with ``register_verifier`` so that ``verify_code`` without a list finds it.
A verifier takes ``(session, code)`` and returns ``None`` when the code is not one of its own,
else a dict with at least these keys (all text):

``kind`` 证书类别, ``holder`` 持证人, ``title`` 竞赛或课程名称, ``issued_on`` 颁发日期 (YYYY-MM-DD),
and optionally ``detail`` (名次、成绩等) and ``issuer``.

Every certificate is made the same way: a code from ``new_code`` (a prefix per domain and ten
characters nobody misreads), a PDF page from ``certificate_pdf`` in the Chinese TrueType font of
``certificate_font`` (embedded, so it prints the same everywhere), dates in Beijing time
(``core.times``) and the address of the check from ``verify_url``.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy.orm import Session

from core.config import get_settings
from core.errors import Unavailable

logger = logging.getLogger(__name__)

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


# ---- codes ---------------------------------------------------------------------------------

# No 0/O or 1/I: codes are typed by hand from a printed page.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_code(prefix: str, taken: Callable[[str], bool]) -> str:
    """A fresh verification code: ``prefix`` and ten random characters, not ``taken`` yet."""
    while True:
        code = prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not taken(code):
            return code


def verify_url(code: str) -> str:
    """The public page that checks this certificate, under the configured ``base_url``."""
    return f"{get_settings().base_url.rstrip('/')}/verify?code={quote(code)}"


# ---- the Chinese font ----------------------------------------------------------------------

FONT_NAME = "PermitHubCJK"
# Chinese TrueType fonts of common Linux distributions, in order of preference
# (Debian/Ubuntu: fonts-wqy-microhei, fonts-wqy-zenhei; Fedora/RHEL: wqy-microhei-fonts).
SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FONT_MISSING = (
    "服务器未找到可嵌入证书的中文字体，无法生成证书 PDF。请安装文泉驿微米黑"
    "（Debian/Ubuntu：apt-get install fonts-wqy-microhei），"
    "或将 PERMITHUB_CERTIFICATE_FONT 设为一个中文 TrueType 字体文件（.ttf/.ttc）的路径"
)


def font_path() -> Path | None:
    """The font file certificates use: ``PERMITHUB_CERTIFICATE_FONT``, else the first system
    Chinese font found; ``None`` when there is none."""
    configured = get_settings().certificate_font
    if configured is not None:
        return configured if configured.is_file() else None
    return next((Path(p) for p in SYSTEM_FONTS if Path(p).is_file()), None)


@lru_cache(maxsize=4)
def _register(path: Path) -> str:
    # A .ttc holds several faces; the first is the regular one of every font listed above.
    font = TTFont(FONT_NAME, str(path), subfontIndex=0)
    pdfmetrics.registerFont(font)
    return FONT_NAME


def certificate_font() -> str:
    """Register the Chinese TrueType font (embedded as a subset in each PDF) and return its name.

    Raises ``Unavailable`` with what to install when there is no usable font.
    """
    path = font_path()
    if path is None:
        raise Unavailable(FONT_MISSING)
    try:
        return _register(path)
    except (TTFError, OSError) as error:
        logger.error("证书字体 %s 无法使用：%s", path, error)
        raise Unavailable(f"证书字体 {path} 无法使用（{error}）。{FONT_MISSING}") from None


def check_certificate_font() -> str | None:
    """At start-up: the problem with the certificate font in Chinese, logged, or ``None``."""
    try:
        certificate_font()
    except Unavailable as problem:
        logger.error("%s", problem.message)
        return problem.message
    return None


# ---- the page ------------------------------------------------------------------------------


def certificate_pdf(title: str, draw: Callable[[Canvas, str, float, float], None]) -> bytes:
    """One A4 landscape page titled ``title``: ``draw(canvas, font, width, height)`` lays it out
    in the embedded Chinese font."""
    font = certificate_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(title)
    pdf.setAuthor("PermitHub")
    draw(pdf, font, width, height)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Break Chinese text into lines no wider than ``max_width`` (any character may break)."""
    lines, current = [], ""
    for char in text:
        if current and pdfmetrics.stringWidth(current + char, font, size) > max_width:
            lines.append(current)
            current = char
        else:
            current += char
    return lines + [current] if current else lines
