"""Quiz fixtures: a small published bank and a contest factory open right now."""

from __future__ import annotations

import datetime as dt

import pytest

from core.db import utcnow
from quiz import bank as question_bank
from quiz import contests, schemas

TAGS = ("许可证核发", "证后监管", "执行报告")


@pytest.fixture
def bank(session):
    """24 published questions: 8 per tag, kinds cycling 单选/多选/判断, difficulty 1–4."""
    questions = []
    for i in range(24):
        kind = ("单选", "多选", "判断")[i % 3]
        options = [] if kind == "判断" else ["甲", "乙", "丙", "丁"]
        answer = {"单选": "B", "多选": "AC", "判断": "对"}[kind]
        questions.append(
            question_bank.create_question(
                session,
                data=schemas.QuestionCreate(
                    kind=kind,
                    stem=f"测试题目第{i}题：排污许可相关规定是什么？",
                    options=options,
                    answer=answer,
                    explanation=f"解析{i}",
                    tags=[TAGS[i % 3]],
                    difficulty=1 + i % 4,
                    source="《行动计划》（一）",
                ),
            )
        )
    return questions


@pytest.fixture
def make_contest(session, make_user):
    """Create a contest open now (30 minutes, 6 questions, staff of 江苏省) by a national admin."""
    organiser = make_user("national", username="organiser")

    def _make(**fields):
        now = utcnow()
        data = dict(
            title="测试知识竞赛",
            kind="知识竞赛",
            audience_roles=["staff"],
            audience_regions=["江苏省"],
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=1),
            time_limit_minutes=30,
            quotas=[{"tag": "许可证核发", "count": 3}, {"tag": None, "difficulty": 2, "count": 3}],
        )
        data.update(fields)
        admin = data.pop("admin", organiser)
        return contests.create_contest(session, data=schemas.ContestCreate(**data), admin=admin)

    return _make


@pytest.fixture
def staff(make_user):
    """A staff member of 江苏省苏州市."""
    return make_user(
        "staff",
        username="zhang",
        display_name="张三",
        province="江苏省",
        city="苏州市",
        organisation="苏州市生态环境局",
    )
