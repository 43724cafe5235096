"""Reminders: per city admin, key units whose legal representative is untrained or new."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select, update

from core.enterprises.models import Enterprise
from core.regions.scope import RegionScope
from courses import coverage
from courses.models import Course, TrainingRecord
from tests.courses.conftest import load_registry

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2024, 6, 30)


def _trained_key_unit(session, province: str, city: str) -> Enterprise:
    lr = select(Course.id).where(Course.audience == "法定代表人")
    trained = select(TrainingRecord.enterprise_id).where(
        TrainingRecord.course_id.in_(lr),
        TrainingRecord.passed.is_(True),
        TrainingRecord.person_name == Enterprise.legal_rep_name,
    )
    return session.scalars(
        select(Enterprise)
        .where(
            Enterprise.province == province,
            Enterprise.city == city,
            Enterprise.id.in_(trained),
            Enterprise.management_category == "重点管理",
            Enterprise.permit_status == "有效",
        )
        .limit(1)
    ).one()


def test_each_city_admin_gets_their_own_uncovered_units_newly_changed_first(
    session, generated, make_user
):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    make_user("city", province="江苏省", city="南京市", username="nanjing")
    make_user("city", province="浙江省", city="杭州市", username="hangzhou")
    make_user("province", province="江苏省")
    changed = _trained_key_unit(session, "江苏省", "南京市")
    session.execute(
        update(Enterprise)
        .where(Enterprise.id == changed.id)
        .values(legal_rep_name="新任代表人丙", legal_rep_since=dt.date(2024, 6, 1))
    )

    reminders = coverage.city_reminders(session, as_of=AS_OF)
    assert [(r.province, r.city, r.admins) for r in reminders] == [
        ("江苏省", "南京市", ["nanjing"]),
        ("浙江省", "杭州市", ["hangzhou"]),
    ]
    nanjing = reminders[0]
    expected = {
        u.credit_code
        for u in coverage.uncovered_units(
            session, scope=RegionScope("江苏省", "南京市"), as_of=AS_OF
        )
    }
    assert {u.credit_code for u in nanjing.units} == expected
    assert nanjing.units[0].credit_code == changed.credit_code or nanjing.is_new(nanjing.units[0])
    assert changed.credit_code in {u.credit_code for u in nanjing.newly_changed}
    flags = [nanjing.is_new(u) for u in nanjing.units]
    assert flags == sorted(flags, reverse=True)
    assert all(u.city == "杭州市" for u in reminders[1].units)


def test_reminders_can_be_limited_to_a_province(session, generated, make_user):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    make_user("city", province="江苏省", city="南京市")
    make_user("city", province="浙江省", city="杭州市")
    reminders = coverage.city_reminders(session, as_of=AS_OF, scope=RegionScope("浙江省"))
    assert [r.city for r in reminders] == ["杭州市"]


def test_city_admin_home_page_shows_whom_to_chase(client, session, generated, make_user, login):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    admin = make_user("city", province="江苏省", city="南京市")
    login(admin.username)
    page = client.get("/")
    assert 'id="coverage-panel"' in page.text
    assert "待督促" in page.text
    nanjing = coverage.city_reminders(session, as_of=dt.date.today())[0]
    assert nanjing.units[0].name in page.text
    other_city = session.scalars(select(Enterprise.name).where(Enterprise.city == "苏州市")).all()
    assert not any(name in page.text for name in other_city)


def test_remind_command_prints_per_city_admin(tmp_path, generated):
    import typer
    from typer.testing import CliRunner

    from core.accounts import service as account_service
    from core.db import make_engine, upgrade_database, use_engine
    from core.errors import Invalid
    from courses import cli as courses_cli
    from tests.courses.conftest import load_registry as load

    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    use_engine(engine)
    try:
        from sqlalchemy.orm import Session

        with Session(engine) as session:
            load(session, gen)
            session.commit()
            account_service.create_user(
                session,
                username="gz",
                password="gz-reminder-pass-1",
                role="city",
                province="广东省",
                city="广州市",
            )
        app = typer.Typer()
        courses_cli.register(app, typer.Typer())

        @app.callback()
        def _root() -> None:
            """Group, so that ``remind`` is a subcommand as in ``permithub remind``."""

        runner = CliRunner()
        result = runner.invoke(app, ["remind", "--as-of", "2024-06-30", "--limit", "3"])
        assert result.exit_code == 0, result.output
        out = result.output
        truth = gen.truth["by_city"]["广东省/广州市"]
        missing = truth["key_units"] - truth["covered"]
        assert f"== 广东省广州市（市级管理员：gz）截至2024-06-30：未覆盖 {missing} 家" in out
        assert out.count("  [") == min(3, missing)
        assert "另有" in out or missing <= 3
        bad = runner.invoke(app, ["remind", "--as-of", "昨天"])
        assert isinstance(bad.exception, Invalid) and "格式不正确" in bad.exception.message
    finally:
        use_engine(None)
        engine.dispose()


def test_remind_is_a_permithub_command():
    result = subprocess.run(
        [sys.executable, "-m", "web.cli", "remind", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "PERMITHUB_DATABASE_URL"},
    )
    assert result.returncode == 0 and "--as-of" in result.stdout
