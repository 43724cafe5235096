"""A small regulation in the official layout, written for the tests in our own words.

It has what real regulations have and what used to go wrong: chapters (第一章　总　　则), an
article whose 项 run to （十一） followed by the article on the permit's term, a renewal article
with several 款, and a penalty article whose fine sits in the lead-in before its list items.
"""

from __future__ import annotations

import io

TITLE = "示范排污许可管理办法"

ARTICLES: list[tuple[str | None, list[str]]] = [
    ("第一章　总　　则", []),
    (None, ["第一条　为了规范排污许可管理，控制污染物排放，制定本办法。"]),
    (None, ["第二条　排污单位应当依照本办法申请取得排污许可证；未取得的，不得排放污染物。"]),
    ("第二章　申请与审批", []),
    (
        None,
        [
            "第三条　排污许可证应当记载下列信息：",
            "（一）排污单位名称、住所、法定代表人；",
            "（二）排污口位置和数量；",
            "（三）排放污染物种类；",
            "（四）许可排放浓度；",
            "（五）许可排放量；",
            "（六）污染防治设施；",
            "（七）自行监测要求；",
            "（八）环境管理台账记录要求；",
            "（九）执行报告内容和频次要求；",
            "（十）信息公开要求；",
            "（十一）法律法规规定排污单位应当遵守的其他控制污染物排放的要求。",
        ],
    ),
    (
        None,
        [
            "第四条　排污许可证有效期为5年。",
            "排污许可证有效期届满，排污单位需要继续排放污染物的，应当于有效期届满60日前向审批部门"
            "提出申请。审批部门应当自受理申请之日起20日内完成审查；对符合条件的予以延续，"
            "对不符合条件的不予延续并书面说明理由。",
            "排污单位变更名称、住所或者法定代表人的，应当自变更之日起30日内申请办理变更手续。",
        ],
    ),
    ("第三章　法律责任", []),
    (
        None,
        [
            "第五条　违反本办法规定，排污单位有下列行为之一的，由生态环境主管部门责令改正或者限制"
            "生产、停产整治，处20万元以上100万元以下的罚款；情节严重的，吊销排污许可证：",
            "（一）未取得排污许可证排放污染物；",
            "（二）排污许可证有效期届满未申请延续或者延续申请未经批准排放污染物；",
            "（三）被依法撤销、注销、吊销排污许可证后排放污染物。",
        ],
    ),
    (None, ["第六条　本办法自2021年3月1日起施行。"]),
]


def regulation_markdown() -> str:
    """The regulation as markdown (``## 第一章 总则`` chapters)."""
    lines = [f"# {TITLE}", ""]
    for heading, paragraphs in ARTICLES:
        if heading:
            lines += [f"## {heading.replace(chr(0x3000), ' ').replace('  ', '')}", ""]
        for paragraph in paragraphs:
            lines += [paragraph, ""]
    return "\n".join(lines)


def regulation_docx() -> bytes:
    """The regulation as Word publishes it: title style, centred spaced-out chapter lines."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    for heading, paragraphs in ARTICLES:
        if heading:
            document.add_paragraph(heading).alignment = WD_ALIGN_PARAGRAPH.CENTER
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def regulation_pdf(
    *,
    pages: int = 2,
    footer: str | None = None,
    header: str | None = None,
    letter_spacing: float = 0,
) -> bytes:
    """The regulation printed to PDF (reportlab's built-in Chinese font), lines wrapped at 30
    characters so that articles break across lines and pages, as in a scanned-and-OCRed file.

    ``footer`` (e.g. "— {page} —") and ``header`` are printed on every page, as official
    documents print their page number and a running header: with ``pages=3`` one page ends right
    before 第四条 and another in the middle of 第五条's sentence. ``letter_spacing`` (points
    between characters) makes text extraction put a space between every two characters.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    lines = [TITLE]
    for heading, paragraphs in ARTICLES:
        lines += [heading] if heading else []
        for paragraph in paragraphs:
            lines += [paragraph[i : i + 30] for i in range(0, len(paragraph), 30)]
    if pages == 2:  # a page break in the middle of the text
        breaks = {len(lines) // 2}
    else:
        before_article_4 = next(i for i, line in enumerate(lines) if line.startswith("第四条"))
        in_article_5 = next(i for i, line in enumerate(lines) if line.startswith("第五条")) + 1
        breaks = {before_article_4, in_article_5}
    page_number = 1

    def furnish() -> None:
        pdf.setFont("STSong-Light", 9)
        if header:
            pdf.drawString(200, 815, header)
        if footer:
            pdf.drawString(280, 30, footer.format(page=page_number))

    furnish()
    y = 790
    for number, line in enumerate(lines):
        if number in breaks:
            pdf.showPage()
            page_number += 1
            furnish()
            y = 790
        pdf.setFont("STSong-Light", 11)
        if letter_spacing:  # spaced-out type: each character placed apart, as Word or a browser
            text = pdf.beginText()  # justifying official text does
            text.setFont("STSong-Light", 11)
            x = 50
            for character in line:
                text.setTextOrigin(x, y)
                text.textOut(character)
                x += pdfmetrics.stringWidth(character, "STSong-Light", 11) + letter_spacing
            pdf.drawText(text)
        else:
            pdf.drawString(50, y, line)
        y -= 18
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
