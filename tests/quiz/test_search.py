"""The bank search takes % and _ literally (finding 17a)."""

from __future__ import annotations

import pytest

from quiz import bank as question_bank
from quiz import importer

BANK = (
    "题型,题干,选项A,选项B,选项C,选项D,答案,难度\n"
    "单选,排污许可证有效期为几年？,3年,5年,,,B,2\n"
    "单选,达标率应达到100%的是哪项？,甲,乙,,,A,2\n"
    "单选,编号格式为 A_B 的是哪类文件？,甲,乙,,,A,2\n"
)


@pytest.fixture
def bank(session):
    report = importer.import_questions(session, BANK.encode(), filename="bank.csv")
    assert report.created == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", ["达标率应达到100%的是哪项？"]),
        ("_", ["编号格式为 A_B 的是哪类文件？"]),
        ("有效期", ["排污许可证有效期为几年？"]),
    ],
)
def test_bank_search_matches_wildcards_literally(session, bank, query, expected):
    result = question_bank.list_questions(session, query=query)
    assert [q.stem for q in result.items] == expected


def test_bank_api_search_with_percent(client, bank, make_user, auth_headers):
    admin = auth_headers(make_user("national"))
    body = client.get("/api/quiz/questions", params={"q": "%"}, headers=admin).json()
    assert [item["stem"] for item in body["items"]] == ["达标率应达到100%的是哪项？"]
