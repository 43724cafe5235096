"""Knowledge for tests: a counting fake embedder, the action plan in the index (bot, chat), what
the ranking model reads of a law's articles."""

from __future__ import annotations

from contextlib import contextmanager

from knowledge.embedder import HashingEmbedder


@contextmanager
def plan_knowledge(session, index_dir):
    """The action plan ingested by the knowledge service, on its deterministic test embedder."""
    from knowledge import service as knowledge_service
    from knowledge.embedder import HashingEmbedder
    from knowledge.index import IndexManager
    from tests.support.shared import PLAN_PATH, require_shared

    require_shared()
    previous = knowledge_service.set_index_manager(IndexManager(index_dir, HashingEmbedder))
    try:
        knowledge_service.ingest_path(session, PLAN_PATH)
        yield knowledge_service
    finally:
        knowledge_service.set_index_manager(previous)


class CountingEmbedder(HashingEmbedder):
    """The hashing embedder, counting the texts it was asked to embed."""

    def __init__(self, dim: int = 256) -> None:
        super().__init__(dim)
        self.calls = 0
        self.texts = 0

    def encode(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return super().encode(texts)


def air_law_table(session) -> dict:
    """What retrieval measured of the air law's best articles for a question the ranking model
    reorders (``Retrieval.reordered``), on whichever embedder the test's index has."""
    from knowledge import retrieval, service
    from tests.support.shared import CORPUS_DIR, require_shared

    require_shared()
    service.ingest_path(session, CORPUS_DIR / "大气污染防治法.md")
    index = service.current_index(session)
    _, table = retrieval.retrieve(index, "工地裸土长期不开工要怎么处理").reordered
    return table
