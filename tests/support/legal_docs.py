"""Turn the corpus's markdown laws into the other formats bureaus upload (.docx, .txt).

The Word layout is the one government offices publish: the title in the Title style, chapter
headings as centred plain paragraphs with spaced-out characters (第一章　总　　则), articles as
"第一条　……" with an ideographic space, list items as their own paragraphs.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

_CHAPTER = re.compile(r"^##\s*(第\S+[章节编])\s*(.*)$")


def markdown_lines(path: Path) -> list[str]:
    """The law's lines without markdown marks or the collection's comment lines."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("<!--"):
            continue
        out.append(line)
    return out


def _spaced(title: str) -> str:
    """总则 → 总　　则 (two-character headings are spread out in official layouts)."""
    return "\u3000\u3000".join(title) if len(title) == 2 else title


def law_to_docx(path: Path) -> bytes:
    """A .docx of the law in the official layout."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    for line in markdown_lines(path):
        if line.startswith("# "):
            document.add_paragraph(line[2:].strip(), style="Title")
            continue
        chapter = _CHAPTER.match(line)
        if chapter:
            title = f"{chapter.group(1)}\u3000{_spaced(chapter.group(2))}"
            paragraph = document.add_paragraph(title)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        line = re.sub(r"^(第\S+?条)\s+", "\\1\u3000", line)
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def law_to_text(path: Path) -> str:
    """A plain-text version: no markdown, articles with an ideographic space."""
    lines = []
    for line in markdown_lines(path):
        line = re.sub(r"^#+\s*", "", line)
        lines.append(re.sub(r"^(第\S+?条)\s+", "\\1\u3000", line))
    return "\n".join(lines)
