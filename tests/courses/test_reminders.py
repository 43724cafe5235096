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
from courses import coverage, reminders
from courses.models import Course, TrainingRecord
from tests.support.registry import load_registry

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
    changed = _trained_key_unit(session, "江苏省", "南京市")
    session.execute(
        update(Enterprise)
        .where(Enterprise.id == changed.id)
        .values(legal_rep_name="新任代表人丙", legal_rep_since=dt.date(2024, 6, 1))
    )

    result = reminders.reminders(session, as_of=AS_OF)
    cities = [r for r in result.lists if r.level == "city"]
    assert [(r.province, r.city, r.admins) for r in cities] == [
        ("江苏省", "南京市", ["nanjing"]),
        ("浙江省", "杭州市", ["hangzhou"]),
    ]
    nanjing = cities[0]
    expected = {
        u.credit_code
        for u in coverage.uncovered_units(
            session, scope=RegionScope("江苏省", "南京市"), as_of=AS_OF
        )
    }
    assert {u.credit_code for u in nanjing.units} == expected
    assert changed.credit_code in {u.credit_code for u in nanjing.newly_changed}
    flags = [nanjing.is_new(u) for u in nanjing.units]
    assert flags == sorted(flags, reverse=True)
    assert all(u.city == "杭州市" for u in cities[1].units)


def test_every_uncovered_unit_is_on_exactly_one_list(session, generated, make_user):
    """Issue 14: nationally 142 key units were uncovered and remind listed 2."""
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    make_user("city", province="江苏省", city="南京市", username="nanjing")
    make_user("province", province="江苏省", username="jiangsu")
    make_user("national", username="root")
    result = reminders.reminders(session, as_of=AS_OF)
    listed = [u.credit_code for r in result.lists for u in r.units]
    assert sorted(listed) == gen.truth["uncovered_credit_codes"]  # each once, none missing
    assert result.unreceived == []
    by_admin = {tuple(r.admins): r for r in result.lists}
    assert {u.city for u in by_admin[("nanjing",)].units} == {"南京市"}
    jiangsu = by_admin[("jiangsu",)]
    assert jiangsu.level == "province" and "江苏省南京市" not in jiangsu.rolled_up
    assert {u.province for u in jiangsu.units} == {"江苏省"}
    assert jiangsu.rolled_up and all(c.startswith("江苏省") for c in jiangsu.rolled_up)
    assert {f"{u.province}{u.city}" for u in jiangsu.units} == set(jiangsu.rolled_up)
    national = by_admin[("root",)]
    assert national.level == "national" and "江苏省" not in {u.province for u in national.units}
    assert "上海市" in national.rolled_up


def test_regions_nobody_receives_are_named(session, generated, make_user):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    make_user("province", province="江苏省", username="jiangsu")
    result = reminders.reminders(session, as_of=AS_OF)
    assert [r.admins for r in result.lists] == [["jiangsu"]]
    unreceived = {u.label: u.units for u in result.unreceived}
    truth = gen.truth["by_city"]["上海市/上海市"]
    assert unreceived["上海市"] == truth["key_units"] - truth["covered"]
    assert not any(label.startswith("江苏省") for label in unreceived)
    listed = sum(len(r.units) for r in result.lists) + sum(unreceived.values())
    assert listed == len(gen.truth["uncovered_credit_codes"])


def test_reminders_can_be_limited_to_a_province(session, generated, make_user):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    make_user("city", province="江苏省", city="南京市")
    make_user("city", province="浙江省", city="杭州市")
    make_user("national", username="root")
    result = reminders.reminders(session, as_of=AS_OF, scope=RegionScope("浙江省"))
    assert [(r.level, r.city) for r in result.lists] == [("city", "杭州市"), ("national", None)]
    assert {u.province for r in result.lists for u in r.units} == {"浙江省"}


def test_city_admin_home_page_shows_whom_to_chase(client, session, generated, make_user, login):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    admin = make_user("city", province="江苏省", city="南京市")
    login(admin.username)
    page = client.get("/")
    assert 'id="coverage-panel"' in page.text
    assert "待督促" in page.text
    nanjing = reminders.reminders(session, as_of=dt.date.today()).for_admin(admin)
    assert nanjing.units[0].name in page.text
    other_city = session.scalars(select(Enterprise.name).where(Enterprise.city == "苏州市")).all()
    assert not any(name in page.text for name in other_city)


def test_remind_command_prints_every_list_and_whom_nobody_receives(tmp_path, generated):
    import typer
    from typer.testing import CliRunner

    from core.accounts import service as account_service
    from core.db import make_engine, upgrade_database, use_engine
    from core.errors import Invalid
    from courses import cli as courses_cli
    from tests.support.registry import load_registry as load

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
        # nobody else has an account: every other region is named as unreceived
        unreceived = next(line for line in out.splitlines() if line.startswith("!! 无人接收"))
        assert "上海市（" in unreceived and "广州市" not in unreceived
        # a province without a city admin now rolls up instead of "无需提醒"
        with Session(engine) as session:
            account_service.create_user(
                session,
                username="sh",
                password="sh-reminder-pass-1",
                role="province",
                province="上海市",
            )
        shanghai = runner.invoke(app, ["remind", "--as-of", "2024-06-30", "--province", "上海市"])
        sh_truth = gen.truth["by_city"]["上海市/上海市"]
        assert (
            f"== 上海市（省级管理员：sh；代管没有市级管理员的上海市）截至2024-06-30："
            f"未覆盖 {sh_truth['key_units'] - sh_truth['covered']} 家" in shanghai.output
        )
        assert "无需提醒" not in shanghai.output and "无人接收" not in shanghai.output
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


def test_province_admin_home_page_lists_the_cities_without_a_city_admin(
    client, session, generated, make_user, login
):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    make_user("city", province="江苏省", city="南京市")
    admin = make_user("province", province="江苏省")
    login(admin.username)
    page = client.get("/")
    assert 'id="rolled-up"' in page.text and "由您接收提醒" in page.text
    rolled = page.text.split('id="rolled-up"')[1].split("</p>")[0]
    assert "南京市" not in rolled and "江苏省" in rolled
