"""Fit the ranking model (``knowledge/data/ranking_model.json``) across the rule-by-rule sets.

Each configuration loads the action plan and one rule of ``DIR`` (the rules ``bench/qa_bench.py``
pairs with a tuning set: its ``calibration+…`` configurations and the two calibration
regulations) and asks that rule's set; one more loads the plan and the four laws and asks
``laws_tune``. Every in-scope question that names its article gives one list: the ten best
passages by fused score before the model's lift (``Retrieval.reordered``), the right ones those
of that article holding one of ``must_contain_any``. Held-out sets are never read here.

The shipped model was fitted on the 93 sets there were before session 23 wrote four more
(``yangtze_tune``, ``circular_tune``, ``wetland_tune``, ``nucsafety_tune``: they were its first
check on documents it never saw); fitting again now reads those too (97 sets, 3416 questions:
right first 0.799 → 0.812, within three 0.918 → 0.924 by cross-validation).

Cross-validation holds out whole sets (five folds of sets, so each figure is for rules the
fold's model never saw) and prints, over all lists, how often the right article comes first and
within the first three: by fused score alone, then as the fold's model reorders. The model
fitted on every list is then written (unless ``--dry-run``).

    .venv/bin/python bench/fit_ranking.py --calibration DIR            # fit and write
    .venv/bin/python bench/fit_ranking.py --calibration DIR --dry-run  # only print
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

import numpy as np
from knowledge_setup import ALL_LAWS, load_documents, report_and_write, setup_environment
from qa_bench import (
    CALIBRATION_DOCUMENTS,
    CALIBRATION_REGULATION_SETS,
    EXTRA_DOCUMENT_CONFIGS,
    _hit,
    _questions,
)

# what ``knowledge.retrieval._candidate_table`` measures, less the steps that settle a question
# (``_RECOGNISED_BY``): when one lifted anything, the model does not act, so they are always 0
FEATURES = (
    "bm25_z",
    "dense_z",
    "dense_first_z",
    "coverage",
    "log_length",
    "reciprocal_rank",
    "bm25_reciprocal_rank",
    "dense_reciprocal_rank",
    "same_document_as_best",
    "document_share",
    "answer_shape",
    "lacks_concrete_answer",
    "general_chapter",
    "liability_chapter",
    "supplementary_chapter",
    "step_answer_shape",
    "step_liability",
    "step_named_document",
    "step_opening",
    "step_subject_document",
    "step_local_document",
    "step_penalty",
    "step_covering",
    "step_close_words",
    "step_appendix",
    "step_definitions_list",
)


def _is_right(q: dict, passage) -> bool:
    """Whether ``passage`` answers ``q`` as ``qa_bench`` scores a first source."""
    source = {"title": passage.title, "article": passage.article, "text": passage.text}
    return _hit(q, {"answered": True, "answer": "", "sources": [source]}, 1)


def collect(session, folder: Path) -> list[dict]:
    """One list per in-scope question with an article: its set, candidates' features, fused
    scores and which candidates are right."""
    from knowledge import service
    from knowledge.retrieval import retrieve

    pairs = list(zip(CALIBRATION_DOCUMENTS, CALIBRATION_REGULATION_SETS, strict=True))
    pairs += list(EXTRA_DOCUMENT_CONFIGS.values())
    configs = [(["plan", *ALL_LAWS], "laws_tune")]
    configs += [(["plan", str(folder / document)], name) for document, name in pairs]
    lists = []
    for documents, name in configs:
        load_documents(session, documents)
        index = service.current_index(session)
        for q in _questions(name, documents):
            if not q["in_scope"] or not q.get("article"):
                continue
            found = retrieve(index, q["q"])
            if found.reordered is None:
                continue
            order, table = found.reordered
            right = np.array([_is_right(q, index.passages[i]) for i in order], dtype=float)
            lists.append({"set": name, "table": table, "fused": table["fused"], "right": right})
        print(f"{name}: {len(lists)} lists so far", flush=True)
    return lists


def _firsts(lists: list[dict], lift) -> tuple[int, int]:
    """How many lists have a right candidate first, and within the first three."""
    first = three = 0
    for item in lists:
        scores = item["fused"] + lift(item)
        ranked = item["right"][np.argsort(-scores, kind="stable")]
        first += bool(ranked[0])
        three += bool(ranked[:3].any())
    return first, three


def cross_validate(lists: list[dict], features: tuple[str, ...], l2: float) -> None:
    from knowledge.ranking import fit

    names = sorted({item["set"] for item in lists})
    random.Random(0).shuffle(names)
    folds = [set(names[i::5]) for i in range(5)]
    base = model = (0, 0)
    for fold in folds:
        train = [(i["table"], i["fused"], i["right"]) for i in lists if i["set"] not in fold]
        fitted = fit(train, features, l2)
        tested = [i for i in lists if i["set"] in fold]
        a = _firsts(tested, lambda item: 0.0)
        b = _firsts(tested, lambda item, m=fitted: m.lift(item["table"]))
        base = (base[0] + a[0], base[1] + a[1])
        model = (model[0] + b[0], model[1] + b[1])
    n = len(lists)
    print(
        f"{n} questions over {len(names)} sets, folds of sets: right first "
        f"{base[0] / n:.3f} → {model[0] / n:.3f}, within three {base[1] / n:.3f} → "
        f"{model[1] / n:.3f} (fused order → the model's)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calibration", type=Path, required=True, help="folder of the rules")
    parser.add_argument("--l2", type=float, default=10.0)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    setup_environment(Path(tempfile.mkdtemp(prefix="ranking-")))

    from core.db import SessionLocal, upgrade_database
    from knowledge.ranking import MODEL_PATH, fit

    upgrade_database()
    with SessionLocal() as session:
        lists = collect(session, args.calibration)
    cross_validate(lists, FEATURES, args.l2)
    model = fit([(i["table"], i["fused"], i["right"]) for i in lists], FEATURES, args.l2)
    report_and_write(model, MODEL_PATH, dry_run=args.dry_run)


if __name__ == "__main__":
    main()
