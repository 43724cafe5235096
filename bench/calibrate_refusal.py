"""Fit the refusal model (``knowledge/data/refusal_model.json``) on the tuning sets.

The shipped model (session 49; the one before it was session 39's) is fitted ``--rule-by-rule
DIR`` with batches 10–17 and the rules registered after them held out (``--hold-out-never-fitted``;
``bench/qa_sets/README.md``; they stay a check the fit never saw) and threshold 0.5:

    .venv/bin/python bench/calibrate_refusal.py --rule-by-rule /work/extra_corpus --threshold 0.5 \
        --hold-out-never-fitted

That run (27,398 questions over 257 sets, 9,612 decided by a rule or a FAQ entry) is the first to
see the read plan sets (``plan2_tune`` … ``plan6_tune``, ``plan9_tune``; all written after session
39): the wording model it writes learned from 9,995 questions. Cross-validated by set at 0.5, tuning
sets: in-scope refused 66 / 11,732, out-of-scope refused 567 / 826 (session 39's model, which saw
most of them: 59 and 566); held out: 22 / 4,778 and 274 / 450.

Its configurations: the plan alone with ``dev_qa``, ``plan_tune`` and the read plan sets
(``PLAN_READ``; the unread ``PLAN_UNREAD`` stay out: ``plan20`` since session 53, ``plan21``–
``plan24`` since session 54, while ``plan7``, ``plan8`` and ``plan10``–``plan17`` are read); the
plan, 大气法, 水法 (.docx) and the FAQ pack with ``laws_tune`` and ``offtopic_tune``; and each rule
of ``DIR`` that ``bench/qa_bench.py`` pairs with a tuning set (its ``calibration+…`` configurations)
asked that set twice, with the plan and with the plan, 大气法, 水法 and the FAQ pack: 22,856
questions over 216 sets in session 39. How far the best passage stands out is read among its
own document's passages (``fused_doc``, ``margin_doc``, ``dense_z_doc``): among all passages it
stands out further the more unrelated documents are loaded, and a model fitted on a rule with
the plan answered near misses once the laws were loaded beside it (session 38: out-of-scope
refused 87.5 % → 78.8 %). Until session 38 the model read the standing among all passages and
was fitted on each rule with the plan only (9,651 questions over 180 sets in session 35,
threshold 0.65). A question whose confidence a rule of ``knowledge.retrieval`` sets
(``Retrieval.ruled``: a near miss it recognises, a licence no document names, a definition
asked) or that a FAQ entry answers is left out of the fit: the model decides where those rules
do not. (Until session 24 a question was left out when its confidence differed from the shipped
model's probability, so the rows depended on the model shipped before.)
Cross-validation holds out whole question sets (ten folds of sets), so each figure is for rules
the fold's model never saw; the model shipped before is scored on the same questions. Until
session 38 the threshold was the highest of those printed at which the cross-validated model
refuses both fewer in-scope and more out-of-scope questions than the model it replaces; in
session 39 no threshold did so in both kinds of knowledge base, and 0.5 was taken as the one that
refuses fewer in-scope questions with the plan and far more out-of-scope ones with the laws too
(``bench/HISTORY.md``).

``term_links`` (how far the judged passage reaches the question's words it lacks,
``knowledge.term_links``) is read by links learned without the question's set (four folds of
sets, ``bench/fit_ranking.py``'s examples): by the shipped links, which learned from the very
question, it would look more telling than it is for a new rule. ``--hold-out SET,…`` leaves sets
out of the links, every fold's fit and the written model, and reports them apart.

``wording`` (the odds that the question asks what no rule says, ``knowledge.wording``) is read
likewise by a model learned without the question's set (five folds of sets), from every question
of the configurations, those a rule decides too; the model learned from all of them is written to
``knowledge/data/wording_model.json.gz`` with the refusal model. Cross-validation scores each fold
by ``RefusalModel.confidence``: the wording holds an answer back only where the passages alone
leave the model unsure (``knowledge.refusal.SURE_BY_PASSAGES``).

Without ``--rule-by-rule`` the model is fitted as until session 24: the plan, the four laws of
``../shared/corpus`` (one as .docx) and the FAQ pack together, asked ``dev_qa`` and ``laws_tune``
(``--with-offtopic`` adds ``offtopic_tune``; ``--calibration DIR`` the two tuning regulations'
sets), with 5-fold cross-validation over questions. Held-out sets are never used here
(``bench/qa_bench.py`` reports them).

    .venv/bin/python bench/calibrate_refusal.py --rule-by-rule DIR --threshold 0.65  # fit, write
    .venv/bin/python bench/calibrate_refusal.py --rule-by-rule DIR --dry-run  # only print
    .venv/bin/python bench/calibrate_refusal.py --rule-by-rule DIR --hold-out SET,… --dry-run
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from knowledge_setup import (
    ALL_LAWS,
    DEV_QA,
    SETS,
    load_documents,
    read_set,
    report_and_write,
    setup_environment,
)
from qa_bench import (
    CALIBRATION_DOCUMENTS,
    CALIBRATION_REGULATION_SETS,
    EXTRA_DOCUMENT_CONFIGS,
    NEVER_FITTED,
    PLAN_READ,
    _questions,
    calibration_documents,
)

FEATURES = (
    "coverage",
    "coverage3",
    "fused_doc",
    "margin_doc",
    "dense_z_doc",
    "lexical",
    "units",
    "missing",
    "shape",
    "term_links",
    "wording",
)


def _features(session, questions: list[dict]) -> tuple[list[dict], list[bool]]:
    from knowledge import service
    from knowledge.retrieval import retrieve

    index = service.current_index(session)
    rows, labels = [], []
    for q in questions:
        found = retrieve(index, q["q"])
        rows.append(dict(found.features))
        labels.append(bool(q["in_scope"]))
    return rows, labels


def _rule_by_rule(session, folder: Path) -> list[dict]:
    """One row per question of every configuration of ``--rule-by-rule``: its set, features,
    label and whether a rule or a FAQ entry decided it."""
    from knowledge import service
    from knowledge.retrieval import retrieve
    from knowledge.terms import words

    pairs = list(zip(CALIBRATION_DOCUMENTS, CALIBRATION_REGULATION_SETS, strict=True))
    pairs += list(EXTRA_DOCUMENT_CONFIGS.values())
    configs = [
        # the read plan sets only (``PLAN_READ``): the unread ones are the check of the next fit
        (["plan"], False, ["dev_qa", "plan_tune", *PLAN_READ]),
        (["plan", "大气污染防治法", "水污染防治法.docx"], True, ["laws_tune", "offtopic_tune"]),
        *((["plan", str(folder / document)], False, [name]) for document, name in pairs),
        # and each rule beside the laws: what more documents do to the features is fitted too
        *(
            (["plan", "大气污染防治法", "水污染防治法.docx", str(folder / document)], True, [name])
            for document, name in pairs
        ),
    ]
    rows = []
    for documents, faq, names in configs:
        load_documents(session, documents, faq=faq)
        index = service.current_index(session)
        for name in names:
            for q in _questions(name, documents):
                found = retrieve(index, q["q"])
                decided = found.faq_answers or found.ruled
                rows.append(
                    {
                        "set": name,
                        "question": q["q"],
                        "features": dict(found.features),
                        "in_scope": q["in_scope"],
                        "decided": decided,
                        # what ``term_links`` reads, to recompute it by links without the set
                        "asked": frozenset(words(found.prepared)),
                        "judged": index.passage_index.word_sets[found.judged],
                    }
                )
    return rows


def _cross_fit_term_links(session, folder: Path, rows: list[dict], held_out: set[str]) -> None:
    """Each row's ``term_links`` by links learned without its set (four folds of the sets the
    links learn from; held-out sets and sets they never learn from, such as the plan's and the
    off-topic ones, by links from every set but the held-out ones). By the shipped links, which
    learned from the very question, the right article reaches an in-scope question far better
    than it will a new one, and the model would trust the links more than they deserve."""
    from fit_ranking import collect, links_by_fold

    from knowledge.term_links import learn

    _, examples, passages = collect(session, folder)
    examples = [e for e in examples if e.set_name not in held_out]
    names = sorted({e.set_name for e in examples})
    never_learned = {r["set"] for r in rows} - set(names)
    folds = [*links_by_fold(examples, passages, names), (never_learned, learn(examples, passages))]
    for fold, links in folds:
        for row in rows:
            if row["set"] in fold:
                row["features"]["term_links"] = links.reach(row["asked"], row["judged"])


def _wording_questions(rows: list[dict], held_out: set[str]) -> tuple[list[str], list[bool]]:
    """Every question of the tuning sets once (those a rule decides too: the wording is learned
    from the text alone), with whether it is out of scope."""
    seen = {}
    for row in rows:
        if row["set"] not in held_out:
            seen.setdefault(row["question"], not row["in_scope"])
    return list(seen), list(seen.values())


def _cross_fit_wording(rows: list[dict], held_out: set[str]) -> None:
    """Each row's ``wording`` by a model learned without its set (five folds of sets; held-out
    sets by the model of every other set). By the shipped model, which learned the very
    question, a near miss's wording would look more telling than it is for a new rule's."""
    import random

    from knowledge.wording import learn

    names = sorted({r["set"] for r in rows} - held_out)
    random.Random(1).shuffle(names)
    folds = [set(names[i::5]) for i in range(5)] + [held_out]
    for fold in folds:
        if not fold:
            continue
        questions, out_of_scope = _wording_questions(
            [r for r in rows if r["set"] not in fold], held_out
        )
        model = learn(questions, out_of_scope)
        for row in rows:
            if row["set"] in fold:
                row["features"]["wording"] = model.odds(row["question"])


def _cross_validate_by_set(rows: list[dict], held_out: set[str], features, l2, thresholds):
    """Refusal rates of models that never saw the questions' set (ten folds of sets), on the
    questions no rule decided; held-out sets are scored by the first fold's model."""
    import random

    from knowledge.refusal import fit, load_model

    names = sorted({r["set"] for r in rows} - held_out)
    random.Random(0).shuffle(names)
    folds = [set(names[i::10]) for i in range(10)]
    folds[0] |= held_out
    probability = {}
    for fold in folds:
        left_out = fold | held_out
        train = [r for r in rows if r["set"] not in left_out and not r["decided"]]
        model = fit([r["features"] for r in train], [r["in_scope"] for r in train], features, l2)
        for i, r in enumerate(rows):
            if r["set"] in fold:
                probability[i] = model.confidence(r["features"])
    shipped = load_model()
    refused = [
        (r["in_scope"], shipped.confidence(r["features"]) < shipped.threshold)
        for r in rows
        if not r["decided"] and r["set"] not in held_out
    ]
    inside = [no for in_scope, no in refused if in_scope]
    outside = [no for in_scope, no in refused if not in_scope]
    print(
        f"the shipped model at {shipped.threshold:.2f}, tuning (it saw some of them): in-scope "
        f"refused {sum(inside)}/{len(inside)}, out-of-scope refused {sum(outside)}/{len(outside)}"
    )
    for threshold in thresholds:
        for part, chosen in (
            ("tuning", lambda r: r["set"] not in held_out),
            ("held out", lambda r: r["set"] in held_out),
        ):
            scored = [
                (r, probability[i]) for i, r in enumerate(rows) if chosen(r) and not r["decided"]
            ]
            inside = [p < threshold for r, p in scored if r["in_scope"]]
            outside = [p < threshold for r, p in scored if not r["in_scope"]]
            if inside or outside:
                print(
                    f"by set, threshold {threshold:.2f}, {part}: in-scope refused "
                    f"{sum(inside)}/{len(inside)}, out-of-scope refused "
                    f"{sum(outside)}/{len(outside)} (questions no rule decided)"
                )


def _rates(model, rows, labels, threshold: float) -> tuple[float, float]:
    inside = [model.confidence(r) < threshold for r, y in zip(rows, labels, strict=True) if y]
    outside = [model.confidence(r) < threshold for r, y in zip(rows, labels, strict=True) if not y]
    return sum(inside) / max(len(inside), 1), sum(outside) / max(len(outside), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--with-offtopic", action="store_true")
    parser.add_argument(
        "--calibration",
        type=Path,
        help="folder of the two tuning regulations (bench/qa_bench.py --calibration): their "
        "question sets are added, asked with those regulations loaded as well",
    )
    parser.add_argument(
        "--rule-by-rule",
        type=Path,
        help="folder of the rules qa_bench pairs with tuning sets: fit across all of them",
    )
    parser.add_argument("--hold-out", default="", help="sets left out of the --rule-by-rule fit")
    parser.add_argument(
        "--hold-out-never-fitted",
        action="store_true",
        help="hold out batches 10–17 too (qa_bench.NEVER_FITTED), as the shipped model was",
    )
    parser.add_argument(
        "--thresholds",
        default="0.5,0.55,0.6,0.65,0.7,0.75",
        help="thresholds whose cross-validated refusal rates --rule-by-rule prints",
    )
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--features", default=",".join(FEATURES))
    args = parser.parse_args()
    features = tuple(f for f in args.features.split(",") if f)
    setup_environment(Path(tempfile.mkdtemp(prefix="calibrate-")))

    import random

    from core.db import SessionLocal, upgrade_database
    from knowledge.refusal import fit

    upgrade_database()
    if args.rule_by_rule:
        held_out = {name for name in args.hold_out.split(",") if name}
        if args.hold_out_never_fitted:
            held_out |= set(NEVER_FITTED)
        with SessionLocal() as session:
            every = _rule_by_rule(session, args.rule_by_rule)
            if "term_links" in features:
                _cross_fit_term_links(session, args.rule_by_rule, every, held_out)
        if "wording" in features:
            _cross_fit_wording(every, held_out)
        print(
            f"{len(every)} questions over {len({r['set'] for r in every})} sets, "
            f"{sum(r['decided'] for r in every)} decided by a rule or a FAQ entry"
        )
        thresholds = tuple(float(t) for t in args.thresholds.split(","))
        _cross_validate_by_set(every, held_out, features, args.l2, thresholds)
        fitted = [r for r in every if not r["decided"] and r["set"] not in held_out]
        rows = [r["features"] for r in fitted]
        labels = [r["in_scope"] for r in fitted]
        _write(rows, labels, features, args)
        if "wording" in features and not args.dry_run:
            _write_wording(every, held_out)
        return
    # the links and wording learned from these very questions cannot be read as for a new rule
    features = tuple(f for f in features if f not in ("term_links", "wording"))
    questions = read_set(DEV_QA) + read_set(SETS / "laws_tune.jsonl")
    if args.with_offtopic:
        questions += read_set(SETS / "offtopic_tune.jsonl")
    with SessionLocal() as session:
        load_documents(session, ["plan", *ALL_LAWS], faq=True)
        rows, labels = _features(session, questions)
        if args.calibration:
            load_documents(session, calibration_documents(args.calibration), faq=True)
            more = [
                q for name in CALIBRATION_REGULATION_SETS for q in read_set(SETS / f"{name}.jsonl")
            ]
            extra_rows, extra_labels = _features(session, more)
            rows, labels = rows + extra_rows, labels + extra_labels
    where = "plan + 4 laws + FAQ pack" + (" (+ 2 regulations)" if args.calibration else "")
    print(f"{len(rows)} tuning questions ({sum(labels)} in scope), {where}")
    order = list(range(len(rows)))
    random.Random(0).shuffle(order)
    folds = [order[i::5] for i in range(5)]
    for threshold in (0.3, 0.4, 0.45, 0.5):
        refused_in = refused_out = 0.0
        for fold in folds:
            train = [i for i in order if i not in fold]
            model = fit([rows[i] for i in train], [labels[i] for i in train], features, args.l2)
            a, b = _rates(model, [rows[i] for i in fold], [labels[i] for i in fold], threshold)
            refused_in += a / len(folds)
            refused_out += b / len(folds)
        print(
            f"5-fold threshold {threshold:.2f}: in-scope refused {refused_in:.3f}, "
            f"out-of-scope refused {refused_out:.3f}"
        )
    _write(rows, labels, features, args)


def _write(rows, labels, features, args) -> None:
    """Fit on every row and write the model with the chosen threshold (unless --dry-run)."""
    from knowledge.refusal import MODEL_PATH, fit

    model = fit(rows, labels, features, args.l2)
    model = type(model)(**{**model.__dict__, "threshold": args.threshold})
    report_and_write(model, MODEL_PATH, dry_run=args.dry_run)


def _write_wording(rows: list[dict], held_out: set[str]) -> None:
    """Learn the wording model from every tuning question and write it."""
    from knowledge.wording import MODEL_PATH, learn, write

    questions, out_of_scope = _wording_questions(rows, held_out)
    write(learn(questions, out_of_scope))
    print(f"wrote {MODEL_PATH} ({len(questions)} questions, {sum(out_of_scope)} out of scope)")


if __name__ == "__main__":
    main()
