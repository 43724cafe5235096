"""Import every domain's models so ``Base.metadata`` knows all tables (Alembic, tests)."""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "core.accounts.models",
    "core.audit.models",
    "core.ratelimit",
    "core.enterprises.models",
    "courses.models",
    "knowledge.models",
    "knowledge.curation_models",
    "quiz.models",
    "bot.models",
    "wechat.models",
    "cases.models",
)


def import_all_models() -> None:
    """Import the model modules of all domains."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
