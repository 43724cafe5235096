"""First run of new question sets: how the engine does on documents and questions nobody has seen.

Each set is asked in three knowledge bases, the three columns of the first-run tables in
``bench/qa_sets/README.md``: the plan and its document alone; the plan, 大气法, 水法 (.docx), the
FAQ pack and its document; and the plan, the four laws, every ``*.md`` of ``--corpus`` and the
FAQ pack. Questions are answered and judged in process by the operators' batch evaluation
(``knowledge.evaluation``, as ``permithub eval`` runs it: no HTTP, no latency, nothing logged).
Run it before anyone reads a miss and before any fit (``bench/fit_ranking.py``,
``bench/calibrate_refusal.py``) has seen the sets: that is the only figure for a regulation
nobody has tuned on.

    .venv/bin/python bench/first_run.py --corpus /work/extra_corpus 海洋环境保护法.md:marine_tune \\
        水法.md:waterres_tune --dump /tmp/first_run.json

Prints a markdown table (top-1 / top-3 / out-of-scope refused / in-scope refused per set and
column, and the sets together); ``--dump`` writes every answer, to read the misses afterwards.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from knowledge_setup import ALL_LAWS, load_documents, setup_environment
from qa_bench import _questions

COLUMNS = {
    "alone": "plan + it",
    "small": "plan, 大气法, 水法 (.docx), FAQ pack + it",
    "all": "all documents, FAQ pack",
}


def ask(session, name: str, loaded: list[str]):
    """Set ``name``'s questions (those whose document is loaded) judged by the operators'
    batch evaluation (``knowledge.evaluation``, as ``permithub eval`` runs it)."""
    from knowledge.evaluation import evaluate, parse_questions

    lines = "\n".join(json.dumps(q, ensure_ascii=False) for q in _questions(name, loaded))
    return evaluate(session, parse_questions(lines))


def run_column(session, column: str, pairs: list[tuple[Path, str]], corpus: Path) -> dict:
    """Set name → its ``EvalReport`` in one column's knowledge base(s)."""
    if column == "all":
        documents = ["plan", *ALL_LAWS, *(str(p) for p in sorted(corpus.glob("*.md")))]
        load_documents(session, documents, faq=True)
        return {name: ask(session, name, documents) for _, name in pairs}
    reports = {}
    for document, name in pairs:
        if column == "alone":
            documents, faq = ["plan", str(document)], False
        else:
            documents, faq = ["plan", "大气污染防治法", "水污染防治法.docx", str(document)], True
        load_documents(session, documents, faq=faq)
        reports[name] = ask(session, name, documents)
    return reports


def cell(reports: list) -> str:
    """top-1 / top-3 / out-of-scope refused / in-scope refused over ``reports`` together."""
    from knowledge.evaluation import EvalReport

    f = EvalReport([o for report in reports for o in report.outcomes]).figures()

    def share(key: str) -> str:
        return "—" if f[key] is None else f"{f[key]:.3f}"

    return " / ".join(
        share(k)
        for k in ("top1_rate", "top3_rate", "out_of_scope_refused_rate", "in_scope_refused_rate")
    )


def table(results: dict[str, dict], names: list[str]) -> str:
    columns = list(results)
    lines = [
        "| set | " + " | ".join(COLUMNS[c] for c in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name in names:
        lines.append(
            f"| `{name}` | " + " | ".join(cell([results[c][name]]) for c in columns) + " |"
        )
    first = [o for report in results[columns[0]].values() for o in report.outcomes]
    counts = f"{sum(o.item.in_scope for o in first)} / {sum(not o.item.in_scope for o in first)}"
    together = [cell(list(results[c].values())) for c in columns]
    lines.append(f"| together ({counts}) | " + " | ".join(together) + " |")
    return "\n".join(lines)


def dump(results: dict[str, dict]) -> dict:
    """Every answer, per column and set, to read the misses afterwards."""
    return {
        column: {
            name: [
                {
                    "q": o.item.question,
                    "in_scope": o.item.in_scope,
                    "verdict": o.verdict,
                    "confidence": o.confidence,
                    "cited": o.cited,
                }
                for o in report.outcomes
            ]
            for name, report in reports.items()
        }
        for column, reports in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pairs", nargs="+", help="DOCUMENT.md:SET, the document read from --corpus")
    parser.add_argument("--corpus", type=Path, required=True, help="folder of the documents")
    parser.add_argument("--columns", default="alone,small,all", help="of " + ",".join(COLUMNS))
    parser.add_argument("--dump", type=Path, help="write every answer to this JSON file")
    args = parser.parse_args()
    pairs = []
    for pair in args.pairs:
        document, _, name = pair.rpartition(":")
        if not document or not (args.corpus / document).is_file():
            parser.error(f"{pair}: 应写成 文件名:问题集，文件须在 {args.corpus} 中")
        pairs.append((args.corpus / document, name))
    columns = [c for c in args.columns.split(",") if c]
    if unknown := set(columns) - set(COLUMNS):
        parser.error(f"未知的列：{', '.join(sorted(unknown))}")
    setup_environment(Path(tempfile.mkdtemp(prefix="first-run-")))

    from core.db import SessionLocal, upgrade_database

    upgrade_database()
    with SessionLocal() as session:
        results = {c: run_column(session, c, pairs, args.corpus) for c in columns}
    print(table(results, [name for _, name in pairs]))
    if args.dump:
        args.dump.write_text(json.dumps(dump(results), ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
