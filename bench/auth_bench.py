"""What the database-backed limits cost: one rate-limit hit, and a login with its throttle.

For each backend: a fresh migrated database, then
- ``hit``: sequential ``ratelimit.hit`` calls (one upsert + commit each), p50/p95;
- ``hit x4``: four threads (as four workers would) hitting one key; the count must be exact;
- ``login``: ``authenticate`` with the right password, against the bare argon2 check, so the
  difference is what throttling adds to a login.

    .venv/bin/python bench/auth_bench.py
    .venv/bin/python bench/auth_bench.py --postgres postgresql://postgres@127.0.0.1:55432/pt_c
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from core import ratelimit  # noqa: E402
from core.accounts import service  # noqa: E402
from core.config import normalise_database_url  # noqa: E402
from core.db import make_engine, upgrade_database  # noqa: E402
from core.security import verify_password  # noqa: E402
from migrations.models import import_all_models  # noqa: E402

PASSWORD = "bench-password-1"


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def _timed(work, n: int) -> list[float]:
    samples = []
    for i in range(n):
        start = time.perf_counter()
        work(i)
        samples.append(time.perf_counter() - start)
    return samples


def run(name: str, url: str, hits: int, logins: int) -> None:
    upgrade_database(url)
    engine = make_engine(url)
    with Session(engine) as session:
        samples = _timed(lambda i: ratelimit.hit(session, "bench:seq", limit=10**9), hits)
    print(f"[{name}] hit (sequential, {hits}): {_ms(samples)}")

    def worker(_: int) -> None:
        with Session(engine) as session:
            for _ in range(hits // 4):
                ratelimit.hit(session, "bench:shared", limit=10**9)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(worker, range(4)))
    elapsed = time.perf_counter() - start
    with Session(engine) as session:
        counted = session.scalar(
            select(func.sum(ratelimit.RateLimitWindow.hits)).where(
                ratelimit.RateLimitWindow.key == "bench:shared"
            )
        )
    print(f"[{name}] hit x4 threads: {hits / elapsed:,.0f} hits/s, counted {counted} of {hits}")

    with Session(engine) as session:
        user = service.create_user(session, username="bench-admin", password=PASSWORD)
        bare = _timed(lambda i: verify_password(PASSWORD, user.password_hash), logins)
        full = _timed(
            lambda i: service.authenticate(
                session, username="bench-admin", password=PASSWORD, client="198.51.100.1"
            ),
            logins,
        )
    print(f"[{name}] argon2 check alone ({logins}): {_ms(bare)}")
    print(f"[{name}] authenticate with throttle ({logins}): {_ms(full)}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL whose public schema may be reset")
    parser.add_argument("--hits", type=int, default=2000)
    parser.add_argument("--logins", type=int, default=50)
    args = parser.parse_args()
    import_all_models()
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.hits, args.logins)
    if args.postgres:
        url = normalise_database_url(args.postgres)
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        run("postgresql", url, args.hits, args.logins)


if __name__ == "__main__":
    main()
