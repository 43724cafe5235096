"""Legal texts are cut into articles: one passage per 条 with its chapter, 项 kept inside."""

from __future__ import annotations

import pytest

from knowledge import service
from knowledge.chunking import chunk_text
from knowledge.ingest import parse_document, read_document
from knowledge.legal import chunk_legal, looks_legal
from tests.support.regulation import regulation_docx, regulation_markdown, regulation_pdf
from tests.support.shared import CORPUS_DIR as CORPUS
from tests.support.shared import require_shared


def _by_article(pieces):
    return {p.article: p for p in pieces if p.article}


def test_list_items_stay_inside_their_article_and_never_become_headings():
    pieces = _by_article(chunk_text(regulation_markdown()))
    assert "（十一）法律法规规定" in pieces["第三条"].text
    term = pieces["第四条"]
    assert term.section == "第二章 申请与审批"
    assert "（十一）" not in (term.section or "")


def test_an_article_is_one_passage_with_all_its_paragraphs():
    term = _by_article(chunk_text(regulation_markdown()))["第四条"]
    assert term.text.startswith("第四条\u3000排污许可证有效期为5年。")
    assert "60日前" in term.text and "30日内" in term.text


def test_penalty_items_keep_the_sentence_with_the_fine():
    penalty = _by_article(chunk_text(regulation_markdown()))["第五条"]
    assert "20万元以上100万元以下的罚款" in penalty.text
    assert "（一）未取得排污许可证排放污染物" in penalty.text


def test_a_long_article_is_cut_at_its_paragraphs_repeating_number_and_lead_in():
    lead = "第九条　违反本法规定，有下列行为之一的，处十万元以上一百万元以下的罚款："
    items = [f"（{n}）" + "未按照规定采取防治措施排放污染物" * 8 + "的；" for n in "一二三四五六"]
    text = "## 第一章 总则\n" + "\n".join(
        ["第一条　为了测试。", "第二条　测试。", lead, *items, "第十条　本法自公布之日起施行。"]
    )
    pieces = [p for p in chunk_legal(text) if p.article == "第九条"]
    assert len(pieces) >= 2
    for piece in pieces:
        assert piece.text.startswith("第九条\u3000")
        assert "处十万元以上一百万元以下的罚款" in piece.text


def test_every_piece_of_a_long_penalty_article_keeps_the_paragraph_with_its_fines():
    lead = "第九条　违反本法规定，有下列行为之一，由生态环境主管部门责令改正，处以罚款："
    items = [f"（{n}）" + "未按照规定采取防治措施排放污染物" * 8 + "的；" for n in "一二三四五六"]
    fines = (
        "有前款第一项、第六项行为之一，处五万元以上二十万元以下的罚款；"
        "有前款第二项行为的，处十万元以上一百万元以下的罚款。"
    )
    text = "\n".join(["第一条　为了测试。", lead, *items, fines, "第十条　本法自公布之日起施行。"])
    pieces = [p for p in chunk_legal(text) if p.article == "第九条"]
    assert len(pieces) >= 2
    for piece in pieces:
        assert "处以罚款" in piece.text
        assert "处五万元以上二十万元以下的罚款" in piece.text
    assert "（一）" in pieces[0].text and "（六）" in pieces[-1].text


def test_word_chapters_with_spaced_out_titles_give_the_chapter_path(session):
    result = service.ingest_bytes(session, data=regulation_docx(), filename="办法.docx")
    assert result.title == "示范排污许可管理办法"
    pieces = _by_article(chunk_text(_docx_text()))
    assert pieces["第一条"].section == "第一章 总则"
    assert pieces["第五条"].section == "第三章 法律责任"


def _docx_text() -> str:
    from knowledge.ingest import read_document

    return read_document(regulation_docx(), "办法.docx")[0]


def test_articles_starting_mid_sentence_in_a_pdf_line_continue_the_sentence():
    text = "第一条　为了测试，依照本法\n第十九条的规定执行。\n第二条　其他。\n第三条　再其他。"
    pieces = _by_article(chunk_legal(text))
    assert "第十九条的规定执行" in pieces["第一条"].text
    assert "第十九条" not in pieces


def test_the_action_plan_is_not_taken_for_a_legal_text(plan_path):
    assert not looks_legal(plan_path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("law", ["大气污染防治法", "环境影响评价法"])
def test_every_article_of_a_national_law_is_found_once(law):
    require_shared()
    path = CORPUS / f"{law}.md"
    text = path.read_text(encoding="utf-8")
    expected = sum(1 for line in text.splitlines() if line.startswith("第") and "条 " in line[:12])
    pieces = chunk_text(text)
    assert len({p.article for p in pieces if p.article}) == expected
    assert all(p.section and p.section.startswith("第") for p in pieces if p.article)


def test_a_pdf_whose_lines_break_anywhere_still_gives_whole_articles(session):
    from tests.support.regulation import regulation_pdf

    result = service.ingest_bytes(session, data=regulation_pdf(), filename="办法.pdf")
    assert result.title == "示范排污许可管理办法"
    from knowledge.ingest import read_document

    pieces = _by_article(chunk_text(read_document(regulation_pdf(), "办法.pdf")[0]))
    assert set(pieces) == {f"第{n}条" for n in "一二三四五六"}
    assert "20万元以上100万元以下的罚款" in pieces["第五条"].text.replace("\n", "")
    assert pieces["第四条"].section == "第二章 申请与审批"


@pytest.mark.parametrize(
    ("footer", "header"),
    [
        ("— {page} —", None),
        ("- {page} -", "示范排污许可管理办法"),
        ("第 {page} 页 共 3 页", "中华人民共和国国务院公报"),
        ("{page}", None),
    ],
)
def test_a_pdf_s_page_numbers_and_running_header_stay_out_of_the_articles(footer, header):
    """Official PDFs print a page number (and often a header) on every page: the article that
    starts a page is still an article of its own, and a sentence over a page break is whole."""
    from knowledge.ingest import read_document
    from tests.support.regulation import regulation_pdf

    data = regulation_pdf(pages=3, footer=footer, header=header)
    text, _ = read_document(data, "办法.pdf")
    pieces = _by_article(chunk_text(text))
    assert set(pieces) == {f"第{n}条" for n in "一二三四五六"}
    assert pieces["第四条"].text.replace("\n", "").startswith("第四条　排污许可证有效期为5年。")
    fine = "由生态环境主管部门责令改正或者限制生产、停产整治，处20万元以上100万元以下的罚款"
    assert fine in pieces["第五条"].text.replace("\n", "")
    everything = "".join(piece.text for piece in pieces.values())
    assert "页" not in everything and "—" not in everything and "公报" not in everything


def test_a_pdf_in_spaced_out_type_still_gives_whole_articles_with_their_words(session):
    """Justified official text is often set with space between the characters; extracted, it
    reads 第 一 条 　 为 了 … and no article, term or number would be found in it."""
    data = regulation_pdf(pages=3, footer="— {page} —", letter_spacing=3)
    result = service.ingest_bytes(session, data=data, filename="办法.pdf")
    assert result.title == "示范排污许可管理办法"
    text, _ = read_document(data, "办法.pdf")
    pieces = _by_article(chunk_text(text))
    assert set(pieces) == {f"第{n}条" for n in "一二三四五六"}
    assert "排污许可证有效期为5年。" in pieces["第四条"].text.replace("\n", "")
    assert pieces["第四条"].section == "第二章 申请与审批"


def test_an_article_number_on_its_own_line_starts_the_article_its_text_follows(session):
    """A hanging layout (or a Word table of two columns) puts 第X条 apart from its text."""
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("示范排污许可管理办法", style="Title")
    for number, text in [
        ("第一条", "为了规范排污许可管理，制定本办法。"),
        ("第二条", "排污许可证有效期为5年。"),
        ("第三条", "本办法自2021年3月1日起施行。"),
    ]:
        document.add_paragraph(number)
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    text, _ = read_document(buffer.getvalue(), "办法.docx")
    pieces = _by_article(chunk_text(text))
    assert set(pieces) == {"第一条", "第二条", "第三条"}
    assert pieces["第二条"].text.replace("\u3000", "") == "第二条排污许可证有效期为5年。"


def test_a_chapter_title_a_pdf_wrapped_over_two_lines_is_one_chapter():
    text = (
        "示范排污许可管理办法\n第一章 总则\n第一条 为了规范排污许可管理，制定本办法。\n"
        "\f第二章 排污许可证的申请、审核与\n发放\n第二条 排污单位应当申请取得排污许可证。\n"
        "第三条 审批部门应当自受理申请之日起20日内作出决定。"
    )
    pieces = chunk_legal(text, paged=True)
    articles = _by_article(pieces)
    assert articles["第二条"].section == "第二章 排污许可证的申请、审核与发放"
    assert articles["第三条"].section == "第二章 排污许可证的申请、审核与发放"
    assert pieces[0].text == "示范排污许可管理办法"


def test_a_title_a_pdf_wrapped_over_two_lines_is_the_title_not_the_file_name():
    text = (
        "民用核安全设备设计制造安装和无损检验监\n督管理规定（HAF601）\n"
        "第一条 为了加强监督管理，制定本规定。\n第二条 本规定自2008年1月1日起施行。\n"
    )
    parsed = parse_document(text.encode(), "P020080118.txt")
    assert parsed.title == "民用核安全设备设计制造安装和无损检验监督管理规定（HAF601）"


def test_a_first_line_that_is_no_title_leaves_the_file_name_as_the_title():
    text = "生态环境部令\n第一条 为了加强监督管理，制定本规定。\n第二条 本规定自公布之日起施行。\n"
    assert parse_document(text.encode(), "监督管理规定.txt").title == "监督管理规定"


def test_a_word_title_in_a_heading_style_is_the_title_without_marks(session):
    import io

    import docx

    document = docx.Document()
    document.add_heading("油烟管理办法", level=1)
    document.add_paragraph("餐饮单位应当每季度清洗油烟净化设施。")
    buffer = io.BytesIO()
    document.save(buffer)
    result = service.ingest_bytes(session, data=buffer.getvalue(), filename="rules.docx")
    assert result.title == "油烟管理办法"


FILING_RULES = """# 示范登记表备案管理办法

第十八条　建设单位未依法备案登记表的，由县级环境保护主管部门责令备案，处五万元以下的罚款。

第二十二条　本办法自2017年1月1日起施行。

附:建设项目环境影响登记表

| 项目名称 |  | 建设单位 |  |
| --- | --- | --- | --- |
| 项目投资(万元) |  | 环保投资(万元) |  |

填 表 说 明

1.填表人应当仔细阅读本办法。
"""


def test_a_form_appended_after_the_last_article_is_a_part_of_its_own():
    pieces = chunk_legal(FILING_RULES)
    last = next(p for p in pieces if p.article == "第二十二条")
    assert last.text == "第二十二条\u3000本办法自2017年1月1日起施行。"
    appended = [p for p in pieces if p.article is None and p.section]
    assert appended and all(p.section == "附：建设项目环境影响登记表" for p in appended)
    assert "项目投资(万元)" in appended[0].text and "填表人" in appended[-1].text


def test_an_appendix_titled_on_the_next_line_takes_that_title():
    text = (
        "第十六条　本办法由环境保护部解释。\n\n第十七条　本办法自2011年5月1日起施行。\n\n"
        "附录：\n\n突发环境事件分级标准\n\n突发环境事件分为特别重大、重大、较大和一般四级。\n"
    )
    pieces = chunk_legal(text)
    assert pieces[-1].section == "附录：突发环境事件分级标准"
    assert pieces[-1].article is None
    assert "四级" not in next(p for p in pieces if p.article == "第十七条").text


def test_the_closing_provisions_are_no_appendix():
    text = (
        "第一条　为了规范管理，制定本办法。\n\n第二条　本办法适用于全国。\n\n"
        "## 第二章 附　　则\n\n第三条　本办法自公布之日起施行。\n"
    )
    pieces = chunk_legal(text)
    assert [p.article for p in pieces] == ["第一条", "第二条", "第三条"]
    assert pieces[-1].section == "第二章 附则"
