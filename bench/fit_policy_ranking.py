"""Fit the plan's ranking model (``knowledge/data/policy_ranking_model.json``) on the questions
about the plan.

``knowledge.ranking`` reorders the best twenty passages once more by a linear model; the one for
legal texts moves only articles, and a text without articles (the action plan: its measures and
its paragraphs) gets this one, of the same shape and features, plus whether a passage is one of
the plan's measures and whether its 完成时限 answers the time a question asks. The plan is loaded
alone and with the four laws, and the read plan sets are asked (``dev_qa``, ``plan_tune`` and
``qa_bench.PLAN_READ``; ``qa_bench.PLAN_UNREAD`` stay unread and ``plan_holdout`` is never read
here).
Every in-scope question whose best passage is no article, and that no rule of
``knowledge.retrieval`` recognised, gives one list: the candidates by fused score before any
lift, the right ones those holding one of ``must_contain_any`` (a measure with its 完成时限 and
责任部门, as it is shown). The links and the query adapter it reads were fitted on the rules'
questions (``bench/fit_ranking.py``), never on these. The model leans on the encoder's
similarities, so it is stored with the encoder's name and applies only under it.

Cross-validation holds out one set at a time and prints, per set and over all lists, how often
the right passage comes first and within the first three, by fused order and by the model fitted
without that set. The model fitted on every list is then written (unless ``--dry-run``).

Session 45 (plan alone and with the four laws, 936 lists): right first 0.905 → 0.927, within
three 0.983 → 0.989. Through the engine (``preview_answer``, the plan alone, each read set asked
with the model fitted without it): top-1 rose by 12 of 470 questions and top-3 by 3; on the
unread ``plan7_tune``, with the model fitted on every read set, top-1 fell by 1 of 80 and top-3
rose by 2 (with the four laws and the FAQ pack: −4 and +1). ``bench/HISTORY.md``, session 45.

    .venv/bin/python bench/fit_policy_ranking.py            # fit and write
    .venv/bin/python bench/fit_policy_ranking.py --dry-run  # only print
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path

import numpy as np
from fit_ranking import FEATURES, _firsts, _is_right
from knowledge_setup import ALL_LAWS, load_documents, report_and_write, setup_environment
from qa_bench import PLAN_READ, _questions

SETS = ["dev_qa", "plan_tune", *PLAN_READ]
CONFIGS = (("plan alone", ["plan"]), ("plan and four laws", ["plan", *ALL_LAWS]))
POLICY_FEATURES = (*FEATURES, "measure", "deadline_stated")


def collect(session, sets: list[str]) -> list[dict]:
    """One list per in-scope question of ``sets`` whose best passage is no article, for each of
    ``CONFIGS``: its set, the candidates' features, fused scores and which are right."""
    from knowledge import retrieval, service
    from knowledge.ranking import RankingModel

    # a model that moves nothing but makes retrieval measure every such list, whatever is shipped
    zeros, ones = np.zeros(len(POLICY_FEATURES)), np.ones(len(POLICY_FEATURES))
    still = RankingModel(POLICY_FEATURES, zeros, ones, zeros, articles=False)
    retrieval.load_policy_ranking_model = lambda: still
    lists = []
    for label, documents in CONFIGS:
        load_documents(session, documents)
        index = service.current_index(session)
        for name in sets:
            for q in _questions(name, documents):
                if not q["in_scope"]:
                    continue
                found = retrieval.retrieve(index, q["q"])
                if found.reordered is None or not still.moves(found.reordered[1]):
                    continue
                order, table = found.reordered
                right = np.array([_is_right(q, index.passages[i]) for i in order], dtype=float)
                lists.append(
                    {
                        "set": name,
                        "table": table,
                        "fused": table["fused"],
                        "right": right,
                        "encoder": index.embedder.name,
                    }
                )
        print(f"{label}: {len(lists)} lists so far", flush=True)
    return lists


def cross_validate(lists: list[dict], l2: float) -> None:
    """Right first and within three, each set's lists ordered by the model fitted without it."""
    from knowledge.ranking import fit

    totals = np.zeros(4, dtype=int)
    for name in sorted({i["set"] for i in lists}):
        tested = [i for i in lists if i["set"] == name]
        trained = [(i["table"], i["fused"], i["right"]) for i in lists if i["set"] != name]
        model = fit(trained, POLICY_FEATURES, l2, articles=False)
        lifted = _firsts(tested, lambda item, m=model: m.lift(item["table"]))
        counts = np.array([*_firsts(tested, lambda item: 0.0), *lifted])
        totals += counts
        print(
            f"  {name:12} {len(tested):4} lists: first {counts[0]} → {counts[2]}, "
            f"within three {counts[1]} → {counts[3]}"
        )
    n = len(lists)
    print(
        f"{n} lists, each set held out: right first {totals[0] / n:.3f} → {totals[2] / n:.3f}, "
        f"within three {totals[1] / n:.3f} → {totals[3] / n:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--l2", type=float, default=10.0)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument(
        "--hold-out", default="", help="sets left out of the fit (SET,…), to ask them afterwards"
    )
    args = parser.parse_args()
    held_out = set(filter(None, args.hold_out.split(",")))
    setup_environment(Path(tempfile.mkdtemp(prefix="policy-ranking-")))

    from core.db import SessionLocal, upgrade_database
    from knowledge.ranking import POLICY_MODEL_PATH, fit

    upgrade_database()
    with SessionLocal() as session:
        lists = collect(session, [name for name in SETS if name not in held_out])
    cross_validate(lists, args.l2)
    model = fit(
        [(i["table"], i["fused"], i["right"]) for i in lists],
        POLICY_FEATURES,
        args.l2,
        articles=False,
    )
    # it leans on the similarities: only the encoder they were measured with may be read by it
    model = dataclasses.replace(model, encoder=lists[0]["encoder"])
    report_and_write(model, POLICY_MODEL_PATH, dry_run=args.dry_run)


if __name__ == "__main__":
    main()
