"""Refusal floors of ``knowledge.retrieval`` that stand above the fitted model."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from knowledge import service
from knowledge.embedder import HASHING, USE_MULTILINGUAL, UseEmbedder
from knowledge.retrieval import DENSE_FLOOR, _shares_almost_nothing
from tests.support.shared import CORPUS_DIR, require_shared


def _index(embedder_name: str | None):
    return SimpleNamespace(embedder=SimpleNamespace(name=embedder_name) if embedder_name else None)


FAR_AND_THIN = {"coverage3": 0.12, "lexical": 0.06, "dense_max": 0.2}


def test_a_question_far_in_meaning_and_thinly_covered_shares_almost_nothing():
    assert _shares_almost_nothing(_index(USE_MULTILINGUAL), FAR_AND_THIN)


@pytest.mark.parametrize(
    "change",
    [
        {"dense_max": DENSE_FLOOR[USE_MULTILINGUAL] + 0.05},  # near in meaning
        {"coverage3": 0.4},  # its words are covered
    ],
)
def test_either_closeness_keeps_the_question_to_the_model(change):
    assert not _shares_almost_nothing(_index(USE_MULTILINGUAL), {**FAR_AND_THIN, **change})


@pytest.mark.parametrize("embedder_name", [HASHING, "st:bge-small-zh-v1.5", None])
def test_the_cosine_floor_applies_only_to_the_embedder_it_was_measured_on(embedder_name):
    # another model's cosines sit on another scale; without vectors there is no cosine at all
    assert not _shares_almost_nothing(_index(embedder_name), FAR_AND_THIN)


@pytest.fixture(scope="module")
def use_embedder():
    return UseEmbedder()


@pytest.fixture
def embedder(use_embedder):
    """This module's index embeds with the bundled USE model: its floor is what is tested."""
    return use_embedder


@pytest.mark.slow
def test_the_floor_lies_between_everyday_questions_and_colloquial_ones_about_the_law(
    use_embedder,
):
    require_shared()
    law = (CORPUS_DIR / "固体废物污染环境防治法.md").read_text(encoding="utf-8")
    articles = [line for line in law.splitlines() if line.startswith("第")]
    passages = use_embedder.encode(articles)

    def nearest(question: str) -> float:
        return float((passages @ use_embedder.encode([question])[0]).max())

    floor = DENSE_FLOOR[USE_MULTILINGUAL]
    assert nearest("年假没修完能不能折算成工资") < floor
    assert nearest("房贷提前还款到底划不划算") < floor
    assert nearest("车间的边角料废料能不能直接扔进生活垃圾桶") > floor
    assert nearest("危废能不能交给没有危废经营许可证的公司处理") > floor


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("年假没修完能不能折算成工资", False),
        ("五一想去三亚玩，住哪个片区的酒店比较方便？", False),
        ("危废能不能交给没有危废经营许可证的公司处理", True),
    ],
)
def test_an_everyday_question_is_refused_beside_a_law_it_has_nothing_to_do_with(
    session, question, answered
):
    require_shared()
    service.ingest_path(session, CORPUS_DIR / "固体废物污染环境防治法.md")
    found = service.preview_answer(session, question=question)
    assert found.answered is answered
