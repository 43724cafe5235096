"""Links from everyday question words to the words of rules, learned from questions
(``knowledge.term_links``)."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge import retrieval, service
from knowledge.term_links import Example, TermLinks, learn, load_links
from tests.support.shared import CORPUS_DIR, require_shared

# passages the words are counted over: 关闭 is rare, 规定 is everywhere
PASSAGES = [
    frozenset({"关闭", "设施", "规定"}),
    frozenset({"规定", "设施"}),
    frozenset({"规定", "罚款"}),
    frozenset({"规定", "排放"}),
    frozenset({"规定"}),
    frozenset({"规定"}),
]


def _asked(set_name: str, question: set[str], answer: set[str]) -> Example:
    return Example(set_name, frozenset(question), frozenset(answer))


def test_a_link_is_kept_when_questions_about_several_rules_show_it():
    examples = [_asked(f"rule{i}", {"关掉", "工厂"}, {"关闭", "规定"}) for i in range(3)]
    links = learn(examples, PASSAGES)
    assert links.links["关掉"]["关闭"] > 0
    # 规定 is in nearly every passage: finding it in the answer tells nothing
    assert "规定" not in links.links["关掉"]


def test_the_vocabulary_of_one_rule_is_no_link_however_often_it_is_asked():
    examples = [_asked("rule1", {"关掉"}, {"关闭"}) for _ in range(10)]
    examples += [_asked("rule2", {"关掉"}, {"关闭"}), _asked("rule2", {"关掉"}, {"关闭"})]
    assert learn(examples, PASSAGES).links == {}


def test_article_numbers_and_the_words_a_question_already_shares_are_no_links():
    examples = [
        _asked(f"rule{i}", {"关掉", "设施"}, {"第四十六条", "关闭", "设施"}) for i in range(3)
    ]
    links = learn(examples, PASSAGES).links
    # 设施 is the answer's word already: no bridge needed from it
    assert set(links) == {"关掉"}
    assert "关闭" in links["关掉"] and "第四十六条" not in links["关掉"]


def test_reach_is_the_strongest_link_of_each_question_word_the_passage_lacks():
    links = TermLinks({"关掉": {"关闭": 2.0, "设施": 0.5}, "工厂": {"单位": 1.0}})
    question = ["关掉", "工厂", "吗", "处置场"]
    assert links.reach(question, frozenset({"关闭", "设施"})) == pytest.approx(2.0 / 4)
    # a word the passage holds itself is BM25's to count, not a link's
    assert links.reach(question, frozenset({"关掉", "关闭", "单位"})) == pytest.approx(1.0 / 4)
    assert links.reach(question, frozenset({"规定"})) == 0.0


def test_reach_over_numbered_words_is_the_reach_of_each_passage():
    links = TermLinks({"关掉": {"关闭": 2.0, "设施": 0.5, "注销": 1.5}, "工厂": {"单位": 1.0}})
    question = ["关掉", "工厂", "吗", "关掉"]
    passages = [
        frozenset({"关闭", "设施"}),
        frozenset({"关掉", "关闭", "单位"}),
        frozenset({"规定"}),
        frozenset(),
        frozenset({"设施", "单位"}),
    ]
    vocabulary = {w: n for n, w in enumerate(sorted(set().union(*passages)))}
    rows = [np.array([vocabulary[w] for w in sorted(p)], dtype=np.int64) for p in passages]
    numbered: dict = {}
    for _ in range(2):  # the second time from the words' links numbered the first time
        reaches = links.reach_numbered(question, vocabulary, rows, numbered)
        assert reaches == pytest.approx(links.reach_each(question, passages))
    assert set(numbered) == {"关掉", "工厂"}
    assert list(reaches) == pytest.approx([4.0 / 4, 1.0 / 4, 0.0, 0.0, 2.0 / 4])


def test_the_shipped_links_bridge_everyday_words_to_the_wording_of_rules():
    links = load_links().links
    assert "施行" in links["啥时候"]
    assert "关闭" in links["关掉"]
    assert "之日起" in links["多久"]


def test_a_link_lifts_the_article_that_answers_in_other_words(session, monkeypatch):
    # 第一百一十九条 fines 露天焚烧秸秆 (罚款, not 罚多少); 第七十七条 forbids the burning and
    # shares more of the question's words
    require_shared()
    service.ingest_path(session, CORPUS_DIR / "大气污染防治法.md")
    question = "焚烧秸秆被抓到罚多少"
    answer = service.preview_answer(session, question=question)
    assert answer.answered
    assert answer.sources[0].article == "第一百一十九条"

    monkeypatch.setattr(retrieval, "load_term_links", lambda: TermLinks({}))
    without = service.explain(session, question=question)["hits"]
    assert without[0].text.startswith("第七十七条")


def test_the_refusal_model_trusts_a_passage_that_reaches_the_question_s_words(session, monkeypatch):
    # the fine reaches 罚多少 by the links (罚款, 万元): without them the same passage covers less
    # of the question than most answers do, and the model is less sure of it
    require_shared()
    service.ingest_path(session, CORPUS_DIR / "大气污染防治法.md")
    question = "焚烧秸秆被抓到罚多少"
    index = service.current_index(session)
    bridged = retrieval.retrieve(index, question)
    assert bridged.features["term_links"] > 0

    monkeypatch.setattr(retrieval, "load_term_links", lambda: TermLinks({}))
    unbridged = retrieval.retrieve(index, question)
    assert unbridged.judged == bridged.judged
    assert unbridged.features["term_links"] == 0
    assert unbridged.confidence < bridged.confidence
