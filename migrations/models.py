"""Every domain's models, so ``Base.metadata`` knows all tables (Alembic, tests, the app)."""

from __future__ import annotations

from types import ModuleType

import bot.models
import cases.models
import core.accounts.models
import core.audit.models
import core.enterprises.models
import core.ratelimit
import courses.models
import knowledge.curation_models
import knowledge.models
import quiz.models
import wechat.models

# The modules that declare tables; importing this module has imported them all.
MODEL_MODULES: tuple[ModuleType, ...] = (
    core.accounts.models,
    core.audit.models,
    core.ratelimit,
    core.enterprises.models,
    courses.models,
    knowledge.models,
    knowledge.curation_models,
    quiz.models,
    bot.models,
    wechat.models,
    cases.models,
)


def import_all_models() -> tuple[ModuleType, ...]:
    """The model modules of all domains (imported with this module, so every table is known)."""
    return MODEL_MODULES
