"""Reply time of the WeChat channel in safe (AES) mode, end to end through the ASGI app.

Ingests the action plan into a fresh SQLite database in a temporary DATA_DIR, then posts a few
hundred questions (``../shared/eval/dev_qa.jsonl`` and ``bench/qa_sets``), each signed and
encrypted with wechatpy's ``WeChatCrypto`` as WeChat's servers would, from 50 followers, to
``POST /wechat`` of the real app; every encrypted reply is decrypted and checked. Prints p50/p95
of the whole round trip (signature check, decryption, de-duplication row, the answer service,
formatting, encryption) next to ``knowledge.service.answer_question`` called directly.
WeChat drops a passive reply after 5 seconds.

    .venv/bin/python bench/wechat_bench.py
    .venv/bin/python bench/wechat_bench.py --questions 300 --embedder hashing
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
SOURCES = [SHARED / "eval" / "dev_qa.jsonl", *sorted((ROOT / "bench" / "qa_sets").glob("*.jsonl"))]
TOKEN = "bench-wechat-token"
APP_ID = "wxbench000000000001"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def _setup_environment(tmp: Path, embedder: str) -> None:
    os.environ["PERMITHUB_DATA_DIR"] = str(tmp / "data")
    os.environ["PERMITHUB_DATABASE_URL"] = f"sqlite:///{tmp / 'data' / 'bench.db'}"
    os.environ["PERMITHUB_SECRET_KEY"] = "bench-secret-key-not-for-production"
    os.environ["PERMITHUB_CHAT_RATE_PER_MINUTE"] = "100000000"
    os.environ["PERMITHUB_EMBEDDING_MODEL"] = embedder
    os.environ["PERMITHUB_WECHAT_TOKEN"] = TOKEN
    os.environ["PERMITHUB_WECHAT_APP_ID"] = APP_ID
    os.environ["PERMITHUB_WECHAT_AES_KEY"] = AES_KEY
    os.environ.pop("PERMITHUB_TELEGRAM_TOKEN", None)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def _questions(limit: int) -> list[str]:
    seen: dict[str, None] = {}
    for path in SOURCES:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                text = (row.get("q") or row.get("question") or "").strip()
                if text and len(text) <= 500:
                    seen.setdefault(text, None)
    return list(seen)[:limit]


def _figures(latencies: list[float]) -> str:
    latencies = sorted(latencies)
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    top = latencies[-1]
    return f"p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   max {top:7.2f} ms   (n={len(latencies)})"


def bench_wechat(questions: list[str]) -> tuple[list[float], int]:
    import xmltodict
    from fastapi.testclient import TestClient
    from wechatpy.crypto import WeChatCrypto
    from wechatpy.utils import WeChatSigner

    from web.main import create_app

    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    latencies: list[float] = []
    cited = 0
    with TestClient(create_app()) as client:
        for i, text in enumerate([questions[0], *questions]):  # the first one warms up
            openid = f"oBenchFollower{i % 50:015d}"
            xml = (
                f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName>"
                f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
                f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                f"<Content><![CDATA[{text}]]></Content><MsgId>{10**15 + i}</MsgId></xml>"
            )
            started = time.perf_counter()
            timestamp, nonce = str(int(time.time())), f"n{i}"
            signer = WeChatSigner()
            signer.add_data(TOKEN, timestamp, nonce)
            sealed = xmltodict.parse(crypto.encrypt_message(xml, nonce, timestamp))["xml"]
            body = (
                "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName>"
                f"<Encrypt><![CDATA[{sealed['Encrypt']}]]></Encrypt></xml>"
            )
            response = client.post(
                "/wechat",
                params={
                    "signature": signer.signature,
                    "timestamp": timestamp,
                    "nonce": nonce,
                    "encrypt_type": "aes",
                    "msg_signature": sealed["MsgSignature"],
                },
                content=body.encode(),
            )
            response.raise_for_status()
            envelope = xmltodict.parse(response.text)["xml"]
            reply = xmltodict.parse(
                crypto.decrypt_message(
                    response.text,
                    envelope["MsgSignature"],
                    envelope["TimeStamp"],
                    envelope["Nonce"],
                )
            )["xml"]["Content"]
            elapsed = (time.perf_counter() - started) * 1000
            if i:
                latencies.append(elapsed)
                cited += "📖 依据" in reply
                assert len(reply.encode()) <= 2048
    return latencies, cited


def bench_service(questions: list[str]) -> list[float]:
    from core.db import SessionLocal
    from knowledge import service

    latencies: list[float] = []
    with SessionLocal() as session:
        for text in questions:
            started = time.perf_counter()
            service.answer_question(session, question=text, channel="api")
            session.commit()
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=300, help="how many questions to send")
    parser.add_argument(
        "--embedder", default="use-multilingual", help="use-multilingual (default) or hashing"
    )
    args = parser.parse_args()
    questions = _questions(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        _setup_environment(Path(tmp), args.embedder)
        from core.db import SessionLocal, upgrade_database
        from knowledge import service

        upgrade_database()
        with SessionLocal() as session:
            started = time.perf_counter()
            service.ingest_path(session, PLAN)
            print(f"ingested the action plan in {time.perf_counter() - started:.2f} s")
        print(f"{len(questions)} questions, embedder {args.embedder}")
        print(f"answer_question (direct)      {_figures(bench_service(questions))}")
        latencies, cited = bench_wechat(questions)
        print(
            f"POST /wechat (AES, end to end) {_figures(latencies)}"
            f"   replies citing a clause: {cited}"
        )


if __name__ == "__main__":
    main()
