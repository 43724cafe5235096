"""Rate limits in the database: fixed windows every worker process counts against together."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core import ratelimit
from core.errors import RateLimited
from core.ratelimit import RateLimitWindow


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("core.ratelimit.utcnow", clock)
    return clock


def test_hits_within_the_limit_pass_and_the_next_waits_for_the_window(session, clock):
    clock.now = clock.now.replace(second=45)
    assert [ratelimit.hit(session, "ask:ip:1.2.3.4", limit=3) for _ in range(3)] == [0, 0, 0]
    assert ratelimit.hit(session, "ask:ip:1.2.3.4", limit=3) == 15  # the minute ends in 15 s
    assert ratelimit.hit(session, "ask:ip:5.6.7.8", limit=3) == 0  # another key, its own budget


def test_a_new_window_starts_a_new_budget(session, clock):
    for _ in range(3):
        ratelimit.hit(session, "chat:user:1", limit=2)
    clock.now += dt.timedelta(seconds=60)
    assert ratelimit.hit(session, "chat:user:1", limit=2) == 0


def test_enforce_raises_with_the_seconds_to_wait(session, clock):
    ratelimit.enforce(session, "practice:user:9", limit=1, message="太快了")
    with pytest.raises(RateLimited, match="太快了") as refused:
        ratelimit.enforce(session, "practice:user:9", limit=1, message="太快了")
    assert refused.value.retry_after == 60


def test_forgive_takes_a_hit_back(session, clock):
    ratelimit.hit(session, "login-failures:1.2.3.4", limit=1)
    ratelimit.forgive(session, "login-failures:1.2.3.4")
    assert ratelimit.hit(session, "login-failures:1.2.3.4", limit=1) == 0


def test_ended_windows_are_pruned(session, clock, monkeypatch):
    monkeypatch.setattr(ratelimit, "_last_prune", 0.0)
    monkeypatch.setattr(ratelimit, "PRUNE_EVERY_SECONDS", 0.0)
    ratelimit.hit(session, "old-key", limit=5)
    clock.now += dt.timedelta(minutes=5)
    ratelimit.hit(session, "new-key", limit=5)
    keys = set(session.scalars(select(RateLimitWindow.key)))
    assert "old-key" not in keys and "new-key" in keys


def test_two_workers_share_one_budget(engine):
    """Two connections, as two worker processes would have, count against the same row."""
    key = f"test-workers:{uuid.uuid4()}"
    first, second = Session(engine), Session(engine)
    try:
        waits = [ratelimit.hit(s, key, limit=3) for s in (first, second, first, second)]
        assert waits[:3] == [0, 0, 0] and waits[3] > 0
        with Session(engine) as check:
            assert (
                check.scalar(
                    select(func.sum(RateLimitWindow.hits)).where(RateLimitWindow.key == key)
                )
                == 4
            )
    finally:
        first.close()
        second.close()
        with Session(engine) as cleanup:
            cleanup.execute(delete(RateLimitWindow).where(RateLimitWindow.key == key))
            cleanup.commit()


def test_caller_key_is_the_user_when_logged_in_else_the_address(make_user):
    user = make_user("staff", province="江苏省", city="苏州市")
    assert ratelimit.caller_key(user, "1.2.3.4") == f"user:{user.id}"
    assert ratelimit.caller_key(None, "1.2.3.4") == "ip:1.2.3.4"
