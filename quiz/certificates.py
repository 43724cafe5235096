"""Contest certificates as PDF (reportlab, with its built-in Chinese CID font: no font files)."""

from __future__ import annotations

import datetime as dt
import io

from quiz.models import Certificate, Contest

CHINA = dt.timezone(dt.timedelta(hours=8))
FONT = "STSong-Light"


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def certificate_pdf(cert: Certificate, contest: Contest, *, verify_url: str | None = None) -> bytes:
    """One A4 landscape page: holder, contest, award, score, date and the verification code."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    from core.config import get_settings

    _register_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{contest.title} 证书 {cert.code}")
    pdf.setAuthor("PermitHub")
    green = HexColor("#0b6e4f")
    pdf.setStrokeColor(green)
    pdf.setLineWidth(4)
    pdf.rect(28, 28, width - 56, height - 56)
    pdf.setLineWidth(1)
    pdf.rect(38, 38, width - 76, height - 76)

    pdf.setFillColor(green)
    pdf.setFont(FONT, 40)
    pdf.drawCentredString(width / 2, height - 120, "荣 誉 证 书" if cert.rank else "合 格 证 书")
    pdf.setFillColor(HexColor("#1d2733"))
    pdf.setFont(FONT, 22)
    pdf.drawCentredString(width / 2, height - 190, f"{cert.holder_name} 同志：")
    pdf.setFont(FONT, 18)
    result = f"荣获{cert.award}" if cert.rank else "成绩合格"
    pdf.drawCentredString(
        width / 2, height - 240, f"在“{contest.title}”（{contest.kind}）中{result}，"
    )
    pdf.drawCentredString(width / 2, height - 275, f"成绩 {cert.score:g} 分。特发此证，以资鼓励。")

    issued = cert.issued_at.astimezone(CHINA)
    pdf.setFont(FONT, 14)
    pdf.drawRightString(width - 90, 130, "PermitHub 排污许可问答与培训平台")
    pdf.drawRightString(width - 90, 108, f"{issued.year}年{issued.month}月{issued.day}日")
    base = verify_url or get_settings().base_url.rstrip("/") + "/verify"
    pdf.setFont(FONT, 11)
    pdf.drawString(90, 108, f"证书查验码：{cert.code}")
    pdf.drawString(90, 90, f"查验地址：{base}?code={cert.code}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
