"""Does a regulation ingested as PDF give the same passages as its text? Printed by Chromium.

Each markdown file is printed to PDF by headless Chromium (Debian's ``chromium``, driven by
playwright as in the page tests) in one of four official layouts, taken in turn: a page number
"— 3 —" as footer; the title as running header over "第 3 页 共 12 页"; a gazette's name as header
over a bare page number; spaced-out type (letter-spacing, justified) over "— 3 —". Both files
are then read and cut as ``permithub ingest`` would (``knowledge.ingest.parse_document``), and
their passages compared — article or clause number, chapter path and text, whitespace ignored.
Prints each document whose passages differ, with the first difference, and the totals:
documents differing, articles or clauses lost (numbered in the markdown's passages, missing from
the PDF's), titles differing.

    .venv/bin/python bench/pdf_fidelity.py ../shared/corpus/*法.md
    .venv/bin/python bench/pdf_fidelity.py --keep /tmp/pdfs /work/extra_corpus/*.md

Session 43 (the four laws of ``../shared/corpus`` and the 244 texts of ``bench/qa_sets/
sources.tsv``, the layouts taken in turn): before the page furniture was taken out (three layouts
then), all 248 differed and 713 articles were lost; with the furniture out but spaced-out type
not yet closed up (d64fc46), 71 differed and 2583 were lost; now 13 differ (appendices, forms
and tables laid out differently, a long article cut at another 款), none is lost, and 2 titles
differ (a title without 法/条例/办法…, read from the file name; one wrapped before "（HAF604）").
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge.ingest import parse_document  # noqa: E402
from tests.support.web import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402

STYLE = (
    "body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:16pt;line-height:1.6}"
    "h1{text-align:center;font-size:22pt} h2{text-align:center;font-size:16pt}"
    "p{text-indent:2em;margin:0}"
)
SMALL = "<div style='font-size:10pt;width:100%;text-align:center'>{}</div>"
PAGE_NUMBER = SMALL.format("— <span class=pageNumber></span> —")
LAYOUTS = (  # (header, footer) templates of Chromium's page.pdf, and the body's own style
    ("<span></span>", PAGE_NUMBER, ""),
    (
        SMALL.format("{title}"),
        SMALL.format("第 <span class=pageNumber></span> 页 共 <span class=totalPages></span> 页"),
        "",
    ),
    (SMALL.format("中华人民共和国国务院公报"), SMALL.format("<span class=pageNumber></span>"), ""),
    # spaced-out type: text extraction puts a space between every two characters
    ("<span></span>", PAGE_NUMBER, "p{letter-spacing:0.15em;text-align:justify}"),
)
MARGINS = {"top": "2.5cm", "bottom": "2.5cm", "left": "2.6cm", "right": "2.6cm"}


def as_html(markdown: str, style: str = "") -> tuple[str, str]:
    """(title, page) of a markdown regulation: # → h1, ## → h2, a tab row → a table row."""
    parts, title = [], ""
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or line.startswith("<!--"):
            continue
        heading = re.match(r"^(#+)\s*(.*)", line)
        if heading:
            tag = "h1" if len(heading.group(1)) == 1 else "h2"
            title = title or (heading.group(2) if tag == "h1" else "")
            parts.append(f"<{tag}>{html.escape(heading.group(2))}</{tag}>")
        elif "\t" in line:
            cells = "".join(f"<td>{html.escape(cell)}</td>" for cell in line.split("\t"))
            parts.append(f"<table border=1><tr>{cells}</tr></table>")
        else:
            parts.append(f"<p>{html.escape(line)}</p>")
    page = f"<html><head><meta charset=utf-8><style>{STYLE}{style}</style></head><body>"
    return title, page + "".join(parts) + "</body></html>"


def print_pdfs(sources: list[Path], folder: Path) -> list[Path]:
    """Each source printed to ``folder`` in the layouts taken in turn."""
    from playwright.sync_api import sync_playwright

    printed = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for number, source in enumerate(sources):
            header, footer, style = LAYOUTS[number % len(LAYOUTS)]
            title, content = as_html(source.read_text(encoding="utf-8"), style)
            page.set_content(content)
            target = folder / f"{number:04d}.pdf"
            page.pdf(
                path=str(target),
                format="A4",
                display_header_footer=True,
                header_template=header.replace("{title}", html.escape(title or source.stem)),
                footer_template=footer,
                margin=MARGINS,
            )
            printed.append(target)
        browser.close()
    return printed


def _passages(data: bytes, filename: str) -> tuple[str, list[tuple]]:
    parsed = parse_document(data, filename)
    return parsed.title, [(p.article, p.section, re.sub(r"\s+", "", p.text)) for p in parsed.pieces]


def compare(source: Path, pdf: Path) -> tuple[int, int, bool, str]:
    """(passages differing, numbered passages lost, title differs, first difference)."""
    title_text, text = _passages(source.read_bytes(), "document.md")
    title_pdf, printed = _passages(pdf.read_bytes(), "document.pdf")
    differing = sum(a != b for a, b in zip(text, printed, strict=False))
    differing += abs(len(text) - len(printed))
    numbered = {article for article, _, _ in text if article}
    lost = len(numbered - {article for article, _, _ in printed if article})
    pairs = zip(text, printed, strict=False)
    first = next((f"{a[0]} {a[2][:60]} ≠ {b[0]} {b[2][:60]}" for a, b in pairs if a != b), "")
    return differing, lost, title_text != title_pdf, first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", type=Path, help="markdown regulations")
    parser.add_argument("--keep", type=Path, help="folder to keep the PDFs in")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # pypdf's notes on Chromium's fonts
    folder = args.keep or Path(tempfile.mkdtemp(prefix="pdf-fidelity-"))
    folder.mkdir(parents=True, exist_ok=True)
    pdfs = print_pdfs(args.sources, folder)
    documents = lost_total = titles = 0
    for source, pdf in zip(args.sources, pdfs, strict=True):
        differing, lost, title, first = compare(source, pdf)
        lost_total += lost
        titles += title
        if differing or title:
            documents += 1
            print(f"{source.stem}: {differing} passages differ, {lost} lost | {first}")
    print(
        f"{len(args.sources)} documents: {documents} differ, {lost_total} articles or clauses "
        f"lost, {titles} titles differ"
    )


if __name__ == "__main__":
    main()
