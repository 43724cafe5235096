"""Import benchmark: a generated registry of 100,000 units with its courses and training rows.

Generates the files with ``shared/tools/gen_registry.py`` (loaded with importlib), then imports
enterprises, courses and training into a fresh SQLite database and, when a PostgreSQL URL is
given, into a throwaway schema ``permithub_bench`` of that database (dropped afterwards; nothing
else in the database is touched). For each step it prints seconds and rows per second:

    fresh import   enterprises + courses + training into empty tables (the 10 s target)
    re-import      the same files again: everything unchanged, nothing written
    upsert         enterprises again with 10% new legal representatives (updates + history)

Usage:
    .venv/bin/python bench/import_bench.py [--n 100000] [--seed 7]
        [--postgres postgresql://postgres@127.0.0.1:55432/pt_registry]
(or set PERMITHUB_BENCH_POSTGRES_URL).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_GENERATOR = ROOT.parent / "shared" / "tools" / "gen_registry.py"
BENCH_SCHEMA = "permithub_bench"


def load_generator(path: Path):
    """The generator script as a module."""
    spec = importlib.util.spec_from_file_location("gen_registry", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the generator at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_files(gen, out: Path, n: int, seed: int) -> dict[str, int]:
    """Write enterprises.csv, courses.csv, training.csv and enterprises_changed.csv into ``out``."""
    import datetime as dt

    enterprises, training = gen.generate(n, seed, dt.date(2024, 6, 30))
    gen.write_csv(out / "enterprises.csv", enterprises, gen.ENT_FIELDS)
    gen.write_csv(out / "training.csv", training, gen.TRAIN_FIELDS)
    course_fields = ["course_code", "title", "audience", "kind"]
    gen.write_csv(
        out / "courses.csv",
        [dict(zip(course_fields, c, strict=True)) for c in gen.COURSES],
        course_fields,
    )
    rng = random.Random(seed + 100)
    changed = []
    for row in enterprises:
        row = dict(row)
        if rng.random() < 0.10:
            row["legal_rep_name"] = gen.person(rng) + "新"
            row["legal_rep_since"] = "2024-06-30"
        changed.append(row)
    gen.write_csv(out / "enterprises_changed.csv", changed, gen.ENT_FIELDS)
    return {"enterprises": len(enterprises), "training": len(training), "courses": len(gen.COURSES)}


def timed(label: str, rows: int, action: Callable[[], object]) -> float:
    """Run ``action`` and print its wall time, throughput and this process's CPU time.

    The CPU time does not grow when other programs share the machine, so on a busy machine it
    is the better guide (for SQLite all the work happens in this process).
    """
    start, cpu_start = time.perf_counter(), time.process_time()
    report = action()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    summary = getattr(report, "summary", lambda: "")()
    print(
        f"  {label:<30} {seconds:7.2f} s {rows / seconds:9,.0f} rows/s"
        f"  (CPU {cpu:5.2f} s)  {summary}"
    )
    if getattr(report, "errors", None):
        raise SystemExit(f"unexpected errors: {list(report.error_lines())[:5]}")
    return seconds


def run_backend(name: str, url: str, files: Path, counts: dict[str, int]) -> None:
    """Migrate ``url`` and time the imports on it."""
    from sqlalchemy.orm import Session

    from core.db import make_engine, upgrade_database
    from core.enterprises.importer import import_enterprises
    from courses.importer import import_courses, import_training

    upgrade_database(url)
    engine = make_engine(url)
    total_rows = counts["enterprises"] + counts["courses"] + counts["training"]
    print(f"{name}: {counts['enterprises']:,} units, {counts['training']:,} training rows")
    cpu_start = time.process_time()
    try:
        with Session(engine) as session:
            fresh = timed(
                "fresh: enterprises",
                counts["enterprises"],
                lambda: import_enterprises(session, files / "enterprises.csv"),
            )
            fresh += timed(
                "fresh: courses",
                counts["courses"],
                lambda: import_courses(session, files / "courses.csv"),
            )
            fresh += timed(
                "fresh: training",
                counts["training"],
                lambda: import_training(session, files / "training.csv"),
            )
            cpu = time.process_time() - cpu_start
            print(
                f"  {'fresh: all three':<30} {fresh:7.2f} s {total_rows / fresh:9,.0f} rows/s"
                f"  (CPU {cpu:5.2f} s)"
            )
            again = timed(
                "re-import: enterprises",
                counts["enterprises"],
                lambda: import_enterprises(session, files / "enterprises.csv"),
            )
            again += timed(
                "re-import: training",
                counts["training"],
                lambda: import_training(session, files / "training.csv"),
            )
            print(f"  {'re-import: both':<30} {again:7.2f} s")
            timed(
                "upsert: 10% new legal reps",
                counts["enterprises"],
                lambda: import_enterprises(session, files / "enterprises_changed.csv"),
            )
    finally:
        engine.dispose()


def postgres_bench_url(url: str) -> str:
    """A fresh schema ``permithub_bench`` in the given database, as the URL's search path."""
    from sqlalchemy import text

    from core.config import normalise_database_url
    from core.db import make_engine

    url = normalise_database_url(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {BENCH_SCHEMA}"))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{BENCH_SCHEMA}"


def drop_bench_schema(url: str) -> None:
    """Remove the throwaway schema again."""
    from sqlalchemy import text

    from core.config import normalise_database_url
    from core.db import make_engine

    engine = make_engine(normalise_database_url(url))
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of units")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("PERMITHUB_BENCH_POSTGRES_URL"),
        help="PostgreSQL URL (a schema permithub_bench is created and dropped in it)",
    )
    args = parser.parse_args()
    logging_off()
    gen = load_generator(args.generator)
    with tempfile.TemporaryDirectory(prefix="permithub-bench-") as tmp:
        files = Path(tmp)
        start = time.perf_counter()
        counts = write_files(gen, files, args.n, args.seed)
        print(f"generated files in {time.perf_counter() - start:.1f} s")
        run_backend("SQLite", f"sqlite:///{files / 'bench.db'}", files, counts)
        if args.postgres:
            try:
                run_backend("PostgreSQL", postgres_bench_url(args.postgres), files, counts)
            finally:
                drop_bench_schema(args.postgres)
        else:
            print("PostgreSQL: skipped (pass --postgres URL or set PERMITHUB_BENCH_POSTGRES_URL)")


def logging_off() -> None:
    """Keep Alembic's per-revision log lines out of the figures."""
    import logging

    logging.basicConfig(level=logging.WARNING)


if __name__ == "__main__":
    main()
