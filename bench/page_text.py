"""Turn a VuePress page source (the Fungwingwaa/cee repository of ``qa_sets/sources.tsv``) into the
text the page shows, in place: the title, the revision note, the chapters and the articles.

The repository stores each regulation as the page's source: front matter, a table of contents,
and every article as ``<p id="t5">&emsp;&emsp;<b>第五条</b>&emsp;…</p>``. Ingested as it is, no
article is recognised and every question of its set misses (session 54, after the files were
fetched again; sessions 47–48 had copied them from the pages by hand). The original is kept
beside the folder (``--keep DIR``) so a run can be repeated.

    .venv/bin/python bench/page_text.py --keep /tmp/raw /work/extra_corpus/广东省水污染防治条例.md
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
from pathlib import Path

_MARKERS = re.compile(r"^(:::|@tab|\[\[toc\]\]$|---$)")
_ATTRIBUTES = re.compile(r"\{[^{}]*\}\s*$")
_TAG = re.compile(r"<[^>]+>")


def page_text(source: str) -> str:
    """The text a VuePress page shows, from its source."""
    lines = source.splitlines()
    if not lines or lines[0] != "---":
        return source
    end = lines.index("---", 1)
    title = next(
        (line.split(":", 1)[1].strip() for line in lines[1:end] if line.startswith("title:")), ""
    )
    out = [f"# {title}", ""] if title else []
    in_contents = False
    for line in lines[end + 1 :]:
        stripped = line.strip()
        if stripped.startswith("::: details"):  # the table of contents, up to the first chapter
            in_contents = True
            continue
        if in_contents and not stripped.startswith(("## ", "<p")):
            continue
        in_contents = False
        if _MARKERS.match(stripped):
            continue
        line = _ATTRIBUTES.sub("", line).replace("<br>", "\n").replace("<br/>", "\n")
        line = html.unescape(_TAG.sub("", line).replace("&emsp;", "\u3000"))
        out.extend(line.rstrip().split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--keep", type=Path, required=True, help="folder for the page sources")
    args = parser.parse_args()
    args.keep.mkdir(parents=True, exist_ok=True)
    for path in args.files:
        kept = args.keep / path.name
        if not kept.exists():
            shutil.copy(path, kept)
        text = page_text(kept.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        print(f"{path.name}: {len(text)} 字")


if __name__ == "__main__":
    main()
