"""Knowledge admin pages for FAQ entries and the synonym dictionary (``knowledge.faq``).

FAQ lists show national entries (read-only for regional admins: no edit buttons) and the admin's
own region's; synonyms are edited by national admins only (``knowledge.ownership``). Changes are
POSTed forms with a CSRF token, answered with a redirect carrying a ``done`` code.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request

from core.accounts import service as account_service
from core.deps import RequestSessionRoute, SessionDep
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.spreadsheets import TABLE_FORMATS, table_response
from core.times import beijing_text
from knowledge import faq as faq_service
from knowledge import importer as faq_importer
from knowledge import ownership
from knowledge.models import FAQ_ACTIVE, FAQ_RETIRED
from web.deps import CsrfChecked, PageAdmin
from web.pages.knowledge_shared import BASE, FaqForm, back, done_message
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)


# ---- FAQ entries -------------------------------------------------------------------------


@router.get(f"{BASE}/faq")
def faq_list_page(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    q: str = "",
    status: str = "",
    page: int = 1,
    done: str = "",
    faq: int | None = None,
):
    status = status if status in (FAQ_ACTIVE, FAQ_RETIRED) else ""
    scope = account_service.region_scope(user)
    result = faq_service.list_faqs(
        session, scope=scope, query=q, status=status or None, page=max(page, 1)
    )
    hits = faq_service.faq_hit_counts(session, scope=scope, faq_ids=[e.id for e in result.items])
    return render(
        request,
        "knowledge/admin_faq_list.html",
        {
            "result": result,
            "hits": hits,
            "scope": scope,
            "q": q,
            "status": status,
            "message": done_message(done, faq, None),
            "beijing_time": beijing_text,
            "can_edit": faq_service.can_edit,
            "owner_label": ownership.owner_label,
        },
    )


def _faq_form(request, scope, *, entry=None, values=None, error=None, details=(), status_code=200):
    if values is None:
        values = {
            "question": entry.question if entry else "",
            "answer": entry.answer if entry else "",
            "basis": entry.basis if entry else "",
            "tags": entry.tags if entry else "",
            "phrasings": "\n".join(p.text for p in entry.phrasings) if entry else "",
        }
    return render(
        request,
        "knowledge/admin_faq_form.html",
        {
            "entry": entry,
            "values": values,
            "error": error,
            "details": list(details),
            "beijing_time": beijing_text,
            # a national entry is shown to a regional admin without the save and retire buttons
            "editable": entry is None or faq_service.can_edit(scope, entry),
            "owner": ownership.owner_label(
                *(scope.owner_region() if entry is None else (entry.province, entry.city))
            ),
        },
        status_code,
    )


def _faq_refused(request, session, scope, exc, fields, *, faq_id=None):
    """The form again with what was typed and why it was refused (nothing of it written)."""
    session.rollback()
    entry = None if faq_id is None else faq_service.get_faq(session, faq_id=faq_id, scope=scope)
    return _faq_form(
        request,
        scope,
        entry=entry,
        values=fields.typed(),
        error=exc.message,
        details=exc.details,
        status_code=exc.status_code,
    )


@router.get(f"{BASE}/faq/template.{{fmt}}")
def faq_template(user: PageAdmin, fmt: str):
    """An empty FAQ table with the Chinese headers the FAQ import reads (CSV or XLSX)."""
    if fmt not in TABLE_FORMATS:
        raise NotFound("没有这种模板格式（可选 csv 或 xlsx）")
    header = (*faq_importer.COLUMNS[:1], "相似问法", *faq_importer.COLUMNS[1:], "依据", "标签")
    return table_response(header, [], fmt=fmt, name="faq-template", sheet_title="问答表")


@router.get(f"{BASE}/faq/new")
def faq_new_page(request: Request, user: PageAdmin, question: str = ""):
    values = {"question": question, "answer": "", "basis": "", "tags": "", "phrasings": ""}
    return _faq_form(request, account_service.region_scope(user), values=values)


@router.post(f"{BASE}/faq/new", dependencies=[CsrfChecked])
def faq_create(request: Request, session: SessionDep, user: PageAdmin, fields: FaqForm):
    scope = account_service.region_scope(user)
    try:
        entry = faq_service.create_faq(
            session,
            scope=scope,
            phrasings=faq_service.parse_phrasings(fields.phrasings),
            actor=user,
            **fields.texts(),
        )
    except (Invalid, Conflict) as exc:
        return _faq_refused(request, session, scope, exc, fields)
    return back(f"{BASE}/faq", "", done="created", faq=entry.id)


@router.get(f"{BASE}/faq/{{faq_id}}")
def faq_edit_page(request: Request, session: SessionDep, user: PageAdmin, faq_id: int):
    scope = account_service.region_scope(user)
    return _faq_form(request, scope, entry=faq_service.get_faq(session, faq_id=faq_id, scope=scope))


@router.post(f"{BASE}/faq/{{faq_id}}", dependencies=[CsrfChecked])
def faq_save(request: Request, session: SessionDep, user: PageAdmin, faq_id: int, fields: FaqForm):
    scope = account_service.region_scope(user)
    entry = faq_service.get_faq(session, faq_id=faq_id, scope=scope)
    try:
        faq_service.update_faq(
            session,
            scope=scope,
            faq_id=faq_id,
            phrasings=faq_service.parse_phrasings(fields.phrasings),
            actor=user,
            **fields.texts(),
        )
    except (Invalid, Conflict) as exc:
        return _faq_refused(request, session, scope, exc, fields, faq_id=faq_id)
    return back(f"{BASE}/faq", "", done="saved", faq=entry.id)


@router.post(f"{BASE}/faq/{{faq_id}}/retire", dependencies=[CsrfChecked])
def faq_retire(request: Request, session: SessionDep, user: PageAdmin, faq_id: int):
    scope = account_service.region_scope(user)
    faq_service.retire_faq(session, scope=scope, faq_id=faq_id, actor=user)
    return back(f"{BASE}/faq", "", done="retired", faq=faq_id)


@router.post(f"{BASE}/faq/{{faq_id}}/restore", dependencies=[CsrfChecked])
def faq_restore(request: Request, session: SessionDep, user: PageAdmin, faq_id: int):
    scope = account_service.region_scope(user)
    faq_service.restore_faq(session, scope=scope, faq_id=faq_id, actor=user)
    return back(f"{BASE}/faq", "", done="restored", faq=faq_id)


# ---- synonyms ----------------------------------------------------------------------------


def _synonym_page(
    request, session, user, *, q="", message=None, error=None, typed=None, status_code=200
):
    return render(
        request,
        "knowledge/admin_synonyms.html",
        {
            # one national dictionary: regional admins read it, national admins change it
            "editable": account_service.region_scope(user).is_national,
            "synonyms": faq_service.list_synonyms(session, query=q),
            "q": q,
            "message": message,
            "error": error,
            "typed": typed or {},
        },
        status_code,
    )


@router.get(f"{BASE}/synonyms")
def synonyms_page(
    request: Request, session: SessionDep, user: PageAdmin, q: str = "", done: str = ""
):
    return _synonym_page(request, session, user, q=q, message=done_message(done, None, None))


@router.post(f"{BASE}/synonyms", dependencies=[CsrfChecked])
def synonym_add(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    term: Annotated[str, Form()] = "",
    canonical: Annotated[str, Form()] = "",
):
    scope = account_service.region_scope(user)
    try:
        faq_service.add_synonym(session, scope=scope, term=term, canonical=canonical, actor=user)
    except (Invalid, Conflict, Forbidden) as exc:
        session.rollback()
        typed = {"term": term, "canonical": canonical}
        return _synonym_page(
            request, session, user, error=exc.message, typed=typed, status_code=exc.status_code
        )
    return back(f"{BASE}/synonyms", "", done="syn_added")


@router.post(f"{BASE}/synonyms/{{synonym_id}}", dependencies=[CsrfChecked])
def synonym_save(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    synonym_id: int,
    term: Annotated[str, Form()] = "",
    canonical: Annotated[str, Form()] = "",
):
    scope = account_service.region_scope(user)
    try:
        faq_service.update_synonym(
            session,
            scope=scope,
            synonym_id=synonym_id,
            term=term,
            canonical=canonical,
            actor=user,
        )
    except (Invalid, Conflict, Forbidden) as exc:
        session.rollback()
        return _synonym_page(request, session, user, error=exc.message, status_code=exc.status_code)
    return back(f"{BASE}/synonyms", "", done="syn_saved")


@router.post(f"{BASE}/synonyms/{{synonym_id}}/delete", dependencies=[CsrfChecked])
def synonym_delete(request: Request, session: SessionDep, user: PageAdmin, synonym_id: int):
    scope = account_service.region_scope(user)
    try:
        faq_service.delete_synonym(session, scope=scope, synonym_id=synonym_id, actor=user)
    except Forbidden as exc:
        session.rollback()
        return _synonym_page(request, session, user, error=exc.message, status_code=exc.status_code)
    return back(f"{BASE}/synonyms", "", done="syn_deleted")
