"""Courses API: the catalogue, enrolment, video progress and staff credits."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter

from core.bounds import IdPath, YearQuery
from core.deps import AdminScope, CurrentUser, RequestSessionRoute, SessionDep
from core.openapi import error_responses
from courses import catalogue, enrolments, learning, staff_training
from courses.schemas import (
    CourseDetailRead,
    CourseRead,
    EnrolmentRead,
    LessonRead,
    OrganisationCreditsRead,
    ProgressReport,
    ProgressStatus,
    StaffCreditsRead,
)

router = APIRouter(
    route_class=RequestSessionRoute,
    prefix="/api/courses", tags=["courses"], responses=error_responses(401, 403, 404, 409, 422)
)


@router.get("", response_model=list[CourseRead], summary="课程目录")
def list_courses(
    session: SessionDep, user: CurrentUser, audience: str | None = None, year: YearQuery = None
) -> list[CourseRead]:
    return [
        CourseRead.model_validate(c)
        for c in catalogue.list_courses(session, audience=audience, year=year)
    ]


@router.get("/staff-credits", response_model=list[OrganisationCreditsRead], summary="人员年度学分")
def staff_credits(
    session: SessionDep, scope: AdminScope, year: YearQuery = None
) -> list[OrganisationCreditsRead]:
    year = year or dt.date.today().year
    return [
        OrganisationCreditsRead(
            organisation=org.organisation,
            behind=len(org.behind),
            people=[
                StaffCreditsRead(
                    username=p.user.username,
                    name=p.user.display_name,
                    staff_kind=p.user.staff_kind,
                    required_done=p.required_done,
                    required_needed=p.required_needed,
                    elective_done=p.elective_done,
                    elective_needed=p.elective_needed,
                    behind=p.behind,
                )
                for p in org.people
            ],
        )
        for org in staff_training.staff_credits(session, scope=scope, year=year)
    ]


@router.get("/{course_id}", response_model=CourseDetailRead, summary="课程详情与课时")
def read_course(course_id: IdPath, session: SessionDep, user: CurrentUser) -> CourseDetailRead:
    course = catalogue.get_course(session, course_id)
    enrolment = enrolments.find_enrolment(session, course_id=course.id, user=user)
    return CourseDetailRead(
        **CourseRead.model_validate(course).model_dump(),
        lessons=[LessonRead.model_validate(lesson) for lesson in course.lessons],
        enrolment=EnrolmentRead.model_validate(enrolment) if enrolment else None,
    )


@router.post("/{course_id}/enrol", response_model=EnrolmentRead, summary="报名课程")
def enrol(
    course_id: IdPath, session: SessionDep, user: CurrentUser, person_name: str | None = None
):
    return EnrolmentRead.model_validate(
        enrolments.enrol(session, course_id=course_id, user=user, person_name=person_name)
    )


@router.post(
    "/lessons/{lesson_id}/progress", response_model=ProgressStatus, summary="上报视频播放进度"
)
def progress(
    lesson_id: IdPath, report: ProgressReport, session: SessionDep, user: CurrentUser
) -> ProgressStatus:
    status = learning.report_video_progress(
        session,
        lesson_id=lesson_id,
        user=user,
        position=report.position,
        previous=report.previous,
        played=report.played,
        view=report.view,
    )
    return ProgressStatus(
        watched_seconds=round(status.watched_seconds, 1),
        seen_share=round(status.seen_share, 3),
        completed=status.completed,
        course_completed=status.course_completed,
        counted=status.counted,
        note=status.note,
    )
