"""Check a folder of tuning texts (``/work/extra_corpus``) against the question sets.

The texts are public laws and rules that stay outside the repository; ``qa_sets/sources.tsv``
says where each was taken from (repository, path, commit), so a fresh machine can fetch them
again. This checks a folder so restored: every listed file is there, and every quoted string
(``must_contain_any``) of every in-scope question is found in the text of its document, so that
no set silently scores against a text that differs from the one it was written on.

The five texts taken from Fungwingwaa/cee are stored there as VuePress page sources (front
matter, ``<p id="t5">…<b>第五条</b>…``): turn them into the pages' text with
``bench/page_text.py`` after fetching them, or no article of theirs is recognised.

    .venv/bin/python bench/check_corpus.py /work/extra_corpus

Prints one line per missing file or quoted string, then a summary; exits 1 if anything is missing.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

# the four laws are read from ../shared/corpus (CORPUS), not from the folder checked
from knowledge_setup import CORPUS, SETS, read_set

SOURCES = SETS / "sources.tsv"


def listed_files() -> list[str]:
    with SOURCES.open(encoding="utf-8") as handle:
        return [row["file"] for row in csv.DictReader(handle, delimiter="\t")]


def quoted_strings() -> dict[str, list[tuple[str, list[str]]]]:
    """Document name → (question id, its quoted strings) for every in-scope question."""
    quotes: dict[str, list[tuple[str, list[str]]]] = {}
    for path in sorted(SETS.glob("*.jsonl")):
        for item in read_set(path):
            if item.get("in_scope") and item.get("document"):
                quotes.setdefault(item["document"], []).append(
                    (item["id"], item["must_contain_any"])
                )
    return quotes


def text_of(folder: Path, document: str) -> str | None:
    for place in (folder, CORPUS):
        path = place / f"{document}.md"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def problems(folder: Path) -> list[str]:
    found = [f"缺少文件：{name}" for name in listed_files() if not (folder / name).is_file()]
    for document, items in quoted_strings().items():
        text = text_of(folder, document)
        if text is None:
            found.append(f"缺少文件：{document}.md（问题集引用了它）")
            continue
        found += [
            f"{document}：{qid} 引用的字句都不在原文中：{strings}"
            for qid, strings in items
            if not any(s in text for s in strings)
        ]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder of the restored texts")
    args = parser.parse_args()
    found = problems(args.folder)
    for line in found:
        print(line)
    print(f"{len(listed_files())} files listed, {len(found)} problems")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
