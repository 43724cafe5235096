"""A learned linear map of a question's vector toward the vectors of the articles that answer it.

The bundled encoder was trained on general text, where similar sentences have similar vectors;
a question and the article that answers it are not similar sentences ("没联单能装车拉走不？"
against "运输危险废物的，应当……运行危险废物电子转移联单"). Among the ten best passages of our
rule-by-rule tuning lists (as long as the lists were when the map came in), the right article has
the closest vector for 0.51 of the questions; after the question's vector is mapped by a matrix
learned from other rules' questions (five folds of sets, so every figure is for rules the map
never saw) for 0.64.

The map is ``I + Δ`` (512×512), fitted listwise — a softmax over the candidates' best-window
similarities, as ``knowledge.ranking`` is — with an L2 pull toward the identity, by
``bench/fit_ranking.py``, and stored in ``knowledge/data/query_adapter.npz`` with the name of
the encoder it was fitted for: an operator's own encoder has other vectors, and for it the map
is not used. Only the ranking model reads the mapped similarity (``adapted_dense_z``); fusion,
the FAQ match and the refusal model read the encoder's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ADAPTER_PATH = Path(__file__).parent / "data" / "query_adapter.npz"
# windows of a long article the fit reads (most articles have one to three)
FIT_WINDOWS = 8


@dataclass(frozen=True)
class QueryAdapter:
    """``matrix`` @ question vector, for vectors of the encoder named ``encoder``."""

    encoder: str
    matrix: np.ndarray

    def adapt(self, vector: np.ndarray) -> np.ndarray:
        return self.matrix @ np.asarray(vector, dtype=np.float32)


@dataclass
class AdapterExample:
    """One question of the fit: its vector, its candidates' window vectors, which are right."""

    vector: np.ndarray
    windows: list[np.ndarray]
    right: np.ndarray


@lru_cache(maxsize=1)
def _load(path: Path) -> QueryAdapter | None:
    if not path.exists():
        return None
    with np.load(path) as data:
        return QueryAdapter(str(data["encoder"]), data["matrix"].astype(np.float32))


def load_adapter(encoder: str, dimension: int, path: Path = ADAPTER_PATH) -> QueryAdapter | None:
    """The shipped map, if it was fitted for this encoder's vectors."""
    adapter = _load(path)
    if adapter is None or adapter.encoder != encoder or adapter.matrix.shape[1] != dimension:
        return None
    return adapter


def save_adapter(adapter: QueryAdapter, path: Path = ADAPTER_PATH) -> None:
    # half precision: the map's entries need three digits, and the file stays at 0.5 MB
    np.savez_compressed(path, encoder=adapter.encoder, matrix=adapter.matrix.astype(np.float16))
    _load.cache_clear()


def _pack(examples: list[AdapterExample]):
    size = len(examples[0].vector)
    count = max(len(e.windows) for e in examples)
    vectors = np.stack([e.vector for e in examples]).astype(np.float32)
    windows = np.zeros((len(examples), count, FIT_WINDOWS, size), np.float32)
    padding = np.full((len(examples), count, FIT_WINDOWS), -1e9, np.float32)
    right = np.zeros((len(examples), count), np.float32)
    present = np.zeros((len(examples), count), bool)
    for a, example in enumerate(examples):
        for c, rows in enumerate(example.windows):
            rows = rows[:FIT_WINDOWS]
            windows[a, c, : len(rows)] = rows
            padding[a, c, : len(rows)] = 0.0
            present[a, c] = True
        right[a, : len(example.right)] = example.right
    return vectors, windows, padding, right, present


def _window_scores(matrix, vectors, windows, padding) -> np.ndarray:
    mapped = vectors @ matrix.T
    n, c, w, d = windows.shape
    flat = np.matmul(windows.reshape(n, c * w, d), mapped[:, :, None])[..., 0]
    return flat.reshape(n, c, w) + padding


def fit_adapter(
    examples: list[AdapterExample],
    encoder: str,
    l2: float = 0.1,
    temperature: float = 0.05,
    steps: int = 400,
) -> QueryAdapter:
    """Fit ``I + Δ`` by Adam on the listwise softmax loss over each question's candidates (the
    best window of each), with ``l2`` × 100 / n × ‖Δ‖² pulling toward the identity."""
    examples = [e for e in examples if e.right.any()]
    vectors, windows, padding, right, present = _pack(examples)
    target = right / right.sum(axis=1, keepdims=True)
    n, size = len(examples), vectors.shape[1]
    identity = np.eye(size, dtype=np.float32)
    matrix, first, second = identity.copy(), np.zeros_like(identity), np.zeros_like(identity)
    rows, columns = np.arange(n)[:, None], np.arange(windows.shape[1])[None, :]
    for step in range(1, steps + 1):
        scores = _window_scores(matrix, vectors, windows, padding)
        best = scores.argmax(axis=2)
        logits = np.take_along_axis(scores, best[..., None], 2)[..., 0] / temperature
        logits = np.where(present, logits, -1e9)
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        pull = (p - target) / temperature / n
        toward = np.einsum("lc,lcd->ld", pull, windows[rows, columns, best])
        gradient = toward.T @ vectors + 2 * l2 * 100 / n * (matrix - identity)
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient * gradient
        matrix -= 2e-3 * (first / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
    return QueryAdapter(encoder, matrix)


def standardised(scores: np.ndarray) -> np.ndarray:
    """Scores as z-scores among the candidates (what the ranking model reads)."""
    return (scores - scores.mean()) / (scores.std() + 1e-6)
