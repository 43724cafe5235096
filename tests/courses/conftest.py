"""Fixtures for the courses domain: generated registries (gen_registry.py) loaded into the database."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.enterprises.models import Enterprise
from courses.models import Course, TrainingRecord
from tests.conftest import GENERATOR_PATH


@dataclass
class Generated:
    """One run of the generator: its folder and the truth it computed."""

    folder: Path
    as_of: dt.date

    @property
    def truth(self) -> dict:
        return json.loads((self.folder / "truth.json").read_text(encoding="utf-8"))

    def rows(self, name: str) -> list[dict]:
        with (self.folder / name).open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))


_CACHE: dict[tuple, Generated] = {}


def generate(base: Path, *, n: int, seed: int, as_of: str, dirty: bool = False) -> Generated:
    """Run the generator once per parameter set for the whole test session."""
    key = (n, seed, as_of, dirty)
    if key not in _CACHE:
        folder = base / f"gen-{n}-{seed}-{as_of}{'-dirty' if dirty else ''}"
        cmd = [
            sys.executable,
            str(GENERATOR_PATH),
            str(folder),
            "--n",
            str(n),
            "--seed",
            str(seed),
            "--as-of",
            as_of,
        ]
        if dirty:
            cmd.append("--dirty")
        subprocess.run(cmd, check=True, capture_output=True)
        _CACHE[key] = Generated(folder, dt.date.fromisoformat(as_of))
    return _CACHE[key]


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """``generated(n=…, seed=…, as_of=…, dirty=False)`` → a cached generator run."""
    base = tmp_path_factory.mktemp("registries")
    return lambda **kw: generate(base, **kw)


def _importers():
    """The project's importers when the registry engineer has committed them, else ``None``."""
    try:
        from core.enterprises.importer import import_enterprises
        from courses.importer import import_courses, import_training
    except ImportError:
        return None
    return import_enterprises, import_courses, import_training


def load_registry(
    session: Session,
    gen: Generated,
    *,
    enterprises: str = "enterprises.csv",
    training: str = "training.csv",
    skip_invalid: bool = False,
) -> None:
    """Import a generated folder with the project's importers (the same path as the CLI)."""
    importers = _importers()
    if importers is not None:
        import_enterprises, import_courses, import_training = importers
        import_enterprises(session, gen.folder / enterprises, skip_invalid=skip_invalid)
        import_courses(session, gen.folder / "courses.csv", skip_invalid=skip_invalid)
        import_training(session, gen.folder / training, skip_invalid=skip_invalid)
        session.flush()
        return
    insert_rows_directly(session, gen)


def insert_rows_directly(session: Session, gen: Generated) -> None:
    """Insert the clean CSV rows as they are (stand-in until the importers are committed)."""
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
            }
            for r in gen.rows("courses.csv")
        ],
    )
    session.execute(
        insert(Enterprise),
        [
            dict(r, legal_rep_since=dt.date.fromisoformat(r["legal_rep_since"]))
            for r in gen.rows("enterprises.csv")
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
            }
            for r in gen.rows("training.csv")
        ],
    )
    session.flush()


@pytest.fixture
def importers_available() -> bool:
    return _importers() is not None
