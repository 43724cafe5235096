"""Coverage counts only evidence a bureau stands behind (measure 33, issue 14 item 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.enterprises.models import Enterprise, LegalRepChange
from core.errors import Forbidden, NotFound
from core.regions.scope import RegionScope
from courses import attendance, catalogue, classes, coverage, enrolments, evidence, exports
from courses.models import ClassAttendee, TrainingRecord
from tests.support.courses import T0, make_course, make_unit, study
from tests.support.web import csrf_from

NATIONAL = RegionScope()
SUZHOU = RegionScope("江苏省", "苏州市")
AS_OF = dt.date(2024, 6, 30)


def _class(session, course, *, ends_on=dt.date(2024, 5, 7)):
    return classes.create_class(
        session,
        scope=SUZHOU,
        title="苏州市法定代表人培训班",
        starts_on=ends_on - dt.timedelta(days=1),
        ends_on=ends_on,
        course_id=course.id,
        place="苏州市生态环境局",
    )


def _roster(*rows: str) -> bytes:
    return ("统一社会信用代码,姓名,身份,出勤,通过\n" + "\n".join(rows) + "\n").encode()


def _covered(session, scope=NATIONAL, as_of=AS_OF) -> int:
    return coverage.coverage_report(session, scope=scope, as_of=as_of).overall.covered


def test_attendance_under_another_name_is_reported_and_counted_nowhere(session):
    unit = make_unit(session, legal_rep_name="尹勇艳", legal_rep_since=dt.date(2021, 3, 1))
    klass = _class(session, make_course(session))
    report = attendance.import_attendance(
        session,
        scope=SUZHOU,
        class_id=klass.id,
        source=_roster(f"{unit.credit_code},张伟,法定代表人,是,是"),
        filename="roster.csv",
    )
    assert report.written and report.created == 1
    [warning] = report.warning_lines()
    assert warning.startswith("第2行") and "张伟 非现任法定代表人" in warning
    assert "尹勇艳" in warning
    attendee = session.scalars(select(ClassAttendee)).one()
    assert attendee.not_current_rep
    assert session.scalars(select(TrainingRecord)).all() == []
    assert _covered(session) == 0
    # nothing suggests the representative changed: 尹勇艳 has held office since 2021
    [unit_row] = coverage.uncovered_units(session, scope=SUZHOU, as_of=AS_OF)
    assert unit_row.legal_rep_name == "尹勇艳" and not unit_row.previous_rep_trained
    assert exports._note(unit_row) == "法定代表人尚未培训"


def test_attendance_under_the_registered_name_counts_as_class_evidence(session):
    unit = make_unit(session)
    klass = _class(session, make_course(session))
    report = attendance.import_attendance(
        session,
        scope=SUZHOU,
        class_id=klass.id,
        source=_roster(f"{unit.credit_code},王建国,法定代表人,是,通过"),
        filename="roster.csv",
    )
    assert report.written and report.warnings == []
    report = coverage.coverage_report(session, scope=NATIONAL, as_of=AS_OF)
    assert report.overall.covered == 1
    assert report.overall.by_source == {"class": 1, "import": 0, "platform": 0}


def test_attendance_is_checked_against_the_representative_registered_on_the_class_day(session):
    # the registry already names the successor, whose term starts after the class
    unit = make_unit(session, legal_rep_name="新任甲", legal_rep_since=dt.date(2024, 9, 1))
    session.add(
        LegalRepChange(
            enterprise_id=unit.id,
            previous_name="王建国",
            new_name="新任甲",
            changed_on=dt.date(2024, 9, 1),
        )
    )
    session.flush()
    klass = _class(session, make_course(session))
    report = attendance.import_attendance(
        session,
        scope=SUZHOU,
        class_id=klass.id,
        source=_roster(f"{unit.credit_code},王建国,法定代表人,是,是"),
        filename="roster.csv",
    )
    assert report.warnings == []
    assert _covered(session, as_of=AS_OF) == 1
    assert _covered(session, as_of=dt.date(2024, 9, 30)) == 0


def test_a_corrected_roster_withdraws_the_earlier_credit(session):
    unit = make_unit(session)
    klass = _class(session, make_course(session))
    for name in ("王建国", "张伟"):
        attendance.import_attendance(
            session,
            scope=SUZHOU,
            class_id=klass.id,
            source=_roster(
                f"{unit.credit_code},王建国,法定代表人,{'是' if name == '王建国' else '否'},是"
            ),
            filename="roster.csv",
        )
    assert session.scalars(select(TrainingRecord)).all() == []
    assert _covered(session) == 0


def _online_completion(session, make_user, *, name="王建国"):
    """An enterprise account completes a 法定代表人 course under ``name`` (one text lesson)."""
    unit = session.scalar(select(Enterprise).where(Enterprise.credit_code == "91320500MA1TEXT01T"))
    unit = unit or make_unit(session)
    course = make_course(session)
    lesson = catalogue.add_lesson(
        session, scope=NATIONAL, course_id=course.id, title="政策解读", body="排污许可制度……"
    )
    account = make_user("enterprise", credit_code=unit.credit_code)
    enrolment = enrolments.enrol(session, course_id=course.id, user=account, person_name=name)
    study(session, lesson, account)
    session.refresh(enrolment)
    assert enrolment.completed_on is not None
    return unit, account, enrolment


def test_an_online_completion_waits_in_the_queue_and_counts_once_verified(session, make_user):
    unit, account, enrolment = _online_completion(session, make_user)
    today = dt.date.today()
    assert _covered(session, as_of=today) == 0
    [waiting] = coverage.uncovered_units(session, scope=SUZHOU, as_of=today)
    assert waiting.pending_verification
    assert exports._note(waiting) == "在线结业，法定代表人身份待核实"
    assert evidence.pending_count(session, scope=SUZHOU) == 1
    assert evidence.pending_count(session, scope=RegionScope("江苏省", "无锡市")) == 0

    city_admin = make_user("city", province="江苏省", city="苏州市")
    [claim] = evidence.pending_claims(session, scope=SUZHOU)
    assert claim.username == account.username
    assert [c.course_code for c in claim.completions] == ["LR-T1"]
    decided = evidence.decide_claim(
        session, scope=SUZHOU, actor=city_admin, claim_id=claim.id, approve=True
    )
    assert decided.status == "已核实"
    report = coverage.coverage_report(session, scope=NATIONAL, as_of=today)
    assert report.overall.covered == 1 and report.overall.by_source["platform"] == 1
    audit = session.scalars(select(AuditEntry)).one()
    assert (audit.action, audit.actor, audit.city) == (
        "coverage.rep_verification.approve",
        city_admin.username,
        "苏州市",
    )
    assert evidence.pending_claims(session, scope=SUZHOU) == []


def test_a_verified_account_counts_its_later_completions_at_once(session, make_user):
    unit, account, _ = _online_completion(session, make_user)
    admin = make_user("province", province="江苏省")
    [claim] = evidence.pending_claims(session, scope=SUZHOU)
    evidence.decide_claim(
        session, scope=RegionScope("江苏省"), actor=admin, claim_id=claim.id, approve=True
    )
    second = make_course(session, code="LR-T2", title="法定代表人专题培训（二）")
    lesson = catalogue.add_lesson(
        session, scope=NATIONAL, course_id=second.id, title="一", body="…"
    )
    enrolments.enrol(session, course_id=second.id, user=account, person_name="王建国")
    study(session, lesson, account, start=T0 + dt.timedelta(hours=1))
    assert len(session.scalars(select(TrainingRecord)).all()) == 2
    assert evidence.pending_claims(session, scope=SUZHOU) == []


def test_a_rejected_claim_never_counts_and_is_audited(session, make_user):
    _online_completion(session, make_user)
    city_admin = make_user("city", province="江苏省", city="苏州市")
    [claim] = evidence.pending_claims(session, scope=SUZHOU)
    evidence.decide_claim(session, scope=SUZHOU, actor=city_admin, claim_id=claim.id, approve=False)
    assert _covered(session, as_of=dt.date.today()) == 0
    assert session.scalars(select(AuditEntry.action)).one() == "coverage.rep_verification.reject"
    with pytest.raises(Exception) as again:
        evidence.decide_claim(
            session, scope=SUZHOU, actor=city_admin, claim_id=claim.id, approve=True
        )
    assert again.value.__class__.__name__ == "Conflict"


def test_only_admins_whose_region_holds_the_unit_decide(session, make_user):
    _online_completion(session, make_user)
    [claim] = evidence.pending_claims(session, scope=SUZHOU)
    wuxi = make_user("city", province="江苏省", city="无锡市")
    with pytest.raises(NotFound):
        evidence.decide_claim(
            session,
            scope=RegionScope("江苏省", "无锡市"),
            actor=wuxi,
            claim_id=claim.id,
            approve=True,
        )
    clerk = make_user("enterprise", credit_code="91320500MA1TEXT01T")
    with pytest.raises(Forbidden):
        evidence.decide_claim(session, scope=SUZHOU, actor=clerk, claim_id=claim.id, approve=True)


def test_imported_records_count_as_import_evidence(session, tmp_path):
    from courses.importer import import_training

    unit = make_unit(session)
    make_course(session)
    path = tmp_path / "training.csv"
    path.write_text(
        "credit_code,person_name,role,course_code,completed_on,passed\n"
        f"{unit.credit_code},王建国,法定代表人,LR-T1,2024-03-02,是\n",
        encoding="utf-8",
    )
    assert import_training(session, path).written
    report = coverage.coverage_report(session, scope=NATIONAL, as_of=AS_OF)
    assert report.overall.by_source == {"class": 0, "import": 1, "platform": 0}


def test_the_coverage_page_shows_sources_and_approves_from_the_queue(
    client, session, make_user, login
):
    _online_completion(session, make_user)
    city_admin = make_user("city", province="江苏省", city="苏州市")
    login(city_admin.username)
    page = client.get("/coverage")
    assert page.status_code == 200
    assert "在线结业，待核实" in page.text and 'id="claims"' in page.text
    assert "培训班出勤 0 · 导入记录 0 · 在线学习（已核实） 0" in page.text
    claim_id = evidence.pending_claims(session, scope=SUZHOU)[0].id
    response = client.post(
        f"/coverage/claims/{claim_id}/approve",
        data={"csrf_token": csrf_from(page.text), "back": "/coverage"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/coverage")
    page = client.get("/coverage")
    assert "在线学习（已核实） 1" in page.text and 'id="claims"' not in page.text


def test_the_claims_api_lists_and_decides_within_the_region(
    client, session, make_user, auth_headers
):
    _online_completion(session, make_user)
    city_admin = make_user("city", province="江苏省", city="苏州市")
    other = make_user("city", province="江苏省", city="无锡市")
    assert client.get("/api/coverage/claims", headers=auth_headers(other)).json() == []
    [claim] = client.get("/api/coverage/claims", headers=auth_headers(city_admin)).json()
    assert claim["person_name"] == "王建国" and claim["name_matches"]
    refused = client.post(
        f"/api/coverage/claims/{claim['id']}/approve", headers=auth_headers(other)
    )
    assert refused.status_code == 404
    done = client.post(
        f"/api/coverage/claims/{claim['id']}/reject", headers=auth_headers(city_admin)
    )
    assert done.json() == {"id": claim["id"], "status": "已驳回"}


def test_covered_units_export_names_the_source_of_each(client, session, make_user, auth_headers):
    import csv
    import io

    from openpyxl import load_workbook

    unit = make_unit(session)
    klass = _class(session, make_course(session))
    attendance.import_attendance(
        session,
        scope=SUZHOU,
        class_id=klass.id,
        source=_roster(f"{unit.credit_code},王建国,法定代表人,是,是"),
        filename="roster.csv",
    )
    admin = make_user("city", province="江苏省", city="苏州市")
    listed = client.get(
        "/api/coverage/covered", params={"as_of": "2024-06-30"}, headers=auth_headers(admin)
    ).json()
    assert [(i["credit_code"], i["source"], i["trained_on"]) for i in listed["items"]] == [
        (unit.credit_code, "class", "2024-05-07")
    ]
    as_csv = client.get(
        "/api/coverage/covered",
        params={"as_of": "2024-06-30", "format": "csv"},
        headers=auth_headers(admin),
    )
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "证据来源" and rows[1][-1] == "培训班出勤"
    as_xlsx = client.get(
        "/api/coverage/covered",
        params={"as_of": "2024-06-30", "format": "xlsx"},
        headers=auth_headers(admin),
    )
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet.cell(3, 7).value == "培训班出勤" and sheet.cell(3, 2).value == unit.credit_code
    other = make_user("city", province="江苏省", city="无锡市")
    assert client.get("/api/coverage/covered", headers=auth_headers(other)).json()["count"] == 0
