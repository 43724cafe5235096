"""Demo data of the quiz: the starter bank and two contests, loaded by ``permithub demo``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts.models import Role, User
from core.db import utcnow
from quiz import bank, contests, schemas
from quiz.importer import import_questions
from quiz.models import Contest, Question, QuestionStatus

STARTER_BANK = Path(__file__).parent / "data" / "starter_bank.csv"
KNOWLEDGE_TITLE = "2026 排污许可知识竞赛"
SKILL_TITLE = "2026 排污许可审核技能竞赛"
ADMIN_ROLES = [Role.NATIONAL.value, Role.PROVINCE.value, Role.CITY.value]


def load_demo_quiz(session: Session) -> str:
    """Import the starter bank (duplicates are skipped) and create the two demo contests once."""
    lines = []
    if STARTER_BANK.exists():
        report = import_questions(session, STARTER_BANK, skip_invalid=True)
        if report.created:
            lines.append(f"题库：{report.summary()}")
        else:
            lines.append("题库：入门题库已载入，未重复导入。")
    else:
        lines.append(f"题库：未找到 {STARTER_BANK}，跳过。")
    organiser = session.scalar(
        select(User)
        .where(User.role == Role.NATIONAL.value, User.is_active.is_(True))
        .order_by(User.id)
    )
    if organiser is None:
        lines.append("竞赛：没有部级管理员账号，跳过演示竞赛。")
        return "\n".join(lines)
    tags = _published_tag_counts(session)
    total = (
        session.query(Question).filter(Question.status == QuestionStatus.PUBLISHED.value).count()
    )
    if total < 10:
        lines.append("竞赛：已发布题目不足 10 道，跳过演示竞赛。")
        return "\n".join(lines)
    now = utcnow().replace(second=0, microsecond=0)
    lines.append(
        _ensure_contest(
            session,
            organiser,
            KNOWLEDGE_TITLE,
            "知识竞赛",
            "面向各级生态环境部门工作人员和管理员，考查《排污许可提质增效行动计划》的主要任务和时间节点。",
            _knowledge_quotas(tags, total),
            now,
            time_limit=20,
        )
    )
    lines.append(
        _ensure_contest(
            session,
            organiser,
            SKILL_TITLE,
            "审核技能竞赛",
            "面向排污许可证审批人员，侧重发证质量、许可证审核和证后监管。",
            _skill_quotas(tags, total),
            now,
            time_limit=15,
        )
    )
    return "\n".join(lines)


def _published_tag_counts(session: Session) -> Counter:
    return Counter(dict(bank.tag_counts(session)))


def _knowledge_quotas(tags: Counter, total: int) -> list[dict]:
    """Three quotas from the most common tags, then easy and hard questions, 20 in all at most."""
    quotas = [
        {"tag": tag, "difficulty": None, "count": min(4, count // 2)}
        for tag, count in tags.most_common(3)
    ]
    quotas = [q for q in quotas if q["count"]]
    quotas.append(
        {
            "tag": None,
            "difficulty": None,
            "count": max(1, min(20, total) - sum(q["count"] for q in quotas) - 4),
        }
    )
    quotas.append({"tag": None, "difficulty": None, "count": 4})
    return quotas


def _skill_quotas(tags: Counter, total: int) -> list[dict]:
    """Quotas from tags about permit quality and review, topped up from the whole bank."""
    wanted = [t for t in tags if any(w in t for w in ("审核", "发证", "质量", "核发", "证后"))][:3]
    quotas = [{"tag": t, "difficulty": None, "count": min(4, tags[t] // 2)} for t in wanted]
    quotas = [q for q in quotas if q["count"]]
    quotas.append(
        {
            "tag": None,
            "difficulty": None,
            "count": max(1, min(15, total) - sum(q["count"] for q in quotas)),
        }
    )
    return quotas


def _ensure_contest(
    session: Session,
    organiser: User,
    title: str,
    kind: str,
    description: str,
    quotas: list[dict],
    now: dt.datetime,
    *,
    time_limit: int,
) -> str:
    if session.scalar(select(Contest.id).where(Contest.title == title)) is not None:
        return f"竞赛：“{title}”已存在。"
    audience = [Role.STAFF.value, *ADMIN_ROLES]
    contest = contests.create_contest(
        session,
        admin=organiser,
        data=schemas.ContestCreate(
            title=title,
            kind=kind,
            description=description,
            audience_roles=audience,
            opens_at=now,
            closes_at=now + dt.timedelta(days=30),
            time_limit_minutes=time_limit,
            quotas=quotas,
            certificate_top_n=10,
            show_answers="after_close",  # open for 30 days: no answers passed around meanwhile
        ),
    )
    return (
        f"竞赛：已创建“{contest.title}”（{contest.question_count} 题，"
        f"限时 {time_limit} 分钟，开放 30 天）。"
    )
