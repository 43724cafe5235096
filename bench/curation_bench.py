"""Grouping of failed questions for curation: speed and quality at the queue's size.

Builds N noisy user questions from the phrasings of the FAQ pack (knowledge/data/faq_pack.csv):
each question is one phrasing of a random entry with a polite prefix, a trailing particle,
punctuation or one dropped character, so every question has a known topic (its entry). Then:

1. ``group_questions`` on the plain questions (background: the pack's questions), per threshold:
   time, number of groups against the number of topics, and B-cubed precision / recall / F1
   (does a question's group hold the questions of its topic, and only those?).
2. The whole queue through the service on a fresh SQLite database: N question-log rows
   inserted, then ``curation_queue`` (query + grouping + FAQ suggestions) timed.

    .venv/bin/python bench/curation_bench.py
    .venv/bin/python bench/curation_bench.py --questions 3000 --topics 60 --seed 7
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PACK = ROOT / "knowledge" / "data" / "faq_pack.csv"

PREFIXES = ["", "", "请问", "你好，", "想咨询一下", "我们公司", "老师您好，"]
SUFFIXES = ["", "？", "?", "呢？", "啊", "。谢谢"]


def load_topics(limit: int, rng: random.Random) -> list[list[str]]:
    """Phrasings per FAQ entry (question first), for ``limit`` random entries."""
    with PACK.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    topics = [
        [r["问题"], *[p.strip() for p in r["相似问法"].split("|") if p.strip()]] for r in rows
    ]
    rng.shuffle(topics)
    return topics[:limit]


def noisy(text: str, rng: random.Random) -> str:
    """A user's version of a phrasing."""
    text = text.rstrip("？?。")
    if len(text) > 6 and rng.random() < 0.3:
        i = rng.randrange(1, len(text) - 1)
        text = text[:i] + text[i + 1 :]
    return rng.choice(PREFIXES) + text + rng.choice(SUFFIXES)


def make_questions(topics: list[list[str]], n: int, rng: random.Random) -> list[tuple[str, int]]:
    """``n`` (question, topic) pairs; topic sizes follow a long tail like real traffic."""
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(topics))]
    out = []
    for _ in range(n):
        topic = rng.choices(range(len(topics)), weights)[0]
        out.append((noisy(rng.choice(topics[topic]), rng), topic))
    return out


def bcubed(groups: list[list[int]], truth: list[int]) -> tuple[float, float]:
    """B-cubed precision and recall of a clustering (lists of item indexes) against labels."""
    topic_size = Counter(truth)
    precision = recall = 0.0
    for members in groups:
        labels = Counter(truth[i] for i in members)
        for i in members:
            same = labels[truth[i]]
            precision += same / len(members)
            recall += same / topic_size[truth[i]]
    n = len(truth)
    return precision / n, recall / n


def bench_grouping(questions, topics, thresholds, repeats: int) -> None:
    from knowledge.grouping import PendingQuestion, group_questions

    pending = [PendingQuestion(log_id=i, text=q) for i, (q, _) in enumerate(questions)]
    truth = [t for _, t in questions]
    background = [t[0] for t in topics]
    used = len(set(truth))
    print(f"grouping {len(pending)} questions on {used} topics (plain text, no synonyms)")
    header = ("threshold", "groups", "time p50", "precision", "recall", "F1")
    print("{:>9} {:>7} {:>9} {:>9} {:>7} {:>6}".format(*header))
    for threshold in thresholds:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            groups = group_questions(pending, threshold=threshold, background=background)
            times.append(time.perf_counter() - started)
        precision, recall = bcubed([g.log_ids for g in groups], truth)
        f1 = 2 * precision * recall / (precision + recall)
        print(
            f"{threshold:>9.2f} {len(groups):>7} {statistics.median(times) * 1000:>7.0f}ms"
            f" {precision:>9.3f} {recall:>7.3f} {f1:>6.3f}"
        )


def bench_queue(questions) -> None:
    os.environ.setdefault("PERMITHUB_DATA_DIR", tempfile.mkdtemp(prefix="curation-bench-"))
    os.environ.setdefault("PERMITHUB_SECRET_KEY", "curation-bench-secret-key-0123456789")
    import datetime as dt

    from sqlalchemy.orm import Session

    from core.db import make_engine, upgrade_database
    from core.regions.scope import RegionScope
    from knowledge import curation, importer, service
    from knowledge.embedder import HashingEmbedder
    from knowledge.index import IndexManager
    from knowledge.models import QuestionLog
    from knowledge.normalize import prepare

    folder = Path(tempfile.mkdtemp(prefix="curation-bench-db-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    service.set_index_manager(IndexManager(folder / "data", lambda: HashingEmbedder()))
    provinces = ["江苏省", "浙江省", "广东省", "山东省", None]
    with Session(engine) as session:
        importer.import_faq(session, PACK)
        start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        session.add_all(
            QuestionLog(
                question=q,
                normalized=prepare(q),
                answered=False,
                answer="",
                confidence=0.1,
                channel="web",
                province=provinces[i % len(provinces)],
                created_at=start + dt.timedelta(minutes=i),
            )
            for i, (q, _) in enumerate(questions)
        )
        session.commit()
        for label, scope in (("national", RegionScope()), ("province", RegionScope("江苏省"))):
            times = []
            for _ in range(3):
                started = time.perf_counter()
                queue = curation.curation_queue(session, scope=scope, limit=60)
                times.append(time.perf_counter() - started)
            print(
                f"curation_queue ({label}): {queue.question_count} questions →"
                f" {queue.group_count} groups, p50 {statistics.median(times) * 1000:.0f} ms"
                " (query + grouping + FAQ suggestions for the 60 shown)"
            )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=3000)
    parser.add_argument("--topics", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-queue", action="store_true", help="skip the database part")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    topics = load_topics(args.topics, rng)
    questions = make_questions(topics, args.questions, rng)
    bench_grouping(questions, topics, [0.3, 0.4, 0.5, 0.6], args.repeats)
    if not args.no_queue:
        bench_queue(questions)


if __name__ == "__main__":
    main()
