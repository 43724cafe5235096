"""Knowledge-base admin pages: curation queue and retrieval test; FAQ and synonym pages are in
``web.pages.knowledge_faq`` and served through this module's router.

Every page is for admins only. The queue shows the questions of the admin's own region (a city
admin never sees another city's questions).
Changes are POSTed forms with a CSRF token and answered with a redirect to the page they came
from, carrying a short ``done`` code so the page can say what happened.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile

from core.accounts import service as account_service
from core.deps import RequestSessionRoute, SessionDep
from core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from core.regions.data import PROVINCES
from core.times import beijing_text
from core.uploads import FileKind, read_form_file
from knowledge import curation, evaluation, service
from knowledge.grouping import DEFAULT_THRESHOLD
from web.deps import CsrfChecked, PageAdmin
from web.pages import knowledge_faq
from web.pages.knowledge_shared import (
    BASE,
    FILTER_KEYS,
    FaqForm,
    back,
    done_message,
    filter_pairs,
)
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)
router.include_router(knowledge_faq.router)

MAX_GROUPS_SHOWN = 60
SIMILARITY_LEVELS = {
    "loose": (0.3, "宽松（合并更多）"),
    "normal": (DEFAULT_THRESHOLD, "标准"),
    "strict": (0.55, "严格（只合并很像的）"),
}
REASONS = {"": "全部", "unanswered": "未能回答", "unhelpful": "回答无帮助"}


def _log_ids(raw: str) -> list[int]:
    try:
        ids = [int(part) for part in raw.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        raise Invalid("问题记录编号格式不正确") from None
    if not ids:
        raise Invalid("没有选择任何问题记录")
    return ids


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
        "beijing_time": beijing_text,
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
    context["message"] = done_message(done, faq, n)
    return render(request, "knowledge/admin_queue.html", context)


def _queue_error(
    request, session, user, exc: DomainError, group_key: str, form: dict, filters: str
):
    """Re-render the queue with the error beside the group's form and the typed text kept."""
    kept = dict(filter_pairs(filters))
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
    fields: FaqForm,
    log_ids: Annotated[str, Form()] = "",
    filters: Annotated[str, Form()] = "",
):
    scope = account_service.region_scope(user)
    try:
        entry = curation.promote_to_faq(
            session,
            scope=scope,
            log_ids=_log_ids(log_ids),
            reviewer_id=user.id,
            actor=user,
            **fields.texts(),
        )
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _queue_error(request, session, user, exc, log_ids, fields.typed(), filters)
    return back(BASE, filters, done="faq", faq=entry.id, n=len(set(_log_ids(log_ids))))


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
    return back(BASE, filters, done="attach", faq=entry.id, n=len(set(_log_ids(log_ids))))


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
    return back(BASE, filters, done="dismiss", n=count)


def home_panel(session, user):
    """Home-page panel for admins: how many questions of their region wait for curation."""
    if not user.role_enum.is_admin:
        return None
    scope = account_service.region_scope(user)
    return "knowledge/_home_curation.html", {
        "curation_scope": scope,
        "curation_counts": curation.pending_counts(session, scope=scope),
    }


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
            result = service.explain(session, question=q, mode=mode)
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
