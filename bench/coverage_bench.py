"""Time the legal-representative coverage report on a generated registry (SQLite and PostgreSQL).

Generates N units with ../shared/tools/gen_registry.py, imports them into a fresh database per
backend, checks the report against the generator's truth.json and prints how long the whole
report takes (target: at most 0.5 s for 100,000 units on either backend).

    .venv/bin/python bench/coverage_bench.py                      # 100,000 units, both backends
    .venv/bin/python bench/coverage_bench.py --n 3400000 --backends postgresql --loader copy

The PostgreSQL URL comes from --postgres or PERMITHUB_BENCH_DATABASE_URL (default: the dev
server's database bench_cov, created if missing). Loaders: ``importer`` (the project's CSV
importers, as ``permithub import`` runs them), ``bulk`` (plain executemany of the CSV rows) and,
for PostgreSQL, ``copy`` (COPY into staging tables, then INSERT … SELECT; for millions of rows).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from core.config import normalise_database_url  # noqa: E402
from core.db import make_engine, upgrade_database, utcnow  # noqa: E402
from core.enterprises.models import Enterprise  # noqa: E402
from core.regions.scope import RegionScope  # noqa: E402
from courses import coverage  # noqa: E402
from courses.models import Course, TrainingRecord  # noqa: E402

GENERATOR = ROOT.parent / "shared" / "tools" / "gen_registry.py"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:55432/bench_cov"


def generate(folder: Path, n: int, seed: int, as_of: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            str(folder),
            "--n",
            str(n),
            "--seed",
            str(seed),
            "--as-of",
            as_of,
        ],
        check=True,
    )
    return time.perf_counter() - started


def fresh_postgres(url: str) -> str:
    """Drop and re-create the benchmark database (never another one: the name must start bench)."""
    url = normalise_database_url(url)
    base, name = url.rsplit("/", 1)
    if not name.startswith("bench"):
        raise SystemExit(f"refusing to drop database {name!r}: use a name starting with 'bench'")
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_importer(session: Session, folder: Path) -> None:
    from core.enterprises.importer import import_enterprises
    from courses.importer import import_courses, import_training

    import_enterprises(session, folder / "enterprises.csv")
    import_courses(session, folder / "courses.csv")
    import_training(session, folder / "training.csv")
    session.commit()


def load_bulk(session: Session, folder: Path) -> None:
    now = utcnow()
    session.execute(
        insert(Course),
        [
            {
                "code": r["course_code"],
                "title": r["title"],
                "audience": r["audience"],
                "kind": r["kind"],
                "credits": 1.0,
                "description": "",
                "created_at": now,
            }
            for r in _read(folder / "courses.csv")
        ],
    )
    session.execute(
        insert(Enterprise),
        [
            dict(
                r,
                legal_rep_since=dt.date.fromisoformat(r["legal_rep_since"]),
                created_at=now,
                updated_at=now,
            )
            for r in _read(folder / "enterprises.csv")
        ],
    )
    ids = dict(session.execute(select(Enterprise.credit_code, Enterprise.id)).all())
    courses = dict(session.execute(select(Course.code, Course.id)).all())
    session.execute(
        insert(TrainingRecord),
        [
            {
                "enterprise_id": ids[r["credit_code"]],
                "person_name": r["person_name"],
                "role": r["role"],
                "course_id": courses[r["course_code"]],
                "completed_on": dt.date.fromisoformat(r["completed_on"]),
                "passed": r["passed"] == "true",
                "source": "import",
                "created_at": now,
            }
            for r in _read(folder / "training.csv")
        ],
    )
    session.commit()


def load_copy(session: Session, folder: Path) -> None:
    """PostgreSQL COPY through staging tables: memory stays flat for millions of rows."""
    conn = session.connection()
    raw = conn.connection.driver_connection
    conn.execute(
        text(
            "CREATE TEMP TABLE stage_ent (credit_code text, name text, province text, city text,"
            " division_code text, industry text, management_category text, permit_status text,"
            " legal_rep_name text, legal_rep_since date)"
        )
    )
    conn.execute(
        text(
            "CREATE TEMP TABLE stage_tr (credit_code text, person_name text, role text,"
            " course_code text, completed_on date, passed boolean)"
        )
    )
    for table, name in (("stage_ent", "enterprises.csv"), ("stage_tr", "training.csv")):
        with raw.cursor() as cur, (folder / name).open("rb") as f:
            with cur.copy(f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
    session.execute(
        insert(Course),
        [
            {
                "code": r["course_code"],
                "title": r["title"],
                "audience": r["audience"],
                "kind": r["kind"],
                "credits": 1.0,
                "description": "",
                "created_at": utcnow(),
            }
            for r in _read(folder / "courses.csv")
        ],
    )
    conn.execute(
        text(
            "INSERT INTO enterprise (credit_code, name, province, city, division_code, industry,"
            " management_category, permit_status, legal_rep_name, legal_rep_since, created_at,"
            " updated_at) SELECT credit_code, name, province, city, division_code, industry,"
            " management_category, permit_status, legal_rep_name, legal_rep_since, now(), now()"
            " FROM stage_ent"
        )
    )
    conn.execute(
        text(
            "INSERT INTO training_record (enterprise_id, person_name, role, course_id,"
            " completed_on,"
            " passed, source, created_at) SELECT e.id, s.person_name, s.role, c.id, s.completed_on,"
            " s.passed, 'import', now() FROM stage_tr s JOIN enterprise e ON e.credit_code ="
            " s.credit_code JOIN course c ON c.code = s.course_code"
        )
    )
    session.commit()


def time_report(engine, as_of: dt.date, scope: RegionScope, repeat: int) -> tuple[float, dict]:
    times, result = [], None
    for _ in range(repeat):
        with Session(engine) as session:
            started = time.perf_counter()
            result = coverage.coverage_report(session, scope=scope, as_of=as_of).as_dict()
            times.append(time.perf_counter() - started)
    return statistics.median(times), result


def time_uncovered(engine, as_of: dt.date, scope: RegionScope, repeat: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(repeat):
        with Session(engine) as session:
            started = time.perf_counter()
            count = len(coverage.uncovered_units(session, scope=scope, as_of=as_of))
            times.append(time.perf_counter() - started)
    return statistics.median(times), count


def run_backend(
    name: str, url: str, folder: Path, loader: str, as_of: dt.date, repeat: int
) -> None:
    upgrade_database(url)
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        {"importer": load_importer, "bulk": load_bulk, "copy": load_copy}[loader](session, folder)
    load_s = time.perf_counter() - started
    vacuum_started = time.perf_counter()
    # after a bulk load: statistics, and on PostgreSQL the visibility map that index-only scans
    # need (autovacuum would do this later on a live server)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    vacuum_s = time.perf_counter() - vacuum_started
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    report_s, report = time_report(engine, as_of, RegionScope(), repeat)
    ok = (
        report["overall"]["key_units"] == truth["overall"]["key_units"]
        and report["overall"]["covered"] == truth["overall"]["covered"]
        and report["monthly_covered"] == truth["monthly_covered"]
        and {k: (v["key_units"], v["covered"]) for k, v in report["by_city"].items()}
        == {k: (v["key_units"], v["covered"]) for k, v in truth["by_city"].items()}
    )
    province_s, _ = time_report(engine, as_of, RegionScope("江苏省"), repeat)
    city_s, _ = time_report(engine, as_of, RegionScope("江苏省", "苏州市"), repeat)
    unc_s, unc_n = time_uncovered(engine, as_of, RegionScope(), repeat)
    engine.dispose()
    o = report["overall"]
    print(f"[{name}] load ({loader}): {load_s:.1f} s; then (VACUUM) ANALYZE: {vacuum_s:.1f} s")
    print(
        f"[{name}] key units {o['key_units']:,}, covered {o['covered']:,} ({o['rate']:.1%}); "
        f"equals truth.json: {'yes' if ok else 'NO'}"
    )
    print(
        f"[{name}] whole report, national: {report_s * 1000:.0f} ms (median of {repeat}); "
        f"province: {province_s * 1000:.0f} ms; city: {city_s * 1000:.0f} ms"
    )
    print(f"[{name}] uncovered list, national ({unc_n:,} units): {unc_s * 1000:.0f} ms")
    if not ok:
        raise SystemExit(f"{name}: report differs from truth.json")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--as-of", default="2024-06-30")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument(
        "--postgres", default=os.environ.get("PERMITHUB_BENCH_DATABASE_URL", DEFAULT_PG)
    )
    ap.add_argument("--loader", choices=["auto", "importer", "bulk", "copy"], default="auto")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--data", type=Path, help="reuse a generated folder instead of generating")
    a = ap.parse_args()
    as_of = dt.date.fromisoformat(a.as_of)
    with tempfile.TemporaryDirectory(prefix="coverage-bench-") as tmp:
        folder = a.data or Path(tmp) / "data"
        if a.data is None:
            gen_s = generate(folder, a.n, a.seed, a.as_of)
            print(f"generated {a.n:,} units in {gen_s:.1f} s")
        for backend in a.backends.split(","):
            loader = a.loader
            if loader == "auto":
                loader = "importer"
            if backend == "sqlite":
                if loader == "copy":
                    loader = "bulk"
                run_backend(
                    "SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", folder, loader, as_of, a.repeat
                )
            elif backend == "postgresql":
                run_backend(
                    "PostgreSQL", fresh_postgres(a.postgres), folder, loader, as_of, a.repeat
                )
            else:
                raise SystemExit(f"unknown backend {backend!r}")


if __name__ == "__main__":
    main()
