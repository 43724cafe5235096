"""`permithub bot`: refuses clearly without a token or in webhook mode (never a traceback)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERMITHUB_")}
    env["PERMITHUB_DATA_DIR"] = str(tmp_path / "var")
    return env


def run_bot(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "web.cli", "bot"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bot_without_a_token_says_how_to_get_one(cli_env):
    result = run_bot(cli_env)
    assert result.returncode == 2
    assert "PERMITHUB_TELEGRAM_TOKEN" in result.stderr and "BotFather" in result.stderr
    assert "Traceback" not in result.stderr


def test_bot_in_webhook_mode_points_to_serve(cli_env):
    cli_env["PERMITHUB_TELEGRAM_TOKEN"] = "123:TEST"
    cli_env["PERMITHUB_TELEGRAM_WEBHOOK_URL"] = "https://permithub.example/telegram/webhook"
    result = run_bot(cli_env)
    assert result.returncode == 2
    assert "permithub serve" in result.stderr
    assert "123:TEST" not in result.stdout + result.stderr
