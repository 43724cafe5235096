"""The ``permithub`` command run as a user runs it: a subprocess with its own environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_cli(
    *args: str, env: dict[str, str], check_rc: int | None = 0, stdin: str = ""
) -> subprocess.CompletedProcess:
    """Run ``python -m web.cli *args`` in the repository; assert its exit code unless None."""
    result = subprocess.run(
        [sys.executable, "-m", "web.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, input=stdin,
    )
    if check_rc is not None:
        assert result.returncode == check_rc, result.stdout + result.stderr
    return result
