"""Shared set-up of the knowledge benchmarks: a throw-away database, documents, question sets.

The laws and the action plan are read from ``../shared`` at run time (never committed); one law
is converted to .docx on the fly so that Word ingestion is exercised like a bureau's upload.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
PLAN = SHARED / "seeds" / "000_d8828f450199256b.txt"
CORPUS = SHARED / "corpus"
DEV_QA = SHARED / "eval" / "dev_qa.jsonl"
SETS = ROOT / "bench" / "qa_sets"
FAQ_PACK = ROOT / "knowledge" / "data" / "faq_pack.csv"
LAWS = ("大气污染防治法", "水污染防治法", "环境影响评价法", "固体废物污染环境防治法")
# every law, with the water law ingested as Word (append ".docx" to convert a name on the fly)
ALL_LAWS = ("大气污染防治法", "水污染防治法.docx", "环境影响评价法", "固体废物污染环境防治法")


def setup_environment(tmp: Path, embedder: str = "use-multilingual") -> None:
    """Point settings at a fresh database and data directory under ``tmp``."""
    os.environ["PERMITHUB_DATA_DIR"] = str(tmp / "data")
    os.environ["PERMITHUB_DATABASE_URL"] = f"sqlite:///{tmp / 'data' / 'bench.db'}"
    os.environ["PERMITHUB_SECRET_KEY"] = "bench-secret-key-not-for-production"
    os.environ["PERMITHUB_ASK_RATE_PER_MINUTE"] = "100000000"
    os.environ["PERMITHUB_EMBEDDING_MODEL"] = embedder
    os.environ.pop("PERMITHUB_TELEGRAM_TOKEN", None)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def read_set(path: Path) -> list[dict]:
    """A question set in the dev_qa.jsonl format."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def load_documents(session, documents: list[str], *, faq: bool = False) -> list[str]:
    """Replace the knowledge base by ``documents`` ("plan", a law's name, a file path; with
    ".docx" appended, converted to Word first); returns one summary line per document."""
    from sqlalchemy import delete

    from knowledge import importer, service
    from knowledge.index import refresh_index
    from knowledge.models import Document, FaqEntry
    from tests.support.legal_docs import law_to_docx

    session.execute(delete(Document))
    session.execute(delete(FaqEntry))
    # bulk deletes leave the old rows in the identity map; new rows reuse their ids on SQLite
    session.expunge_all()
    refresh_index(session)
    lines = []
    for name in documents:
        if name == "plan":
            result = service.ingest_path(session, PLAN)
        elif name.endswith(".docx"):  # a law (or a markdown file) converted to Word on the fly
            source = CORPUS / f"{name[:-5]}.md" if name[:-5] in LAWS else Path(name[:-5])
            data = law_to_docx(source)
            result = service.ingest_bytes(session, data=data, filename=Path(name).name)
        elif name in LAWS:
            result = service.ingest_path(session, CORPUS / f"{name}.md")
        else:
            result = service.ingest_path(session, Path(name))
        lines.append(result.summary())
    if faq:
        lines.append(importer.import_faq(session, FAQ_PACK, skip_invalid=True).summary())
    service.current_index(session)
    return lines


def report_and_write(model, path: Path, *, dry_run: bool) -> None:
    """Print a fitted model's weights and write it as JSON to ``path`` (unless ``dry_run``): the
    refusal and the ranking model are stored the same way."""
    weights = zip(model.features, model.weights, strict=True)
    print("weights:", {f: round(float(w), 3) for f, w in weights})
    if not dry_run:
        path.write_text(
            json.dumps(model.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(f"written {path}")
