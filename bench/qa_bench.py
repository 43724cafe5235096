"""Benchmark of the knowledge engine: retrieval quality, refusals, /api/ask latency, ingest speed.

Ingests the action plan (and, with ``--with-faq``, our FAQ pack) into a fresh SQLite database in a
temporary DATA_DIR, then runs ``../shared/eval/dev_qa.jsonl`` through ``POST /api/ask`` of the
real ASGI app (the same code the bot and the web page use) for the full hybrid pipeline, BM25
only and dense only, and prints for each:

- hit@1 / hit@3 over in-scope questions: answered (not refused) and the answer or the first
  (hit@3: one of the first three) cited passages contains one of ``must_contain_any``;
- the share of out-of-scope questions refused and of in-scope questions wrongly refused;
- /api/ask latency p50/p95 (warm, ``--repeat`` passes over the questions after one warm-up pass)
  and the CPU time per request of the whole process (client and server threads): on a busy
  machine wall-clock latency mostly measures waiting for a core, CPU time does not.

With ``--pdf-pages N`` it also builds an N-page Chinese PDF with reportlab and times its ingest.

    .venv/bin/python bench/qa_bench.py
    .venv/bin/python bench/qa_bench.py --with-faq --repeat 5
    .venv/bin/python bench/qa_bench.py --pdf-pages 200 --modes hybrid
    .venv/bin/python bench/qa_bench.py --verbose      # every question with its confidence

Latency is measured with the query-vector cache emptied before each request (every question
embedded afresh); ``--cached`` keeps it, as for a question asked again.

Targets: hit@1 ≥ 0.95, hit@3 ≥ 0.99 (plan alone), ≥ 90 % of out-of-scope refused, ≤ 5 % of
in-scope refused, p50 ≤ 5 ms and p95 ≤ 15 ms, plan ingest ≤ 2 s, 200-page PDF ≤ 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
PLAN = SHARED / "seeds" / "000_d8828f450199256b.txt"
DEV_QA = SHARED / "eval" / "dev_qa.jsonl"
FAQ_PACK = ROOT / "knowledge" / "data" / "faq_pack.csv"


def _setup_environment(tmp: Path, embedder: str) -> None:
    os.environ["PERMITHUB_DATA_DIR"] = str(tmp / "data")
    os.environ["PERMITHUB_DATABASE_URL"] = f"sqlite:///{tmp / 'data' / 'bench.db'}"
    os.environ["PERMITHUB_SECRET_KEY"] = "bench-secret-key-not-for-production"
    os.environ["PERMITHUB_ASK_RATE_PER_MINUTE"] = "100000000"
    os.environ["PERMITHUB_EMBEDDING_MODEL"] = embedder
    os.environ.pop("PERMITHUB_TELEGRAM_TOKEN", None)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def _contains(text: str, needles: list[str]) -> bool:
    return any(n in text for n in needles)


def evaluate(client, questions: list[dict], repeat: int, verbose: bool, cached: bool) -> dict:
    """Ask every question through the API; quality from the first pass, latency from later ones.

    Unless ``cached``, the query-vector cache is emptied before each timed request, so every
    measured request embeds its question (a new question, not a repeated one).
    """
    from knowledge import service

    in_scope = [q for q in questions if q["in_scope"]]
    out_scope = [q for q in questions if not q["in_scope"]]
    hit1 = hit3 = wrongly_refused = refused_out = 0
    confidences: dict[bool, list[float]] = {True: [], False: []}
    for q in questions:  # warm-up pass, also the one we judge
        response = client.post("/api/ask", json={"question": q["q"]})
        response.raise_for_status()
        body = response.json()
        sources = [s["text"] for s in body["sources"]]
        confidences[q["in_scope"]].append(body["confidence"])
        if q["in_scope"]:
            needles = q["must_contain_any"]
            first = body["answered"] and (
                _contains(body["answer"], needles) or (sources and _contains(sources[0], needles))
            )
            three = body["answered"] and (
                _contains(body["answer"], needles)
                or any(_contains(s, needles) for s in sources[:3])
            )
            hit1 += bool(first)
            hit3 += bool(three)
            wrongly_refused += not body["answered"]
            mark = "ok " if first else ("ok3" if three else "MISS")
        else:
            refused_out += not body["answered"]
            mark = "ok " if not body["answered"] else "MISS"
        if verbose:
            kind = "in " if q["in_scope"] else "out"
            print(
                f"  {mark} {kind} conf={body['confidence']:.3f} "
                f"answered={body['answered']!s:5} {q['q']}"
            )
    latencies = []
    cpu_started = time.process_time()
    for _ in range(repeat):
        for q in questions:
            if not cached:
                service.index_manager().query_cache.clear()
            started = time.perf_counter()
            client.post("/api/ask", json={"question": q["q"]}).raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
    cpu_ms = (time.process_time() - cpu_started) * 1000 / max(len(latencies), 1)
    latencies.sort()
    return {
        "in_min_confidence": min(confidences[True], default=float("nan")),
        "out_max_confidence": max(confidences[False], default=float("nan")),
        "cpu_ms": cpu_ms,
        "hit@1": hit1 / max(len(in_scope), 1),
        "hit@3": hit3 / max(len(in_scope), 1),
        "out_refused": refused_out / max(len(out_scope), 1),
        "in_refused": wrongly_refused / max(len(in_scope), 1),
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
    }


def make_pdf(path: Path, pages: int) -> None:
    """An N-page Chinese PDF: the plan's paragraphs over and over, with numbered headings."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    paragraphs = [
        line.strip().replace("*", "").lstrip("#").strip()
        for line in PLAN.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 40 and "\t" not in line
    ]
    pdf = canvas.Canvas(str(path), pagesize=A4)
    per_line, lines_per_page = 38, 46
    numerals = "一二三四五六七八九十"
    p = 0
    for page in range(pages):
        pdf.setFont("STSong-Light", 11)
        y = 800
        heading = f"{numerals[page % 10]}、第{page + 1}部分 管理要求"
        pdf.drawString(50, y, heading)
        y -= 16
        written = 1
        while written < lines_per_page:
            text = (
                f"（{numerals[p % 10]}）"
                + paragraphs[p % len(paragraphs)]
                + f"（第{page + 1}页第{p}段）"
            )
            p += 1
            for start in range(0, len(text), per_line):
                if written >= lines_per_page:
                    break
                pdf.drawString(50, y, text[start : start + per_line])
                y -= 16
                written += 1
        pdf.showPage()
    pdf.save()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--with-faq", action="store_true", help="also import knowledge/data/faq_pack.csv"
    )
    parser.add_argument(
        "--modes", default="hybrid,bm25,dense", help="comma-separated: hybrid,bm25,dense"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the questions")
    parser.add_argument(
        "--embedder", default="use-multilingual", help="use-multilingual | hashing | model folder"
    )
    parser.add_argument("--dev", type=Path, default=DEV_QA)
    parser.add_argument("--plan", type=Path, default=PLAN)
    parser.add_argument(
        "--pdf-pages", type=int, default=0, help="also time ingest of an N-page PDF"
    )
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--cached", action="store_true", help="keep the query-vector cache between timed requests"
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    _setup_environment(tmp, args.embedder)

    from fastapi.testclient import TestClient

    from core.db import SessionLocal, upgrade_database
    from knowledge import service
    from knowledge.embedder import get_embedder
    from knowledge.index import words
    from knowledge.retrieval import DEFAULT_PARAMS, general_idf
    from web.main import create_app

    upgrade_database()
    started = time.perf_counter()
    get_embedder()
    words("预热分词")  # jieba loads its dictionary once per process
    general_idf()  # and the general-Chinese IDF table
    warmup = time.perf_counter() - started
    questions = [
        json.loads(line)
        for line in args.dev.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]

    with SessionLocal() as session:
        started = time.perf_counter()
        result = service.ingest_path(session, args.plan)
        stored = time.perf_counter() - started
        service.current_index(session)
        total = time.perf_counter() - started
        print(f"model, tokenizer and IDF table load: {warmup:.2f} s (once per process)")
        print(
            f"ingest plan: {result.summary()} parse+embed+store {stored * 1000:.0f} ms, "
            f"with index build {total:.2f} s"
        )
        if args.with_faq:
            started = time.perf_counter()
            report = service.import_faq(session, FAQ_PACK, skip_invalid=True)
            service.current_index(session)
            print(
                f"FAQ pack: {report.summary()} "
                f"({time.perf_counter() - started:.2f} s with index build)"
            )
        if args.pdf_pages:
            pdf = tmp / f"generated-{args.pdf_pages}-pages.pdf"
            make_pdf(pdf, args.pdf_pages)
            started = time.perf_counter()
            result = service.ingest_path(session, pdf, title="生成的测试文档")
            stored = time.perf_counter() - started
            service.current_index(session)
            total = time.perf_counter() - started
            print(
                f"ingest {args.pdf_pages}-page PDF: {result.summary()} "
                f"parse+embed+store {stored:.2f} s, "
                f"with index build {total:.2f} s"
            )
            if "--keep-pdf" not in sys.argv:
                from sqlalchemy import delete

                from knowledge.models import Document

                session.execute(delete(Document).where(Document.title == "生成的测试文档"))
                service.refresh_index(session)
                service.current_index(session)

    app = create_app()
    print(
        f"\n{len(questions)} questions ({sum(q['in_scope'] for q in questions)} in scope), "
        f"{'plan + FAQ pack' if args.with_faq else 'plan alone'}, embedder {args.embedder}"
    )
    print(
        f"{'mode':8} {'hit@1':>6} {'hit@3':>6} {'out refused':>12} {'in refused':>11} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'CPU ms':>7}"
    )
    with TestClient(app) as client:
        floor = []
        cpu_started = time.process_time()
        for _ in range(max(args.repeat, 1) * len(questions)):
            started = time.perf_counter()
            client.get("/healthz").raise_for_status()
            floor.append((time.perf_counter() - started) * 1000)
        floor_cpu = (time.process_time() - cpu_started) * 1000 / len(floor)
        floor.sort()
        print(
            f"{'/healthz':8} {'':6} {'':6} {'':12} {'':11} {statistics.median(floor):7.2f} "
            f"{floor[int(0.95 * (len(floor) - 1))]:7.2f} {floor_cpu:7.2f}  (ASGI round trip alone)"
        )
        results: dict[str, dict] = {}
        for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
            service.configure_retrieval(mode=mode)
            if args.verbose:
                print(f"[{mode}]")
            r = results[mode] = evaluate(client, questions, args.repeat, args.verbose, args.cached)
            print(
                f"{mode:8} {r['hit@1']:6.3f} {r['hit@3']:6.3f} {r['out_refused']:12.2f} "
                f"{r['in_refused']:11.3f} {r['p50_ms']:7.2f} {r['p95_ms']:7.2f} {r['cpu_ms']:7.2f}"
            )
        if "hybrid" in results:
            r = results["hybrid"]
            print(
                f"\ncalibration (hybrid): lowest in-scope confidence {r['in_min_confidence']:.3f}, "
                f"highest out-of-scope {r['out_max_confidence']:.3f}; "
                f"threshold in use {DEFAULT_PARAMS.answer_threshold:.2f}"
            )
    service.configure_retrieval(mode="hybrid")


if __name__ == "__main__":
    main()
