"""Fixtures for the shared kernel: generated registry files (gen_registry.py) for the importers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.shared import GENERATOR_PATH, require_shared

_RUNS: dict[tuple[int, int], Path] = {}


@pytest.fixture(scope="session")
def registry_files(tmp_path_factory):
    """``registry_files(n=…, seed=…)`` → a folder with the generator's files (with ``--dirty``)."""
    require_shared()
    base = tmp_path_factory.mktemp("registry-files")

    def _generate(*, n: int = 400, seed: int = 7) -> Path:
        if (n, seed) not in _RUNS:
            folder = base / f"n{n}-s{seed}"
            subprocess.run(
                [
                    sys.executable,
                    str(GENERATOR_PATH),
                    str(folder),
                    "--n",
                    str(n),
                    "--seed",
                    str(seed),
                    "--dirty",
                ],
                check=True,
                capture_output=True,
            )
            _RUNS[(n, seed)] = folder
        return _RUNS[(n, seed)]

    return _generate
