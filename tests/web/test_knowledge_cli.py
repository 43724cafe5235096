"""``permithub documents …`` and ``permithub eval``: documents managed and evaluated in a shell."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

import pytest

from tests.knowledge.document_support import REGULATION_MD, REGULATION_TITLE, make_docx, make_pdf
from tests.support.cli import run_cli


@pytest.fixture
def shell(tmp_path) -> dict[str, str]:
    """An initialised installation in a temporary data folder, on the fast hashing embedder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERMITHUB_")}
    env["PERMITHUB_DATA_DIR"] = str(tmp_path / "var")
    env["PERMITHUB_EMBEDDING_MODEL"] = "hashing"
    run_cli("init", env=env)
    return env


def _audit_actions(env) -> list[tuple[str, str]]:
    database = Path(env["PERMITHUB_DATA_DIR"]) / "permithub.db"
    with sqlite3.connect(database) as db:
        return db.execute("SELECT action, actor FROM audit_entry ORDER BY id").fetchall()


def test_documents_list_disable_enable_replace_delete(shell, tmp_path):
    (tmp_path / "good.pdf").write_bytes(make_pdf(REGULATION_MD))
    (tmp_path / "good.docx").write_bytes(make_docx(REGULATION_MD))
    run_cli("ingest", str(tmp_path / "good.pdf"), "--title", REGULATION_TITLE, env=shell)

    again = run_cli("ingest", str(tmp_path / "good.docx"), "--title", "另一个标题", env=shell)
    assert "替换原有的PDF 文件“good.pdf”" in again.stdout
    listing = run_cli("documents", "list", env=shell).stdout
    assert "共 1 个文档" in listing
    assert re.search(rf"#1\t在用\tWord\t\d+\t全国\t{REGULATION_TITLE}\tgood\.docx", listing)

    assert "已停用" in run_cli("documents", "disable", REGULATION_TITLE, env=shell).stdout
    assert "已启用" in run_cli("documents", "enable", "1", env=shell).stdout

    (tmp_path / "v2.md").write_text(REGULATION_MD.replace("每季度", "每月"), encoding="utf-8")
    replaced = run_cli("documents", "replace", "1", str(tmp_path / "v2.md"), env=shell)
    assert f"《{REGULATION_TITLE}》已更新" in replaced.stdout

    refused = run_cli("documents", "delete", "1", env=shell, check_rc=1)
    assert "确定删除" in refused.stdout
    assert "已删除" in run_cli("documents", "delete", "1", "--yes", env=shell).stdout
    assert "还没有文档" in run_cli("documents", "list", env=shell).stdout

    missing = run_cli("documents", "disable", "99", env=shell, check_rc=1)
    assert "文档 #99 不存在" in missing.stderr and "Traceback" not in missing.stderr
    assert _audit_actions(shell) == [
        ("document.create", "cli"),
        ("document.replace", "cli"),
        ("document.disable", "cli"),
        ("document.enable", "cli"),
        ("document.replace", "cli"),
        ("document.delete", "cli"),
    ]


def test_eval_prints_the_figures_and_each_miss(shell, tmp_path):
    (tmp_path / "rules.md").write_text(REGULATION_MD, encoding="utf-8")
    run_cli("ingest", str(tmp_path / "rules.md"), env=shell)
    rows = [
        {"q": "油烟净化设施多久清洗一次", "in_scope": True, "must_contain_any": ["每季度"]},
        {"q": "企业所得税汇算清缴截止到几号", "in_scope": True, "must_contain_any": ["5月31日"]},
        {"q": "明天上海会下雨吗", "in_scope": False},
    ]
    questions = tmp_path / "qa.jsonl"
    questions.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8"
    )

    out = run_cli("eval", str(questions), env=shell).stdout
    assert "共 3 个问题：应回答 2 个，应拒答 1 个" in out
    assert "首条正确（top-1）：1/2 = 50.0%" in out
    assert "前三条内正确（top-3）：1/2 = 50.0%" in out
    assert "应拒答的问题被拒答：1/1 = 100.0%" in out
    assert "应回答的问题被误拒：1/2 = 50.0%" in out
    assert "第2行 [应答却拒答] 企业所得税汇算清缴截止到几号（置信度" in out
    verbose = run_cli("eval", str(questions), "--verbose", env=shell).stdout
    assert "第1行 [正确] 油烟净化设施多久清洗一次" in verbose and "回答：" in verbose

    questions.write_text('{"q": "x", "in_scope": 1}\n', encoding="utf-8")
    bad = run_cli("eval", str(questions), env=shell, check_rc=1)
    assert "第1行: in_scope 应为 true" in bad.stderr and "Traceback" not in bad.stderr
