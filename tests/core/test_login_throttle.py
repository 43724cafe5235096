"""Login throttling: slower and slower tries per (username, address), never a lock-out."""

import datetime as dt

import pytest
from sqlalchemy import select

from core.accounts import service, throttle
from core.accounts.models import LoginThrottle
from core.errors import RateLimited, Unauthorized

PASSWORD = "right-password-1"


class Clock:
    """The time the throttle and the rate limits see; tests move it forward."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("core.accounts.throttle.utcnow", clock)
    monkeypatch.setattr("core.ratelimit.utcnow", clock)
    return clock


def login(session, username: str, password: str, client: str):
    return service.authenticate(session, username=username, password=password, client=client)


def fail(session, username: str, client: str, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(Unauthorized):
            login(session, username, "wrong-password-9", client)


def hammer(session, username: str, client: str, times: int) -> None:
    """Wrong passwords as fast as possible: refused as wrong, or as too many."""
    for _ in range(times):
        with pytest.raises((Unauthorized, RateLimited)):
            login(session, username, "wrong-password-9", client)


def test_failures_from_one_address_never_lock_the_owner_out_elsewhere(session, make_user, clock):
    make_user("national", username="victim", password=PASSWORD)
    fail(session, "victim", "6.6.6.6", times=5)
    for _ in range(20):  # the attacker keeps trying; each try only lengthens its own wait
        with pytest.raises(RateLimited):
            login(session, "victim", "guess-password", "6.6.6.6")
    assert login(session, "victim", PASSWORD, "10.1.2.3").username == "victim"


def test_other_users_behind_the_same_address_still_log_in(session, make_user, clock):
    make_user("staff", username="a-user", password=PASSWORD, province="江苏省", city="苏州市")
    make_user(
        "staff", username="b-user", password="b-password-22", province="江苏省", city="苏州市"
    )
    hammer(session, "a-user", "100.64.0.1", times=8)
    assert login(session, "b-user", "b-password-22", "100.64.0.1").username == "b-user"


def test_after_five_failures_the_waits_grow_1_2_4_seconds(session, make_user, clock):
    make_user("national", username="bob", password=PASSWORD)
    fail(session, "bob", "1.2.3.4", times=5)
    waits = []
    for _ in range(3):
        with pytest.raises(RateLimited) as refused:
            login(session, "bob", PASSWORD, "1.2.3.4")
        waits.append(refused.value.retry_after)
        clock.advance(refused.value.retry_after)
        fail(session, "bob", "1.2.3.4")
    assert waits == [1, 2, 4]


def test_the_wait_is_capped(session, make_user, clock, configure):
    configure(login_max_delay_seconds=30)
    make_user("national", username="carol", password=PASSWORD)
    for _ in range(15):
        try:
            login(session, "carol", "wrong-password-9", "1.2.3.4")
        except RateLimited as refused:
            assert refused.retry_after <= 30
            clock.advance(refused.retry_after)
        except Unauthorized:
            pass
    with pytest.raises(RateLimited) as refused:
        login(session, "carol", PASSWORD, "1.2.3.4")
    assert refused.value.retry_after == 30


def test_the_right_password_after_waiting_clears_the_count(session, make_user, clock):
    make_user("national", username="dave", password=PASSWORD)
    fail(session, "dave", "1.2.3.4", times=5)
    clock.advance(1)
    fail(session, "dave", "1.2.3.4")
    clock.advance(60)
    assert login(session, "dave", PASSWORD, "1.2.3.4")
    fail(session, "dave", "1.2.3.4", times=4)  # four fresh failures are free again
    assert login(session, "dave", PASSWORD, "1.2.3.4")


def test_one_address_spraying_many_usernames_hits_a_ceiling(session, make_user, clock, configure):
    configure(login_address_max_failures=3)
    make_user("national", username="erin", password=PASSWORD)
    for name in ("u1", "u2", "u3"):
        fail(session, name, "7.7.7.7")
    with pytest.raises(RateLimited) as refused:
        login(session, "erin", PASSWORD, "7.7.7.7")
    assert refused.value.retry_after > 0
    assert login(session, "erin", PASSWORD, "8.8.8.8")  # from elsewhere, nothing changed


def test_right_passwords_do_not_use_up_the_address_ceiling(session, make_user, clock, configure):
    configure(login_address_max_failures=3)
    make_user("national", username="frank", password=PASSWORD)
    for _ in range(10):
        assert login(session, "frank", PASSWORD, "100.64.0.9")
    fail(session, "someone", "100.64.0.9", times=3)


def test_throttle_rows_are_per_username_and_address(session, make_user, clock):
    make_user("national", username="gina", password=PASSWORD)
    fail(session, "gina", "1.1.1.1", times=2)
    fail(session, "gina", "2.2.2.2", times=1)
    rows = session.execute(
        select(LoginThrottle.client, LoginThrottle.failures).where(LoginThrottle.username == "gina")
    ).all()
    assert sorted(rows) == [("1.1.1.1", 2), ("2.2.2.2", 1)]


def test_delays_start_after_the_configured_number_of_failures():
    from core.config import Settings

    settings = Settings(login_max_failures=5, login_max_delay_seconds=900)
    assert [throttle.delay_after(n, settings) for n in range(1, 10)] == [0, 0, 0, 0, 1, 2, 4, 8, 16]
    assert throttle.delay_after(40, settings) == 900


def test_a_burst_of_parallel_guesses_gets_only_the_free_tries(engine, monkeypatch):
    """Twenty guesses at once, as from many workers: only five passwords are ever checked."""
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import delete
    from sqlalchemy.orm import Session

    from core.ratelimit import RateLimitWindow

    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr("core.accounts.throttle.utcnow", lambda: now)
    username, client = f"burst-{uuid.uuid4().hex[:8]}", "198.51.100.77"

    def guess(_: int) -> str:
        with Session(engine) as session:
            try:
                login(session, username, "wrong-password-9", client)
            except (Unauthorized, RateLimited) as refused:
                return type(refused).__name__
        return "accepted"

    try:
        with ThreadPoolExecutor(max_workers=10) as pool:
            outcomes = list(pool.map(guess, range(20)))
        assert outcomes.count("Unauthorized") == 5
        assert outcomes.count("RateLimited") == 15
    finally:
        with Session(engine) as cleanup:
            cleanup.execute(delete(LoginThrottle).where(LoginThrottle.username == username))
            cleanup.execute(delete(RateLimitWindow).where(RateLimitWindow.key.contains(client)))
            cleanup.commit()
