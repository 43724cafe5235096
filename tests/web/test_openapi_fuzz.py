"""The whole OpenAPI of ``create_app()``, fuzzed in-process by schemathesis as every kind of caller.

No generated request may bring a server error, and every answer must be one the schema documents:
its status code, content type, headers and body. Run anonymously and as each role (national,
province, city, staff, enterprise) on a fresh database with the demo data, first operation by
operation, then as stateful sequences along the links schemathesis infers (an id a POST returns is
fed to the GET, PUT and DELETE that take it).

Deterministic (a fixed seed, derandomised Hypothesis, no example database) and bounded (a few dozen
examples per operation) so it fits ``make test``. To run it alone:

    .venv/bin/python -m pytest -q -p no:cacheprovider tests/web/test_openapi_fuzz.py
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator

import pytest
import schemathesis
import schemathesis.engine
from schemathesis.engine import Status, events
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import get_settings
from core.db import make_engine, upgrade_database, use_engine

ROLES = ("anonymous", "national", "province", "city", "staff", "enterprise")
PASSWORD = "Fuzz-口令-2024-长一点"
SEED = 20240601
EXAMPLES_PER_OPERATION = 25
STATEFUL_STEPS = 8
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
)
# Limits high enough that the fuzzer never meets them (a 429 there would only depend on timing).
UNLIMITED = {
    "PERMITHUB_ASK_RATE_PER_MINUTE": "1000000",
    "PERMITHUB_CHAT_RATE_PER_MINUTE": "1000000",
    "PERMITHUB_PRACTICE_RATE_PER_MINUTE": "1000000",
    "PERMITHUB_LOGIN_MAX_FAILURES": "1000000",
}


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx, value) -> bytes:
    """One JSON document per line (the batch evaluation's upload format)."""
    rows = value if isinstance(value, list) else [value]
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()


def _accounts(session: Session) -> dict[str, dict]:
    """One account per role, in the demo's 江苏省苏州市 so scoped data is there to be found."""
    from core.enterprises.models import Enterprise

    credit_code = session.scalar(
        select(Enterprise.credit_code).where(Enterprise.city == "苏州市").order_by(Enterprise.id)
    )
    return {
        "national": {"role": "national"},
        "province": {"role": "province", "province": "江苏省"},
        "city": {"role": "city", "province": "江苏省", "city": "苏州市"},
        "staff": {
            "role": "staff",
            "province": "江苏省",
            "city": "苏州市",
            "organisation": "苏州市生态环境局",
            "staff_kind": "审批人员",
        },
        "enterprise": {"role": "enterprise", "credit_code": credit_code},
    }


def _load_fixture(database_url: str) -> None:
    """Migrate, load every demo loader the CLI's ``permithub demo`` runs, add the role accounts."""
    from core.accounts import service as account_service
    from web.cli import DEMO_LOADERS

    upgrade_database(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            for spec in DEMO_LOADERS:
                module, function = spec.split(":")
                getattr(importlib.import_module(module), function)(session)
                session.commit()
            for role, fields in _accounts(session).items():
                account_service.create_user(
                    session, username=f"fuzz-{role}", password=PASSWORD, **fields
                )
            session.commit()
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory) -> Iterator[object]:
    """The real app on its own committed database (stateful runs need writes that stay written)."""
    from knowledge import service as knowledge_service
    from knowledge.embedder import HashingEmbedder
    from knowledge.index import IndexManager

    folder = tmp_path_factory.mktemp("fuzz")
    database_url = f"sqlite:///{folder / 'fuzz.db'}"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in UNLIMITED.items():
            patch.setenv(name, value)
        get_settings.cache_clear()
        _load_fixture(database_url)
        engine = make_engine(database_url)
        use_engine(engine)
        # The knowledge index of this database, apart from the other tests' index folder.
        previous = knowledge_service.set_index_manager(
            IndexManager(folder / "index", lambda: HashingEmbedder())
        )
        from web.main import create_app

        try:
            yield create_app()
        finally:
            knowledge_service.set_index_manager(previous)
            use_engine(None)
            engine.dispose()
            get_settings.cache_clear()


@pytest.fixture(scope="module")
def bearer_tokens(fuzz_app) -> dict[str, str]:
    """A token per role, taken the way an API client takes one: the OAuth2 password flow."""
    from fastapi.testclient import TestClient

    tokens = {}
    with TestClient(fuzz_app) as client:
        for role in ROLES[1:]:
            response = client.post(
                "/api/auth/token", data={"username": f"fuzz-{role}", "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            tokens[role] = response.json()["access_token"]
    return tokens


def _config(headers: dict[str, str]) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": headers,
            "generation": {
                "max-examples": EXAMPLES_PER_OPERATION,
                "deterministic": True,
                "database": "none",
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
            "suppress-health-check": ["all"],
        }
    )


def _failures(schema) -> Iterator[str]:
    """Run every phase (examples, coverage, fuzzing, stateful) as the CLI would; say what failed."""
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            yield from _scenario_failures(event)
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            error = getattr(event, "value", None) or getattr(event, "exception", None)
            yield f"{getattr(event, 'label', '')}: 未能测试 {type(error).__name__}: {error}"


def _scenario_failures(event) -> Iterator[str]:
    recorder = event.recorder
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.status != Status.FAILURE or check.failure_info is None:
                continue
            failure = check.failure_info.failure
            response = recorder.find_response(case_id=case_id)
            body = response.content[:300].decode("utf-8", "replace") if response is not None else ""
            status = response.status_code if response is not None else "-"
            yield (
                f"{recorder.label} [{event.phase.value}] {failure.title}: {failure.message[:500]}\n"
                f"    -> {status} {body}\n    {check.failure_info.code_sample}"
            )


@pytest.mark.parametrize("role", ROLES)
def test_no_server_error_and_every_answer_as_documented(role, fuzz_app, bearer_tokens):
    headers = {"Authorization": f"Bearer {bearer_tokens[role]}"} if role in bearer_tokens else {}
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app, config=_config(headers))
    problems = sorted(set(_failures(schema)))
    assert not problems, f"{len(problems)} 处不符（{role}）：\n" + "\n".join(problems)


def test_the_fuzzed_schema_is_the_whole_api(fuzz_app):
    """Nothing is left out of the run: every JSON API route of the app is in the OpenAPI."""
    documented = set(fuzz_app.openapi()["paths"])
    routes = {
        route.path for route in fuzz_app.routes if getattr(route, "path", "").startswith("/api/")
    }
    assert routes <= documented | {"/api/telegram/webhook"}, routes - documented
