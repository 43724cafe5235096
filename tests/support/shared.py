"""Where the shared data lives (``../shared``: seeds, corpus, eval, tools) and how tests that
need it skip when it is absent.

One place decides the location: ``PERMITHUB_SHARED_DIR`` when set, else ``shared`` beside the
repository. A clone without it still runs ``make test``: every test that needs the data skips
with the one reason ``SHARED_MISSING``, and pytest's summary counts them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = Path(os.environ.get("PERMITHUB_SHARED_DIR") or ROOT.parent / "shared")
PLAN_PATH = SHARED_DIR / "seeds" / "000_d8828f450199256b.txt"
DEV_QA_PATH = SHARED_DIR / "eval" / "dev_qa.jsonl"
GENERATOR_PATH = SHARED_DIR / "tools" / "gen_registry.py"
CORPUS_DIR = SHARED_DIR / "corpus"

SHARED_MISSING = (
    f"needs the shared data directory {SHARED_DIR} (seeds, corpus, eval, tools), which is "
    "absent: set PERMITHUB_SHARED_DIR to its location to run these tests"
)

# Marks a test (or, as ``pytestmark``, a module) that reads the shared data; see conftest.py.
needs_shared = pytest.mark.needs_shared


def shared_available() -> bool:
    """True when the shared data directory is there."""
    return SHARED_DIR.is_dir()


def require_shared() -> None:
    """Skip the calling test or fixture (with ``SHARED_MISSING``) when the shared data is absent."""
    if not shared_available():
        pytest.skip(SHARED_MISSING)
