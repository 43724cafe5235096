"""``permithub import questions``: exit codes like the registry import, Chinese line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD = "题型,题干,选项A,选项B,选项C,选项D,答案,难度\n单选,命令行导入的题,甲,乙,,,B,2\n"
BAD = GOOD + "判断,命令行坏题,,,,,也许,2\n"


def _run(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERMITHUB_")}
    env["PERMITHUB_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "web.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_questions_exit_codes(tmp_path):
    data = tmp_path / "var"
    assert _run("init", data_dir=data).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    refused = _run("import", "questions", str(bad), data_dir=data)
    assert refused.returncode == 1
    assert (
        "第3行: 判断题答案“也许”无法识别" in refused.stderr and "未导入任何数据" in refused.stdout
    )
    skipped = _run("import", "questions", str(bad), "--skip-invalid", data_dir=data)
    assert skipped.returncode == 0 and "新增 1 条" in skipped.stdout
    again = _run("import", "questions", str(bad), "--skip-invalid", data_dir=data)
    assert again.returncode == 0 and "新增 0 条" in again.stdout and "重复" in again.stderr
    missing = _run("import", "questions", str(tmp_path / "nope.csv"), data_dir=data)
    assert missing.returncode == 1 and "找不到文件" in missing.stderr
