"""Public pages anyone can open without logging in: the FAQ (``/faq``) and the policy list
(``/policies``). Each FAQ entry has a permanent URL that chat replies and the WeChat menu link to.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from core.bounds import IdPath
from core.deps import SessionDep
from core.errors import NotFound
from web.deps import MaybePageUser
from web.templating import render

router = APIRouter(include_in_schema=False)

# The public FAQ is read whole (a few hundred curated entries) and grouped by tag on the page.
MAX_FAQ_ENTRIES = 2000
PAGE_SIZE = 30
SearchText = Annotated[str, Query(max_length=100)]
TagText = Annotated[str, Query(max_length=50)]
PageNumber = Annotated[int, Query(ge=1, le=10_000)]


def faq_tags(entry) -> list[str]:
    """An entry's tags (comma, 、 or space separated)."""
    text = (entry.tags or "").replace("，", ",").replace("、", ",").replace(" ", ",")
    return [t.strip() for t in text.split(",") if t.strip()]


def _region(entry) -> str:
    if entry.province is None:
        return "全国"
    return entry.province + (entry.city if entry.city and entry.city != entry.province else "")


@router.get("/faq")
def faq_list(
    request: Request,
    session: SessionDep,
    user: MaybePageUser,
    q: SearchText = "",
    tag: TagText = "",
    page: PageNumber = 1,
):
    """Published FAQ entries by tag, with a search box."""
    from knowledge import service as knowledge_service

    entries, _total = knowledge_service.list_faqs(
        session, query=q.strip() or None, status="active", limit=MAX_FAQ_ENTRIES
    )
    counts: dict[str, int] = {}
    for entry in entries:
        for name in faq_tags(entry):
            counts[name] = counts.get(name, 0) + 1
    if tag:
        entries = [e for e in entries if tag in faq_tags(e)]
    total = len(entries)
    shown = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    context = {
        "entries": shown,
        "total": total,
        "tags": sorted(counts.items(), key=lambda item: (-item[1], item[0])),
        "q": q,
        "tag": tag,
        "page": page,
        "pages": max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE),
        "faq_tags": faq_tags,
        "region": _region,
    }
    return render(request, "public/faq_list.html", context)


@router.get("/faq/{faq_id}")
def faq_entry(request: Request, session: SessionDep, user: MaybePageUser, faq_id: IdPath):
    """One published FAQ entry: question, answer, basis clauses and last update."""
    from knowledge import service as knowledge_service

    entry = knowledge_service.get_faq(session, faq_id=faq_id)
    if entry.status != "active":
        raise NotFound("该常见问题已下线或不存在")
    context = {"entry": entry, "tags": faq_tags(entry), "region": _region(entry)}
    return render(request, "public/faq_entry.html", context)
