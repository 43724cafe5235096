"""Whether to answer: a small logistic model over features of the best passages.

No single score separates answerable questions from near misses across several documents (a law
mentions 锅炉 and 氮氧化物 but gives no limit in 毫克), so the decision combines what the retrieval
measured (see ``knowledge.retrieval``): how much of the question the best passage covers, how far
it stands out among its own document's passages (among all of them it stands out further the more
unrelated documents are loaded), its dense similarity, whether it has the shape of the number
asked for, how far it reaches the question's everyday words by links learned from questions
(``knowledge.term_links``: a colloquial question the passage answers is bridged, a near miss
rarely), how the question asks (``knowledge.wording``: statistics, a named party's record,
another city's practice are what near misses ask and rules never give), and so on.

The weights live in ``knowledge/data/refusal_model.json``; ``bench/calibrate_refusal.py`` fits
them on our tuning sets (each of about 200 rules with the plan, and with the plan, two laws and
the FAQ pack) on the questions no rule of ``knowledge.retrieval`` decides, and reports figures for
rules the fit never saw. The output is the confidence shown to users (0..1); questions below
``threshold`` are refused.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).parent / "data" / "refusal_model.json"
# how the question asks (``knowledge.wording``) holds an answer back only where the passages leave
# doubt: read as average, the other features alone reaching this much answer. The tuning sets'
# near misses ask 多少 and 怎么规定的 far more often than their answerable questions do, and
# "许可证到期前多少天要申请延续" would be refused against an article that says it word for word.
# By set, ten folds (questions no rule decides): at 0.995 in-scope refused 44 of 5425 against 70
# without it (99 without the wording), out-of-scope refused 249 of 370 against 276 (133).
WORDING = "wording"
SURE_BY_PASSAGES = 0.995
# … and only where the best passage holds most of the question's words: read as average, a near
# miss on the rule's own topic reaches that sureness too once more documents are loaded beside the
# rule (北京市新建住宅小区的绿地率要求是多少 against 上海's greening rule, coverage 0.07: 0.04 with
# the plan, 0.998 with the laws too). Cross-validated by set at threshold 0.5 (session 39,
# ``bench/HISTORY.md``): a floor of 0.6 refuses 26 more of the 932 out-of-scope questions no rule
# decides than no floor, and 16 more of 13,549 in scope; 0.9 another 31 and 13, and refuses
# "许可证到期前多少天要申请延续" against the article that gives the 60 days (coverage 0.65).
MOST_WORDS = 0.6


@dataclass(frozen=True)
class RefusalModel:
    """Standardised logistic regression: sigmoid(bias + Σ weight × (feature − mean) / scale)."""

    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, values: dict[str, float]) -> float:
        """Probability that the question is answered by the knowledge base (a feature left out
        counts as its average)."""
        z = self.bias
        for name, mean, scale, weight in zip(
            self.features, self.means, self.scales, self.weights, strict=True
        ):
            z += weight * (values.get(name, mean) - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def confidence(self, values: dict[str, float]) -> float:
        """The probability, unless the wording alone pulls it down from a sureness the passages
        give by themselves (``SURE_BY_PASSAGES``) with a passage that holds most of the question's
        words (``MOST_WORDS``): then the passages' own."""
        worded = self.probability(values)
        if (
            WORDING not in values
            or WORDING not in self.features
            or values.get("coverage", 0.0) < MOST_WORDS
        ):
            return worded
        passages = self.probability({k: v for k, v in values.items() if k != WORDING})
        return max(worded, passages) if passages >= SURE_BY_PASSAGES else worded

    def to_json(self) -> dict:
        """The model as stored."""
        return {
            "features": list(self.features),
            "means": list(self.means),
            "scales": list(self.scales),
            "weights": list(self.weights),
            "bias": self.bias,
            "threshold": self.threshold,
        }


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> RefusalModel:
    """The calibrated model shipped with the code."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return RefusalModel(
        tuple(data["features"]),
        tuple(float(x) for x in data["means"]),
        tuple(float(x) for x in data["scales"]),
        tuple(float(x) for x in data["weights"]),
        float(data["bias"]),
        float(data["threshold"]),
    )


def fit(
    rows: list[dict[str, float]], labels: list[bool], features: tuple[str, ...], l2: float = 1.0
) -> RefusalModel:
    """Fit the model by Newton's method on standardised features (L2 on the weights)."""
    import numpy as np

    x = np.array([[row.get(f, 0.0) for f in features] for row in rows], dtype=float)
    y = np.array(labels, dtype=float)
    means, scales = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([(x - means) / scales, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = l2 * np.diag(np.r_[np.ones(len(features)), 0.0])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-z @ w))
        gradient = z.T @ (p - y) + penalty @ w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty
        w -= np.linalg.solve(hessian, gradient)
    return RefusalModel(
        features,
        tuple(float(m) for m in means),
        tuple(float(s) for s in scales),
        tuple(float(v) for v in w[:-1]),
        float(w[-1]),
        0.5,
    )
