"""Fixtures of the edge tests: the command line's environment."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def cli_env(tmp_path) -> dict[str, str]:
    """The environment for ``run_cli``: no PERMITHUB_ settings of the caller, data in tmp."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERMITHUB_")}
    env["PERMITHUB_DATA_DIR"] = str(tmp_path / "var")
    return env
