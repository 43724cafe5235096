"""Import the course catalogue (courses.csv) and training records (training.csv / .xlsx).

Formats are the ones ``shared/tools/gen_registry.py`` writes::

    course_code,title,audience,kind
    credit_code,person_name,role,course_code,completed_on,passed

Courses are upserted by code. Training rows are unique by (unit, person, course, date); the unit
(by credit code) and the course must already exist, otherwise the row is bad. Without
``skip_invalid`` one bad row means nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.bulk import Writes, run_import, select_in_chunks
from core.db import utcnow
from core.enterprises.service import unit_refs
from core.errors import Forbidden
from core.imports import one_import_at_a_time
from core.regions.scope import RegionScope
from core.tabular import (
    ImportReport,
    Row,
    RowError,
    check_length,
    open_table,
    parse_date,
)
from courses.models import Audience, Course, CourseKind, TrainingRecord
from courses.training_rows import parse_yes_no, person_problem, role_problem, unit_problem

COURSE_COLUMNS: tuple[str, ...] = ("course_code", "title", "audience", "kind")
COURSE_ALIASES = {
    "课程代码": "course_code",
    "课程名称": "title",
    "培训对象": "audience",
    "类别": "kind",
}
TRAINING_COLUMNS: tuple[str, ...] = (
    "credit_code",
    "person_name",
    "role",
    "course_code",
    "completed_on",
    "passed",
)
TRAINING_ALIASES = {
    "统一社会信用代码": "credit_code",
    "姓名": "person_name",
    "人员姓名": "person_name",
    "身份": "role",
    "人员类别": "role",
    "课程代码": "course_code",
    "完成日期": "completed_on",
    "是否通过": "passed",
    "通过": "passed",
    "考核结果": "passed",
}
_AUDIENCES = tuple(a.value for a in Audience)
_KINDS = tuple(k.value for k in CourseKind)


def _check_scope_for_catalogue(scope: RegionScope | None) -> None:
    if scope is not None and not scope.is_national:
        raise Forbidden("课程目录全国统一，由部级管理员维护；省级和市级管理员不能导入课程")


@one_import_at_a_time
def import_courses(
    session: Session,
    path: Path | str | bytes,
    *,
    skip_invalid: bool = False,
    scope: RegionScope | None = None,
    filename: str | None = None,
) -> ImportReport:
    """Import the course catalogue from a CSV/XLSX file, upserting by course code."""
    _check_scope_for_catalogue(scope)
    with open_table(
        path, columns=COURSE_COLUMNS, aliases=COURSE_ALIASES, filename=filename
    ) as table:
        return import_course_rows(
            session, table, skip_invalid=skip_invalid, problems=table.problems
        )


def import_course_rows(
    session: Session,
    rows: Iterable[Row],
    *,
    skip_invalid: bool = False,
    problems: Sequence[RowError] = (),
) -> ImportReport:
    """Validate and upsert course rows in one transaction."""
    report = ImportReport(kind="课程", skip_invalid=skip_invalid)
    first_line: dict[str, int] = {}
    now = utcnow()

    def process(chunk: list[Row]) -> Writes:
        valid: dict[str, tuple[str, str, str]] = {}
        for line, values in chunk:
            report.total += 1
            reasons = []
            code = values["course_code"]
            if problem := check_length(code, "课程代码", 32):
                reasons.append(problem)
            elif code in first_line:
                reasons.append(f"课程代码 {code} 与第{first_line[code]}行重复")
            else:
                first_line[code] = line
            if problem := check_length(values["title"], "课程名称", 200):
                reasons.append(problem)
            if values["audience"] not in _AUDIENCES:
                reasons.append(
                    f"培训对象“{values['audience']}”无效，应为{'、'.join(_AUDIENCES)}之一"
                )
            if values["kind"] not in _KINDS:
                reasons.append(f"课程类别“{values['kind']}”无效，应为{'或'.join(_KINDS)}")
            if reasons:
                report.add_error(line, "；".join(reasons))
            else:
                valid[code] = (values["title"], values["audience"], values["kind"])

        existing = {
            code: (course_id, (title, audience, kind))
            for code, course_id, title, audience, kind in select_in_chunks(
                session,
                lambda keys: select(
                    Course.code, Course.id, Course.title, Course.audience, Course.kind
                ).where(Course.code.in_(keys)),
                valid,
            )
        }
        inserts, updates = [], []
        for code, fields in valid.items():
            current = existing.get(code)
            row = dict(zip(("title", "audience", "kind"), fields, strict=True))
            if current is None:
                inserts.append({"code": code, **row, "created_at": now})
            elif current[1] == fields:
                report.unchanged += 1
            else:
                updates.append({"id": current[0], **row})
        report.created += len(inserts)
        report.updated += len(updates)
        return [(Course.__table__, inserts, updates)]

    return run_import(
        session,
        report,
        rows,
        process,
        problems=problems,
        conflict_message="导入课程时课程目录已被其他操作修改，请重新导入",
    )


@one_import_at_a_time
def import_training(
    session: Session,
    path: Path | str | bytes,
    *,
    skip_invalid: bool = False,
    scope: RegionScope | None = None,
    filename: str | None = None,
) -> ImportReport:
    """Import training records from a CSV/XLSX file; ``scope`` limits the units one may touch."""
    with open_table(
        path, columns=TRAINING_COLUMNS, aliases=TRAINING_ALIASES, filename=filename
    ) as table:
        return import_training_rows(
            session, table, skip_invalid=skip_invalid, scope=scope, problems=table.problems
        )


def import_training_rows(
    session: Session,
    rows: Iterable[Row],
    *,
    skip_invalid: bool = False,
    scope: RegionScope | None = None,
    problems: Sequence[RowError] = (),
) -> ImportReport:
    """Validate and upsert training rows in one transaction."""
    report = ImportReport(kind="培训记录", skip_invalid=skip_invalid)
    courses = dict(session.execute(select(Course.code, Course.id)).all())
    latest = utcnow().date()
    now = utcnow()
    first_line: dict[tuple, int] = {}  # (enterprise_id, person, course_id, date) seen so far
    columns = (
        TrainingRecord.id,
        TrainingRecord.enterprise_id,
        TrainingRecord.person_name,
        TrainingRecord.course_id,
        TrainingRecord.completed_on,
        TrainingRecord.role,
        TrainingRecord.passed,
    )

    def process(chunk: list[Row]) -> Writes:
        units = unit_refs(session, (values["credit_code"].upper() for _, values in chunk))
        valid: dict[tuple, tuple[str, bool]] = {}
        for line, values in chunk:
            report.total += 1
            reasons = []
            code = values["credit_code"].upper()
            unit = units.get(code)
            if problem := unit_problem(code, unit, scope):
                reasons.append(problem)
            person = values["person_name"]
            if problem := person_problem(person):
                reasons.append(problem)
            role = values["role"]
            if problem := role_problem(role):
                reasons.append(problem)
            course_code = values["course_code"]
            course_id = courses.get(course_code)
            if course_id is None:
                reasons.append(
                    f"课程代码“{course_code}”不存在，请先导入课程"
                    if course_code
                    else "课程代码不能为空"
                )
            completed_on, problem = parse_date(values["completed_on"], "完成日期")
            if problem:
                reasons.append(problem)
            elif completed_on > latest:
                reasons.append(f"完成日期 {completed_on} 晚于今天")
            passed, problem = parse_yes_no(values["passed"], "是否通过")
            if problem:
                reasons.append(problem)
            if not reasons:
                key = (unit.id, person, course_id, completed_on)
                if key in first_line:
                    reasons.append(f"与第{first_line[key]}行重复（同一单位、人员、课程和完成日期）")
                else:
                    first_line[key] = line
                    valid[key] = (role, passed)
            if reasons:
                report.add_error(line, "；".join(reasons))

        existing = {
            (eid, person, cid, day): (record_id, role, passed)
            for record_id, eid, person, cid, day, role, passed in select_in_chunks(
                session,
                lambda ids: select(*columns).where(TrainingRecord.enterprise_id.in_(ids)),
                (key[0] for key in valid),
            )
        }
        inserts, updates = [], []
        for key, (role, passed) in valid.items():
            current = existing.get(key)
            if current is None:
                inserts.append(
                    {
                        "enterprise_id": key[0],
                        "person_name": key[1],
                        "course_id": key[2],
                        "completed_on": key[3],
                        "role": role,
                        "passed": passed,
                        "source": "import",
                        "created_at": now,
                    }
                )
            elif current[1:] == (role, passed):
                report.unchanged += 1
            else:
                updates.append({"id": current[0], "role": role, "passed": passed})
        report.created += len(inserts)
        report.updated += len(updates)
        return [(TrainingRecord.__table__, inserts, updates)]

    return run_import(
        session,
        report,
        rows,
        process,
        problems=problems,
        conflict_message="导入培训记录时数据已被其他操作修改，请重新导入",
    )
