"""FAQ and synonym searches take % and _ literally (finding 17a)."""

from __future__ import annotations

import pytest

from core.regions.scope import NATIONAL
from knowledge import curation, service
from knowledge.schemas import FaqCreate


@pytest.fixture
def faqs(session):
    for question, answer in [
        ("排污许可证有效期几年？", "五年。"),
        ("达标率要求是多少？", "应达到100%。"),
        ("许可证编号是什么格式？", "形如 A_B 的编号。"),
    ]:
        service.create_faq(session, data=FaqCreate(question=question, answer=answer))
    curation.add_synonym(session, scope=NATIONAL, term="检索测试词", canonical="检索测试规范词")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", ["达标率要求是多少？"]),
        ("_", ["许可证编号是什么格式？"]),
        ("有效期", ["排污许可证有效期几年？"]),
    ],
)
def test_faq_search_in_the_service_and_the_curation_list(session, faqs, query, expected):
    entries, total = service.list_faqs(session, query=query)
    assert [e.question for e in entries] == expected and total == len(expected)
    assert [
        e.question for e in curation.list_faqs(session, scope=NATIONAL, query=query).items
    ] == expected


def test_synonym_search_with_wildcards(session, faqs):
    assert curation.list_synonyms(session, query="%") == []
    assert curation.list_synonyms(session, query="_") == []
    assert [s.term for s in curation.list_synonyms(session, query="检索测试")] == ["检索测试词"]
