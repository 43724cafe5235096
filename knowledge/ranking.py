"""The last word on the order of a legal text's best articles: a small learned correction.

The ranking steps of ``knowledge.retrieval`` were each weighed by hand, one defect at a time. Over
many rules the misses they leave are mostly a sibling article of the right one: a long article
holds more of the question's words and its best window of text is likelier to resemble the
question, so it outranks the short article that answers (生态环境部行政复议办法 第四十一条 on
履行 over 第十五条 "六十日内提出行政复议申请"). No single rule mends that without losing
elsewhere, so the twenty best passages by fused score are ordered once more by a linear model of
what retrieval already measured of each — its BM25 and dense standing, how much of the question
it covers, its length, its chapter, whether it has the shape of the answer asked for, what each
ranking step added, how far it reaches the question's everyday words by links learned from
questions (``knowledge.term_links``: 关掉 → 关闭), how close its vector is to the question's once
that is mapped toward answering articles (``knowledge.query_adapter``) — fitted listwise
(softmax over the twenty) on the rule-by-rule tuning sets, with the fused score as a fixed offset:
the model only says how far to move a passage from where the steps put it.

Only articles of legal texts move, and only when the best passage is one: the fit saw questions
about rules, whose right passage is always an article, so it would lift articles over the plan's
measures for a question about the plan. The articles change places among themselves (their lifts
are centred), nothing moves once a rule of ``knowledge.retrieval`` has recognised the kind of
question (a definition, the scope, entry into force …), and whether to answer at all is decided
before, on the order the refusal model was fitted with.

A text without articles (the action plan: its measures and its paragraphs) has a model of its
own, of the same shape and the same features, fitted on the questions about the plan: when the
best passage is no article, the passages that are no article change places among themselves
within the places they hold, and the articles keep theirs. Fused order put a long paragraph first
where a measure answers (二（三）深化排污许可证质量复核 for 厅长培训班) and the reverse; the fit
weighs BM25 and the share of the question covered up and the dense similarity down (session 45:
bm25_z +0.24, coverage +0.30, dense_z −0.50).

The weights live in ``knowledge/data/ranking_model.json`` and
``knowledge/data/policy_ranking_model.json``; ``bench/fit_ranking.py`` and
``bench/fit_policy_ranking.py`` fit them and report cross-validated figures (folds hold out whole
sets).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).parent / "data" / "ranking_model.json"
POLICY_MODEL_PATH = Path(__file__).parent / "data" / "policy_ranking_model.json"
# How many of the best passages (by fused score) the model reorders. Twenty, not ten: the right
# article is among the best ten for 0.977 of the tuning lists and among the best twenty for 0.990,
# and the wider list lets the model reach a few more without pushing others out (cross-validated
# right first 0.840 / 0.845 / 0.846 / 0.848, within three 0.950 / 0.954 / 0.956 / 0.958, for
# 10 / 15 / 20 / 30 candidates). Ten more cost 0.35–0.55 ms CPU per question when measured, before
# the term links were read in one gather (which saved about as much).
CANDIDATES = 20


@dataclass(frozen=True)
class RankingModel:
    """Standardised linear lift: Σ weight × (feature − mean) / scale, added to the fused score.
    ``articles``: whether it moves articles (a legal text's model) or the passages that are none
    (the plan's model); ``encoder``: the only encoder it applies to, when set."""

    features: tuple[str, ...]
    means: np.ndarray
    scales: np.ndarray
    weights: np.ndarray
    articles: bool = True
    # the encoder whose similarities it was fitted on, when it reads no other's (None: any)
    encoder: str | None = None

    def movable(self, table: dict[str, np.ndarray]) -> np.ndarray:
        """Which candidates this model moves."""
        return movable(table, self.articles)

    def moves(self, table: dict[str, np.ndarray]) -> bool:
        """Whether it moves anything in a list (``moves``)."""
        return moves(table, self.articles)

    def lift(self, table: dict[str, np.ndarray]) -> np.ndarray:
        """The lift of each candidate, from its features by name (a feature the table lacks
        counts as its mean: no lift). Only the passages of its kind move, and only when the best
        candidate is one: a question the plan's measures answer best keeps their order under the
        articles' model; and nothing moves when a rule has recognised the kind of question."""
        movable = self.movable(table)
        if not self.moves(table):
            return np.zeros(len(movable))
        rows = np.column_stack(
            [
                table[name] if name in table else np.full(len(movable), mean)
                for name, mean in zip(self.features, self.means, strict=True)
            ]
        )
        raw = ((rows - self.means) / self.scales) @ self.weights
        # centred over what moves: those change places among themselves, and as a group neither
        # rise nor fall against what does not move
        lift = (raw - raw[movable > 0].mean()) * movable
        return lift if self.articles else _in_their_places(table["fused"], lift, movable)

    def to_json(self) -> dict:
        """The model as stored."""
        stored = {"encoder": self.encoder} if self.encoder else {}
        return stored | {
            "moves": "articles" if self.articles else "other passages",
            "features": list(self.features),
            "means": [round(float(v), 6) for v in self.means],
            "scales": [round(float(v), 6) for v in self.scales],
            "weights": [round(float(v), 6) for v in self.weights],
        }

    @classmethod
    def from_json(cls, data: dict) -> RankingModel:
        return cls(
            tuple(data["features"]),
            np.asarray(data["means"], dtype=float),
            np.asarray(data["scales"], dtype=float),
            np.asarray(data["weights"], dtype=float),
            data.get("moves", "articles") == "articles",
            data.get("encoder"),
        )


def movable(table: dict[str, np.ndarray], articles: bool) -> np.ndarray:
    """Which candidates a model of articles (or, ``articles=False``, of the passages that are
    none) moves (``table["article"]``: which are articles)."""
    return table["article"] if articles else 1.0 - table["article"]


def moves(table: dict[str, np.ndarray], articles: bool) -> bool:
    """Whether such a model moves anything in a list: its best candidate is of the kind it moves
    and no rule has recognised the kind of question (``table["settled"]``)."""
    return bool(movable(table, articles)[0]) and not table["settled"][0]


def _in_their_places(fused: np.ndarray, lift: np.ndarray, movable: np.ndarray) -> np.ndarray:
    """The lift that reorders the passages that move by ``fused + lift`` within the places they
    hold: the plan's passages trade the fused scores of their places, so an article of another
    document ranked among them keeps its place (lifted freely, a measure pushed the answering
    article out of the first three)."""
    moving = np.flatnonzero(movable > 0)
    reordered = moving[np.argsort(-(fused[moving] + lift[moving]), kind="stable")]
    places = np.sort(fused[moving])[::-1]
    placed = np.zeros(len(fused))
    placed[reordered] = places - fused[reordered]
    return placed


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> RankingModel:
    """The fitted model for legal texts' articles, shipped with the code."""
    return RankingModel.from_json(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def load_policy_model(path: Path = POLICY_MODEL_PATH) -> RankingModel:
    """The fitted model for the passages of texts without articles, shipped with the code."""
    return RankingModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def _centred(x: np.ndarray, movable: np.ndarray) -> np.ndarray:
    """Standardised features minus their mean over the rows that move; zero on the others."""
    return (x - x[movable > 0].mean(axis=0)) * movable[:, None]


def fit(
    lists: list[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]],
    features: tuple[str, ...],
    l2: float = 10.0,
    articles: bool = True,
) -> RankingModel:
    """Fit the lift by Newton's method: softmax over each question's candidates, their fused
    scores as a fixed offset, cross-entropy against the right ones (L2 on the weights).

    ``lists``: per question, (feature table by name, fused scores, which candidates are right);
    questions with no right candidate teach nothing, nor those the model leaves alone (the best
    candidate is not of the kind it moves — an article, or for ``articles=False`` no article —
    or a rule recognised the question), and are skipped.
    """
    kept = [(t, fused, right) for t, fused, right in lists if right.any() and moves(t, articles)]
    rows = [np.column_stack([table[f] for f in features]) for table, _, _ in kept]
    stacked = np.vstack(rows)
    # a feature that never varies in the fit gets no weight; its scale stays 1 so it never divides
    # by zero when it does vary
    means, spread = stacked.mean(axis=0), stacked.std(axis=0)
    scales = np.where(spread > 1e-6, spread, 1.0)
    # centred over each list's passages that move, and nothing for the others, as when answering
    xs = [
        _centred((x - means) / scales, movable(table, articles))
        for x, (table, _, _) in zip(rows, kept, strict=True)
    ]
    offsets = [fused for _, fused, _ in kept]
    targets = [right / right.sum() for _, _, right in kept]

    def loss_and_steps(w: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        loss, gradient, hessian = 0.5 * l2 * w @ w, l2 * w, l2 * np.eye(len(w))
        for x, offset, target in zip(xs, offsets, targets, strict=True):
            s = offset + x @ w
            s -= s.max()
            p = np.exp(s)
            p /= p.sum()
            loss -= float(target @ np.log(p + 1e-12))
            gradient += x.T @ (p - target)
            xp = x.T @ p
            hessian += (x * p[:, None]).T @ x - np.outer(xp, xp)
        return loss, gradient, hessian

    w = np.zeros(len(features))
    loss, gradient, hessian = loss_and_steps(w)
    for _ in range(30):
        step = np.linalg.solve(hessian, gradient)
        size = 1.0
        while size > 1e-4:
            new_loss, new_gradient, new_hessian = loss_and_steps(w - size * step)
            if new_loss <= loss:
                break
            size /= 2
        else:
            break
        w -= size * step
        converged = loss - new_loss < 1e-7 * max(abs(loss), 1.0)
        loss, gradient, hessian = new_loss, new_gradient, new_hessian
        if converged:
            break
    return RankingModel(features, means, scales, w, articles)
