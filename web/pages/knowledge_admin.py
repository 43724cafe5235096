"""Knowledge-base admin pages: curation queue, FAQ entries, synonym dictionary, retrieval test.

Every page is for admins only. The queue shows the questions of the admin's own region (a city
admin never sees another city's questions). FAQ lists show national entries (read-only for
regional admins: no edit buttons) and the admin's own region's; synonyms are edited by national
admins only (``knowledge.ownership``).
Changes are POSTed forms with a CSRF token and answered with a redirect to the page they came
from, carrying a short ``done`` code so the page can say what happened.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse

from core.accounts import service as account_service
from core.deps import RequestSessionRoute, SessionDep
from core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from core.regions.data import PROVINCES
from core.uploads import FileKind, read_form_file
from knowledge import curation, evaluation, ownership
from knowledge.grouping import DEFAULT_THRESHOLD
from knowledge.models import FAQ_ACTIVE, FAQ_RETIRED
from web.deps import CsrfChecked, PageAdmin
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")  # no daylight saving in China


def beijing_time(moment: dt.datetime | None) -> str:
    """A stored UTC time as the admins read it, e.g. ``2026-11-20 17:02``."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if moment else ""


BASE = "/admin/knowledge"
MAX_GROUPS_SHOWN = 60
SIMILARITY_LEVELS = {
    "loose": (0.3, "宽松（合并更多）"),
    "normal": (DEFAULT_THRESHOLD, "标准"),
    "strict": (0.55, "严格（只合并很像的）"),
}
REASONS = {"": "全部", "unanswered": "未能回答", "unhelpful": "回答无帮助"}
DONE_MESSAGES = {
    "faq": "已新建 FAQ 条目 #{faq}，{n} 条问题已处理。新条目立即生效。",
    "attach": "已将问法加入 FAQ 条目 #{faq}，{n} 条问题已处理。",
    "dismiss": "已忽略 {n} 条问题。",
    "created": "已新建 FAQ 条目 #{faq}，立即生效。",
    "saved": "已保存 FAQ 条目 #{faq}，修改立即生效。",
    "retired": "已停用 FAQ 条目 #{faq}，该条目不再用于回答。",
    "restored": "已恢复 FAQ 条目 #{faq}。",
    "syn_added": "已添加同义词。",
    "syn_saved": "已保存同义词。",
    "syn_deleted": "已删除同义词。",
}


def _done_message(done: str, faq: int | None, n: int | None) -> str | None:
    template = DONE_MESSAGES.get(done)
    return template.format(faq=faq or "", n=n or 0) if template else None


def _log_ids(raw: str) -> list[int]:
    try:
        ids = [int(part) for part in raw.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        raise Invalid("问题记录编号格式不正确") from None
    if not ids:
        raise Invalid("没有选择任何问题记录")
    return ids


def _back(url: str, filters: str = "", **params) -> RedirectResponse:
    """Redirect (303) to ``url`` with the queue's filters kept and a ``done`` message code."""
    pairs = _filter_pairs(filters) + [(k, str(v)) for k, v in params.items() if v not in (None, "")]
    return RedirectResponse(f"{url}?{urlencode(pairs)}" if pairs else url, status_code=303)


FILTER_KEYS = ("province", "city", "reason", "similarity")


def _filter_pairs(filters: str) -> list[tuple[str, str]]:
    """The queue filters from a form's hidden ``filters`` field; anything else is dropped."""
    return [(k, v) for k, v in parse_qsl(filters or "") if k in FILTER_KEYS and v][:4]


# ---- the curation queue ------------------------------------------------------------------


def _queue_context(
    session, user, *, province: str, city: str, reason: str, similarity: str
) -> dict:
    scope = account_service.region_scope(user)
    view = scope.narrow(province or None, city or None)
    level = similarity if similarity in SIMILARITY_LEVELS else "normal"
    reason = reason if reason in REASONS else ""
    queue = curation.curation_queue(
        session,
        scope=view,
        reason=reason or None,
        threshold=SIMILARITY_LEVELS[level][0],
        limit=MAX_GROUPS_SHOWN,
    )
    return {
        "scope": scope,
        "view": view,
        "region_counts": queue.regions,
        "queue": queue.groups,
        "group_count": queue.group_count,
        "question_count": queue.question_count,
        "shown_limit": MAX_GROUPS_SHOWN,
        "provinces": PROVINCES if scope.province is None else (scope.province,),
        "province": province,
        "city": city,
        "reason": reason,
        "reasons": REASONS,
        "similarity": level,
        "levels": {k: label for k, (_, label) in SIMILARITY_LEVELS.items()},
        "errors": {},
        "beijing_time": beijing_time,
        "filters": urlencode(
            [
                (k, v)
                for k, v in zip(FILTER_KEYS, (province, city, reason, similarity), strict=True)
                if v and not (k == "similarity" and v == "normal")
            ]
        ),
    }


@router.get(BASE)
def queue_page(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    province: str = "",
    city: str = "",
    reason: str = "",
    similarity: str = "normal",
    done: str = "",
    faq: int | None = None,
    n: int | None = None,
):
    context = _queue_context(
        session, user, province=province, city=city, reason=reason, similarity=similarity
    )
    context["message"] = _done_message(done, faq, n)
    return render(request, "knowledge/admin_queue.html", context)


def _queue_error(
    request, session, user, exc: DomainError, group_key: str, form: dict, filters: str
):
    """Re-render the queue with the error beside the group's form and the typed text kept."""
    kept = dict(_filter_pairs(filters))
    context = _queue_context(
        session,
        user,
        province=kept.get("province", ""),
        city=kept.get("city", ""),
        reason=kept.get("reason", ""),
        similarity=kept.get("similarity", "normal"),
    )
    context["message"] = None
    context["errors"] = {group_key: exc.message}
    context["typed"] = {group_key: form}
    return render(request, "knowledge/admin_queue.html", context, exc.status_code)


@router.post(f"{BASE}/questions/promote", dependencies=[CsrfChecked])
def promote_group(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    log_ids: Annotated[str, Form()] = "",
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    basis: Annotated[str, Form()] = "",
    tags: Annotated[str, Form()] = "",
    filters: Annotated[str, Form()] = "",
):
    scope = account_service.region_scope(user)
    try:
        entry = curation.promote_to_faq(
            session,
            scope=scope,
            log_ids=_log_ids(log_ids),
            question=question,
            answer=answer,
            basis=basis,
            tags=tags,
            reviewer_id=user.id,
            actor=user,
        )
    except (Invalid, Conflict) as exc:
        session.rollback()
        form = {"question": question, "answer": answer, "basis": basis, "tags": tags}
        return _queue_error(request, session, user, exc, log_ids, form, filters)
    return _back(BASE, filters, done="faq", faq=entry.id, n=len(set(_log_ids(log_ids))))


@router.post(f"{BASE}/questions/attach", dependencies=[CsrfChecked])
def attach_group(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    log_ids: Annotated[str, Form()] = "",
    faq_id: Annotated[str, Form()] = "",
    faq_number: Annotated[str, Form()] = "",
    filters: Annotated[str, Form()] = "",
):
    scope = account_service.region_scope(user)
    chosen = (faq_number or faq_id).strip().lstrip("#")
    try:
        if not chosen.isdigit():
            raise Invalid("请选择要加入的 FAQ 条目，或填写条目编号")
        entry = curation.attach_to_faq(
            session,
            scope=scope,
            log_ids=_log_ids(log_ids),
            faq_id=int(chosen),
            reviewer_id=user.id,
            actor=user,
        )
    except (Invalid, Conflict, Forbidden, NotFound) as exc:
        session.rollback()
        return _queue_error(request, session, user, exc, log_ids, {}, filters)
    return _back(BASE, filters, done="attach", faq=entry.id, n=len(set(_log_ids(log_ids))))


@router.post(f"{BASE}/questions/dismiss", dependencies=[CsrfChecked])
def dismiss_group(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    log_ids: Annotated[str, Form()] = "",
    filters: Annotated[str, Form()] = "",
):
    scope = account_service.region_scope(user)
    try:
        count = curation.dismiss_questions(
            session, scope=scope, log_ids=_log_ids(log_ids), reviewer_id=user.id
        )
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _queue_error(request, session, user, exc, log_ids, {}, filters)
    return _back(BASE, filters, done="dismiss", n=count)


def home_panel(session, user):
    """Home-page panel for admins: how many questions of their region wait for curation."""
    if not user.role_enum.is_admin:
        return None
    scope = account_service.region_scope(user)
    return "knowledge/_home_curation.html", {
        "curation_scope": scope,
        "curation_counts": curation.pending_counts(session, scope=scope),
    }



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
    result = curation.list_faqs(
        session, scope=scope, query=q, status=status or None, page=max(page, 1)
    )
    hits = curation.faq_hit_counts(session, scope=scope, faq_ids=[e.id for e in result.items])
    return render(
        request,
        "knowledge/admin_faq_list.html",
        {
            "result": result,
            "hits": hits,
            "scope": scope,
            "q": q,
            "status": status,
            "message": _done_message(done, faq, None),
            "beijing_time": beijing_time,
            "can_edit": curation.can_edit,
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
            "beijing_time": beijing_time,
            # a national entry is shown to a regional admin without the save and retire buttons
            "editable": entry is None or curation.can_edit(scope, entry),
            "owner": ownership.owner_label(
                *(scope.owner_region() if entry is None else (entry.province, entry.city))
            ),
        },
        status_code,
    )


@router.get(f"{BASE}/faq/new")
def faq_new_page(request: Request, user: PageAdmin, question: str = ""):
    values = {"question": question, "answer": "", "basis": "", "tags": "", "phrasings": ""}
    return _faq_form(request, account_service.region_scope(user), values=values)


@router.post(f"{BASE}/faq/new", dependencies=[CsrfChecked])
def faq_create(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    basis: Annotated[str, Form()] = "",
    tags: Annotated[str, Form()] = "",
    phrasings: Annotated[str, Form()] = "",
):
    values = {
        "question": question,
        "answer": answer,
        "basis": basis,
        "tags": tags,
        "phrasings": phrasings,
    }
    scope = account_service.region_scope(user)
    try:
        entry = curation.create_faq(
            session,
            scope=scope,
            question=question,
            answer=answer,
            basis=basis,
            tags=tags,
            phrasings=curation.parse_phrasings(phrasings),
            actor=user,
        )
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _faq_form(
            request,
            scope,
            values=values,
            error=exc.message,
            details=exc.details,
            status_code=exc.status_code,
        )
    return _back(f"{BASE}/faq", "", done="created", faq=entry.id)


@router.get(f"{BASE}/faq/{{faq_id}}")
def faq_edit_page(request: Request, session: SessionDep, user: PageAdmin, faq_id: int):
    scope = account_service.region_scope(user)
    return _faq_form(request, scope, entry=curation.get_faq(session, faq_id=faq_id, scope=scope))


@router.post(f"{BASE}/faq/{{faq_id}}", dependencies=[CsrfChecked])
def faq_save(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    faq_id: int,
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    basis: Annotated[str, Form()] = "",
    tags: Annotated[str, Form()] = "",
    phrasings: Annotated[str, Form()] = "",
):
    scope = account_service.region_scope(user)
    entry = curation.get_faq(session, faq_id=faq_id, scope=scope)
    values = {
        "question": question,
        "answer": answer,
        "basis": basis,
        "tags": tags,
        "phrasings": phrasings,
    }
    try:
        curation.update_faq(
            session,
            scope=scope,
            faq_id=faq_id,
            question=question,
            answer=answer,
            basis=basis,
            tags=tags,
            phrasings=curation.parse_phrasings(phrasings),
            actor=user,
        )
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _faq_form(
            request,
            scope,
            entry=curation.get_faq(session, faq_id=faq_id, scope=scope),
            values=values,
            error=exc.message,
            details=exc.details,
            status_code=exc.status_code,
        )
    return _back(f"{BASE}/faq", "", done="saved", faq=entry.id)


@router.post(f"{BASE}/faq/{{faq_id}}/retire", dependencies=[CsrfChecked])
def faq_retire(request: Request, session: SessionDep, user: PageAdmin, faq_id: int):
    scope = account_service.region_scope(user)
    curation.set_faq_status(session, scope=scope, faq_id=faq_id, status=FAQ_RETIRED, actor=user)
    return _back(f"{BASE}/faq", "", done="retired", faq=faq_id)


@router.post(f"{BASE}/faq/{{faq_id}}/restore", dependencies=[CsrfChecked])
def faq_restore(request: Request, session: SessionDep, user: PageAdmin, faq_id: int):
    scope = account_service.region_scope(user)
    curation.set_faq_status(session, scope=scope, faq_id=faq_id, status=FAQ_ACTIVE, actor=user)
    return _back(f"{BASE}/faq", "", done="restored", faq=faq_id)


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
            "synonyms": curation.list_synonyms(session, query=q),
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
    return _synonym_page(request, session, user, q=q, message=_done_message(done, None, None))


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
        curation.add_synonym(session, scope=scope, term=term, canonical=canonical, actor=user)
    except (Invalid, Conflict, Forbidden) as exc:
        session.rollback()
        typed = {"term": term, "canonical": canonical}
        return _synonym_page(
            request, session, user, error=exc.message, typed=typed, status_code=exc.status_code
        )
    return _back(f"{BASE}/synonyms", "", done="syn_added")


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
        curation.update_synonym(
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
    return _back(f"{BASE}/synonyms", "", done="syn_saved")


@router.post(f"{BASE}/synonyms/{{synonym_id}}/delete", dependencies=[CsrfChecked])
def synonym_delete(request: Request, session: SessionDep, user: PageAdmin, synonym_id: int):
    scope = account_service.region_scope(user)
    try:
        curation.delete_synonym(session, scope=scope, synonym_id=synonym_id, actor=user)
    except Forbidden as exc:
        session.rollback()
        return _synonym_page(request, session, user, error=exc.message, status_code=exc.status_code)
    return _back(f"{BASE}/synonyms", "", done="syn_deleted")


# ---- retrieval test ----------------------------------------------------------------------

MODES = {"hybrid": "混合（BM25 + 向量）", "bm25": "仅 BM25", "dense": "仅向量"}


def _search_test_page(request, status_code: int = 200, **values):
    """The retrieval-test page: one question's ranking, and/or a batch evaluation's figures."""
    context = {
        "q": "",
        "mode": "hybrid",
        "modes": MODES,
        "result": None,
        "error": None,
        "evaluation": None,
        "eval_error": None,
        "eval_details": [],
        "eval_filename": "",
        "verdict_labels": evaluation.VERDICT_LABELS,
        **values,
    }
    return render(request, "knowledge/admin_search_test.html", context, status_code)


@router.get(f"{BASE}/search-test")
def search_test_page(
    request: Request, session: SessionDep, user: PageAdmin, q: str = "", mode: str = "hybrid"
):
    mode = mode if mode in MODES else "hybrid"
    result, error, status_code = None, None, 200
    if q.strip():
        try:
            result = curation.retrieval_test(session, question=q, mode=mode)
        except Invalid as exc:
            error, status_code = exc.message, exc.status_code
    return _search_test_page(
        request, q=q, mode=mode, result=result, error=error, status_code=status_code
    )


@router.post(f"{BASE}/search-test/eval", dependencies=[CsrfChecked])
def search_test_eval(
    request: Request,
    session: SessionDep,
    user: PageAdmin,
    file: Annotated[UploadFile | None, File()] = None,
):
    """Batch evaluation of an uploaded .jsonl, answered as the admin's own region would be."""
    filename = (file.filename or "") if file is not None else ""
    try:
        filename, data = read_form_file(
            file, kind=FileKind.EVALUATION, required="请选择要评测的 .jsonl 文件"
        )
        scope = account_service.region_scope(user)
        report = evaluation.evaluate_file(session, data, province=scope.province, city=scope.city)
    except Invalid as exc:
        return _search_test_page(
            request,
            eval_error=exc.message,
            eval_details=exc.details,
            eval_filename=filename,
            status_code=exc.status_code,
        )
    return _search_test_page(
        request,
        evaluation={"figures": report.figures(), "misses": report.misses, "region": scope.label},
        eval_filename=filename,
    )
