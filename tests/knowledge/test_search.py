"""FAQ and synonym searches take % and _ literally (finding 17a)."""

from __future__ import annotations

import pytest

from core.regions.scope import NATIONAL
from knowledge import faq


@pytest.fixture
def faqs(session):
    for question, answer in [
        ("排污许可证有效期几年？", "五年。"),
        ("达标率要求是多少？", "应达到100%。"),
        ("许可证编号是什么格式？", "形如 A_B 的编号。"),
    ]:
        faq.create_faq(session, scope=NATIONAL, question=question, answer=answer)
    faq.add_synonym(session, scope=NATIONAL, term="检索测试词", canonical="检索测试规范词")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", ["达标率要求是多少？"]),
        ("_", ["许可证编号是什么格式？"]),
        ("有效期", ["排污许可证有效期几年？"]),
    ],
)
def test_faq_search_takes_wildcards_literally(session, faqs, query, expected):
    found = faq.list_faqs(session, scope=NATIONAL, query=query)
    assert [e.question for e in found.items] == expected and found.total == len(expected)


def test_synonym_search_with_wildcards(session, faqs):
    assert faq.list_synonyms(session, query="%") == []
    assert faq.list_synonyms(session, query="_") == []
    assert [s.term for s in faq.list_synonyms(session, query="检索测试")] == ["检索测试词"]
