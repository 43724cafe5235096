"""Load test of a knowledge contest: N simulated contestants against a real server on loopback.

For each backend it prepares a fresh database (migrations, the starter bank or a generated bank,
one contest of 20 questions, N staff accounts bulk-inserted with one precomputed argon2 hash),
starts ``permithub serve`` on 127.0.0.1 and drives every contestant concurrently with httpx:

    log in (POST /api/auth/token) → start an attempt → save each answer (PUT, one by one) → submit

and prints throughput and p50/p95/max latency per step. Afterwards it checks in the database that
every attempt was submitted and every answer saved. Default: 500 contestants, SQLite with one
worker and PostgreSQL with two. Target: p95 ≤ 200 ms for every step on PostgreSQL.

    .venv/bin/python bench/contest_load.py
    .venv/bin/python bench/contest_load.py --users 200 --backends sqlite --think 0

``--think`` is the mean pause (seconds, uniform 0..2×mean) a contestant takes to read each
question before answering; ``--ramp`` spreads the contestants' arrival over that many seconds.
The PostgreSQL URL comes from --postgres or PERMITHUB_BENCH_DATABASE_URL (default: the dev
server's database bench_quiz, created if missing; its public schema is dropped and recreated).
Login verifies a real argon2 hash on purpose (it is deliberately slow); it is reported as a step
of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from core.accounts.models import User  # noqa: E402
from core.config import normalise_database_url  # noqa: E402
from core.db import make_engine, upgrade_database, utcnow  # noqa: E402
from core.security import hash_password  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:55432/bench_quiz"
PASSWORD = "bench-password-1"
QUESTIONS_PER_ATTEMPT = 20
STEPS = ("login", "start", "save", "submit")
LOG_DIR = Path(tempfile.gettempdir())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_postgres_database(url: str) -> None:
    """Create the bench database if missing, then empty its public schema."""
    import psycopg

    base, _, name = url.rpartition("/")
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain + "/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def prepare(url: str, users: int) -> int:
    """Migrate, load a bank and one contest, bulk-create the contestants; returns the contest id."""
    from migrations.models import import_all_models
    from quiz import bank, contests, schemas
    from quiz.demo import STARTER_BANK
    from quiz.importer import import_questions

    import_all_models()
    upgrade_database(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        admin = User(
            username="bench-admin",
            password_hash=hash_password(PASSWORD),
            role="national",
            display_name="压测管理员",
        )
        session.add(admin)
        session.commit()
        if STARTER_BANK.exists():
            import_questions(session, STARTER_BANK, skip_invalid=True)
        else:  # a generated bank, so the bench also runs before the starter bank exists
            for i in range(80):
                bank.create_question(
                    session,
                    data=schemas.QuestionCreate(
                        kind="单选",
                        stem=f"压测题目 {i}",
                        options=["甲", "乙", "丙", "丁"],
                        answer="ABCD"[i % 4],
                        tags=[f"标签{i % 4}"],
                    ),
                )
        contest = contests.create_contest(
            session,
            admin=admin,
            data=schemas.ContestCreate(
                title="压测竞赛",
                audience_roles=["staff"],
                opens_at=utcnow(),
                closes_at=utcnow().replace(year=utcnow().year + 1),
                time_limit_minutes=60,
                quotas=[{"count": QUESTIONS_PER_ATTEMPT}],
            ),
        )
        contest_id = contest.id
        # One hash for everyone: hashing 500 passwords would only time argon2, not the server.
        shared_hash = hash_password(PASSWORD)
        provinces = [
            ("江苏省", "苏州市"),
            ("江苏省", "南京市"),
            ("浙江省", "杭州市"),
            ("广东省", "广州市"),
        ]
        rows = []
        for i in range(users):
            province, city = provinces[i % len(provinces)]
            rows.append(
                dict(
                    username=f"bench{i:05d}",
                    password_hash=shared_hash,
                    role="staff",
                    display_name=f"选手{i:05d}",
                    province=province,
                    city=city,
                    organisation=f"{city}生态环境局",
                    is_active=True,
                    created_at=utcnow(),
                )
            )
        session.execute(insert(User), rows)
        session.commit()
    engine.dispose()
    return contest_id


def server_env(url: str, data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a bench server (and of ``permithub`` commands on its database)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERMITHUB_")}
    env.update(
        PERMITHUB_DATABASE_URL=url,
        PERMITHUB_DATA_DIR=str(data_dir),
        PERMITHUB_SECRET_KEY="bench-secret-key-not-for-production",
        # The bench logs in 500 people from one address; only failures count, but be explicit.
        PERMITHUB_LOGIN_MAX_FAILURES="100000",
        **(extra or {}),
    )
    return env


def start_server(
    url: str, workers: int, port: int, data_dir: Path, extra_env: dict[str, str] | None = None
) -> subprocess.Popen:
    """``permithub serve`` on 127.0.0.1:``port``, once ``/readyz`` says its start-up warm-up is
    done (as a load balancer waits for it: requests timed meanwhile would compete with it for the
    CPU; with several workers, the one that answers)."""
    env = server_env(url, data_dir, extra_env)
    # The server's log goes to a file: an unread pipe would fill up and stall the server.
    log = open(LOG_DIR / f"contest_load_{port}.log", "wb")  # noqa: SIM115 - closed with the temp dir
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "web.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = (LOG_DIR / f"contest_load_{port}.log").read_text(errors="replace")[-3000:]
            raise SystemExit("服务未能启动：\n" + tail)
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.kill()
    raise SystemExit("服务在 90 秒内没有就绪")


async def timed(client, timings, errors, step: str, method: str, url: str, **kwargs):
    """One request, its latency recorded under ``step``; ``None`` (an error noted) on failure."""
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        errors.append(f"{step}: {type(exc).__name__}")
        return None
    timings[step].append(time.perf_counter() - started)
    if response.status_code >= 400:
        errors.append(f"{step}: HTTP {response.status_code} {response.text[:120]}")
        return None
    return response


async def log_in(client, index: int, gate: asyncio.Semaphore, timings, errors) -> str | None:
    """Phase 1: get a bearer token (argon2 verification: deliberately slow, CPU bound)."""
    async with gate:
        response = await timed(
            client,
            timings,
            errors,
            "login",
            "POST",
            "/api/auth/token",
            data={"username": f"bench{index:05d}", "password": PASSWORD},
        )
    return response.json()["access_token"] if response is not None else None


async def take_contest(client, token: str, contest_id: int, args, timings, errors, rng) -> None:
    """Phase 2: start, save every answer one by one (reading each question first), submit."""
    await asyncio.sleep(rng.uniform(0, args.ramp))
    headers = {"Authorization": f"Bearer {token}"}
    start = await timed(
        client,
        timings,
        errors,
        "start",
        "POST",
        f"/api/quiz/contests/{contest_id}/attempts",
        headers=headers,
    )
    if start is None:
        return
    attempt = start.json()
    for question in attempt["questions"]:
        if args.think:
            await asyncio.sleep(rng.uniform(0, 2 * args.think))
        letters = [o["letter"] for o in question["options"]]
        multi = question["kind"] == "多选"
        choice = "".join(sorted(rng.sample(letters, 2))) if multi else rng.choice(letters)
        await timed(
            client,
            timings,
            errors,
            "save",
            "PUT",
            f"/api/quiz/attempts/{attempt['id']}/answers/{question['position']}",
            json={"choice": choice},
            headers=headers,
        )
    await timed(
        client,
        timings,
        errors,
        "submit",
        "POST",
        f"/api/quiz/attempts/{attempt['id']}/submit",
        headers=headers,
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def drive(port: int, contest_id: int, args) -> tuple[dict, list, dict]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    elapsed: dict[str, float] = {}
    rng = random.Random(args.seed)
    limits = httpx.Limits(max_connections=args.users, max_keepalive_connections=args.users)
    # TCP_NODELAY: httpx writes headers and body separately; with Nagle's algorithm and delayed
    # ACKs every PUT would wait ~40 ms on loopback, which measures the kernel, not the server.
    transport = httpx.AsyncHTTPTransport(
        limits=limits, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
    )
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", transport=transport, timeout=300
    ) as client:
        gate = asyncio.Semaphore(args.login_concurrency)
        started = time.perf_counter()
        tokens = await asyncio.gather(
            *(log_in(client, i, gate, timings, errors) for i in range(args.users))
        )
        elapsed["login"] = time.perf_counter() - started
        started = time.perf_counter()
        await asyncio.gather(
            *(
                take_contest(
                    client, t, contest_id, args, timings, errors, random.Random(rng.random())
                )
                for t in tokens
                if t
            )
        )
        elapsed["contest"] = time.perf_counter() - started
    return timings, errors, elapsed


def check(url: str, users: int) -> str:
    from quiz.models import Attempt, AttemptItem

    engine = make_engine(url)
    with Session(engine) as session:
        submitted = session.scalar(
            select(func.count()).select_from(Attempt).where(Attempt.submitted_at.is_not(None))
        )
        saved = session.scalar(
            select(func.count()).select_from(AttemptItem).where(AttemptItem.answer.is_not(None))
        )
    engine.dispose()
    expected = users * QUESTIONS_PER_ATTEMPT
    ok = submitted == users and saved == expected
    return (
        f"{'通过' if ok else '不一致'}：已交卷 {submitted}/{users}，已保存答案 {saved}/{expected}"
    )


def run_backend(name: str, url: str, workers: int, args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if name == "sqlite":
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        else:
            url = normalise_database_url(url)
            ensure_postgres_database(url)
        t0 = time.perf_counter()
        contest_id = prepare(url, args.users)
        print(
            f"\n== {name}，{workers} 个工作进程，{args.users} 名选手，"
            f"每人 {QUESTIONS_PER_ATTEMPT} 题，"
            f"思考时间均值 {args.think} 秒，{args.ramp} 秒内陆续进场 =="
        )
        print(f"准备数据库用时 {time.perf_counter() - t0:.1f} 秒")
        port = free_port()
        server = start_server(url, workers, port, Path(tmp) / "var")
        try:
            timings, errors, elapsed = asyncio.run(drive(port, contest_id, args))
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        logins = len(timings.get("login", []))
        contest_requests = sum(len(timings.get(s, [])) for s in STEPS if s != "login")
        print(
            f"阶段一 登录：{logins} 次，用时 {elapsed['login']:.1f} 秒，"
            f"{logins / elapsed['login']:.1f} 次/秒"
            f"（同时最多 {args.login_concurrency} 个登录请求）"
        )
        print(
            f"阶段二 答题：{contest_requests} 个请求，用时 {elapsed['contest']:.1f} 秒，"
            f"吞吐 {contest_requests / elapsed['contest']:.1f} 请求/秒"
        )
        print(f"{'步骤':<8}{'次数':>8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'平均 ms':>10}")
        for step in STEPS:
            values = timings.get(step, [])
            if not values:
                continue
            print(
                f"{step:<8}{len(values):>8}{1000 * percentile(values, 0.5):>10.1f}"
                f"{1000 * percentile(values, 0.95):>10.1f}{1000 * max(values):>10.1f}"
                f"{1000 * statistics.fmean(values):>10.1f}"
            )
        if errors:
            print(f"错误 {len(errors)} 个，例如：{errors[:3]}")
        print("数据检查" + check(url, args.users))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres", default=os.environ.get("PERMITHUB_BENCH_DATABASE_URL", DEFAULT_PG)
    )
    parser.add_argument("--sqlite-workers", type=int, default=1)
    parser.add_argument("--postgres-workers", type=int, default=2)
    parser.add_argument(
        "--think", type=float, default=10.0, help="每题平均思考秒数（0 为不停顿地连续提交）"
    )
    parser.add_argument("--ramp", type=float, default=60.0, help="选手在多少秒内陆续开始")
    parser.add_argument(
        "--login-concurrency",
        type=int,
        default=4,
        help="同时进行的登录请求上限（argon2 校验每次约占一个 CPU 核 20 毫秒）",
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for name in [b.strip() for b in args.backends.split(",") if b.strip()]:
        workers = args.sqlite_workers if name == "sqlite" else args.postgres_workers
        run_backend(name, args.postgres, workers, args)


if __name__ == "__main__":
    main()
