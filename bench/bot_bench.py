"""Benchmark of the chat channels: what the bot and the /chat page add on top of the answer service.

Ingests the action plan into a fresh SQLite database in a temporary DATA_DIR, then sends every
question of ``../shared/eval/dev_qa.jsonl`` (``--repeat`` passes after a warm-up pass)

- as a Telegram text message through ``Application.process_update`` (guards, the answer service
  in a worker thread, the chat turn, HTML rendering and splitting, sendMessage to an offline
  Bot API transport that answers at once), and
- as a form post to ``POST /chat`` of the real ASGI app (``Accept: application/json``),

and prints p50/p95 latency for each, next to ``knowledge.service.answer_question`` called
directly, so the overhead of each channel shows. It also times ``split_html`` on a long answer.

    .venv/bin/python bench/bot_bench.py
    .venv/bin/python bench/bot_bench.py --repeat 5 --embedder hashing
"""

from __future__ import annotations

import argparse
import asyncio
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


def _setup_environment(tmp: Path, embedder: str) -> None:
    os.environ["PERMITHUB_DATA_DIR"] = str(tmp / "data")
    os.environ["PERMITHUB_DATABASE_URL"] = f"sqlite:///{tmp / 'data' / 'bench.db'}"
    os.environ["PERMITHUB_SECRET_KEY"] = "bench-secret-key-not-for-production"
    os.environ["PERMITHUB_CHAT_RATE_PER_MINUTE"] = "100000000"
    os.environ["PERMITHUB_EMBEDDING_MODEL"] = embedder
    os.environ.pop("PERMITHUB_TELEGRAM_TOKEN", None)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def _figures(latencies: list[float]) -> str:
    latencies = sorted(latencies)
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    return f"p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   (n={len(latencies)})"


def _offline_transport():
    """A Bot API transport that answers every call at once (no network)."""
    from telegram.request import BaseRequest

    class Offline(BaseRequest):
        def __init__(self) -> None:
            self.sent = 0

        @property
        def read_timeout(self) -> float | None:
            return 1.0

        async def initialize(self) -> None:
            pass

        async def shutdown(self) -> None:
            pass

        async def do_request(self, url, method, request_data=None, *args, **kwargs):
            endpoint = url.rsplit("/", 1)[-1]
            params = request_data.parameters if request_data else {}
            if endpoint == "getMe":
                result = {"id": 1, "is_bot": True, "first_name": "b", "username": "BenchBot"}
            elif endpoint == "sendMessage":
                self.sent += 1
                result = {
                    "message_id": self.sent,
                    "date": 0,
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                    "text": params["text"],
                }
            else:
                result = True
            return 200, json.dumps({"ok": True, "result": result}).encode()

    return Offline()


async def bench_telegram(questions: list[str], repeat: int) -> tuple[list[float], int]:
    from telegram import Update

    from bot.app import build_application

    transport = _offline_transport()
    application = build_application("1:BENCH", request=transport, updater=False)
    latencies: list[float] = []
    update_id = 0
    async with application:
        for round_ in range(repeat + 1):
            for text in questions:
                update_id += 1
                person = 1000 + update_id % 50
                update = Update.de_json(
                    {
                        "update_id": update_id,
                        "message": {
                            "message_id": update_id,
                            "date": 0,
                            "chat": {"id": person, "type": "private"},
                            "from": {"id": person, "is_bot": False, "first_name": "u"},
                            "text": text,
                        },
                    },
                    application.bot,
                )
                started = time.perf_counter()
                await application.process_update(update)
                if round_:
                    latencies.append((time.perf_counter() - started) * 1000)
    return latencies, transport.sent


def bench_web(questions: list[str], repeat: int) -> list[float]:
    import re

    from fastapi.testclient import TestClient

    from web.main import create_app

    latencies: list[float] = []
    with TestClient(create_app()) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/chat").text).group(1)
        for round_ in range(repeat + 1):
            for text in questions:
                started = time.perf_counter()
                response = client.post(
                    "/chat",
                    data={"question": text, "csrf_token": token},
                    headers={"Accept": "application/json"},
                )
                response.raise_for_status()
                if round_:
                    latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def bench_service(questions: list[str], repeat: int) -> list[float]:
    from core.db import SessionLocal
    from knowledge import service

    latencies: list[float] = []
    with SessionLocal() as session:
        for round_ in range(repeat + 1):
            for text in questions:
                started = time.perf_counter()
                service.answer_question(session, question=text, channel="api")
                session.commit()
                if round_:
                    latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def bench_split() -> str:
    from bot.formatting import split_html

    sentence = "审核人员到厂核对排放口和治理设施，当天记入审核意见。"
    text = "<b>依据</b>\n" + sentence * 700
    started = time.perf_counter()
    parts = split_html(text)
    elapsed = (time.perf_counter() - started) * 1000
    return f"split_html: {len(text)} characters into {len(parts)} messages in {elapsed:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the questions")
    parser.add_argument(
        "--embedder", default="use-multilingual", help="use-multilingual (default) or hashing"
    )
    args = parser.parse_args()
    questions = [json.loads(line)["q"] for line in DEV_QA.read_text(encoding="utf-8").splitlines()]
    with tempfile.TemporaryDirectory() as tmp:
        _setup_environment(Path(tmp), args.embedder)
        from core.db import SessionLocal, upgrade_database
        from knowledge import service

        upgrade_database()
        with SessionLocal() as session:
            started = time.perf_counter()
            service.ingest_path(session, PLAN)
            print(f"ingested the action plan in {time.perf_counter() - started:.2f} s")
        print(f"{len(questions)} questions from {DEV_QA.name}, {args.repeat} timed passes")
        print(f"answer_question (direct) {_figures(bench_service(questions, args.repeat))}")
        latencies, sent = asyncio.run(bench_telegram(questions, args.repeat))
        print(f"Telegram process_update  {_figures(latencies)}   messages sent: {sent}")
        print(f"web POST /chat           {_figures(bench_web(questions, args.repeat))}")
        print(bench_split())


if __name__ == "__main__":
    main()
