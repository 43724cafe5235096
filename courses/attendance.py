"""Class rosters and attendance (CSV/XLSX), recorded by the admin who holds the class.

A row names either a unit's person (by the unit's 统一社会信用代码: legal representatives and
environmental managers) or a staff member (审批人员, 技术机构人员: by account, or by name and
organisation). Who attended and passed a class of a course is credited:

- a unit's person gets a training record dated the class's last day, which counts for the
  legal-representative coverage only under the name the registry holds for the unit that day;
  anyone else listed as its legal representative is reported as 非现任法定代表人, kept on the
  roster and counted nowhere;
- a staff member's account gets the course completed (an enrolment of the course's year, or of
  the class's year), so the class counts towards the yearly credits of measure 34.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts.models import Role, StaffKind, User
from core.bulk import import_rows
from core.enterprises.service import unit_refs
from core.errors import Forbidden
from core.imports import one_import_at_a_time
from core.regions.scope import RegionScope
from core.tabular import ImportReport, Row, RowError, read_table
from courses import classes, enrolments, evidence
from courses.legal_reps import reps_on
from courses.models import (
    Audience,
    ClassAttendee,
    Enrolment,
    EnrolmentSource,
    EvidenceSource,
    TrainingClass,
    TrainingRecord,
)
from courses.training_rows import parse_yes_no, person_problem, role_problem, unit_problem

ATTENDANCE_COLUMNS = ("person_name", "role", "attended", "passed")
ATTENDANCE_OPTIONAL = ("credit_code", "username", "organisation")
# The header of the downloadable roster template: every column, in Chinese, as admins fill it in.
ATTENDANCE_TEMPLATE_HEADER = (
    "统一社会信用代码",
    "姓名",
    "身份",
    "是否出勤",
    "是否通过",
    "账号",
    "工作单位",
)
ATTENDANCE_ALIASES = {
    "统一社会信用代码": "credit_code",
    "姓名": "person_name",
    "人员姓名": "person_name",
    "身份": "role",
    "人员类别": "role",
    "是否出勤": "attended",
    "出勤": "attended",
    "是否通过": "passed",
    "通过": "passed",
    "考核结果": "passed",
    "账号": "username",
    "用户名": "username",
    "工作单位": "organisation",
    "单位": "organisation",
}
STAFF_ROLES = frozenset(k.value for k in StaffKind)
# A roster also lists staff, who belong to no unit: say which rows need the code.
UNIT_CODE_MISSING = "单位人员须填写统一社会信用代码"


@dataclass
class AttendanceReport(ImportReport):
    """An attendance import's report, with the rows written but counted nowhere."""

    warnings: list[RowError] = field(default_factory=list)

    def warning_lines(self) -> list[str]:
        return [str(w) for w in self.warnings]


@dataclass
class _AttendeeRow:
    line: int
    person: str
    role: str
    attended: bool
    passed: bool
    unit_id: int | None = None
    user: User | None = None
    organisation: str = ""
    not_current_rep: bool = False

    @property
    def key(self) -> tuple:
        return ("user", self.user.id) if self.user else ("unit", self.unit_id, self.person)


@one_import_at_a_time
def import_attendance(
    session: Session,
    *,
    scope: RegionScope,
    class_id: int,
    source: Path | str | bytes,
    filename: str | None = None,
    skip_invalid: bool = False,
) -> AttendanceReport:
    """Import a class's roster and attendance; nothing is written while a row is bad, unless
    ``skip_invalid``."""
    training_class = classes.get_class(session, scope=scope, class_id=class_id)
    # only the region that holds the class keeps its roster
    if (training_class.province, training_class.city) != (scope.province, scope.city) and not (
        scope.is_national
    ):
        raise Forbidden("只能为本辖区举办的培训班导入名单")
    table = read_table(
        source,
        columns=ATTENDANCE_COLUMNS,
        optional=ATTENDANCE_OPTIONAL,
        aliases=ATTENDANCE_ALIASES,
        filename=filename,
    )
    report = AttendanceReport(kind="培训班名单", skip_invalid=skip_invalid)

    def write(rows: list[_AttendeeRow]) -> None:
        valid = {row.key: row for row in rows}
        _flag_other_representatives(session, training_class, valid, report)
        _warn_other_audiences(training_class, valid, report)
        existing = {_attendee_key(a): a for a in training_class.attendees}
        for key, row in valid.items():
            _upsert_attendee(training_class, existing.get(key), row, report)
            if training_class.course_id is None:
                continue
            if row.user is not None:
                _credit_staff(session, training_class, row)
            else:
                _class_training_record(session, training_class, row)

    check = _row_checker(session, scope, table.rows)
    return import_rows(session, report, table, check, write)


def _attendee_key(attendee: ClassAttendee) -> tuple:
    if attendee.user_id is not None:
        return ("user", attendee.user_id)
    return ("unit", attendee.enterprise_id, attendee.person_name)


def _upsert_attendee(
    training_class: TrainingClass,
    attendee: ClassAttendee | None,
    row: _AttendeeRow,
    report: AttendanceReport,
) -> None:
    values = {
        "person_name": row.person,
        "role": row.role,
        "attended": row.attended,
        "passed": row.passed,
        "not_current_rep": row.not_current_rep,
        "organisation": row.organisation,
    }
    if attendee is None:
        training_class.attendees.append(
            ClassAttendee(
                enterprise_id=row.unit_id,
                user_id=row.user.id if row.user else None,
                **values,
            )
        )
        report.created += 1
    elif all(getattr(attendee, k) == v for k, v in values.items()):
        report.unchanged += 1
    else:
        for k, v in values.items():
            setattr(attendee, k, v)
        report.updated += 1


# ---- validation --------------------------------------------------------------------------------


def _row_checker(
    session: Session, scope: RegionScope, rows: list[Row]
) -> Callable[[Row], tuple[_AttendeeRow | None, list[str]]]:
    """The check of one roster row; the units and staff all rows name are looked up at once."""
    units = unit_refs(session, {v.get("credit_code", "").upper() for _, v in rows} - {""})
    staff = _StaffFinder(session, scope, rows)
    first: dict[tuple, int] = {}  # each person's first good line, for duplicates

    def check(row_in: Row) -> tuple[_AttendeeRow | None, list[str]]:
        line, values = row_in
        reasons: list[str] = []
        person, role = values["person_name"], values["role"]
        if problem := person_problem(person):
            reasons.append(problem)
        if problem := role_problem(role):
            reasons.append(problem)
        attended, problem = parse_yes_no(values["attended"], "是否出勤")
        if problem:
            reasons.append(problem)
        passed, problem = parse_yes_no(values["passed"], "是否通过")
        if problem:
            reasons.append(problem)
        row = _AttendeeRow(line, person, role, bool(attended), bool(passed))
        if role in STAFF_ROLES:
            row.organisation = values.get("organisation", "")
            row.user = staff.find(values.get("username", ""), person, row.organisation, reasons)
        elif not role_problem(role):
            code = values.get("credit_code", "").upper()
            unit = units.get(code)
            if problem := unit_problem(code, unit, scope, missing=UNIT_CODE_MISSING):
                reasons.append(problem)
            else:
                row.unit_id = unit.id
        if not reasons:
            if row.key in first:
                reasons.append(f"与第{first[row.key]}行重复（同一人员）")
            else:
                first[row.key] = line
        return (None, reasons) if reasons else (row, [])

    return check


class _StaffFinder:
    """Staff accounts named in a roster: by username, or by name and organisation."""

    def __init__(self, session: Session, scope: RegionScope, rows) -> None:
        names = {v["person_name"] for _, v in rows if v["role"] in STAFF_ROLES}
        usernames = {v.get("username", "") for _, v in rows if v["role"] in STAFF_ROLES}
        usernames.discard("")
        self.scope = scope
        stmt = select(User).where(
            User.role == Role.STAFF.value,
            User.is_active.is_(True),
            User.username.in_(usernames) | User.display_name.in_(names),
        )
        self.users = list(session.scalars(stmt)) if names or usernames else []

    def find(self, username: str, person: str, organisation: str, reasons: list[str]):
        if username:
            user = next((u for u in self.users if u.username == username), None)
            if user is None:
                reasons.append(f"没有账号为“{username}”的工作人员")
                return None
            if user.display_name != person:
                reasons.append(f"账号“{username}”的姓名为{user.display_name}，与名单姓名不一致")
                return None
        else:
            if not organisation:
                reasons.append("工作人员须填写账号，或同时填写姓名和工作单位")
                return None
            matches = [
                u
                for u in self.users
                if u.display_name == person and (u.organisation or "") == organisation
            ]
            if len(matches) != 1:
                reasons.append(
                    f"找不到姓名为{person}、工作单位为{organisation}的工作人员账号"
                    if not matches
                    else f"姓名为{person}、工作单位为{organisation}的账号有多个，请填写账号"
                )
                return None
            user = matches[0]
        if not self.scope.allows(user.province, user.city):
            reasons.append(self.scope.outside(user.province, user.city, f"工作人员{person}"))
            return None
        return user


# ---- crediting ---------------------------------------------------------------------------------


def _flag_other_representatives(
    session: Session,
    training_class: TrainingClass,
    valid: dict[tuple, _AttendeeRow],
    report: AttendanceReport,
) -> None:
    """Mark who is listed as a unit's legal representative (or attends a 法定代表人 class for it)
    under a name the registry does not hold on the class's last day."""
    lr_class = (
        training_class.course is not None
        and training_class.course.audience == Audience.LEGAL_REP.value
    )
    checked = [
        row
        for row in valid.values()
        if row.unit_id is not None and (lr_class or row.role == Audience.LEGAL_REP.value)
    ]
    registered = reps_on(session, [row.unit_id for row in checked], training_class.ends_on)
    for row in checked:
        rep = registered.get(row.unit_id)
        if rep is not None and rep != row.person:
            row.not_current_rep = True
            report.warnings.append(
                RowError(
                    row.line,
                    f"{row.person} {evidence.NOT_CURRENT_REP}"
                    f"（{training_class.ends_on.isoformat()} 名录登记的法定代表人为 {rep}），"
                    "已记入名单，不计入培训覆盖",
                )
            )


def _warn_other_audiences(
    training_class: TrainingClass, valid: dict[tuple, _AttendeeRow], report: AttendanceReport
) -> None:
    course = training_class.course
    if course is None:
        return
    for row in valid.values():
        if row.user is not None and row.user.staff_kind != course.audience:
            report.warnings.append(
                RowError(
                    row.line,
                    f"{row.person} 的人员类别为{row.user.staff_kind or '未填写'}，课程培训对象为"
                    f"{course.audience}，结业记录照常保存，但不计入其年度学分",
                )
            )


def _credit_staff(session: Session, training_class: TrainingClass, row: _AttendeeRow) -> None:
    """A staff member who attended and passed completes the course through the class."""
    if not (row.attended and row.passed):
        return
    course = training_class.course
    year = course.year or training_class.ends_on.year
    enrolment = enrolments.find_enrolment(session, course_id=course.id, user=row.user, year=year)
    if enrolment is None:
        enrolment = Enrolment(
            course_id=course.id,
            user_id=row.user.id,
            person_name=row.person,
            year=year,
            source=EnrolmentSource.CLASS.value,
        )
        session.add(enrolment)
        session.flush()
    if enrolment.completed_on is None:
        enrolment.source = EnrolmentSource.CLASS.value
        enrolments.complete_enrolment(session, enrolment, on=training_class.ends_on)


def _class_training_record(
    session: Session, training_class: TrainingClass, row: _AttendeeRow
) -> None:
    record = session.scalar(
        select(TrainingRecord).where(
            TrainingRecord.enterprise_id == row.unit_id,
            TrainingRecord.person_name == row.person,
            TrainingRecord.course_id == training_class.course_id,
            TrainingRecord.completed_on == training_class.ends_on,
        )
    )
    if not row.attended or row.not_current_rep:
        # a corrected list withdraws what an earlier import of the same class recorded
        if record is not None and record.source == EvidenceSource.CLASS.value:
            session.delete(record)
        return
    if record is None:
        session.add(
            TrainingRecord(
                enterprise_id=row.unit_id,
                person_name=row.person,
                role=row.role,
                course_id=training_class.course_id,
                completed_on=training_class.ends_on,
                passed=row.passed,
                source=EvidenceSource.CLASS.value,
            )
        )
    else:
        record.passed, record.role = row.passed, row.role


def staff_on_roster(session: Session, training_class: TrainingClass) -> dict[int, str]:
    """Usernames of the staff on a class roster, by user id."""
    ids = {a.user_id for a in training_class.attendees if a.user_id}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
