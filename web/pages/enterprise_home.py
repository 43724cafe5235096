"""The enterprise user's home: their unit, measure 33 coverage, upcoming classes, training history
and the questions its people asked (web chat, API, Telegram and WeChat when bound to the unit).

Also ``GET /api/my-unit`` with the same content, for scripts.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel

from core.deps import CurrentUser, RequestSessionRoute, SessionDep
from core.openapi import error_responses
from courses import unit_status
from knowledge import service as knowledge_service

router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/my-unit", tags=["enterprises"], responses=error_responses(401, 403, 404, 422)
)


class ClassRead(BaseModel):
    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    online: bool


class TrainingRead(BaseModel):
    person_name: str
    course: str
    completed_on: dt.date
    passed: bool
    source: str


class QuestionRead(BaseModel):
    question: str
    answered: bool
    asked_at: dt.datetime
    channel: str


QUESTIONS_SHOWN = 20


class MyUnitRead(BaseModel):
    """The unit an enterprise account is bound to and its measure 33 status."""

    credit_code: str
    name: str
    province: str
    city: str
    industry: str
    management_category: str
    permit_status: str
    legal_rep_name: str
    legal_rep_since: dt.date | None
    as_of: dt.date
    key_unit: bool
    covered: bool
    covered_on: dt.date | None
    covered_by: str | None
    covered_source: str | None
    upcoming_classes: list[ClassRead]
    training_history: list[TrainingRead]
    questions: list[QuestionRead]


@router.get(
    "",
    response_model=MyUnitRead,
    summary="企业用户：本单位信息、法定代表人培训覆盖情况、近期培训班、培训记录、提问记录",
)
def my_unit(session: SessionDep, user: CurrentUser) -> MyUnitRead:
    status = unit_status.unit_status(session, user=user)
    unit = status.enterprise
    return MyUnitRead(
        credit_code=unit.credit_code,
        name=unit.name,
        province=unit.province,
        city=unit.city,
        industry=unit.industry or "",
        management_category=unit.management_category,
        permit_status=unit.permit_status,
        legal_rep_name=unit.legal_rep_name,
        legal_rep_since=unit.legal_rep_since,
        as_of=status.as_of,
        key_unit=status.key_unit,
        covered=status.covered,
        covered_on=status.covered_on,
        covered_by=status.covered_by,
        covered_source=status.covered_source,
        upcoming_classes=[
            ClassRead(
                id=c.id,
                title=c.title,
                starts_on=c.starts_on,
                ends_on=c.ends_on,
                place=c.place or "",
                online=c.online,
            )
            for c in status.upcoming
        ],
        training_history=[TrainingRead(**line.__dict__) for line in status.history],
        questions=[
            QuestionRead(
                question=q.question, answered=q.answered, asked_at=q.created_at, channel=q.channel
            )
            for q in knowledge_service.unit_questions(
                session, enterprise_id=unit.id, limit=QUESTIONS_SHOWN
            )
        ],
    )


def home_panel(session, user):
    """The enterprise user's unit (listed in ``web.pages.home_pages.HOME_PANELS``)."""
    if user.role != "enterprise" or not user.enterprise_id:
        return None
    status = unit_status.unit_status(session, user=user)
    questions = knowledge_service.unit_questions(
        session, enterprise_id=status.enterprise.id, limit=QUESTIONS_SHOWN
    )
    return "courses/_home_enterprise.html", {"status": status, "questions": questions}
