"""Knowledge fixtures: a deterministic hashing embedder, the action plan, small FAQ tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import service
from knowledge.embedder import UseEmbedder
from knowledge.index import IndexManager
from tests.support.knowledge import CountingEmbedder
from tests.support.shared import PLAN_PATH, require_shared


@pytest.fixture
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture(scope="session")
def use_embedder() -> UseEmbedder:
    """The bundled USE model, loaded once: a module whose index must embed with it (a floor or a
    map fitted for its vectors) overrides ``embedder`` with it."""
    return UseEmbedder()


@pytest.fixture
def index_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def manager(index_dir, embedder):
    """Every knowledge test gets its own index manager on the fake embedder."""
    manager = IndexManager(index_dir, lambda: embedder)
    previous = service.set_index_manager(manager)
    yield manager
    service.set_index_manager(previous)


@pytest.fixture
def plan_path() -> Path:
    require_shared()
    return PLAN_PATH


@pytest.fixture
def plan(session, plan_path):
    """The action plan ingested into the test database."""
    return service.ingest_path(session, plan_path)


FAQ_HEADER = "问题,相似问法,答案,依据,标签\n"


@pytest.fixture
def write_faq(tmp_path):
    """Write a FAQ CSV from rows of (问题, 相似问法, 答案, 依据, 标签)."""

    def _write(rows, name: str = "faq.csv", header: str = FAQ_HEADER) -> Path:
        import csv
        import io

        buffer = io.StringIO()
        buffer.write(header)
        writer = csv.writer(buffer, lineterminator="\n")
        for row in rows:
            writer.writerow(row)
        path = tmp_path / name
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return path

    return _write
