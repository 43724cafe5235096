"""Documents are bounded: PDF pages and extracted characters, .docx checked before python-docx."""

from __future__ import annotations

import io

import pytest

from core.config import get_settings
from core.errors import Invalid
from knowledge.ingest import parse_document
from tests.support import bombs


@pytest.fixture
def settings_env(monkeypatch):
    def _set(**values):
        for key, value in values.items():
            monkeypatch.setenv(f"PERMITHUB_{key.upper()}", str(value))
        get_settings.cache_clear()

    yield _set
    monkeypatch.undo()
    get_settings.cache_clear()


def _pdf(pages: int, line: str = "Permit holders shall report every quarter.") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for _ in range(pages):
        for row in range(40):
            pdf.drawString(50, 800 - row * 18, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_a_pdf_with_more_pages_than_the_cap_is_refused_before_reading(settings_env):
    settings_env(pdf_max_pages=5)
    with pytest.raises(Invalid, match="有 6 页，超过上限 5 页"):
        parse_document(_pdf(6), "long.pdf")
    assert parse_document(_pdf(5), "ok.pdf").kind == "pdf"


def test_reading_stops_once_the_text_passes_the_cap(settings_env):
    settings_env(document_max_chars=5000)
    with pytest.raises(Invalid, match="文字超过 5000 字"):
        parse_document(_pdf(10), "wordy.pdf")  # ~17,000 characters
    with pytest.raises(Invalid, match="文字超过 5000 字"):
        parse_document(("排污许可" * 2000).encode(), "wordy.txt")


def test_a_broken_pdf_is_invalid_not_a_crash():
    data = _pdf(2)
    for broken in (
        data[: len(data) // 2],
        data.replace(b"/Pages", b"/Pagez"),
        b"%PDF-1.7\n" + b"\x00" * 50,
    ):
        with pytest.raises(Invalid, match="PDF"):
            parse_document(broken, "broken.pdf")


def test_docx_bombs_and_entities_are_refused_before_python_docx():
    with pytest.raises(Invalid, match="疑似压缩炸弹"):
        parse_document(bombs.docx_bomb(), "bomb.docx")
    with pytest.raises(Invalid, match="DOCTYPE"):
        parse_document(bombs.docx_xxe(), "xxe.docx")
    text = "排污单位应当依法申请取得排污许可证，并按照排污许可证的规定排放污染物。" * 3
    assert parse_document(bombs.docx([text, text]), "ok.docx").kind == "docx"
