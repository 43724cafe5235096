"""Figures that keep their past (issue 14 item 5): month ends archived once, history respected."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.enterprises.importer import import_enterprises
from core.enterprises.models import Enterprise, LegalRepChange
from core.errors import Forbidden
from core.regions.scope import RegionScope
from courses import archive, coverage
from courses.models import Course, CoverageArchive, TrainingRecord
from tests.support.registry import load_registry
from tests.support.web import csrf_from

NATIONAL = RegionScope()
DEADLINE = dt.date(2024, 12, 31)


def _write(path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _covered_codes(session, as_of: dt.date) -> set[str]:
    uncovered = {
        u.credit_code for u in coverage.uncovered_units(session, scope=NATIONAL, as_of=as_of)
    }
    key = session.scalars(
        select(Enterprise.credit_code).where(
            Enterprise.management_category == "重点管理", Enterprise.permit_status == "有效"
        )
    )
    return set(key) - uncovered


def _replace_reps(session, gen, tmp_path, codes: set[str], since: str) -> None:
    """Re-import the registry with a new legal representative for ``codes`` from ``since``."""
    rows = gen.rows("enterprises.csv")
    for row in rows:
        if row["credit_code"] in codes:
            row.update(legal_rep_name=row["legal_rep_name"] + "新", legal_rep_since=since)
    _write(tmp_path / "enterprises.csv", rows)
    report = import_enterprises(session, tmp_path / "enterprises.csv")
    assert report.updated == len(codes)


def test_a_later_change_of_representative_keeps_the_deadline_and_drops_the_june_figure(
    session, generated, tmp_path
):
    """The issue's acceptance test: replace covered units' representatives from 2025-03-01."""
    today = dt.date(2025, 6, 30)
    gen = generated(n=3000, seed=7, as_of="2025-06-30")
    load_registry(session, gen)
    deadline = archive.coverage_report(session, scope=NATIONAL, as_of=DEADLINE, today=today)
    june = archive.coverage_report(session, scope=NATIONAL, as_of=today, today=today)
    assert june.overall.covered == gen.truth["overall"]["covered"]
    covered_both = sorted(_covered_codes(session, DEADLINE) & _covered_codes(session, today))
    changed = set(covered_both[:: max(1, len(covered_both) // 12)][:12])
    cities = {
        (u.province, u.city)
        for u in session.scalars(select(Enterprise).where(Enterprise.credit_code.in_(changed)))
    }

    _replace_reps(session, gen, tmp_path, changed, "2025-03-01")

    again = archive.coverage_report(session, scope=NATIONAL, as_of=DEADLINE, today=today)
    assert again.overall.covered == deadline.overall.covered
    assert again.monthly_at("2024-12") == deadline.monthly_at("2024-12")
    assert again.as_dict() == deadline.as_dict()
    # not only the archive: the live figure as of the deadline ignores a change made later
    live = coverage.coverage_report(session, scope=NATIONAL, as_of=DEADLINE)
    assert live.as_dict() == deadline.as_dict()
    after = archive.coverage_report(session, scope=NATIONAL, as_of=today, today=today)
    assert after.overall.covered == june.overall.covered - len(changed)
    assert after.monthly_at("2025-02") == june.monthly_at("2025-02")
    assert after.monthly_at("2025-06") == june.monthly_at("2025-06") - len(changed)
    for city in cities:
        dropped = sum(
            1
            for u in session.scalars(select(Enterprise).where(Enterprise.credit_code.in_(changed)))
            if (u.province, u.city) == city
        )
        assert after.by_city[city].covered == june.by_city[city].covered - dropped


def test_a_change_effective_in_the_future_does_not_rewrite_earlier_figures(
    session, generated, tmp_path
):
    """Issue 14: a change effective 2026-11-28 dropped the 2024-12-31 city figure and the
    2023-10 burn-up point."""
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    trained_2023 = [code for code in sorted(_covered_codes(session, dt.date(2023, 10, 31)))][:3]
    before = coverage.coverage_report(session, scope=NATIONAL, as_of=DEADLINE)
    _replace_reps(session, gen, tmp_path, set(trained_2023), "2026-11-28")
    assert session.scalars(select(LegalRepChange.changed_on)).all() == [dt.date(2026, 11, 28)] * 3
    after = coverage.coverage_report(session, scope=NATIONAL, as_of=DEADLINE)
    assert after.as_dict() == before.as_dict()
    assert after.monthly_at("2023-10") == before.monthly_at("2023-10")
    on_the_day = coverage.coverage_report(session, scope=NATIONAL, as_of=dt.date(2026, 11, 28))
    assert on_the_day.overall.covered == after.overall.covered - 3
    # the uncovered list names whoever was in office on the date asked about
    units = coverage.uncovered_units(session, scope=NATIONAL, as_of=dt.date(2026, 11, 30))
    changed = [u for u in units if u.credit_code in trained_2023]
    assert len(changed) == 3 and all(u.legal_rep_name.endswith("新") for u in changed)
    assert all(u.since == dt.date(2026, 11, 28) and u.previous_rep_trained for u in changed)


def test_archived_months_stay_put_while_the_current_month_moves(session, generated):
    today = dt.date(2024, 7, 15)
    gen = generated(n=3000, seed=11, as_of="2024-06-30")
    load_registry(session, gen)
    first = archive.coverage_report(session, scope=NATIONAL, as_of=today, today=today)
    assert archive.archived_months(session) == set(archive.ended_months(today))
    assert max(archive.archived_months(session)) == dt.date(2024, 6, 30)
    unit = next(
        u
        for u in coverage.uncovered_units(session, scope=NATIONAL, as_of=today)
        if not u.pending_verification
    )
    enterprise = session.scalar(
        select(Enterprise).where(Enterprise.credit_code == unit.credit_code)
    )
    lr = session.scalar(select(Course.id).where(Course.code == "LR-2024"))
    # a late record of training done in May, and one done this month
    for day in (dt.date(2024, 5, 20), dt.date(2024, 7, 2)):
        session.add(
            TrainingRecord(
                enterprise_id=enterprise.id,
                person_name=unit.legal_rep_name,
                role="法定代表人",
                course_id=lr,
                completed_on=day,
                passed=True,
                source="import",
            )
        )
    session.flush()
    second = archive.coverage_report(session, scope=NATIONAL, as_of=today, today=today)
    assert second.monthly_at("2024-05") == first.monthly_at("2024-05")
    assert second.monthly_at("2024-06") == first.monthly_at("2024-06")
    assert second.overall.covered == first.overall.covered + 1
    june = archive.coverage_report(session, scope=NATIONAL, as_of=dt.date(2024, 6, 30), today=today)
    assert june.overall.covered == first.monthly_at("2024-06")
    # the live computation does see the late record; only the archive keeps the past
    live = coverage.coverage_report(session, scope=NATIONAL, as_of=dt.date(2024, 6, 30))
    assert live.overall.covered == june.overall.covered + 1


def test_city_reports_read_their_own_archived_figures(session, generated):
    today = dt.date(2024, 7, 15)
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    archive.ensure_archived(session, today=today)
    report = archive.coverage_report(
        session, scope=RegionScope("江苏省", "南京市"), as_of=dt.date(2024, 6, 30), today=today
    )
    truth = gen.truth["by_city"]["江苏省/南京市"]
    assert report.as_dict()["by_city"] == {"江苏省/南京市": pytest.approx(truth)}
    assert report.overall.covered == truth["covered"]


def test_nothing_is_archived_before_the_registry_holds_key_units(session):
    assert archive.ensure_archived(session, today=dt.date(2024, 7, 15)) == []
    assert archive.archived_months(session) == set()


def test_a_national_admin_rearchives_a_month_and_sees_the_difference(session, generated, make_user):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    archive.ensure_archived(session)
    deadline = archive.coverage_report(session, scope=NATIONAL, as_of=DEADLINE)
    unit = coverage.uncovered_units(session, scope=NATIONAL, as_of=DEADLINE)[0]
    enterprise = session.scalar(
        select(Enterprise).where(Enterprise.credit_code == unit.credit_code)
    )
    session.add(
        TrainingRecord(
            enterprise_id=enterprise.id,
            person_name=unit.legal_rep_name,
            role="法定代表人",
            course_id=session.scalar(select(Course.id).where(Course.code == "LR-2024")),
            completed_on=dt.date(2024, 12, 20),
            passed=True,
            source="import",
        )
    )
    session.flush()
    assert archive.coverage_report(session, scope=NATIONAL, as_of=DEADLINE).overall.covered == (
        deadline.overall.covered
    )
    province_admin = make_user("province", province="江苏省")
    with pytest.raises(Forbidden):
        archive.rearchive(
            session, scope=RegionScope("江苏省"), actor=province_admin, month="2024-12"
        )
    national = make_user("national")
    result = archive.rearchive(session, scope=NATIONAL, actor=national, month="2024-12")
    assert result.after[0] == result.before[0] + 1
    [change] = result.changes
    assert change.region == RegionScope(unit.province, unit.city).label
    assert change.after[0] == change.before[0] + 1
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "coverage.rearchive")
    ).one()
    assert entry.actor == national.username and entry.target_id == "2024-12"
    assert archive.coverage_report(session, scope=NATIONAL, as_of=DEADLINE).overall.covered == (
        deadline.overall.covered + 1
    )
    rows = session.scalars(select(CoverageArchive).where(CoverageArchive.month_on == DEADLINE))
    assert {r.archived_by for r in rows} == {national.username}


def test_the_rearchive_form_is_for_national_admins_and_shows_the_difference(
    client, session, generated, make_user, login
):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    province_admin = make_user("province", province="江苏省")
    login(province_admin.username)
    page = client.get("/coverage")
    assert 'id="archive-note"' in page.text and 'id="rearchive"' not in page.text
    refused = client.post(
        "/coverage/archive", data={"csrf_token": csrf_from(page.text), "month": "2024-12"}
    )
    assert refused.status_code == 403
    national = make_user("national")
    login(national.username)
    page = client.get("/coverage?as_of=2024-12-31")
    assert 'id="rearchive"' in page.text and "取自存档" in page.text
    done = client.post(
        "/coverage/archive", data={"csrf_token": csrf_from(page.text), "month": "2024-12"}
    )
    assert done.status_code == 200 and "与原存档相比没有变化" in done.text


def test_permithub_coverage_archive_command(tmp_path, generated):
    import typer
    from sqlalchemy.orm import Session
    from typer.testing import CliRunner

    from core.db import make_engine, upgrade_database, use_engine
    from courses import cli as courses_cli

    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    use_engine(engine)
    try:
        app = typer.Typer()
        courses_cli.register(app, typer.Typer())
        runner = CliRunner()
        empty = runner.invoke(app, ["coverage", "archive"])
        assert empty.exit_code == 0 and "暂不存档" in empty.output
        with Session(engine) as session:
            load_registry(session, gen)
            session.commit()
        result = runner.invoke(app, ["coverage", "archive"])
        assert result.exit_code == 0, result.output
        months = archive.ended_months(dt.date.today())
        assert f"已存档 {len(months)} 个月：2022-01 至" in result.output
        assert "已全部存档" in runner.invoke(app, ["coverage", "archive"]).output
        redo = runner.invoke(app, ["coverage", "archive", "--rearchive", "--month", "2024-12"])
        assert redo.exit_code == 0 and "已重新存档 2024-12" in redo.output
        with Session(engine) as session:
            assert session.scalars(select(AuditEntry.actor)).all() == ["cli"]
    finally:
        use_engine(None)
        engine.dispose()
