"""The search index: BM25, the faiss collection, the on-disk vector cache."""

from __future__ import annotations

import numpy as np

from knowledge.bm25 import BM25
from knowledge.index import Collection, VectorCache


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_faiss_collection_ranks_by_cosine_similarity():
    import faiss

    rng = np.random.default_rng(7)
    vectors = _unit(rng.normal(size=(200, 64)))
    index = faiss.IndexFlatIP(64)
    index.add(vectors)
    collection = Collection(
        prepared=[""] * 200, token_lists=[[]] * 200, bm25=BM25([[]] * 200), vectors=index
    )
    query = _unit(vectors[42:43] + 0.05 * rng.normal(size=(1, 64)))[0]
    scores = collection.dense_scores(query)
    assert int(np.argmax(scores)) == 42
    np.testing.assert_allclose(scores, vectors @ query, rtol=1e-5, atol=1e-5)


def test_bm25_prefers_documents_with_rare_matching_terms():
    bm25 = BM25([["排污", "许可"], ["排污", "台账"], ["排污"]])
    scores = bm25.scores(["台账", "排污"])
    assert int(np.argmax(scores)) == 1
    assert bm25.idf("台账") > bm25.idf("排污")
    assert bm25.idf("没见过") >= bm25.idf("台账")


def test_vector_cache_embeds_each_text_once_across_restarts(tmp_path):
    from tests.support.knowledge import CountingEmbedder

    embedder = CountingEmbedder(dim=32)
    first = VectorCache(tmp_path, embedder)
    a, new = first.vectors_for(["甲", "乙"])
    assert new == 2
    restarted = VectorCache(tmp_path, embedder)
    b, new = restarted.vectors_for(["乙", "甲", "丙"])
    assert new == 1 and embedder.texts == 3
    np.testing.assert_allclose(b[1], a[0])
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, rtol=1e-5)


def test_vector_cache_reuses_vectors_another_worker_wrote(tmp_path):
    from tests.support.knowledge import CountingEmbedder

    embedder = CountingEmbedder(dim=32)
    worker_a, worker_b = VectorCache(tmp_path, embedder), VectorCache(tmp_path, embedder)
    worker_b.vectors_for(["甲"])
    worker_a.vectors_for(["乙"])  # written after worker b loaded the file
    embedded = embedder.texts
    _, new = worker_b.vectors_for(["甲", "乙"])
    assert new == 0 and embedder.texts == embedded
