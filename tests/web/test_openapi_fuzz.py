"""The whole OpenAPI of ``create_app()``, fuzzed in-process by schemathesis as every kind of caller.

No generated request may bring a server error, and every answer must be one the schema documents:
its status code, content type, headers and body. Run anonymously and as each role (national,
province, city, staff, enterprise) on a fresh database with the demo data, first operation by
operation, then as stateful sequences along the links schemathesis infers (an id a POST returns is
fed to the GET, PUT and DELETE that take it).

Deterministic (a fixed seed, derandomised Hypothesis, no example database) and bounded (a few dozen
examples per operation) so it fits ``make test``. To run it alone (add
``PERMITHUB_FUZZ_DATABASE_URL=postgresql://…`` to fuzz a PostgreSQL database instead of SQLite):

    .venv/bin/python -m pytest -q -p no:cacheprovider tests/web/test_openapi_fuzz.py
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import schemathesis
import schemathesis.engine
from schemathesis.engine import Status, events
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import get_settings, normalise_database_url
from core.db import make_engine, upgrade_database, use_engine

ROLES = ("anonymous", "national", "province", "city", "staff", "enterprise")
# A few operations each caller must get a success from: proof the run went past the login.
ADMIN_ANSWERS = {"GET /api/auth/me", "GET /api/enterprises", "GET /api/coverage"}
LEARNER_ANSWERS = {"GET /api/auth/me", "GET /api/courses", "GET /api/quiz/practice/question"}
EXPECTED_ANSWERS = {
    "anonymous": {"GET /healthz", "POST /api/ask"},
    "national": ADMIN_ANSWERS | {"GET /api/quiz/questions", "POST /api/knowledge/admin/faq"},
    "province": ADMIN_ANSWERS | {"GET /api/courses/staff-credits"},
    "city": ADMIN_ANSWERS | {"GET /api/courses/staff-credits"},
    "staff": LEARNER_ANSWERS,
    "enterprise": LEARNER_ANSWERS,
}
PASSWORD = "Fuzz-口令-2024-长一点"
SEED = 20240601
EXAMPLES_PER_OPERATION = 20
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
    "PERMITHUB_LOGIN_ADDRESS_MAX_FAILURES": "1000000",
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


def _fuzz_database(folder: Path) -> str:
    """A SQLite file, or the PostgreSQL database named by ``PERMITHUB_FUZZ_DATABASE_URL`` (emptied
    first: never the one the other tests share, whose rows roll back while these stay)."""
    url = os.environ.get("PERMITHUB_FUZZ_DATABASE_URL")
    if not url:
        return f"sqlite:///{folder / 'fuzz.db'}"
    from tests.support.postgres import reset_postgres

    url = normalise_database_url(url)
    reset_postgres(url)
    return url


def _load_fixture(database_url: str) -> None:
    """Migrate, load every demo loader the CLI's ``permithub demo`` runs, add the role accounts."""
    from core.accounts import service as account_service
    from web.cli import demo_loaders

    upgrade_database(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            for load in demo_loaders():
                load(session)
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
    database_url = _fuzz_database(folder)
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


def _token_for(username: str) -> str:
    """A bearer token at the account's current session version, as ``/api/auth/token`` issues."""
    from core.accounts.models import User
    from core.db import SessionLocal
    from core.security import create_access_token

    with SessionLocal() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return create_access_token(user.id, user.session_version)


def _sign_in_as(schema, role: str) -> None:
    """Send every request as ``role`` with a token minted just before it goes out.

    The fuzzer calls logout and password resets too; they end every earlier token of the account
    (as they should), and a fixed token would leave the rest of the run anonymous.
    """

    class RoleToken:
        def get(self, case, context) -> str:
            return _token_for(f"fuzz-{role}")

        def set(self, case, token: str, context) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}

    schema.auth(refresh_interval=None)(RoleToken)


def _config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            # Conformance, not speed, is checked here (speed is in bench/): on a busy 2-core CI
            # machine one request once took longer than schemathesis's default of 10 s.
            "request-timeout": 120,
            "generation": {
                "max-examples": EXAMPLES_PER_OPERATION,
                "deterministic": True,
                "database": "none",
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "phases": {
                # Requests with methods a path does not have only test the 405 (not checked here).
                "coverage": {"unexpected-methods": []},
                "stateful": {"max-steps": STATEFUL_STEPS},
            },
            "suppress-health-check": ["all"],
        }
    )


@dataclass
class FuzzRun:
    """What one schemathesis run sent and found."""

    problems: set[str] = field(default_factory=set)
    statuses: Counter = field(default_factory=Counter)  # (phase, status code) -> responses
    answered: set[str] = field(default_factory=set)  # operations that answered 2xx at least once

    def count(self, phase: str) -> int:
        return sum(n for (p, _), n in self.statuses.items() if p == phase)


def fuzz(schema) -> FuzzRun:
    """Run every phase (examples, coverage, fuzzing, stateful) as the CLI would."""
    run = FuzzRun()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            _record(run, event)
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            error = getattr(event, "value", None) or getattr(event, "exception", None)
            run.problems.add(
                f"{getattr(event, 'label', '')}: 未能测试 {type(error).__name__}: {error}"
            )
    return run


def _record(run: FuzzRun, event) -> None:
    recorder = event.recorder
    for case_id, node in recorder.cases.items():
        response = recorder.find_response(case_id=case_id)
        if response is not None:
            run.statuses[event.phase.value, response.status_code] += 1
            if response.status_code < 300:
                run.answered.add(node.value.operation.label)
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.status == Status.FAILURE and check.failure_info is not None:
                run.problems.add(_describe(recorder, event, case_id, check.failure_info))


def _describe(recorder, event, case_id: str, info) -> str:
    response = recorder.find_response(case_id=case_id)
    body = response.content[:300].decode("utf-8", "replace") if response is not None else ""
    status = response.status_code if response is not None else "-"
    return (
        f"{recorder.label} [{event.phase.value}] {info.failure.title}: {info.failure.message[:500]}"
        f"\n    -> {status} {body}\n    {info.code_sample}"
    )


@pytest.mark.long
@pytest.mark.parametrize("role", ROLES)
def test_no_server_error_and_every_answer_as_documented(role, fuzz_app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app, config=_config())
    if role != "anonymous":
        _sign_in_as(schema, role)
    run = fuzz(schema)
    assert not run.problems, f"{len(run.problems)} 处不符（{role}）：\n" + "\n".join(
        sorted(run.problems)
    )
    # The run reached the API: requests in every phase, and successful answers for the role.
    assert all(run.count(phase) > 0 for phase in ("examples", "coverage", "fuzzing", "stateful"))
    assert EXPECTED_ANSWERS[role] <= run.answered, EXPECTED_ANSWERS[role] - run.answered


def test_the_fuzzed_schema_is_the_whole_api(fuzz_app):
    """Nothing is left out of the run: every JSON API route of the app is in the OpenAPI."""
    documented = set(fuzz_app.openapi()["paths"])
    routes = {
        route.path for route in fuzz_app.routes if getattr(route, "path", "").startswith("/api/")
    }
    assert routes <= documented, routes - documented
