"""The query adapter: a question's vector mapped toward the articles that answer it
(``knowledge.query_adapter``)."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge import query_adapter, ranking, retrieval, service
from knowledge.embedder import USE_MULTILINGUAL
from knowledge.query_adapter import (
    AdapterExample,
    QueryAdapter,
    fit_adapter,
    load_adapter,
    save_adapter,
)
from tests.support.knowledge import air_law_table
from tests.support.shared import CORPUS_DIR, require_shared


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def _questions(count: int, seed: int):
    """Questions whose vector resembles a wrong candidate's more than the right one's, though the
    right one always lies along a fixed turn of the question (what a map can learn): a question
    and its answer are not alike, but alike in the same way across questions."""
    rng = np.random.default_rng(seed)
    size = 16
    turn = np.linalg.qr(np.random.default_rng(99).normal(size=(size, size)))[0]
    examples = []
    for _ in range(count):
        question = _unit(rng.normal(size=size))
        right = _unit(turn @ question + 0.1 * rng.normal(size=size))
        decoy = _unit(question + 0.3 * rng.normal(size=size))
        others = [_unit(rng.normal(size=size)) for _ in range(3)]
        windows = [decoy[None, :], right[None, :], *(o[None, :] for o in others)]
        examples.append(AdapterExample(question, windows, np.array([0.0, 1.0, 0.0, 0.0, 0.0])))
    return examples


def _right_first(adapter: QueryAdapter, examples: list[AdapterExample]) -> float:
    hits = []
    for e in examples:
        mapped = adapter.adapt(e.vector)
        scores = [float((rows @ mapped).max()) for rows in e.windows]
        hits.append(bool(e.right[int(np.argmax(scores))]))
    return float(np.mean(hits))


def test_the_fit_learns_how_questions_differ_from_their_answers_and_it_holds_for_new_ones():
    identity = QueryAdapter("test", np.eye(16, dtype=np.float32))
    fitted = fit_adapter(_questions(300, seed=0), "test", l2=0.01, temperature=0.2, steps=1000)
    unseen = _questions(100, seed=1)
    assert _right_first(identity, unseen) < 0.2  # the raw vectors pick the look-alike
    assert _right_first(fitted, unseen) > 0.9


def test_the_pull_toward_the_identity_keeps_the_map_near_it_when_there_is_little_to_learn():
    loose = fit_adapter(_questions(40, seed=2), "test", l2=0.01, steps=200)
    tight = fit_adapter(_questions(40, seed=2), "test", l2=100.0, steps=200)
    identity = np.eye(16)
    assert np.abs(tight.matrix - identity).sum() < np.abs(loose.matrix - identity).sum() / 2


def test_the_map_is_used_only_for_the_encoder_it_was_fitted_for(tmp_path):
    path = tmp_path / "adapter.npz"
    save_adapter(QueryAdapter(USE_MULTILINGUAL, np.eye(8, dtype=np.float32) * 2), path)
    assert load_adapter(USE_MULTILINGUAL, 8, path) is not None
    assert load_adapter("st:my-model", 8, path) is None  # an operator's own encoder
    assert load_adapter(USE_MULTILINGUAL, 16, path) is None
    assert load_adapter(USE_MULTILINGUAL, 8, tmp_path / "none.npz") is None
    query_adapter._load.cache_clear()


def test_the_shipped_map_is_fitted_for_the_bundled_encoder():
    adapter = load_adapter(USE_MULTILINGUAL, 512)
    assert adapter is not None
    # near the identity: the encoder's own similarity is kept, and corrected
    assert np.allclose(np.diag(adapter.matrix).mean(), 1.0, atol=0.2)


@pytest.fixture
def embedder(use_embedder):
    """The map was fitted for the bundled encoder: this module's index embeds with it."""
    return use_embedder


def test_the_ranking_model_reads_each_candidate_s_mapped_similarity(session, monkeypatch):
    require_shared()
    service.ingest_path(session, CORPUS_DIR / "大气污染防治法.md")
    index = service.current_index(session)
    vector = index.embed_query(index.prepare("锅炉冒黑烟要罚多少钱"))
    order = np.arange(10)
    mapped = retrieval._adapted_dense(index, vector, order)["adapted_dense_z"]
    assert mapped.shape == (10,)
    assert abs(mapped.mean()) < 1e-6 and abs(mapped.std() - 1) < 1e-3  # z-scores among them
    # … and it is not the encoder's own similarity under another name
    raw = index.passage_index.best_window_scores(vector, order)
    # a long article scores its best piece, as fusion reads it
    assert np.allclose(raw, index.passage_index.dense_best_and_first(vector)[0][order], atol=1e-5)
    raw = (raw - raw.mean()) / raw.std()
    assert not np.allclose(mapped, raw, atol=0.05)
    # without a map for this encoder the model reads the feature's mean: nothing is added
    monkeypatch.setattr(retrieval, "load_query_adapter", lambda name, dim: None)
    assert retrieval._adapted_dense(index, vector, order) == {}


def test_with_the_bundled_encoder_the_shipped_ranking_model_finds_every_feature_it_reads(session):
    table = air_law_table(session)
    shipped = ranking.load_model()
    assert "adapted_dense_z" in shipped.features
    assert set(shipped.features) <= set(table)
