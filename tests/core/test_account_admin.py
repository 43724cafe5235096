"""Account management: scoping, one-time passwords, imports all-or-nothing, audit, the API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from core.accounts import admin
from core.accounts.models import User
from core.audit.models import AuditEntry
from core.enterprises.models import Enterprise
from core.errors import Forbidden, Invalid, NotFound
from core.security import verify_password


@pytest.fixture
def unit(session):
    enterprise = Enterprise(
        credit_code="91320500MA1ACCT01X",
        name="苏州账号测试有限公司",
        province="江苏省",
        city="苏州市",
        division_code="320500",
        industry="化工",
        management_category="重点管理",
        permit_status="有效",
        legal_rep_name="王伟",
        legal_rep_since=dt.date(2020, 1, 1),
    )
    session.add(enterprise)
    session.commit()
    return enterprise


@pytest.fixture
def city_admin(make_user):
    return make_user("city", username="sz-admin", province="江苏省", city="苏州市")


def _fields(**values):
    return admin.AccountFields(**values)


def test_city_admin_creates_staff_in_own_city_with_one_time_password(session, city_admin):
    created = admin.create_account(
        session, actor=city_admin, fields=_fields(username="sz-staff-1", display_name="李娜")
    )
    user = created.user
    assert (user.role, user.province, user.city) == ("staff", "江苏省", "苏州市")
    assert user.must_change_password
    assert verify_password(created.password, user.password_hash)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.target_id == str(user.id)))
    assert entry.action == "account.create" and entry.actor == "sz-admin"
    assert created.password not in entry.detail


def test_city_admin_cannot_create_higher_level_or_other_city(session, city_admin):
    with pytest.raises(Forbidden, match="只能管理下级账号"):
        admin.create_account(
            session,
            actor=city_admin,
            fields=_fields(username="x-prov", role="province", province="江苏省"),
        )
    with pytest.raises(Forbidden, match="管辖范围"):
        admin.create_account(
            session,
            actor=city_admin,
            fields=_fields(username="x-wx", role="staff", province="江苏省", city="无锡市"),
        )
    with pytest.raises(Forbidden):
        admin.create_account(
            session,
            actor=city_admin,
            fields=_fields(username="x-city", role="city", province="江苏省", city="苏州市"),
        )
    assert (
        session.scalar(select(func.count()).select_from(User).where(User.username.like("x-%"))) == 0
    )


def test_province_admin_creates_city_admin_with_short_province_name(session, make_user):
    province_admin = make_user("province", province="江苏省")
    created = admin.create_account(
        session,
        actor=province_admin,
        fields=_fields(username="wx-admin", role="市级管理员", province="江苏", city="无锡市"),
    )
    assert (created.user.role, created.user.province) == ("city", "江苏省")
    with pytest.raises(Forbidden):
        admin.create_account(
            session,
            actor=province_admin,
            fields=_fields(username="zj-admin", role="city", province="浙江省", city="杭州市"),
        )


def test_enterprise_user_takes_region_from_unit_and_must_be_in_scope(session, unit, make_user):
    wuxi = make_user("city", province="江苏省", city="无锡市")
    with pytest.raises(Forbidden):
        admin.create_account(
            session,
            actor=wuxi,
            fields=_fields(username="ent-1", role="enterprise", credit_code=unit.credit_code),
        )
    suzhou = make_user("city", province="江苏省", city="苏州市")
    created = admin.create_account(
        session,
        actor=suzhou,
        fields=_fields(username="ent-1", role="enterprise", credit_code=unit.credit_code.lower()),
    )
    assert created.user.enterprise_id == unit.id and created.user.city == "苏州市"


def test_disable_ends_sessions_and_reset_gives_new_one_time_password(
    session, city_admin, make_user
):
    staff = make_user("staff", province="江苏省", city="苏州市")
    version = staff.session_version
    admin.set_active(session, actor=city_admin, user_id=staff.id, active=False)
    assert not staff.is_active and staff.session_version > version
    admin.set_active(session, actor=city_admin, user_id=staff.id, active=True)
    reset = admin.reset_to_one_time(session, actor=city_admin, user_id=staff.id)
    assert staff.must_change_password and verify_password(reset.password, staff.password_hash)
    actions = session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.target_id == str(staff.id))
        .order_by(AuditEntry.id)
    ).all()
    assert actions[-3:] == ["account.disable", "account.enable", "account.password_reset"]


def test_admin_cannot_touch_accounts_outside_region_or_self(session, city_admin, make_user):
    other = make_user("staff", province="江苏省", city="无锡市")
    with pytest.raises(NotFound):
        admin.set_active(session, actor=city_admin, user_id=other.id, active=False)
    with pytest.raises(Forbidden):
        admin.set_active(session, actor=city_admin, user_id=city_admin.id, active=False)
    peer = make_user("city", province="江苏省", city="苏州市")
    with pytest.raises(Forbidden, match="下级"):
        admin.reset_to_one_time(session, actor=city_admin, user_id=peer.id)
    province_admin = make_user("province", province="江苏省")
    with pytest.raises(NotFound):  # above a city admin: not even visible
        admin.reset_to_one_time(session, actor=city_admin, user_id=province_admin.id)


def test_change_own_password_clears_one_time_flag(session, city_admin):
    from core.accounts.service import change_password

    created = admin.create_account(session, actor=city_admin, fields=_fields(username="sz-new"))
    change_password(
        session,
        user=created.user,
        current_password=created.password,
        new_password="my-own-secret-77",
        client="test",
    )
    assert not created.user.must_change_password


def _csv(text: str) -> bytes:
    return ("\ufeff" + text).encode()


def test_import_creates_all_accounts_with_chinese_headers(session, city_admin):
    data = _csv(
        "用户名,姓名,角色,人员类别,工作单位\r\n"
        "sz-a,张三,工作人员,审批人员,苏州市生态环境局\r\n"
        "sz-b,李四,,技术机构人员,苏州环科院\r\n"
    )
    result = admin.import_accounts(session, data, actor=city_admin, filename="staff.csv")
    assert [a.user.username for a in result.created] == ["sz-a", "sz-b"]
    assert [a.line for a in result.created] == [2, 3]
    for account in result.created:
        assert account.user.city == "苏州市" and account.user.must_change_password
        assert verify_password(account.password, account.user.password_hash)
    rows = admin.result_rows(result.created)
    assert rows[0][1] == "sz-a" and rows[0][-1] == result.created[0].password


def test_import_with_a_bad_row_writes_nothing_and_names_each_line(session, city_admin, make_user):
    make_user("staff", username="taken", province="江苏省", city="苏州市")
    data = _csv(
        "username,display_name,role,province,city\r\n"
        "ok-1,甲,staff,,\r\n"
        "taken,乙,staff,,\r\n"
        "ok-1,丙,staff,,\r\n"
        "boss,丁,province,江苏省,\r\n"
        "far,戊,staff,浙江省,杭州市\r\n"
        "who,己,园长,,\r\n"
    )
    with pytest.raises(Invalid) as caught:
        admin.import_accounts(session, data, actor=city_admin, filename="staff.csv")
    details = caught.value.details
    assert details[0] == "第3行: 用户名“taken”已存在"
    assert details[1] == "第4行: 用户名“ok-1”与第2行重复"
    assert details[2].startswith("第5行: ") and "下级" in details[2]
    assert details[3].startswith("第6行: ") and "管辖范围" in details[3]
    assert details[4].startswith("第7行: 未知角色“园长”")
    assert "未创建任何账号" in caught.value.message
    assert session.scalar(select(User.id).where(User.username == "ok-1")) is None


def test_import_refuses_too_many_rows(session, city_admin, monkeypatch):
    monkeypatch.setattr(admin, "MAX_IMPORT_ACCOUNTS", 3)
    data = _csv("username\r\n" + "".join(f"u{i}\r\n" for i in range(10)))
    with pytest.raises(Invalid):
        admin.import_accounts(session, data, actor=city_admin, filename="many.csv")


# ---- API -------------------------------------------------------------------------------------


def test_api_create_account_returns_one_time_password_and_it_must_be_changed(
    client, make_user, auth_headers
):
    national = make_user("national")
    response = client.post(
        "/api/users",
        json={"username": "js-admin", "role": "province", "province": "江苏"},
        headers=auth_headers(national),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["account"]["province"] == "江苏省" and body["account"]["must_change_password"]
    password = body["one_time_password"]
    token = client.post(
        "/api/auth/token", data={"username": "js-admin", "password": password}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    blocked = client.get("/api/users", headers=headers)
    assert blocked.status_code == 403 and "一次性密码" in blocked.json()["detail"]
    assert client.get("/api/auth/me", headers=headers).json()["must_change_password"] is True
    weak = client.put(
        "/api/auth/password",
        json={"current_password": password, "new_password": "1234567890"},
        headers=headers,
    )
    assert weak.status_code == 422
    changed = client.put(
        "/api/auth/password",
        json={"current_password": password, "new_password": "jiangsu-admin-42"},
        headers=headers,
    )
    assert changed.status_code == 200
    headers = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    assert client.get("/api/users", headers=headers).status_code == 200


def test_api_city_admin_cannot_create_province_admin(client, make_user, auth_headers):
    city = make_user("city", province="江苏省", city="苏州市")
    response = client.post(
        "/api/users",
        json={"username": "up", "role": "province", "province": "江苏省"},
        headers=auth_headers(city),
    )
    assert response.status_code == 403
    staff = make_user("staff", province="江苏省", city="苏州市")
    assert (
        client.post("/api/users", json={"username": "up2"}, headers=auth_headers(staff)).status_code
        == 403
    )


def test_api_import_returns_result_file_with_passwords(client, make_user, auth_headers):
    city = make_user("city", province="江苏省", city="苏州市")
    data = _csv("用户名,姓名\r\nsz-x,小王\r\nsz-y,小李\r\n")
    response = client.post(
        "/api/users/import",
        files={"file": ("staff.csv", data, "text/csv")},
        headers=auth_headers(city),
    )
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == admin.RESULT_HEADER
    assert [r[1] for r in rows[2:]] == ["sz-x", "sz-y"]
    token = client.post("/api/auth/token", data={"username": "sz-x", "password": rows[2][5]})
    assert token.status_code == 200
    csv_result = client.post(
        "/api/users/import?format=csv",
        files={"file": ("s.csv", _csv("用户名\r\nsz-x\r\n"), "text/csv")},
        headers=auth_headers(city),
    )
    assert csv_result.status_code == 422
    assert csv_result.json()["errors"] == ["第2行: 用户名“sz-x”已存在"]


def test_api_disable_enable_reset_and_audit(client, make_user, auth_headers):
    national = make_user("national")
    city = make_user("city", province="江苏省", city="苏州市")
    staff = make_user("staff", province="江苏省", city="苏州市")
    headers = auth_headers(city)
    assert (
        client.post(f"/api/users/{staff.id}/disable", headers=headers).json()["is_active"] is False
    )
    assert (
        client.post(
            "/api/auth/token", data={"username": staff.username, "password": "correct-horse-1"}
        ).status_code
        == 401
    )
    assert client.post(f"/api/users/{staff.id}/enable", headers=headers).json()["is_active"] is True
    reset = client.post(f"/api/users/{staff.id}/password-reset", headers=headers)
    assert reset.status_code == 200 and reset.json()["account"]["must_change_password"]
    patched = client.patch(
        f"/api/users/{staff.id}", json={"organisation": "苏州市局"}, headers=headers
    )
    assert patched.json()["organisation"] == "苏州市局"
    assert client.get("/api/users/audit", headers=headers).status_code == 403
    audit = client.get("/api/users/audit", headers=auth_headers(national)).json()
    actions = [e["action"] for e in audit if e["target_id"] == str(staff.id)]
    assert actions == [
        "account.update",
        "account.password_reset",
        "account.enable",
        "account.disable",
    ]
    listing = client.get("/api/users?role=staff", headers=headers).json()
    assert [u["username"] for u in listing["items"]] == [staff.username]
