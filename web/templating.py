"""Jinja2 templates with the user, the CSRF token and the navigation in every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from core.accounts.models import ROLE_LABELS, Role
from core.security import CSRF_SESSION_KEY, new_csrf_token
from core.timezone import beijing_time

TEMPLATE_DIR = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
# Pictographs (emoji) render as empty boxes where no emoji font is installed: pages use the SVG
# icons of _icons.html instead, and texts shared with the Telegram bot lose theirs here.
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]")


def web_text(text: str) -> str:
    """``text`` without emoji (``"👍 有帮助"`` → ``"有帮助"``)."""
    return _EMOJI.sub("", text).strip()


templates.env.filters["beijing"] = beijing_time  # every page shows Beijing time
templates.env.filters["web_text"] = web_text
CSRF_KEY = CSRF_SESSION_KEY


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(CSRF_KEY)
    if not token:
        token = new_csrf_token()
        request.session[CSRF_KEY] = token
    return token


def nav_items(user) -> list[tuple[str, str]]:
    """Menu entries (label, url) for the user's role; anonymous visitors see the public ones."""
    items = [
        ("首页", "/"),
        ("智能问答", "/chat"),
        ("常见问题", "/faq"),
        ("典型案例", "/cases"),
        ("政策文件", "/policies"),
    ]
    if user is None:
        return items + [("证书查验", "/verify")]
    role = Role(user.role)
    items += [("练习与竞赛", "/quiz"), ("课程学习", "/courses")]
    if role.is_admin:
        items += [
            ("排污单位", "/enterprises"),
            ("培训覆盖", "/coverage"),
            ("题库管理", "/admin/quiz/questions"),
            ("知识库", "/admin/knowledge"),
            *([("典型案例管理", "/admin/cases")] if role in (Role.NATIONAL, Role.PROVINCE) else []),
            ("数据导入", "/admin/import"),
            ("账号管理", "/admin/accounts"),
        ]
    return items


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
):
    """Render ``name`` with the common page context."""
    user = getattr(request.state, "user", None)
    ctx = {
        "user": user,
        "role_label": ROLE_LABELS.get(Role(user.role)) if user else None,
        "nav": nav_items(user),
        "csrf_token": csrf_token(request),
        "path": request.url.path,
    }
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
