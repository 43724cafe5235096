"""The import contracts of pyproject.toml ([tool.importlinter]) hold, and they can fail.

``make lint`` runs ``lint-imports`` on the tree; here the same contracts run on the tree, and on
a copy of the tree with one wrong import added, which must break the contract it crosses and
name the import that did.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "knowledge", "quiz", "courses", "cases", "bot", "wechat", "web")
LINT = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the packages under ``tree`` (its own pyproject.toml), uncached."""
    return subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
        # the packages under ``tree`` come first on the path, before any installed copy
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)},
    )


def copy_tree(target: Path) -> Path:
    """The Python files of the packages and pyproject.toml: all that the contracts read."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            target / package,
            ignore=lambda folder, names: [
                n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
            ],
        )
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_tree_keeps_every_import_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout and " KEPT" in result.stdout


@pytest.mark.parametrize(
    "module, source, contract, arrow",
    [
        (
            "core/wrong.py",
            "from quiz import models\n",
            "The kernel (core) imports no domain and no edge BROKEN",
            "core.wrong -> quiz.models",
        ),
        (
            "courses/wrong.py",
            "from web.pages import courses_pages\n",
            "import neither web nor bot BROKEN",
            "courses.wrong -> web.pages.courses_pages",
        ),
        (
            "courses/wrong.py",
            "from core.enterprises.importer import ENTERPRISE_COLUMNS\n",
            "through its service, not its importer BROKEN",
            "courses.wrong -> core.enterprises.importer",
        ),
        (
            "quiz/wrong.py",
            "from courses.catalogue import list_courses\n",
            "Quiz does not import courses (courses may use the bank; the pages compose the two)"
            " BROKEN",
            "quiz.wrong -> courses.catalogue",
        ),
        (
            "bot/wrong.py",
            "def later():\n    from web.pages import quiz_pages\n",  # late imports count too
            "The bot does not import the web pages BROKEN",
            "bot.wrong -> web.pages.quiz_pages",
        ),
    ],
)
def test_a_wrong_import_breaks_the_contract_it_crosses(tmp_path, module, source, contract, arrow):
    tree = copy_tree(tmp_path)
    (tree / module).write_text(source, encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode != 0
    report = " ".join(result.stdout.split())  # contract names wrap at 80 columns
    assert contract in report
    assert arrow in report
