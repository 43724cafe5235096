"""How a question reads: the wording of what rules answer, or of what they never give.

A near miss is on the rule's topic and shares its words, so the best passage covers it about as
well as it covers a question the rule answers; what gives it away is how it asks. Rules do not
keep statistics (去年一共…多少), registers of named parties (某公司有没有违规记录, 名单在哪看),
other cities' practice (跟宁波比哪个高) or the rumours of the day (听说…是真的吗), and the tuning
sets hold thousands of questions of both kinds over more than a hundred rules. A logistic model
over the question's character 1–3-grams (tf-idf weighted, as scikit-learn's char analyzer would)
learns the odds that a question asks what no rule says; the refusal model (``knowledge.refusal``)
reads them as one feature beside what the passages show, so a question worded like a near miss
that a passage plainly answers is still answered.

``bench/calibrate_refusal.py`` learns the model (``knowledge/data/wording_model.json.gz``,
gzip-compressed JSON) from every tuning question, and reads each question's odds by a model
learned without its set, as a new rule's questions will be read.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.normalize import fold

MODEL_PATH = Path(__file__).parent / "data" / "wording_model.json.gz"
LONGEST_GRAM = 3
# a character n-gram is learned when this many questions hold it: rarer ones name one question
MIN_QUESTIONS = 3
_SPACES = re.compile(r"\s+")


def grams(question: str) -> Counter[str]:
    """The question's character 1–3-grams, counted, on its folded form (half-width, simplified,
    lower case), so 處罰 reads as 处罚."""
    text = _SPACES.sub(" ", fold(question)).strip()
    return Counter(
        text[i : i + n] for n in range(1, LONGEST_GRAM + 1) for i in range(len(text) - n + 1)
    )


def weighted(counted: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """The question's row as the model reads it: sublinear tf × idf of the n-grams it knows,
    scaled to unit length (empty when it knows none)."""
    values = {g: (1.0 + math.log(n)) * idf[g] for g, n in counted.items() if g in idf}
    norm = math.sqrt(sum(v * v for v in values.values()))
    return {g: v / norm for g, v in values.items()} if norm else {}


@dataclass(frozen=True)
class WordingModel:
    """Per n-gram its inverse document frequency and weight; the bias of the logistic model."""

    idf: dict[str, float]
    weights: dict[str, float]
    bias: float

    def odds(self, question: str) -> float:
        """Log-odds that the question asks what no rule says (the bias alone for a question with
        no n-gram the model knows)."""
        values = weighted(grams(question), self.idf)
        return self.bias + sum(self.weights[g] * v for g, v in values.items())

    def to_json(self) -> dict:
        rounded = {g: [round(self.idf[g], 5), round(self.weights[g], 5)] for g in sorted(self.idf)}
        return {"bias": round(self.bias, 5), "grams": rounded}

    @classmethod
    def from_json(cls, data: dict) -> WordingModel:
        grams_ = data["grams"]
        return cls(
            {g: float(v[0]) for g, v in grams_.items()},
            {g: float(v[1]) for g, v in grams_.items()},
            float(data["bias"]),
        )


def learn(
    questions: Sequence[str], out_of_scope: Sequence[bool], inverse_l2: float = 1.0
) -> WordingModel:
    """Fit the model: sublinear tf-idf over n-grams held by ``MIN_QUESTIONS`` questions,
    L2-normalised rows, L2-regularised logistic regression (scikit-learn's ``C`` is
    ``inverse_l2``; scikit-learn is a dev dependency, and only the benchmarks and tests fit)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counted = [grams(q) for q in questions]
    held = Counter(g for counts in counted for g in counts)
    vocabulary = sorted(g for g, n in held.items() if n >= MIN_QUESTIONS)
    number = {g: i for i, g in enumerate(vocabulary)}
    total = len(questions)
    idf = {g: math.log((1 + total) / (1 + held[g])) + 1.0 for g in vocabulary}
    data, columns, pointers = [], [], [0]
    for counts in counted:
        row = weighted(counts, idf)
        columns += [number[g] for g in row]
        data += row.values()
        pointers.append(len(columns))
    matrix = csr_matrix((data, columns, pointers), shape=(total, len(vocabulary)))
    fitted = LogisticRegression(C=inverse_l2, max_iter=5000)
    fitted.fit(matrix, np.asarray(out_of_scope, bool))
    weights = dict(zip(vocabulary, (float(w) for w in fitted.coef_[0]), strict=True))
    return WordingModel(idf, weights, float(fitted.intercept_[0]))


def write(model: WordingModel, path: Path = MODEL_PATH) -> None:
    """Store the model gzip-compressed with no timestamp, so a refit of the same questions writes
    the same bytes."""
    raw = json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":"))
    path.write_bytes(gzip.compress(raw.encode("utf-8"), mtime=0))


@lru_cache(maxsize=1)
def load_wording(path: Path = MODEL_PATH) -> WordingModel | None:
    """The shipped model, or None where none is shipped (the refusal model then reads the
    feature as its average)."""
    if not path.exists():
        return None
    return WordingModel.from_json(json.loads(gzip.decompress(path.read_bytes())))
