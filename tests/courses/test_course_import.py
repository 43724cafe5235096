"""Importing the course catalogue and training records: references, uniqueness, the dirty oracle."""

import csv
import datetime as dt
import json

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from core.enterprises.importer import import_enterprises
from core.errors import Forbidden
from core.regions.scope import RegionScope
from courses.importer import COURSE_COLUMNS, TRAINING_COLUMNS, import_courses, import_training
from courses.models import Course, TrainingRecord

AS_OF = "2024-06-30"


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path, rows, columns):
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def registry(session, generated):
    """A generated registry with its units and courses imported (training not yet)."""
    gen = generated(n=300, seed=7, as_of=AS_OF, dirty=True)
    import_enterprises(session, gen.folder / "enterprises.csv")
    import_courses(session, gen.folder / "courses.csv")
    return gen


def test_course_catalogue_imports_and_reimport_changes_nothing(session, generated, tmp_path):
    gen = generated(n=300, seed=7, as_of=AS_OF, dirty=True)
    first = import_courses(session, gen.folder / "courses.csv")
    assert (first.created, first.updated, first.unchanged) == (6, 0, 0)
    lr = session.scalar(select(Course).where(Course.code == "LR-2023"))
    assert (lr.audience, lr.kind) == ("法定代表人", "必修")
    again = import_courses(session, gen.folder / "courses.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)

    rows = read_rows(gen.folder / "courses.csv")
    rows[3]["title"] = "排污许可证执行报告填报实务（修订版）"
    changed = import_courses(session, write_rows(tmp_path / "c.csv", rows, COURSE_COLUMNS))
    assert (changed.updated, changed.unchanged) == (1, 5)
    assert session.scalar(select(Course.title).where(Course.code == "EP-101")).endswith(
        "（修订版）"
    )


def test_bad_course_rows_are_listed(session, tmp_path):
    rows = [
        {"course_code": "X-1", "title": "甲", "audience": "法定代表人", "kind": "必修"},
        {"course_code": "X-2", "title": "乙", "audience": "厂长", "kind": "必修"},
        {"course_code": "X-3", "title": "丙", "audience": "法定代表人", "kind": "选学"},
        {"course_code": "", "title": "丁", "audience": "法定代表人", "kind": "必修"},
        {"course_code": "X-1", "title": "戊", "audience": "法定代表人", "kind": "必修"},
    ]
    report = import_courses(session, write_rows(tmp_path / "c.csv", rows, COURSE_COLUMNS))
    assert list(report.error_lines()) == [
        "第3行: 培训对象“厂长”无效，应为法定代表人、环保负责人、审批人员、技术机构人员之一",
        "第4行: 课程类别“选学”无效，应为必修或选修",
        "第5行: 课程代码不能为空",
        "第6行: 课程代码 X-1 与第2行重复",
    ]
    assert count(session, Course) == 0


def test_only_national_admins_import_the_course_catalogue(session, generated):
    gen = generated(n=300, seed=7, as_of=AS_OF, dirty=True)
    with pytest.raises(Forbidden, match="部级管理员"):
        import_courses(session, gen.folder / "courses.csv", scope=RegionScope("江苏省"))
    assert import_courses(session, gen.folder / "courses.csv", scope=RegionScope()).created == 6


def test_training_imports_once_and_reimport_changes_nothing(session, registry):
    rows = read_rows(registry.folder / "training.csv")
    first = import_training(session, registry.folder / "training.csv")
    assert first.ok and first.created == len(rows)
    assert count(session, TrainingRecord) == len(rows)
    again = import_training(session, registry.folder / "training.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))
    assert count(session, TrainingRecord) == len(rows)


def test_changed_result_updates_the_same_record(session, registry, tmp_path):
    rows = read_rows(registry.folder / "training.csv")
    import_training(session, registry.folder / "training.csv")
    rows[0]["passed"] = "false" if rows[0]["passed"] == "true" else "true"
    report = import_training(session, write_rows(tmp_path / "t.csv", rows, TRAINING_COLUMNS))
    assert (report.created, report.updated) == (0, 1)
    assert count(session, TrainingRecord) == len(rows)


@pytest.mark.parametrize("seed", [7, 11, 23])
def test_dirty_training_reports_exactly_the_listed_lines(session, generated, seed):
    gen = generated(n=300, seed=seed, as_of=AS_OF, dirty=True)
    import_enterprises(session, gen.folder / "enterprises.csv")
    import_courses(session, gen.folder / "courses.csv")
    oracle = json.loads((gen.folder / "dirty_rows.json").read_text(encoding="utf-8"))
    listed = {e["line"] for e in oracle["training_dirty.csv"]}

    refused = import_training(session, gen.folder / "training_dirty.csv")
    assert refused.bad_lines == listed and not refused.written
    assert count(session, TrainingRecord) == 0

    skipped = import_training(session, gen.folder / "training_dirty.csv", skip_invalid=True)
    assert skipped.bad_lines == listed
    assert (
        skipped.created
        == count(session, TrainingRecord)
        == len(read_rows(gen.folder / "training.csv"))
    )


def test_dirty_training_reasons_name_the_missing_reference(session, registry):
    oracle = json.loads((registry.folder / "dirty_rows.json").read_text(encoding="utf-8"))
    report = import_training(session, registry.folder / "training_dirty.csv")
    reasons = dict(line.split(": ", 1) for line in report.error_lines())
    expected = {
        "unknown unit": "排污单位名录中没有",
        "unknown course": "课程代码“NO-SUCH”不存在",
        "bad date": "完成日期“昨天”不是有效日期",
    }
    for entry in oracle["training_dirty.csv"]:
        assert expected[entry["why"]] in reasons[f"第{entry['line']}行"]


def test_duplicate_future_and_malformed_training_rows_are_bad(session, registry, tmp_path):
    base = read_rows(registry.folder / "training.csv")[0]
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    rows = [
        base,
        dict(base),
        dict(base, completed_on=tomorrow),
        dict(base, credit_code=base["credit_code"][:-1] + "I"),
        dict(base, role="厂长"),
        dict(base, passed="也许"),
        dict(base, person_name=""),
    ]
    report = import_training(session, write_rows(tmp_path / "t.csv", rows, TRAINING_COLUMNS))
    lines = list(report.error_lines())
    assert lines[0] == "第3行: 与第2行重复（同一单位、人员、课程和完成日期）"
    assert lines[1].startswith("第4行: 完成日期") and "晚于今天" in lines[1]
    assert "非法字符“I”" in lines[2]
    assert "人员身份“厂长”无效" in lines[3]
    assert "是否通过“也许”无法识别" in lines[4]
    assert lines[5] == "第8行: 人员姓名不能为空"


def test_training_from_xlsx_with_boolean_cells(session, registry, tmp_path):
    rows = read_rows(registry.folder / "training.csv")[:20]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(TRAINING_COLUMNS))
    for row in rows:
        sheet.append(
            [
                row["credit_code"],
                row["person_name"],
                row["role"],
                row["course_code"],
                dt.date.fromisoformat(row["completed_on"]),
                row["passed"] == "true",
            ]
        )
    workbook.save(tmp_path / "training.xlsx")
    report = import_training(session, tmp_path / "training.xlsx")
    assert report.created == 20 and report.ok
    passed = sum(r["passed"] == "true" for r in rows)
    assert session.scalar(select(func.count()).where(TrainingRecord.passed.is_(True))) == passed


def test_city_admin_imports_training_only_for_their_units(session, registry):
    units = {r["credit_code"]: r["city"] for r in read_rows(registry.folder / "enterprises.csv")}
    rows = read_rows(registry.folder / "training.csv")
    report = import_training(
        session,
        registry.folder / "training.csv",
        scope=RegionScope("江苏省", "苏州市"),
        skip_invalid=True,
    )
    outside = {i + 2 for i, r in enumerate(rows) if units[r["credit_code"]] != "苏州市"}
    assert outside and report.bad_lines == outside
    assert all("不在您的管辖范围内" in line for line in report.error_lines())
    assert report.created == len(rows) - len(outside)


def test_training_in_many_chunks_matches_the_oracle(session, registry, monkeypatch):
    import core.bulk

    monkeypatch.setattr(core.bulk, "CHUNK_ROWS", 23)
    oracle = json.loads((registry.folder / "dirty_rows.json").read_text(encoding="utf-8"))
    listed = {e["line"] for e in oracle["training_dirty.csv"]}
    refused = import_training(session, registry.folder / "training_dirty.csv")
    assert refused.bad_lines == listed and count(session, TrainingRecord) == 0
    skipped = import_training(session, registry.folder / "training_dirty.csv", skip_invalid=True)
    assert skipped.bad_lines == listed
    assert (
        skipped.created
        == count(session, TrainingRecord)
        == len(read_rows(registry.folder / "training.csv"))
    )
