"""Migration quiz_0002 on a database that already holds a running contest: existing attempts get
their copy of the questions, and unclosed contests reserve what their quotas could draw."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command

from core.db import UTCDateTime, alembic_config, make_engine, utcnow


def _table(name: str, *columns: str, times: tuple[str, ...] = ()) -> sa.TableClause:
    return sa.table(
        name, *(sa.column(c) for c in columns), *(sa.column(t, UTCDateTime()) for t in times)
    )


def test_running_contests_keep_working_after_the_upgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'before.db'}"
    command.upgrade(alembic_config(url), "quiz_0001")
    engine = make_engine(url)
    now = utcnow()
    question = _table(
        "question",
        "id",
        "kind",
        "stem",
        "stem_hash",
        "options",
        "answer",
        "explanation",
        "difficulty",
        "source",
        "status",
        times=("created_at", "updated_at"),
    )
    with engine.begin() as conn:
        conn.execute(
            _table(
                "user_account",
                "id",
                "username",
                "password_hash",
                "role",
                "display_name",
                "is_active",
                times=("created_at",),
            ).insert(),
            [
                dict(
                    id=1,
                    username="u",
                    password_hash="x",
                    role="staff",
                    display_name="张三",
                    is_active=True,
                    created_at=now,
                )
            ],
        )
        conn.execute(
            question.insert(),
            [
                dict(
                    id=i,
                    kind="单选",
                    stem=f"旧题{i}",
                    stem_hash=f"h{i}",
                    options='["甲", "乙"]',
                    answer="B",
                    explanation=f"旧解析{i}",
                    difficulty=1 + i % 2,
                    source="",
                    status="published",
                    created_at=now,
                    updated_at=now,
                )
                for i in range(1, 7)
            ],
        )
        contests = _table(
            "contest",
            "id",
            "title",
            "kind",
            "description",
            "audience_roles",
            "audience_regions",
            "time_limit_minutes",
            "attempts_allowed",
            "quotas",
            "shuffle_options",
            "show_explanations",
            "pass_percent",
            "certificate_top_n",
            times=("opens_at", "closes_at", "created_at"),
        )
        base = dict(
            kind="知识竞赛",
            description="",
            audience_roles='["staff"]',
            audience_regions="[]",
            time_limit_minutes=30,
            attempts_allowed=1,
            shuffle_options=False,
            show_explanations=True,
            pass_percent=60,
            certificate_top_n=10,
            opens_at=now - dt.timedelta(days=1),
            created_at=now,
        )
        conn.execute(
            contests.insert(),
            [
                dict(
                    base,
                    id=1,
                    title="进行中",
                    closes_at=now + dt.timedelta(days=1),
                    quotas='[{"tag": null, "difficulty": 1, "count": 2}, {"count": 1}]',
                ),
                dict(
                    base,
                    id=2,
                    title="已结束",
                    closes_at=now - dt.timedelta(hours=1),
                    quotas='[{"count": 1}]',
                ),
            ],
        )
        conn.execute(
            _table(
                "attempt",
                "id",
                "contest_id",
                "user_id",
                "attempt_no",
                "question_count",
                times=("started_at", "deadline_at"),
            ).insert(),
            [
                dict(
                    id=1,
                    contest_id=1,
                    user_id=1,
                    attempt_no=1,
                    question_count=1,
                    started_at=now,
                    deadline_at=now + dt.timedelta(minutes=30),
                )
            ],
        )
        conn.execute(
            _table(
                "attempt_item", "id", "attempt_id", "position", "question_id", "option_order"
            ).insert(),
            [dict(id=1, attempt_id=1, position=1, question_id=2, option_order="AB")],
        )
    command.upgrade(alembic_config(url), "heads")
    with engine.connect() as conn:
        item = conn.execute(
            sa.text("SELECT kind, stem, answer_key, explanation FROM attempt_item")
        ).one()
        pool = conn.execute(
            sa.text("SELECT contest_id, question_id, quota_index FROM contest_question")
        ).all()
        owners = conn.execute(sa.text("SELECT DISTINCT province, city FROM question")).all()
    engine.dispose()
    assert tuple(item) == ("单选", "旧题2", "B", "旧解析2")
    assert {c for c, _q, _i in pool} == {1}  # the closed contest reserves nothing
    by_quota = {i: {q for _c, q, j in pool if j == i} for i in (0, 1)}
    # Every question either quota could draw is reserved; the difficulty-1 ones fill quota 0.
    assert by_quota[0] | by_quota[1] == set(range(1, 7)) and by_quota[0] <= {2, 4, 6}
    assert len(by_quota[0]) >= 2 and len(by_quota[1]) >= 1
    assert owners == [(None, None)]  # existing questions are national
