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


def test_long_passage_is_read_in_windows_and_scores_its_best():
    import faiss

    from knowledge.index import DENSE_CHARS, dense_texts_for

    short = dense_texts_for("第七章 法律责任", "第九十九条　违反本法规定的，处罚款。")
    assert short == ["第七章 法律责任。第九十九条　违反本法规定的，处罚款。"]
    text = "".join(f"（{i}）第{i}项违法行为的描述文字，" * 3 for i in range(40))
    pieces = dense_texts_for("第七章 法律责任", text)
    assert len(pieces) > 2 and all(len(p) <= DENSE_CHARS for p in pieces)
    assert all(p.startswith("第七章 法律责任。") for p in pieces)
    assert text[-20:] in pieces[-1]  # the end of the article is read too

    vectors = _unit(np.eye(4, dtype=np.float32))
    index = faiss.IndexFlatIP(4)
    index.add(vectors)
    # item 0 has one vector, item 1 three (its second window is the best match)
    collection = Collection(
        prepared=["", ""],
        token_lists=[[], []],
        bm25=BM25([[], []]),
        vectors=index,
        starts=np.array([0, 1]),
    )
    scores = collection.dense_scores(vectors[2])
    np.testing.assert_allclose(scores, [0.0, 1.0], atol=1e-6)


def test_items_containing_a_text_are_found_in_one_pass_over_them_all():
    from knowledge.index import Collection

    items = ["排污许可证有效期为5年", "重点排污单位", "", "排污口设置", "无关内容"]
    collection = Collection(prepared=items, token_lists=[], bm25=None, vectors=None)
    assert collection.containing("排污") == [0, 1, 3]
    assert collection.containing("有效期") == [0]
    assert collection.containing("罚款") == []
    # a text never spans two items
    assert collection.containing("单位排污") == []
    for word in ("排污", "许可", "口", "内容"):
        assert collection.containing(word) == [i for i, t in enumerate(items) if word in t]


def test_a_document_is_known_by_the_short_names_people_use():
    from knowledge.index import title_aliases
    from knowledge.normalize import SynonymMap

    synonyms = SynonymMap({"固废": "固体废物"})
    assert "环保法" in title_aliases("中华人民共和国环境保护法", synonyms)
    assert "建设项目环保条例" in title_aliases("建设项目环境保护管理条例", synonyms)
    assert "大气法" in title_aliases("中华人民共和国大气污染防治法", synonyms)
    assert "固体废物法" in title_aliases("中华人民共和国固体废物污染环境防治法", synonyms)


def test_a_quoted_piece_is_folded_and_prepared_once_per_snapshot():
    from knowledge.index import Collection, KnowledgeIndex
    from knowledge.normalize import SynonymMap, normalize_text, prepare

    synonyms = SynonymMap({"法人": "法定代表人"})
    empty = Collection(prepared=[], token_lists=[], bm25=None, vectors=None)
    index = KnowledgeIndex("t", 1, synonyms, [], empty, [], empty, {}, None)
    piece = "法人培训，三年內實現全覆蓋。"
    forms = index.forms_of_piece(piece)
    assert forms == (
        normalize_text(piece).replace(" ", ""),
        prepare(piece, synonyms).replace(" ", ""),
    )
    assert "法定代表人" in forms[1] and "实现" in forms[0]
    assert index.forms_of_piece(piece) is forms  # kept, not worked out again
