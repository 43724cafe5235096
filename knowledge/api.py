"""Knowledge API: ask a question (anonymous, rate-limited) and vote on the answer."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from core.bounds import IdPath
from core.deps import OptionalUser, RateLimit, RequestSessionRoute, SessionDep, client_address
from core.errors import Invalid
from core.openapi import error_responses
from core.ratelimit import caller_key
from knowledge import service, texts
from knowledge.schemas import Answer, FeedbackRead, FeedbackRequest

router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/ask",
    tags=["knowledge"],
    responses=error_responses(404, 409, 422, 429),
)
# Per user when logged in, else per address, counted in the database across all workers;
# counted in the handler's thread (see ``RateLimit``): this is the route every chat message takes.
ask_limit = RateLimit("ask", lambda settings: settings.ask_rate_per_minute, texts.RATE_LIMITED)


async def _question_body(request: Request) -> tuple[str, str | None]:
    """(question, conversation id) from a JSON body; a body that is not JSON is a 422 in
    Chinese, not a 500."""
    raw = await request.body()
    try:
        payload = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise Invalid(texts.BAD_JSON) from None
    if not isinstance(payload, dict) or "question" not in payload:
        raise Invalid(texts.BAD_JSON)
    question = payload["question"]
    if not isinstance(question, str):
        raise Invalid(texts.QUESTION_NOT_TEXT)
    conversation = payload.get("conversation_id")
    if conversation is not None and (
        not isinstance(conversation, str) or not 1 <= len(conversation) <= 64
    ):
        raise Invalid(texts.BAD_CONVERSATION)
    return question, conversation


def _conversation_key(client: str, conversation: str) -> str:
    """A conversation id scoped to its client, so nobody continues someone else's conversation."""
    return "api:" + service.hash_key(f"{client}\x00{conversation}")[:40]


def _client_key(request: Request, user) -> str:
    return caller_key(user, client_address(request))


@router.post(
    "",
    response_model=Answer,
    summary="提问：根据知识库作答，附出处；没有确切依据时如实说明并给出建议",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["question"],
                        "properties": {
                            "question": {"type": "string", "maxLength": 500},
                            "conversation_id": {
                                "type": "string",
                                "maxLength": 64,
                                "description": (
                                    "同一对话的标识：追问（如“那它的截止时间呢”）结合上一轮问题作答"
                                ),
                            },
                        },
                    },
                    "example": {"question": "法定代表人培训什么时候要完成？"},
                }
            },
        }
    },
)
def ask(
    request: Request,
    session: SessionDep,
    user: OptionalUser,
    body: Annotated[tuple[str, str | None], Depends(_question_body)],
) -> Answer:
    """Answer one question; no login needed. With ``conversation_id``, a short follow-up is
    answered in the context of the previous question of that conversation."""
    client = _client_key(request, user)
    ask_limit.count(session, client)
    question, conversation = body
    answer = service.answer_question(
        session,
        question=question,
        channel="api",
        client=client,
        province=getattr(user, "province", None),
        city=getattr(user, "city", None),
        conversation=conversation and _conversation_key(client, conversation),
        enterprise_id=getattr(user, "enterprise_id", None),
    )
    answer.conversation_id = conversation
    return answer


@router.post("/{log_id}/feedback", response_model=FeedbackRead, summary="评价回答是否有帮助")
def feedback(
    log_id: IdPath, body: FeedbackRequest, request: Request, session: SessionDep, user: OptionalUser
) -> FeedbackRead:
    """Record a vote; voting again changes it rather than counting twice."""
    service.record_feedback(
        session, log_id=log_id, helpful=body.helpful, voter=_client_key(request, user)
    )
    return FeedbackRead(log_id=log_id, helpful=body.helpful)
