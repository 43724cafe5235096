"""Page numbers and running headers of a PDF's pages are not the document's text."""

from __future__ import annotations

import pytest

from knowledge.ingest import parse_document, read_document
from knowledge.page_furniture import (
    is_page_number,
    text_without_furniture,
    without_furniture,
    without_letter_spacing,
    without_spaced_numbers,
)


@pytest.mark.parametrize(
    "line",
    ["— 3 —", "- 3 -", "－3－", "3", "１２", "第 3 页", "第3页 共12页", "第 3 页，共 12 页",
     "共12页 第3页", "3 / 12", "Page 3", "page 3 of 12", "- iv -"],
)  # fmt: skip
def test_the_ways_a_page_number_is_printed(line):
    assert is_page_number(line)


@pytest.mark.parametrize(
    "line",
    ["第三条 排污许可证有效期为5年。", "2024年12月31日", "（三）", "1. 总则", "3.2 职责",
     "第三章 法律责任", "50万元", "HJ 942—2018"],
)  # fmt: skip
def test_text_that_only_starts_or_holds_a_number_is_no_page_number(line):
    assert not is_page_number(line)


SENTENCES = "甲乙丙丁戊己庚辛壬癸"


def _body(number: int) -> list[str]:
    """Two lines of text of their own on page ``number`` (no two pages alike)."""
    return [f"{SENTENCES[number]}页开头的正文，", f"{SENTENCES[number]}页末尾的正文，"]


def _pages(count: int, header: str | None, footer: str | None) -> list[str]:
    pages = []
    for number in range(1, count + 1):
        body = _body(number)
        lines = ([header.format(page=number)] if header else []) + body
        lines += [footer.format(page=number)] if footer else []
        pages.append("\n".join(lines))
    return pages


def test_a_footer_page_number_is_taken_off_every_page():
    pages = without_furniture(_pages(2, None, "— {page} —"))
    assert pages == ["\n".join(_body(1)), "\n".join(_body(2))]


def test_a_header_on_most_pages_is_taken_off_but_the_first_page_keeps_its_title():
    pages = without_furniture(_pages(4, "HJ 942—2018 排污许可证申请与核发技术规范", "{page}"))
    assert pages[0] == "\n".join(["HJ 942—2018 排污许可证申请与核发技术规范", *_body(1)])
    for number, page in enumerate(pages[1:], 2):
        assert page == "\n".join(_body(number))


def test_a_header_whose_number_changes_from_page_to_page_is_still_one_header():
    pages = without_furniture(_pages(4, "国务院公报 2019年第{page}号", None))
    assert all("公报" not in page for page in pages[1:])


def test_a_line_repeated_inside_the_pages_is_kept():
    body = "\n".join(
        ["开头一句，", "第二句，", "第三句，", "重复的一句。", "第五句，", "第六句，", "末尾一句。"]
    )
    pages = without_furniture([body] * 4)
    assert all("重复的一句。" in page for page in pages)


def test_a_line_on_the_edge_of_only_a_few_pages_is_kept():
    pages = _pages(6, None, None)
    pages[2] += "\n第三章 法律责任"
    assert "第三章 法律责任" in without_furniture(pages)[2]


def test_a_sentence_s_last_word_that_ends_several_pages_is_text_not_a_footer():
    pages = [
        "第十条 违反本办法规定的，处一万元以上十万元以下罚\n款。\n— 1 —",
        "第十一条 违反本办法规定的，处五千元以下罚\n款。\n— 2 —",
        "款。\n第十二条 本办法自公布之日起施行。\n— 3 —",
    ]
    assert [page.count("款。") for page in without_furniture(pages)] == [1, 1, 1]


def test_a_single_latin_letter_on_a_page_s_edge_is_text():
    pages = without_furniture(["甲\n— 1 —", "乙\n— 2 —", "C\n— 3 —"])
    assert pages == ["甲", "乙", "C"]


def test_a_text_copied_out_of_a_pdf_keeps_its_articles_apart():
    """Pasted into a .txt (or converted to .docx), the page numbers come along as lines."""
    text = (
        "示范排污许可管理办法\n第一条 为了规范排污许可管理，制定本办法。\n"
        "第二条 排污单位应当申请取得排污许可证。\n— 1 —\n"
        "第三条 排污许可证有效期为5年。\n第 2 页 共 3 页\n第四条 本办法自公布之日起施行。\n"
    )
    parsed = parse_document(text.encode(), "办法.txt")
    articles = {piece.article: piece.text for piece in parsed.pieces if piece.article}
    assert list(articles) == ["第一条", "第二条", "第三条", "第四条"]
    assert articles["第二条"] == "第二条\u3000排污单位应当申请取得排污许可证。"


def test_pages_pdftotext_separated_by_form_feeds_lose_their_furniture():
    pages = [f"{body}\n— {number} —" for number, body in enumerate(["甲。", "乙。", "丙。"], 1)]
    assert text_without_furniture("\f".join(pages)) == "甲。\f乙。\f丙。"


@pytest.mark.parametrize(
    ("extracted", "closed"),
    [
        ("第 一 条 \u3000 为 了 规 范 排 污", "第一条 \u3000 为了规范排污"),
        ("有 效 期 为 5 年 。", "有效期为5年。"),
        ("2 0 2 1 年 3 月 1 日 起 施 行", "2021年3月1日起施行"),
        ("第 三 章   法 律 责 任", "第三章 法律责任"),  # a wider gap stays a space
    ],
)
def test_spaced_out_type_is_closed_up(extracted, closed):
    assert without_letter_spacing(extracted) == closed


@pytest.mark.parametrize(
    "line",
    [
        "有效期为 5 年，PM2.5 限值见 GB 3095",
        "Hello world, this is English",
        "第 一 条",
        "HJ 942—2018",
    ],
)
def test_text_spaced_only_here_and_there_is_left_as_it_is(line):
    assert without_letter_spacing(line) == line


@pytest.mark.parametrize(
    ("published", "enacted"),
    [
        ("应当在本办法施行后的 6 个月内报送", "应当在本办法施行后的6个月内报送"),
        ("处 5 万元以上 10 万元以下的罚款", "处5万元以上10万元以下的罚款"),
        ("自 2011年 5月1日起施行", "自2011年5月1日起施行"),
        ("在每月 15 日前，报送上月信息", "在每月15日前，报送上月信息"),
        ("占比不低于 30% 。", "占比不低于30%。"),
    ],
)
def test_spaces_a_publisher_set_around_numbers_in_a_sentence_are_closed_up(published, enacted):
    assert without_spaced_numbers(published) == enacted


@pytest.mark.parametrize(
    "line",
    [
        "### 1.1 目的",  # a numbered heading of a technical specification
        "PM2.5 限值见 GB 3095",
        "符合 GB/T 38698.2 的规定",
        "第二十二条 25度以上的坡地",  # the space after an article's label
        "1.\t2023年12月\t省级生态环境部门",  # a row of the plan's measure table
        "四级。  1 特别重大",  # a list item after a full stop
    ],
)
def test_numbers_beside_latin_headings_labels_or_tabs_keep_their_spaces(line):
    assert without_spaced_numbers(line) == line


def test_a_document_is_read_with_its_numbers_closed_up():
    data = "第一条 企业应当在取得认证后的 6 个月内报送信息。\n".encode()
    text, _ = read_document(data, "办法.md")
    assert "取得认证后的6个月内报送" in text
