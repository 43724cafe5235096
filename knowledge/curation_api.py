"""Curation API for admins: the failed-question queue, FAQ entries, synonyms, the retrieval test."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from core.bounds import IdPath, PageQuery
from core.deps import AdminScope, AdminUser, RequestSessionRoute, SessionDep
from core.openapi import error_responses
from core.regions.scope import RegionScope
from knowledge import curation, faq, ownership, service
from knowledge.curation_schemas import (
    AttachRequest,
    DismissRequest,
    FaqCreate,
    FaqPage,
    FaqRead,
    FaqUpdate,
    GroupRead,
    PromoteRequest,
    QueueRead,
    RegionRead,
    RetrievalTestRequest,
    ReviewResult,
    SynonymRead,
    SynonymWrite,
)
from knowledge.grouping import DEFAULT_THRESHOLD
from knowledge.models import FaqEntry

router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/knowledge/admin",
    tags=["knowledge-admin"],
    responses=error_responses(401, 403, 404, 409, 422),
)


def faq_read(entry: FaqEntry, scope: RegionScope) -> FaqRead:
    """The API shape of an entry (phrasings as plain texts), and whether ``scope`` may edit it."""
    return FaqRead(
        id=entry.id,
        question=entry.question,
        answer=entry.answer,
        basis=entry.basis,
        tags=entry.tags,
        status=entry.status,
        phrasings=[p.text for p in entry.phrasings],
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        province=entry.province,
        city=entry.city,
        owner=ownership.owner_label(entry.province, entry.city),
        editable=faq.can_edit(scope, entry),
    )


@router.get(
    "/questions", response_model=QueueRead, summary="待处理问题（按相似度分组，按次数排序）"
)
def question_groups(
    session: SessionDep,
    scope: AdminScope,
    province: str | None = None,
    city: str | None = None,
    reason: Annotated[str | None, Query(pattern="^(unanswered|unhelpful)$")] = None,
    threshold: Annotated[float, Query(gt=0, le=1)] = DEFAULT_THRESHOLD,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> QueueRead:
    """Unanswered and unhelpful questions of the caller's region: the top ``limit`` groups."""
    scope = scope.narrow(province, city)
    queue = curation.curation_queue(
        session, scope=scope, reason=reason, threshold=threshold, limit=limit
    )
    groups = [
        GroupRead(
            representative=item.group.representative,
            count=item.group.count,
            unanswered=item.group.unanswered,
            unhelpful=item.group.unhelpful,
            regions=item.group.regions,
            phrasings=item.group.phrasings,
            last_asked_at=item.group.last_asked_at,
            log_ids=item.group.log_ids,
            suggested_faqs=[faq_read(e, scope) for e in item.suggestions],
        )
        for item in queue.groups
    ]
    return QueueRead(
        groups=groups,
        group_count=queue.group_count,
        question_count=queue.question_count,
        regions=[
            RegionRead(label=r.label, province=r.province, city=r.city, count=r.count)
            for r in queue.regions
        ],
    )


@router.post(
    "/questions/promote",
    response_model=ReviewResult,
    status_code=status.HTTP_201_CREATED,
    summary="将一组问题转为新的 FAQ 条目",
)
def promote(
    body: PromoteRequest, session: SessionDep, scope: AdminScope, user: AdminUser
) -> ReviewResult:
    """Create an entry from the group (its wordings become phrasings); the questions are handled."""
    entry = curation.promote_to_faq(
        session,
        scope=scope,
        log_ids=body.log_ids,
        question=body.question,
        answer=body.answer,
        basis=body.basis,
        tags=body.tags,
        reviewer_id=user.id,
        actor=user,
    )
    return ReviewResult(handled=len(set(body.log_ids)), faq=faq_read(entry, scope))


@router.post(
    "/questions/attach",
    response_model=ReviewResult,
    summary="将一组问题添加为已有 FAQ 条目的相似问法",
)
def attach(
    body: AttachRequest, session: SessionDep, scope: AdminScope, user: AdminUser
) -> ReviewResult:
    """Add the group's wordings to an existing entry; the questions are handled."""
    entry = curation.attach_to_faq(
        session,
        scope=scope,
        log_ids=body.log_ids,
        faq_id=body.faq_id,
        reviewer_id=user.id,
        actor=user,
    )
    return ReviewResult(handled=len(set(body.log_ids)), faq=faq_read(entry, scope))


@router.post(
    "/questions/dismiss", response_model=ReviewResult, summary="忽略一组问题（无需建立条目）"
)
def dismiss(
    body: DismissRequest, session: SessionDep, scope: AdminScope, user: AdminUser
) -> ReviewResult:
    """Mark questions as handled without an entry."""
    count = curation.dismiss_questions(
        session, scope=scope, log_ids=body.log_ids, reviewer_id=user.id
    )
    return ReviewResult(handled=count)


@router.get("/faq", response_model=FaqPage, summary="FAQ 条目列表与搜索")
def faq_list(
    session: SessionDep,
    scope: AdminScope,
    q: str = "",
    status_: Annotated[str | None, Query(alias="status", pattern="^(active|retired)$")] = None,
    page: PageQuery = 1,
) -> FaqPage:
    """Entries whose question, answer, basis, tags or phrasings contain every word of ``q``:
    national entries (read-only for regional admins) and those of the caller's region."""
    result = faq.list_faqs(session, scope=scope, query=q, status=status_, page=page)
    return FaqPage(
        items=[faq_read(e, scope) for e in result.items],
        total=result.total,
        page=result.page,
        pages=result.pages,
    )


@router.post(
    "/faq", response_model=FaqRead, status_code=status.HTTP_201_CREATED, summary="新建 FAQ 条目"
)
def faq_create(body: FaqCreate, session: SessionDep, scope: AdminScope, user: AdminUser) -> FaqRead:
    """Create an entry owned by the caller's region (national for a national admin)."""
    entry = faq.create_faq(
        session,
        scope=scope,
        question=body.question,
        answer=body.answer,
        basis=body.basis,
        tags=body.tags,
        phrasings=body.phrasings,
        actor=user,
    )
    return faq_read(entry, scope)


@router.get("/faq/{faq_id}", response_model=FaqRead, summary="查看 FAQ 条目")
def faq_get(faq_id: IdPath, session: SessionDep, scope: AdminScope) -> FaqRead:
    """One entry with its phrasings (national or the caller's region's)."""
    return faq_read(faq.get_faq(session, faq_id=faq_id, scope=scope), scope)


@router.put("/faq/{faq_id}", response_model=FaqRead, summary="修改 FAQ 条目（相似问法整体替换）")
def faq_update(
    faq_id: IdPath, body: FaqUpdate, session: SessionDep, scope: AdminScope, user: AdminUser
) -> FaqRead:
    """Replace the content of an entry the caller owns (403 for national entries of others)."""
    entry = faq.update_faq(
        session,
        scope=scope,
        faq_id=faq_id,
        question=body.question,
        answer=body.answer,
        basis=body.basis,
        tags=body.tags,
        phrasings=body.phrasings,
        actor=user,
    )
    return faq_read(entry, scope)


@router.post("/faq/{faq_id}/retire", response_model=FaqRead, summary="停用 FAQ 条目")
def faq_retire(faq_id: IdPath, session: SessionDep, scope: AdminScope, user: AdminUser) -> FaqRead:
    """Stop answering with an entry the caller owns (kept for the record)."""
    entry = faq.retire_faq(session, scope=scope, faq_id=faq_id, actor=user)
    return faq_read(entry, scope)


@router.post("/faq/{faq_id}/restore", response_model=FaqRead, summary="恢复已停用的 FAQ 条目")
def faq_restore(faq_id: IdPath, session: SessionDep, scope: AdminScope, user: AdminUser) -> FaqRead:
    """Use a retired entry the caller owns for answers again."""
    entry = faq.restore_faq(session, scope=scope, faq_id=faq_id, actor=user)
    return faq_read(entry, scope)


@router.get("/synonyms", response_model=list[SynonymRead], summary="同义词与简称词典")
def synonym_list(session: SessionDep, scope: AdminScope, q: str = "") -> list[SynonymRead]:
    """The dictionary; ``q`` filters on either side."""
    return [SynonymRead.model_validate(s) for s in faq.list_synonyms(session, query=q)]


@router.post(
    "/synonyms",
    response_model=SynonymRead,
    status_code=status.HTTP_201_CREATED,
    summary="添加同义词",
)
def synonym_add(
    body: SynonymWrite, session: SessionDep, scope: AdminScope, user: AdminUser
) -> SynonymRead:
    """Add a term and the wording it stands for (national admins only)."""
    synonym = faq.add_synonym(
        session, scope=scope, term=body.term, canonical=body.canonical, actor=user
    )
    return SynonymRead.model_validate(synonym)


@router.put("/synonyms/{synonym_id}", response_model=SynonymRead, summary="修改同义词")
def synonym_update(
    synonym_id: IdPath, body: SynonymWrite, session: SessionDep, scope: AdminScope, user: AdminUser
) -> SynonymRead:
    """Change either side of an entry (national admins only)."""
    synonym = faq.update_synonym(
        session,
        scope=scope,
        synonym_id=synonym_id,
        term=body.term,
        canonical=body.canonical,
        actor=user,
    )
    return SynonymRead.model_validate(synonym)


@router.delete(
    "/synonyms/{synonym_id}", status_code=status.HTTP_204_NO_CONTENT, summary="删除同义词"
)
def synonym_delete(
    synonym_id: IdPath, session: SessionDep, scope: AdminScope, user: AdminUser
) -> None:
    """Remove an entry (national admins only)."""
    faq.delete_synonym(session, scope=scope, synonym_id=synonym_id, actor=user)


@router.post("/retrieval-test", summary="检索测试：查看排序后的段落、得分与作答判断")
def retrieval_test(
    body: RetrievalTestRequest,
    session: SessionDep,
    scope: AdminScope,
    mode: Annotated[str, Query(pattern="^(hybrid|bm25|dense)$")] = "hybrid",
) -> dict:
    """What the engine would do with a question; nothing is logged."""
    result = service.explain(session, question=body.question, mode=mode)
    return {**result, "hits": [h.model_dump() for h in result["hits"]]}
