"""The ranking models: the last order of a legal text's best articles, and of the plan's best
passages (``knowledge.ranking``)."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge import ranking, retrieval, service
from knowledge.ranking import RankingModel, fit
from tests.support.knowledge import air_law_table
from tests.support.shared import CORPUS_DIR, require_shared


def _model(articles: bool = True, **weights: float) -> RankingModel:
    names = tuple(weights)
    return RankingModel(
        names,
        np.zeros(len(names)),
        np.ones(len(names)),
        np.array(list(weights.values())),
        articles,
    )


def _table(articles: list[float], settled: bool = False, **features) -> dict[str, np.ndarray]:
    return {
        "article": np.array(articles),
        "settled": np.array([float(settled)]),
        **{k: np.array(v) for k, v in features.items()},
    }


def test_articles_change_places_among_themselves_and_what_is_no_article_keeps_its_score():
    model = _model(answer_shape=2.0)
    lift = model.lift(_table([1, 0, 1], answer_shape=[0.0, 1.0, 1.0]))
    # the article with the answer's shape rises past the other; as a group they stay put
    assert lift.tolist() == [-1.0, 0.0, 1.0]


def test_nothing_moves_once_a_rule_has_recognised_the_kind_of_question():
    model = _model(answer_shape=2.0)
    table = _table([1, 1, 1], settled=True, answer_shape=[0.0, 1.0, 1.0])
    assert model.lift(table).tolist() == [0.0, 0.0, 0.0]


def test_nothing_moves_when_the_best_candidate_is_no_article():
    # a question the plan's measures answer best keeps their order
    model = _model(answer_shape=2.0)
    assert model.lift(_table([0, 1, 1], answer_shape=[0.0, 1.0, 1.0])).tolist() == [0.0, 0.0, 0.0]


def test_the_plan_s_passages_change_places_within_theirs_and_an_article_keeps_its_place():
    model = _model(articles=False, answer_shape=2.0)
    fused = [3.0, 2.5, 2.0, 1.0]
    table = _table([0, 1, 0, 0], fused=fused, answer_shape=[0.0, 0.0, 1.0, 0.0])
    reordered = np.array(fused) + model.lift(table)
    # the measure with the answer's shape takes the first place; the article stays second
    assert reordered.tolist() == [2.0, 2.5, 3.0, 1.0]


def test_the_plan_s_model_leaves_a_list_led_by_an_article_alone():
    model = _model(articles=False, answer_shape=2.0)
    table = _table([1, 0, 0], fused=[3.0, 2.0, 1.0], answer_shape=[0.0, 0.0, 1.0])
    assert model.lift(table).tolist() == [0.0, 0.0, 0.0]


def test_the_plan_s_model_is_stored_as_moving_what_is_no_article():
    model = _model(articles=False, answer_shape=2.0)
    stored = model.to_json()
    assert stored["moves"] == "other passages"
    assert RankingModel.from_json(stored).articles is False
    assert RankingModel.from_json(_model(answer_shape=1.0).to_json()).articles is True


def test_a_feature_the_table_lacks_counts_as_its_mean():
    model = RankingModel(("coverage",), np.array([0.5]), np.array([0.1]), np.array([3.0]))
    assert model.lift(_table([1, 1])).tolist() == [0.0, 0.0]


def _lists(count: int, seed: int = 0):
    """Questions whose right candidate stands second or third by fused score and alone has the
    shape of the answer asked for; the others' shapes are noise-free zeros."""
    rng = np.random.default_rng(seed)
    lists = []
    for _ in range(count):
        fused = np.sort(rng.normal(size=6))[::-1].copy()
        right = np.zeros(6)
        right[rng.integers(1, 3)] = 1.0
        table = _table([1.0] * 6, answer_shape=right.copy(), log_length=rng.normal(size=6))
        lists.append((table, fused, right))
    return lists


def test_the_fit_learns_what_marks_the_right_candidate_and_puts_it_first():
    model = fit(_lists(200), ("answer_shape", "log_length"), l2=1.0)
    weights = dict(zip(model.features, model.weights, strict=True))
    assert weights["answer_shape"] > 1.0
    assert abs(weights["log_length"]) < weights["answer_shape"] / 5
    for table, fused, right in _lists(50, seed=1):
        assert np.argmax(fused + model.lift(table)) == np.argmax(right)


def test_the_fit_skips_questions_it_would_never_move():
    lists = _lists(40)
    unmoved = [(_table([0.0] * 6, answer_shape=[0, 1, 0, 0, 0, 0], log_length=[0] * 6),
                np.zeros(6), np.array([1.0, 0, 0, 0, 0, 0]))] * 40  # fmt: skip
    with_unmoved = fit(lists + unmoved, ("answer_shape", "log_length"), l2=1.0)
    alone = fit(lists, ("answer_shape", "log_length"), l2=1.0)
    assert np.allclose(with_unmoved.weights, alone.weights)


def test_the_plan_s_fit_learns_from_lists_led_by_no_article_only():
    lists = [
        (_table([0.0] * 6, **{k: v for k, v in t.items() if k not in ("article", "settled")}),
         fused, right)
        for t, fused, right in _lists(40)
    ]  # fmt: skip
    led_by_articles = _lists(40, seed=2)
    plan_s = fit(lists + led_by_articles, ("answer_shape", "log_length"), l2=1.0, articles=False)
    alone = fit(lists, ("answer_shape", "log_length"), l2=1.0, articles=False)
    assert plan_s.articles is False
    assert np.allclose(plan_s.weights, alone.weights)
    assert dict(zip(plan_s.features, plan_s.weights, strict=True))["answer_shape"] > 1.0


def test_the_shipped_model_reads_only_features_retrieval_computes(session):
    table = air_law_table(session)
    shipped = ranking.load_model()
    # the mapped similarity is read only with the encoder the map was fitted for, not this
    # module's hashing one (tests/knowledge/test_query_adapter.py asks it with that encoder)
    read = set(shipped.features) - {"adapted_dense_z"}
    assert shipped.features and read <= set(table)
    assert all(np.isfinite(table[name]).all() for name in read)


@pytest.mark.slow
def test_the_short_article_that_answers_outranks_a_long_one_holding_the_same_words(session):
    # 第一百一十五条 (the penalties for building sites) names 裸露地面 and 覆盖 among a long list;
    # 第六十九条 says what to do with bare earth left unbuilt for over three months
    require_shared()
    for law in ("大气污染防治法", "水污染防治法", "环境影响评价法", "固体废物污染环境防治法"):
        service.ingest_path(session, CORPUS_DIR / f"{law}.md")
    answer = service.preview_answer(session, question="工地裸土超过三个月不开工怎么办")
    assert answer.answered
    assert answer.sources[0].article == "第六十九条"


def test_whether_to_answer_is_decided_before_the_ranking_model_moves_anything(session, monkeypatch):
    require_shared()
    service.ingest_path(session, CORPUS_DIR / "大气污染防治法.md")
    index = service.current_index(session)
    question = "工地裸土超过三个月不开工怎么办"
    shipped = retrieval.retrieve(index, question)
    # a model that turns the order upside down: the best article by fused score falls last
    upside_down = _model(reciprocal_rank=-100.0)
    monkeypatch.setattr(retrieval, "load_ranking_model", lambda: upside_down)
    turned = retrieval.retrieve(index, question)
    assert turned.confidence == shipped.confidence
    assert turned.features == shipped.features
    order, _ = turned.reordered
    assert turned.hits[0].number != order[0]


def test_the_plan_s_model_moves_nothing_under_an_encoder_it_was_not_fitted_on(session, plan):
    # this module's index embeds with the hashing encoder; the plan's model leans on USE's
    # similarities
    assert ranking.load_policy_model().encoder == "use-multilingual"
    found = retrieval.retrieve(service.current_index(session), "专家团队起啥作用")
    assert found.hits[0].passage.article is None
    assert found.reordered is None
