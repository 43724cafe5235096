"""Curation test helpers: logged questions and votes, written the way the engine logs them."""

from __future__ import annotations

import datetime as dt

from knowledge.models import AnswerFeedback, QuestionLog
from knowledge.normalize import prepare

T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def log_question(
    session,
    question: str,
    *,
    answered: bool = False,
    province: str | None = None,
    city: str | None = None,
    minutes: int = 0,
    votes: tuple[bool, ...] = (),
    answer: str | None = None,
) -> QuestionLog:
    """A question-log row; ``votes`` are helpful (True) / unhelpful (False) from distinct voters."""
    log = QuestionLog(
        question=question,
        normalized=prepare(question),
        answered=answered,
        answer=answer or ("……" if answered else "抱歉，知识库中暂时没有确切答复"),
        confidence=0.8 if answered else 0.1,
        channel="web",
        province=province,
        city=city,
        created_at=T0 + dt.timedelta(minutes=minutes),
    )
    session.add(log)
    session.flush()
    for n, helpful in enumerate(votes):
        session.add(AnswerFeedback(question_log_id=log.id, helpful=helpful, voter=f"voter-{n}"))
    session.commit()  # the engine commits each log row as it answers
    return log
