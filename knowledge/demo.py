"""Demo knowledge for ``permithub demo``: our FAQ pack and, when available, the action plan.

The FAQ pack (``knowledge/data/faq_pack.csv``) ships with the code. The action plan itself is not
part of the repository; it is ingested from ``../shared/seeds`` only when that folder exists next
to the checkout (a development machine). Idempotent: unchanged files are skipped.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from knowledge import importer, service

FAQ_PACK = Path(__file__).parent / "data" / "faq_pack.csv"
PLAN_SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_d8828f450199256b.txt"


def load_demo_knowledge(session: Session) -> str:
    """Load the FAQ pack (and the plan when its seed file is present); returns one summary line."""
    lines = []
    if PLAN_SEED.exists():
        lines.append(service.ingest_path(session, PLAN_SEED).summary())
    if FAQ_PACK.exists():
        lines.append(importer.import_faq(session, FAQ_PACK, skip_invalid=True).summary())
    else:
        lines.append(f"未找到问答包 {FAQ_PACK}，跳过问答库演示数据。")
    return "知识库：" + "；".join(lines)
