"""Demo traffic for the curation queue: real answers, a non-empty queue, loaded once."""

from __future__ import annotations

from sqlalchemy import func, select

from core.regions.scope import RegionScope
from knowledge import curation
from knowledge.curation_demo import DEMO_QUESTIONS, load_demo_questions
from knowledge.demo import load_demo_knowledge
from knowledge.models import QuestionLog


def test_demo_questions_fill_the_queue_with_grouped_regional_questions(session):
    load_demo_knowledge(session)
    message = load_demo_questions(session)

    assert session.scalar(select(func.count(QuestionLog.id))) == len(DEMO_QUESTIONS)
    assert "演示提问" in message
    queue = curation.curation_queue(session, scope=RegionScope())
    assert queue.question_count >= 10
    assert queue.groups[0].group.count >= 2  # several wordings of one topic
    suzhou = curation.curation_queue(session, scope=RegionScope("江苏省", "苏州市"))
    assert 0 < suzhou.question_count < queue.question_count
    assert {r.label for r in suzhou.regions} == {"江苏省苏州市"}

    assert "跳过" in load_demo_questions(session)
    assert session.scalar(select(func.count(QuestionLog.id))) == len(DEMO_QUESTIONS)
