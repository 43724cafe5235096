"""Pages of practice and contests (/quiz…); the bank and contest admin are in
``web.pages.quiz_admin_pages``."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from core.accounts.models import ROLE_LABELS
from core.bounds import IdPath
from core.deps import RequestSessionRoute, SessionDep
from core.errors import Conflict, DomainError, Invalid, NotFound
from core.times import beijing_text
from quiz import (
    attempts,
    bank,
    certificates,
    contests,
    practice,
    ranking,
    rules,
    schemas,
)
from quiz.api import CodePath, Word, practice_limit
from quiz.certificates import certificate_pdf
from quiz.models import ContestState
from web.deps import CsrfChecked, PageForm, PageUser
from web.templating import render

router = APIRouter(route_class=RequestSessionRoute, include_in_schema=False)


def local_time(value: dt.datetime | None) -> str:
    """A stored time as Beijing time for a page."""
    return beijing_text(value)


def minutes_text(seconds: float | int | None) -> str:
    """Seconds as 分 and 秒."""
    seconds = int(seconds or 0)
    return f"{seconds // 60}分{seconds % 60:02d}秒"


def page_context(**extra) -> dict:
    """Template context with the helpers every quiz page uses."""
    return {"local": local_time, "minutes": minutes_text, "ROLE_LABELS": ROLE_LABELS, **extra}


def form_id(value: object, what: str = "题目编号") -> int:
    """A positive id from a form field; anything else (text, 20 digits) is a 422, not a 500."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= schemas.MAX_ID:
        raise Invalid(f"{what}无效")
    return int(text)


# ---- participant pages -------------------------------------------------------------------


@router.get("/quiz")
def quiz_home(request: Request, session: SessionDep, user: PageUser):
    offered = contests.list_contests_for_user(session, user=user)
    return render(
        request,
        "quiz/index.html",
        page_context(
            contests=offered,
            tags=bank.tag_counts(session),
            certificates=certificates.my_certificates(session, user=user),
            mistakes=len(practice.list_mistakes(session, user_id=user.id)),
        ),
    )


@router.get("/quiz/practice")
def practice_page(
    request: Request,
    session: SessionDep,
    user: PageUser,
    tag: Word = "",
    mistakes: bool = False,
):
    try:
        question = practice.practice_question(
            session, user=user, tag=tag or None, mistakes_only=mistakes
        )
    except DomainError as exc:
        return render(
            request, "quiz/practice.html", page_context(question=None, message=exc.message, tag=tag)
        )
    return render(
        request,
        "quiz/practice.html",
        page_context(question=question, tag=tag, mistakes=mistakes, result=None),
    )


@router.post("/quiz/practice", dependencies=[CsrfChecked, practice_limit])
def practice_answer(request: Request, session: SessionDep, user: PageUser, form: PageForm):
    question_id = form_id(form.get("question_id"))
    choice = "".join(str(v) for v in form.getlist("choice"))[:32]
    tag = str(form.get("tag") or "")[:100]
    mistakes = form.get("mistakes") == "1"
    try:
        result = practice.check_practice_answer(
            session, user=user, question_id=question_id, choice=choice
        )
    except Invalid as exc:
        result, message = None, exc.message
    else:
        message = None
    # Shown only once the service has allowed it (published, in the user's region, no contest).
    question = bank.get_question(session, question_id)
    shown = schemas.PracticeQuestion(
        id=question.id,
        kind=question.kind,
        stem=question.stem,
        options=bank.lettered(question.options),
        tags=question.tags,
        difficulty=question.difficulty,
    )
    if message is not None:
        return render(
            request,
            "quiz/practice.html",
            page_context(question=shown, tag=tag, mistakes=mistakes, result=None, message=message),
            422,
        )
    return render(
        request,
        "quiz/practice.html",
        page_context(question=shown, tag=tag, mistakes=mistakes, result=result),
    )


@router.get("/quiz/mistakes")
def mistakes_page(request: Request, session: SessionDep, user: PageUser):
    return render(
        request,
        "quiz/mistakes.html",
        page_context(items=practice.list_mistakes(session, user_id=user.id)),
    )


@router.get("/quiz/contests/{contest_id}")
def contest_page(request: Request, session: SessionDep, user: PageUser, contest_id: IdPath):
    entry = next(
        (
            c
            for c in contests.list_contests_for_user(session, user=user)
            if c.contest.id == contest_id
        ),
        None,
    )
    if entry is None:
        raise NotFound("竞赛不存在")
    mine = attempts.my_attempts(session, contest_id=contest_id, user=user)
    return render(request, "quiz/contest.html", page_context(entry=entry, attempts=mine))


@router.post("/quiz/contests/{contest_id}/start", dependencies=[CsrfChecked])
def contest_start(session: SessionDep, user: PageUser, contest_id: IdPath):
    attempt = attempts.start_attempt(session, contest_id=contest_id, user=user)
    return RedirectResponse(f"/quiz/attempts/{attempt.id}", status_code=303)


@router.get("/quiz/attempts/{attempt_id}")
def attempt_page(request: Request, session: SessionDep, user: PageUser, attempt_id: IdPath):
    view = attempts.get_attempt_view(session, attempt_id=attempt_id, user=user)
    if view.submitted:
        return RedirectResponse(f"/quiz/attempts/{attempt_id}/result", status_code=303)
    return render(request, "quiz/attempt.html", page_context(view=view))


@router.post("/quiz/attempts/{attempt_id}/submit", dependencies=[CsrfChecked])
def attempt_submit(session: SessionDep, user: PageUser, attempt_id: IdPath, form: PageForm):
    # Without JavaScript the whole form arrives here: save what changed, then hand in.
    view = attempts.get_attempt_view(session, attempt_id=attempt_id, user=user)
    if not view.submitted:
        for question in view.questions:
            choice = "".join(sorted(str(v) for v in form.getlist(f"q{question.position}")))[:32]
            if choice and choice != (question.choice or ""):
                try:
                    attempts.save_answer(
                        session,
                        attempt_id=attempt_id,
                        user=user,
                        position=question.position,
                        choice=choice,
                    )
                except Conflict:
                    break  # time is up: what was saved in time counts
        attempts.submit_attempt(session, attempt_id=attempt_id, user=user)
    return RedirectResponse(f"/quiz/attempts/{attempt_id}/result", status_code=303)


@router.get("/quiz/attempts/{attempt_id}/result")
def attempt_result(request: Request, session: SessionDep, user: PageUser, attempt_id: IdPath):
    view = attempts.get_attempt_view(session, attempt_id=attempt_id, user=user)
    if not view.submitted:
        return RedirectResponse(f"/quiz/attempts/{attempt_id}", status_code=303)
    review = {r.position: r for r in view.result.review}
    mode = rules.get_contest(session, view.contest_id).show_answers
    note = {"after_close": "答案和解析将在竞赛结束后公布。", "never": "本次竞赛不公布答案和解析。"}
    return render(
        request,
        "quiz/result.html",
        page_context(view=view, review=review, answers_note=note.get(mode, "")),
    )


@router.get("/quiz/contests/{contest_id}/leaderboard")
def leaderboard_page(
    request: Request,
    session: SessionDep,
    user: PageUser,
    contest_id: IdPath,
    group: Word = "person",
    province: Word = "",
    city: Word = "",
):
    board = ranking.leaderboard(
        session,
        contest_id=contest_id,
        viewer=user,
        group=group,
        province=province or None,
        city=city or None,
    )
    contest = rules.get_contest(session, contest_id)
    return render(
        request,
        "quiz/leaderboard.html",
        page_context(
            board=board,
            contest=contest,
            group=group,
            province=province,
            city=city,
            groups=ranking.LEADERBOARD_GROUPS,
        ),
    )


@router.get("/quiz/certificates/{code}.pdf")
def certificate_download(session: SessionDep, user: PageUser, code: CodePath):
    cert, contest = certificates.get_certificate(session, code=code, user=user)
    return Response(
        certificate_pdf(cert, contest),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="certificate-{cert.code}.pdf"'},
    )


# ---- home page panel ---------------------------------------------------------------------


def home_panel(session, user):
    """Home-page panel: the contests open to this user now."""
    open_contests = [
        c
        for c in contests.list_contests_for_user(session, user=user)
        if c.state is ContestState.OPEN
    ]
    return "quiz/_home_panel.html", {"quiz_contests": open_contests}
