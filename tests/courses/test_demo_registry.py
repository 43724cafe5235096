"""Demo data: a valid registry with regional differences, printed admin passwords, idempotent."""

import re
from collections import defaultdict

from sqlalchemy import func, select

from core.accounts import service as account_service
from core.demo import generate_demo_rows
from core.enterprises import service as enterprise_service
from core.enterprises.credit_code import is_valid_credit_code
from core.enterprises.models import Enterprise
from courses.demo import load_demo_registry
from courses.models import Course, TrainingRecord


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def printed_password(message: str, username: str) -> str:
    return re.search(rf"{username}[^：]*：密码 (\S+)", message).group(1)


def test_generated_rows_are_deterministic_with_valid_unique_codes():
    units, training = generate_demo_rows()
    again, _ = generate_demo_rows()
    assert units == again
    codes = [row.values["credit_code"] for row in units]
    assert len(codes) == len(set(codes)) == 2000
    assert all(is_valid_credit_code(code) for code in codes)
    assert training and {row.values["course_code"] for row in training} <= {
        "LR-2022",
        "LR-2023",
        "LR-2024",
        "EP-101",
    }


def test_cities_train_their_legal_representatives_at_different_paces():
    units, training = generate_demo_rows()
    city_of = {row.values["credit_code"]: row.values["city"] for row in units}
    key_units, trained = defaultdict(int), defaultdict(set)
    for row in units:
        if row.values["management_category"] == "重点管理":
            key_units[row.values["city"]] += 1
    for row in training:
        if row.values["role"] == "法定代表人":
            trained[city_of[row.values["credit_code"]]].add(row.values["credit_code"])
    rates = [len(trained[c]) / n for c, n in key_units.items() if n >= 5]
    assert max(rates) - min(rates) > 0.4


def test_demo_loads_registry_courses_training_and_admins_with_printed_passwords(session):
    message = load_demo_registry(session)
    assert count(session, Enterprise) == 2000
    assert {c for c in session.scalars(select(Course.code))} == {
        "LR-2022",
        "LR-2023",
        "LR-2024",
        "EP-101",
        "AP-201",
        "TA-301",
    }
    assert count(session, TrainingRecord) == len(generate_demo_rows()[1])
    for username in ("admin", "jiangsu", "suzhou"):
        user = account_service.authenticate(
            session, username=username, password=printed_password(message, username), client="test"
        )
        assert user.role_enum.is_admin
    suzhou = account_service.authenticate(
        session, username="suzhou", password=printed_password(message, "suzhou"), client="test"
    )
    scope = account_service.region_scope(suzhou)
    page = enterprise_service.list_enterprises(session, scope=scope, per_page=500)
    assert page.total > 0 and {e.city for e in page.items} == {"苏州市"}


def test_running_the_demo_twice_adds_nothing_and_keeps_the_admin_password(session):
    first = load_demo_registry(session)
    password = printed_password(first, "admin")
    before = (count(session, Enterprise), count(session, TrainingRecord), count(session, Course))
    second = load_demo_registry(session)
    assert (
        count(session, Enterprise),
        count(session, TrainingRecord),
        count(session, Course),
    ) == before
    assert "admin：账号已存在，保留原密码" in second and "密码 " not in second.replace("原密码", "")
    assert account_service.authenticate(session, username="admin", password=password, client="t")
