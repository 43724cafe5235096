"""The home page: a panel from each domain the signed-in user has something to do in."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request

from core.accounts import service as account_service
from core.deps import RequestSessionRoute, SessionDep
from web.deps import MaybePageUser
from web.pages import courses_pages, coverage_pages, enterprise_home, knowledge_admin, quiz_pages
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)

# Each takes (session, user) and returns (template, context), or None when it has nothing to show.
HOME_PANELS: tuple[Callable, ...] = (
    knowledge_admin.home_panel,
    coverage_pages.home_panel,
    courses_pages.home_panel,
    quiz_pages.home_panel,
    enterprise_home.home_panel,
)


@router.get("/")
def home(request: Request, session: SessionDep, user: MaybePageUser):
    panels = []
    if user is not None:
        for panel in HOME_PANELS:
            result = panel(session, user)
            if result is not None:
                panels.append(result)
    scope = account_service.region_scope(user) if user else None
    return render(request, "core/home.html", {"panels": panels, "scope": scope})
