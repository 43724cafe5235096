"""Reading .docx and .pdf files; the ingest command; the demo loader."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.errors import Invalid
from core.regions.scope import NATIONAL
from knowledge import faq, service
from knowledge.ingest import read_document
from knowledge.models import Chunk, Document


def _docx_bytes() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_heading("噪声管理办法", level=1)
    document.add_paragraph("一、总则")
    document.add_paragraph("排污单位应当按照排污许可证规定开展噪声自行监测。")
    table = document.add_table(rows=3, cols=5)
    for row, cells in zip(
        table.rows,
        [
            ["主要任务", "重点工作", "具体工作措施", "完成时限", "责任部门"],
            [
                "一、强化监测",
                "（一）自行监测",
                "1. 每季度开展一次噪声监测。",
                "长期",
                "市级生态环境部门",
            ],
            ["", "", "2. 建立监测台账。", "2025年6月", "排污单位"],
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_tables_become_chunks(session):
    result = service.ingest_bytes(session, data=_docx_bytes(), filename="noise.docx")
    assert result.status == "created"
    chunks = session.scalars(
        select(Chunk).join(Document).where(Document.title == result.title)
    ).all()
    measure = next(c for c in chunks if c.measure == 2)
    assert measure.deadline == "2025年6月" and measure.departments == "排污单位"
    assert "强化监测" in measure.section and "自行监测" in measure.section
    assert any("噪声自行监测" in c.text and c.section == "一、总则" for c in chunks)


def test_pdf_pages_are_read_and_joined(session, tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "rules.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(50, 800, "一、总则")
    pdf.drawString(50, 780, "排污单位应当在许可证有效期届满前")
    pdf.showPage()
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(50, 800, "申请延续，并如实提交材料。")
    pdf.showPage()
    pdf.save()
    result = service.ingest_path(session, path, title="延续规定")
    chunks = session.scalars(select(Chunk).join(Document).where(Document.title == "延续规定")).all()
    assert result.kind == "pdf"
    assert [(c.section, c.text, c.page) for c in chunks] == [
        ("一、总则", "排污单位应当在许可证有效期届满前申请延续，并如实提交材料。", 1)
    ]


def test_scanned_pdf_without_text_is_rejected_clearly(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(10, 10, 100, 100)
    pdf.showPage()
    pdf.save()
    with pytest.raises(Invalid, match="没有可提取的文字"):
        read_document(path.read_bytes(), "scan.pdf")


def test_gbk_text_files_are_decoded(session):
    data = "# 规定\n## 一、总则\n排污单位应当持证排污。".encode("gbk")
    result = service.ingest_bytes(session, data=data, filename="rules.txt")
    assert result.title == "规定" and result.chunks == 1


def test_ingest_command_reports_each_file(monkeypatch, tmp_path, session, write_faq):
    from typer.testing import CliRunner

    import core.db
    from web import cli

    doc = tmp_path / "rules.md"
    doc.write_text("# 规定\n## 一、总则\n排污单位应当持证排污。", encoding="utf-8")
    faq = write_faq([("要持证吗", "", "要。", "规定一", "")])

    class _Scope:
        def __enter__(self):
            return session

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(core.db, "session_scope", lambda: _Scope())
    result = CliRunner().invoke(cli.app, ["ingest", str(doc), str(faq)])
    assert result.exit_code == 0, result.output
    assert "《规定》已导入（1 段）" in result.output
    assert "问答导入完成" in result.output


def test_demo_loader_loads_the_faq_pack(session):
    from knowledge.demo import FAQ_PACK, load_demo_knowledge

    if not FAQ_PACK.exists():
        pytest.skip("FAQ pack not written yet")
    message = load_demo_knowledge(session)
    assert "问答导入完成" in message
    assert faq.list_faqs(session, scope=NATIONAL).total >= 60


def test_passages_are_embedded_before_the_write_so_the_rebuild_embeds_nothing(
    session, plan_path, embedder
):
    service.ingest_path(session, plan_path)
    embedded = embedder.texts
    assert embedded >= 54
    index = service.current_index(session)
    assert len(index.passages) == 54
    assert embedder.texts == embedded
