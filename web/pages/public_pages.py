"""Public pages anyone can open without logging in: the FAQ (``/faq``) and the policy list
(``/policies``, where admins who own a document also set its facts). Each FAQ entry has a
permanent URL that chat replies and the WeChat menu link to.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse

from core.bounds import IdPath
from core.deps import RequestSessionRoute, SessionDep
from core.errors import NotFound
from core.regions.scope import RegionScope
from web.deps import CsrfChecked, MaybePageUser, PageAdmin
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)

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


def _searchable(entry) -> str:
    """What a search word may match: question, answer, basis, tags and phrasings."""
    phrasings = " ".join(p.text for p in entry.phrasings)
    return " ".join((entry.question, entry.answer, entry.basis, entry.tags, phrasings))


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
    from knowledge import faq

    entries = sorted(
        faq.active_faqs(session, scope=RegionScope()),
        key=lambda e: (e.updated_at, e.id),
        reverse=True,
    )[:MAX_FAQ_ENTRIES]
    words = q.split()
    if words:
        entries = [e for e in entries if all(word in _searchable(e) for word in words)]
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
    from knowledge import faq

    entry = faq.get_faq(session, faq_id=faq_id, scope=RegionScope())
    if entry.status != "active":
        raise NotFound("该常见问题已下线或不存在")
    context = {"entry": entry, "tags": faq_tags(entry), "region": _region(entry)}
    return render(request, "public/faq_entry.html", context)


# ---- policies ------------------------------------------------------------------------------


def _policy_rows(session, status: str | None):
    from cases.service import DOCUMENT_PREFIX
    from knowledge import policies

    return policies.list_policies(session, exclude_prefix=DOCUMENT_PREFIX, status=status)


@router.get("/policies")
def policy_list(
    request: Request,
    session: SessionDep,
    user: MaybePageUser,
    status: Annotated[str, Query(max_length=16)] = "",
):
    """Ingested documents with issuing body, number, date and status, each linking its passages."""
    from knowledge.models import POLICY_STATUSES

    if status and status not in POLICY_STATUSES:
        status = ""
    context = {
        "documents": _policy_rows(session, status or None),
        "status": status,
        "labels": POLICY_STATUSES,
        "region": _region,
    }
    return render(request, "public/policies.html", context)


def _may_edit(user, document) -> bool:
    if user is None or not user.role_enum.is_admin:
        return False
    from core.accounts.service import region_scope

    return region_scope(user).owns(document.province, document.city)


@router.get("/policies/{document_id}")
def policy_page(request: Request, session: SessionDep, user: MaybePageUser, document_id: IdPath):
    """One document's facts and its passages in order (anchors ``#p-<ordinal>``)."""
    from knowledge import policies
    from knowledge.models import POLICY_STATUSES

    document, chunks = policies.get_policy(session, document_id=document_id)
    context = {
        "document": document,
        "chunks": chunks,
        "labels": POLICY_STATUSES,
        "region": _region(document),
        "editable": _may_edit(user, document),
        "error": None,
        "details": [],
    }
    return render(request, "public/policy.html", context)


@router.post("/policies/{document_id}", dependencies=[CsrfChecked])
def policy_facts(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    document_id: IdPath,
    issuing_body: Annotated[str, Form(max_length=100)] = "",
    doc_number: Annotated[str, Form(max_length=100)] = "",
    issued_on: Annotated[str, Form(max_length=10)] = "",
    policy_status: Annotated[str, Form(max_length=16)] = "in_force",
):
    """An admin who owns the document sets its issuing body, number, date and status."""
    import datetime as dt

    from core.accounts.service import region_scope
    from core.errors import DomainError, Invalid
    from knowledge import policies
    from knowledge.models import POLICY_STATUSES

    try:
        try:
            date = dt.date.fromisoformat(issued_on) if issued_on.strip() else None
        except ValueError:
            raise Invalid(
                f"发布日期“{issued_on}”不是有效日期（应为 YYYY-MM-DD）",
                details=["发布日期: 应为 YYYY-MM-DD"],
            ) from None
        policies.set_policy_facts(
            session,
            document_id=document_id,
            issuing_body=issuing_body,
            doc_number=doc_number,
            issued_on=date,
            policy_status=policy_status,
            scope=region_scope(user),
            actor=user,
        )
    except DomainError as exc:
        session.rollback()
        if exc.status_code in (403, 404):
            raise
        document, chunks = policies.get_policy(session, document_id=document_id)
        context = {
            "document": document,
            "chunks": chunks,
            "labels": POLICY_STATUSES,
            "region": _region(document),
            "editable": True,
            "error": exc.message,
            "details": exc.details,
        }
        return render(request, "public/policy.html", context, exc.status_code)
    return RedirectResponse(f"/policies/{document_id}", status_code=303)
