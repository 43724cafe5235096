"""Telegram HTML: escaping, citations, and splitting long replies at word and tag boundaries."""

from __future__ import annotations

import re

from bot.formatting import answer_html, escape, split_html, utf16_len


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_escape_handles_the_three_html_characters():
    assert escape("a < b && c > d") == "a &lt; b &amp;&amp; c &gt; d"


def test_answer_cites_document_section_measure_deadline_and_departments():
    html = answer_html(
        answer="三年内实现全覆盖。",
        answered=True,
        sources=[
            {
                "title": "排污许可提质增效行动计划",
                "section": "四、做好支撑保障 > （十）构建多层次交流培训体系",
                "measure": 33,
                "deadline": "2024年12月",
                "departments": "生态环境部、省级生态环境部门",
                "text": "…",
                "score": 0.9,
            }
        ],
    )
    assert "三年内实现全覆盖。" in html
    citation = html.split("依据", 1)[1]
    for part in (
        "《排污许可提质增效行动计划》",
        "（十）构建多层次交流培训体系",
        "措施33",
        "完成时限：2024年12月",
        "责任部门：生态环境部、省级生态环境部门",
    ):
        assert part in citation


def test_refusal_shows_no_citation_but_announces_suggestions():
    html = answer_html(
        answer="知识库中没有确定的答案。",
        answered=False,
        sources=[{"title": "行动计划", "section": "x", "measure": 1}],
        suggestions=["问题一"],
    )
    assert "依据" not in html and "您是不是想问" in html


def test_content_from_documents_is_escaped_in_the_answer():
    html = answer_html(
        answer="限值 <50 mg/m³ & 达标",
        answered=True,
        sources=[{"title": "标准<附录>", "section": None, "measure": None}],
    )
    assert "限值 &lt;50 mg/m³ &amp; 达标" in html
    assert "《标准&lt;附录&gt;》" in html
    assert "<50" not in html


def test_short_text_is_one_message():
    assert split_html("<b>你好</b>") == ["<b>你好</b>"]


def test_long_chinese_text_splits_at_sentence_ends_within_the_limit():
    sentence = "审核人员到厂核对排放口和治理设施，当天把核对结果记入审核意见。"
    text = sentence * 300
    parts = split_html(text)
    assert len(parts) > 1
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert all(p.endswith("。") for p in parts)
    assert "".join(parts) == text


def test_split_never_cuts_an_english_word_or_an_entity():
    text = " ".join(["permit"] * 900) + " " + "&amp;" * 900
    parts = split_html(text, limit=1000)
    assert all(utf16_len(p) <= 1000 for p in parts)
    words = " ".join(parts).replace("&amp;", " ").split()
    assert set(words) == {"permit"}
    assert "".join(parts).count("&amp;") == 900
    assert all(not re.search(r"&[a-z]*$", p) for p in parts)


def test_split_closes_and_reopens_tags_across_parts():
    text = "<b>" + "很长的加粗内容，" * 400 + "</b>结尾。"
    parts = split_html(text, limit=1000)
    assert len(parts) >= 3
    for part in parts:
        assert part.count("<b>") == part.count("</b>")
        assert not re.search(r"<[^>]*$", part)
    assert visible("".join(parts)) == visible(text)


def test_emoji_count_twice_towards_the_limit():
    parts = split_html("👍" * 3000)
    assert all(utf16_len(p) <= 4096 for p in parts) and len(parts) == 2


def test_a_word_longer_than_the_limit_is_cut_hard_but_tags_stay_balanced():
    text = "<b>" + "x" * 50 + "</b>" + "y" * 50
    parts = split_html(text, limit=30)
    assert all(utf16_len(p) <= 30 for p in parts)
    assert all(p.count("<b>") == p.count("</b>") for p in parts)
    assert visible("".join(parts)) == "x" * 50 + "y" * 50
