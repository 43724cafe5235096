"""``permithub import …``: exit codes, every bad line on stderr, --skip-invalid, file errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.shared import GENERATOR_PATH, require_shared

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """Generated files and the environment of a fresh, migrated SQLite database."""
    require_shared()
    base = tmp_path_factory.mktemp("cli-import")
    files = base / "files"
    subprocess.run(
        [sys.executable, str(GENERATOR_PATH), str(files), "--n", "300", "--seed", "3", "--dirty"],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERMITHUB_")}
    env["PERMITHUB_DATA_DIR"] = str(base / "var")
    env["PERMITHUB_DATABASE_URL"] = f"sqlite:///{base / 'cli.db'}"
    run(env, "init")
    return files, env


def run(env, *args, rc=0):
    result = subprocess.run(
        [sys.executable, "-m", "web.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == rc, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def oracle(files, name):
    return json.loads((files / "dirty_rows.json").read_text(encoding="utf-8"))[name]


def reported_lines(stderr: str) -> list[int]:
    return [
        int(line[1 : line.index("行")]) for line in stderr.splitlines() if line.startswith("第")
    ]


def test_import_commands_exit_codes_and_reports(setup):
    files, env = setup
    dirty = run(env, "import", "enterprises", str(files / "enterprises_dirty.csv"), rc=1)
    assert reported_lines(dirty.stderr) == [
        e["line"] for e in oracle(files, "enterprises_dirty.csv")
    ]
    assert "未导入任何数据" in dirty.stdout

    skipped = run(
        env, "import", "enterprises", str(files / "enterprises_dirty.csv"), "--skip-invalid"
    )
    assert "新增 300 条" in skipped.stdout
    assert len(reported_lines(skipped.stderr)) == len(oracle(files, "enterprises_dirty.csv"))

    again = run(env, "import", "enterprises", str(files / "enterprises.csv"))
    assert "新增 0 条，更新 0 条，未变化 300 条" in again.stdout and not again.stderr.strip()

    run(env, "import", "courses", str(files / "courses.csv"))
    training = run(env, "import", "training", str(files / "training_dirty.csv"), rc=1)
    assert reported_lines(training.stderr) == [
        e["line"] for e in oracle(files, "training_dirty.csv")
    ]
    run(env, "import", "training", str(files / "training_dirty.csv"), "--skip-invalid")


def test_wrong_header_or_missing_file_is_one_clear_line(setup):
    files, env = setup
    wrong = run(env, "import", "enterprises", str(files / "training.csv"), rc=1)
    assert "表头（第1行）不正确" in wrong.stderr and "缺少列" in wrong.stderr
    missing = run(env, "import", "training", str(files / "no-such.csv"), rc=1)
    assert "找不到文件" in missing.stderr


@pytest.mark.parametrize(
    ("command", "name", "build"),
    [
        (("import", "enterprises"), "bomb.xlsx", "xlsx_bomb"),
        (("import", "enterprises"), "laughs.xlsx", "billion_laughs_xlsx"),
        (("import", "training"), "styles.xlsx", "broken_styles_xlsx"),
        (("import", "courses"), "cut.xlsx", "truncated_xlsx"),
        (("import", "questions"), "xxe.xlsx", "xxe_xlsx"),
        (("ingest",), "规定.docx", "docx_bomb"),
    ],
)
def test_malformed_files_exit_1_with_one_chinese_message(setup, tmp_path, command, name, build):
    from tests.support import bombs

    _, env = setup
    path = tmp_path / name
    path.write_bytes(getattr(bombs, build)())
    result = run(env, *command, str(path), rc=1)
    assert result.stderr.startswith("错误：") and (
        "已拒绝" in result.stderr or "无法读取" in result.stderr
    )


def test_many_bad_lines_print_the_first_hundred_and_save_the_full_list(setup, tmp_path):
    from tests.support import bombs

    _, env = setup
    path = tmp_path / "bad.csv"
    path.write_bytes(bombs.bad_csv_lines(5000))
    result = run(env, "import", "enterprises", str(path), rc=1)
    assert (
        reported_lines(result.stderr)[:3] == [2, 3, 4] and len(reported_lines(result.stderr)) == 100
    )
    saved = result.stderr.strip().splitlines()[-1]
    assert saved.startswith("……共 5000 行有误，以上列出前 100 行；完整清单：")
    full = Path(saved.split("完整清单：", 1)[1]).read_text(encoding="utf-8-sig").splitlines()
    assert len([line for line in full if line.startswith("第")]) == 5000
