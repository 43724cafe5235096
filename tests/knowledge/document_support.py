"""A small regulation in three formats (.md, .docx, .pdf), built in memory for ingest tests."""

from __future__ import annotations

import io

REGULATION_TITLE = "油烟管理办法"
REGULATION_MD = """# 油烟管理办法
## 第一章 总则
第一条 餐饮单位应当每季度清洗油烟净化设施，并保存清洗记录。
第二条 排放油烟的餐饮单位应当安装油烟净化设施，并保持正常使用。
## 第二章 法律责任
第三条 违反本办法第一条规定的，由生态环境主管部门责令改正，处五千元以上五万元以下的罚款。
"""
OTHER_MD = """# 噪声管理办法
## 第一章 总则
第一条 建筑施工单位夜间施工应当取得证明，并公告附近居民。
"""


def make_docx(markdown: str) -> bytes:
    """The markdown's lines as a Word file: '#'/'##' lines become Word headings."""
    import docx

    document = docx.Document()
    for line in markdown.splitlines():
        if line.startswith("## "):
            document.add_heading(line[3:], level=2)
        elif line.startswith("# "):
            document.add_heading(line[2:], level=1)
        elif line.strip():
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(markdown: str) -> bytes:
    """The markdown's lines (marks removed) on one page of a PDF with an embedded CJK font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("STSong-Light", 11)
    y = 800
    for line in markdown.splitlines():
        text = line.lstrip("#").strip()
        if text:
            pdf.drawString(40, y, text)
            y -= 18
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
