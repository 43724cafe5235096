"""First run of new question sets: how the engine does on documents and questions nobody has seen.

Each set is asked in three knowledge bases, the three columns of the first-run tables in
``bench/qa_sets/README.md``: the plan and its document alone; the plan, 大气法, 水法 (.docx), the
FAQ pack and its document; and the plan, the four laws, every ``*.md`` of ``--corpus`` and the
FAQ pack. Questions go through the Q&A service in process (``service.preview_answer``: no HTTP, no
latency) and are scored as ``bench/qa_bench.py`` scores them. Run it before anyone reads a miss
and before any fit (``bench/fit_ranking.py``, ``bench/calibrate_refusal.py``) has seen the sets:
that is the only figure for a regulation nobody has tuned on.

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
from qa_bench import _hit, _questions

COLUMNS = {
    "alone": "plan + it",
    "small": "plan, 大气法, 水法 (.docx), FAQ pack + it",
    "all": "all documents, FAQ pack",
}


def ask(session, name: str, loaded: list[str]) -> list[dict]:
    """Every question of set ``name`` (those whose document is loaded) with how it was answered."""
    from knowledge import service

    asked = []
    for q in _questions(name, loaded):
        body = json.loads(service.preview_answer(session, question=q["q"]).model_dump_json())
        scored = {
            "answered": body["answered"],
            "answer": body["answer"],
            "sources": body["sources"],
        }
        asked.append(
            {
                "set": name,
                "q": q["q"],
                "in_scope": q["in_scope"],
                "answered": body["answered"],
                "confidence": body["confidence"],
                "top1": _hit(q, scored, 1) if q["in_scope"] else None,
                "top3": _hit(q, scored, 3) if q["in_scope"] else None,
                "cited": [
                    (s["title"], s.get("article") or s.get("measure")) for s in body["sources"][:3]
                ],
            }
        )
    return asked


def run_column(session, column: str, pairs: list[tuple[Path, str]], corpus: Path) -> list[dict]:
    """The answers of every set in one column's knowledge base(s)."""
    if column == "all":
        documents = ["plan", *ALL_LAWS, *(str(p) for p in sorted(corpus.glob("*.md")))]
        load_documents(session, documents, faq=True)
        return [a for _, name in pairs for a in ask(session, name, documents)]
    answers = []
    for document, name in pairs:
        if column == "alone":
            documents, faq = ["plan", str(document)], False
        else:
            documents, faq = ["plan", "大气污染防治法", "水污染防治法.docx", str(document)], True
        load_documents(session, documents, faq=faq)
        answers += ask(session, name, documents)
    return answers


def cell(answers: list[dict]) -> str:
    """top-1 / top-3 / out-of-scope refused / in-scope refused."""
    inside = [a for a in answers if a["in_scope"]]
    outside = [a for a in answers if not a["in_scope"]]

    def share(values) -> float:
        values = list(values)
        return sum(values) / len(values) if values else float("nan")

    return (
        f"{share(a['top1'] for a in inside):.3f} / {share(a['top3'] for a in inside):.3f} / "
        f"{share(not a['answered'] for a in outside):.2f} / "
        f"{share(not a['answered'] for a in inside):.3f}"
    )


def table(results: dict[str, list[dict]], names: list[str]) -> str:
    columns = list(results)
    lines = [
        "| set | " + " | ".join(COLUMNS[c] for c in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name in names:
        row = [cell([a for a in results[c] if a["set"] == name]) for c in columns]
        lines.append(f"| `{name}` | " + " | ".join(row) + " |")
    together = results[columns[0]]
    counts = f"{sum(a['in_scope'] for a in together)} / {sum(not a['in_scope'] for a in together)}"
    lines.append(f"| together ({counts}) | " + " | ".join(cell(results[c]) for c in columns) + " |")
    return "\n".join(lines)


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
        args.dump.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
