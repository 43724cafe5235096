"""The coverage report equals the generator's truth.json, by the rule in its docstring."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from core.enterprises.models import Enterprise
from core.regions.scope import RegionScope
from courses import coverage
from courses.models import Course, TrainingRecord
from tests.support.registry import load_registry


def _compare(report: coverage.CoverageReport, truth: dict) -> None:
    got = report.as_dict()
    assert got["as_of"] == truth["as_of"]
    assert got["overall"]["key_units"] == truth["overall"]["key_units"]
    assert got["overall"]["covered"] == truth["overall"]["covered"]
    assert got["overall"]["rate"] == pytest.approx(truth["overall"]["rate"], abs=1e-6)
    for level in ("by_province", "by_city"):
        assert set(got[level]) == set(truth[level])
        for key, bucket in truth[level].items():
            assert got[level][key]["key_units"] == bucket["key_units"], key
            assert got[level][key]["covered"] == bucket["covered"], key
    assert got["monthly_covered"] == truth["monthly_covered"]


@pytest.mark.parametrize(
    ("seed", "as_of"),
    [(7, "2024-06-30"), (11, "2023-03-15"), (23, "2024-12-31"), (5, "2022-02-10")],
)
def test_report_equals_generator_truth(session, generated, seed, as_of):
    gen = generated(n=3000, seed=seed, as_of=as_of)
    load_registry(session, gen)
    report = coverage.coverage_report(session, scope=RegionScope(), as_of=gen.as_of)
    _compare(report, gen.truth)


def test_uncovered_units_are_exactly_the_truths_uncovered_codes(session, generated):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    units = coverage.uncovered_units(session, scope=RegionScope(), as_of=gen.as_of)
    assert sorted(u.credit_code for u in units) == gen.truth["uncovered_credit_codes"]


def test_report_at_an_earlier_date_ignores_later_completions(session, generated):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    early = coverage.coverage_report(session, scope=RegionScope(), as_of=dt.date(2023, 6, 30))
    late = coverage.coverage_report(session, scope=RegionScope(), as_of=gen.as_of)
    assert early.overall.key_units == late.overall.key_units
    assert early.overall.covered == late.monthly_at("2023-06")
    assert list(early.as_dict()["monthly_covered"].values()) == [
        late.monthly_at(label) for label in early.month_labels
    ]


def test_city_scope_reports_only_that_city(session, generated):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    key, truth_city = max(
        gen.truth["by_city"].items(), key=lambda kv: kv[1]["key_units"] - kv[1]["covered"]
    )
    province, city = key.split("/")
    scope = RegionScope(province, city)
    report = coverage.coverage_report(session, scope=scope, as_of=gen.as_of)
    assert report.as_dict()["by_city"] == {key: pytest.approx(truth_city)}
    assert list(report.by_province) == [province]
    assert report.overall.key_units == truth_city["key_units"]
    assert report.overall.covered == truth_city["covered"]
    units = coverage.uncovered_units(session, scope=scope, as_of=gen.as_of)
    assert units and {(u.province, u.city) for u in units} == {(province, city)}
    assert len(units) == truth_city["key_units"] - truth_city["covered"]


def test_province_scope_lists_its_cities(session, generated):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    report = coverage.coverage_report(session, scope=RegionScope("江苏省"), as_of=gen.as_of)
    expected = {k for k in gen.truth["by_city"] if k.startswith("江苏省/")}
    assert set(report.as_dict()["by_city"]) == expected
    assert (
        report.as_dict()["overall"]["key_units"] == gen.truth["by_province"]["江苏省"]["key_units"]
    )


def _key_unit(session, trained: bool):
    """A key unit whose current representative was (or was not) trained in the data."""
    lr_courses = select(Course.id).where(Course.audience == "法定代表人")
    trained_ids = select(TrainingRecord.enterprise_id).where(
        TrainingRecord.course_id.in_(lr_courses),
        TrainingRecord.passed.is_(True),
        TrainingRecord.person_name == Enterprise.legal_rep_name,
    )
    cond = Enterprise.id.in_(trained_ids) if trained else Enterprise.id.not_in(trained_ids)
    return session.scalars(
        select(Enterprise)
        .where(
            Enterprise.management_category == "重点管理", Enterprise.permit_status == "有效", cond
        )
        .order_by(Enterprise.id)
        .limit(1)
    ).one()


def test_change_of_legal_representative_uncovers_the_unit_until_trained(session, generated):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    unit = _key_unit(session, trained=True)
    before = coverage.coverage_report(session, scope=RegionScope(), as_of=gen.as_of)
    session.execute(
        update(Enterprise)
        .where(Enterprise.id == unit.id)
        .values(legal_rep_name="新任代表人甲", legal_rep_since=dt.date(2024, 5, 1))
    )
    after = coverage.coverage_report(session, scope=RegionScope(), as_of=gen.as_of)
    assert after.overall.covered == before.overall.covered - 1
    uncovered = coverage.uncovered_units(session, scope=RegionScope(), as_of=gen.as_of)
    changed = next(u for u in uncovered if u.credit_code == unit.credit_code)
    assert changed.previous_rep_trained and changed.since == dt.date(2024, 5, 1)
    session.refresh(unit)
    assert coverage.unit_coverage(session, enterprise=unit, as_of=gen.as_of) is None
    course_id = session.scalar(select(Course.id).where(Course.code == "LR-2024"))
    session.add(
        TrainingRecord(
            enterprise_id=unit.id,
            person_name="新任代表人甲",
            role="法定代表人",
            course_id=course_id,
            completed_on=dt.date(2024, 6, 1),
            passed=True,
            source="platform",
        )
    )
    session.flush()
    trained = coverage.coverage_report(session, scope=RegionScope(), as_of=gen.as_of)
    assert coverage.unit_coverage(session, enterprise=unit, as_of=gen.as_of) == dt.date(2024, 6, 1)
    assert trained.overall.covered == before.overall.covered
    assert trained.monthly_at("2024-05") == after.monthly_at("2024-05")
    assert trained.monthly_at("2024-06") == after.monthly_at("2024-06") + 1


def test_failed_or_other_audience_training_does_not_cover(session, generated):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    unit = _key_unit(session, trained=False)
    before = coverage.coverage_report(session, scope=RegionScope(), as_of=gen.as_of).overall.covered
    lr = session.scalar(select(Course.id).where(Course.code == "LR-2023"))
    ep = session.scalar(select(Course.id).where(Course.code == "EP-101"))
    for course_id, passed in ((lr, False), (ep, True)):
        session.add(
            TrainingRecord(
                enterprise_id=unit.id,
                person_name=unit.legal_rep_name,
                role="法定代表人",
                course_id=course_id,
                completed_on=dt.date(2023, 3, 1),
                passed=passed,
            )
        )
    session.flush()
    assert (
        coverage.coverage_report(session, scope=RegionScope(), as_of=gen.as_of).overall.covered
        == before
    )


def test_month_ends_match_the_generator_including_a_partial_last_month():
    assert coverage.month_ends(dt.date(2022, 1, 1), dt.date(2022, 3, 15)) == [
        dt.date(2022, 1, 31),
        dt.date(2022, 2, 28),
        dt.date(2022, 3, 15),
    ]
    assert coverage.month_ends(dt.date(2022, 1, 1), dt.date(2022, 2, 28))[-1] == dt.date(
        2022, 2, 28
    )


def test_empty_registry_reports_zero_units_and_no_rate(session):
    report = coverage.coverage_report(session, scope=RegionScope(), as_of=dt.date(2024, 6, 30))
    assert report.as_dict()["overall"] == {"key_units": 0, "covered": 0, "rate": None}
    assert set(report.as_dict()["monthly_covered"].values()) == {0}


@pytest.mark.parametrize(("seed", "as_of"), [(7, "2024-06-30"), (31, "2023-11-30")])
def test_dirty_files_imported_with_skip_invalid_give_the_truth(session, generated, seed, as_of):
    gen = generated(n=3000, seed=seed, as_of=as_of, dirty=True)
    load_registry(
        session,
        gen,
        enterprises="enterprises_dirty.csv",
        training="training_dirty.csv",
        skip_invalid=True,
    )
    report = coverage.coverage_report(session, scope=RegionScope(), as_of=gen.as_of)
    _compare(report, gen.truth)


def _write_csv(path, rows: list[dict]) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_reimport_with_new_legal_rep_uncovers_until_the_new_one_is_trained(
    session, generated, tmp_path
):
    from core.enterprises.importer import import_enterprises
    from courses.importer import import_training

    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    unit = _key_unit(session, trained=True)
    before = coverage.coverage_report(session, scope=RegionScope(), as_of=gen.as_of)
    rows = gen.rows("enterprises.csv")
    for row in rows:
        if row["credit_code"] == unit.credit_code:
            row.update(legal_rep_name="新任代表人乙", legal_rep_since="2024-04-02")
    _write_csv(tmp_path / "enterprises.csv", rows)
    report = import_enterprises(session, tmp_path / "enterprises.csv")
    assert report.updated == 1
    after = coverage.coverage_report(session, scope=RegionScope(), as_of=gen.as_of)
    assert after.overall.covered == before.overall.covered - 1
    city = (unit.province, unit.city)
    assert after.by_city[city].covered == before.by_city[city].covered - 1
    missing = coverage.uncovered_units(session, scope=RegionScope(*city), as_of=gen.as_of)
    assert unit.credit_code in {u.credit_code for u in missing}

    _write_csv(
        tmp_path / "training.csv",
        [
            {
                "credit_code": unit.credit_code,
                "person_name": "新任代表人乙",
                "role": "法定代表人",
                "course_code": "LR-2024",
                "completed_on": "2024-07-15",
                "passed": "true",
            }
        ],
    )
    import_training(session, tmp_path / "training.csv")
    # trained after the as-of date: still uncovered then, covered from the date on
    still = coverage.coverage_report(session, scope=RegionScope(), as_of=gen.as_of)
    assert still.overall.covered == after.overall.covered
    later = coverage.coverage_report(session, scope=RegionScope(), as_of=dt.date(2024, 7, 31))
    assert later.overall.covered == before.overall.covered
    assert later.monthly_at("2024-07") == later.overall.covered


def _bucket_for(months: list[dt.date], counts: dict[str, int], key_units: int) -> coverage.Bucket:
    running, monthly = 0, []
    for m in months:
        running = counts.get(m.isoformat()[:7], running)
        monthly.append(running)
    return coverage.Bucket(key_units=key_units, covered=monthly[-1], monthly=monthly)


def test_projection_uses_the_pace_of_the_last_three_months():
    as_of = dt.date(2024, 3, 31)
    months = coverage.month_ends(coverage.START, as_of)
    # 100 covered by the end of 2023-12, then 30 a month
    bucket = _bucket_for(
        months, {"2023-12": 100, "2024-01": 130, "2024-02": 160, "2024-03": 190}, 400
    )
    projection = coverage.project(bucket, months, as_of)
    assert projection.pace_per_month == pytest.approx(30, rel=0.02)
    assert projection.remaining == 210
    # 210 more at 30 a month: about seven months after the end of March
    assert dt.date(2024, 10, 20) <= projection.projected_on <= dt.date(2024, 11, 5)
    assert projection.on_track
    # nine months remain until 2024-12-31
    assert projection.needed_per_month == pytest.approx(210 / 9, rel=0.02)


def test_projection_without_recent_progress_has_no_completion_date():
    as_of = dt.date(2024, 6, 30)
    months = coverage.month_ends(coverage.START, as_of)
    bucket = _bucket_for(months, {"2023-01": 50}, 100)
    projection = coverage.project(bucket, months, as_of)
    assert projection.pace_per_month == 0
    assert projection.projected_on is None and not projection.on_track
    assert projection.needed_per_month == pytest.approx(50 / 6, rel=0.03)


def test_projection_after_the_deadline_and_when_complete():
    as_of = dt.date(2025, 2, 15)
    months = coverage.month_ends(coverage.START, as_of)
    late = coverage.project(_bucket_for(months, {"2024-10": 80, "2025-02": 90}, 100), months, as_of)
    assert late.needed_per_month is None and late.projected_on > coverage.TARGET_DATE
    assert not late.on_track
    done = coverage.project(_bucket_for(months, {"2024-10": 100}, 100), months, as_of)
    assert done.complete and done.on_track and done.projected_on is None


def test_covered_units_are_the_key_units_not_uncovered(session, generated):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    covered = coverage.covered_units(session, scope=RegionScope(), as_of=gen.as_of)
    assert len(covered) == gen.truth["overall"]["covered"]
    assert not {u.credit_code for u in covered} & set(gen.truth["uncovered_credit_codes"])
    assert {u.source for u in covered} == {"import"}
    assert all(u.trained_on <= gen.as_of for u in covered)


def test_the_burn_up_follows_the_representative_of_each_month_end(session):
    from core.enterprises.models import LegalRepChange
    from tests.support.courses import make_unit

    unit = make_unit(session, legal_rep_name="乙", legal_rep_since=dt.date(2023, 3, 1))
    session.add(
        LegalRepChange(
            enterprise_id=unit.id, previous_name="甲", new_name="乙", changed_on=dt.date(2023, 3, 1)
        )
    )
    course = Course(code="LR-H", title="法定代表人", audience="法定代表人", kind="必修")
    session.add(course)
    session.flush()
    for person, day, source in (
        ("甲", dt.date(2022, 5, 10), "class"),
        ("乙", dt.date(2023, 6, 2), "import"),
    ):
        session.add(
            TrainingRecord(
                enterprise_id=unit.id,
                person_name=person,
                role="法定代表人",
                course_id=course.id,
                completed_on=day,
                passed=True,
                source=source,
            )
        )
    session.flush()
    report = coverage.coverage_report(session, scope=RegionScope(), as_of=dt.date(2023, 12, 31))
    at = dict(zip(report.month_labels, report.overall.monthly, strict=True))
    assert [at[m] for m in ("2022-04", "2022-05", "2023-02", "2023-03", "2023-05", "2023-06")] == [
        0,
        1,
        1,
        0,
        0,
        1,
    ]
    by_source = report.overall.monthly_by_source
    i = report.month_labels.index
    assert by_source["class"][i("2023-02")] == 1 and by_source["import"][i("2023-02")] == 0
    assert by_source["class"][i("2023-06")] == 0 and by_source["import"][i("2023-06")] == 1
    assert report.overall.key_units == 1 and report.overall.covered == 1
