"""Accounts: roles, regions, password hashing, the login limit and region scoping."""

import pytest

from core.accounts import service
from core.errors import Conflict, Invalid, Unauthorized
from core.regions.scope import RegionScope


def test_password_is_stored_as_a_salted_hash(make_user):
    a = make_user("national", password="same-password-1")
    b = make_user("national", password="same-password-1")
    assert a.password_hash.startswith("$argon2")
    assert a.password_hash != b.password_hash


def test_city_admin_needs_province_and_city(session):
    with pytest.raises(Invalid, match="市级管理员"):
        service.create_user(
            session, username="c", password="suzhou-city-pass-1", role="city", province="江苏省"
        )


def test_unknown_province_is_refused(session):
    with pytest.raises(Invalid, match="未知省份"):
        service.create_user(
            session, username="p", password="jiangsu-pass-1", role="province", province="江苏"
        )


def test_duplicate_username_is_a_conflict(make_user):
    make_user("national", username="dup")
    with pytest.raises(Conflict):
        make_user("national", username="dup")


def test_authenticate_accepts_the_right_password_only(session, make_user):
    make_user("national", username="alice", password="right-password")
    assert (
        service.authenticate(
            session, username="alice", password="right-password", client="t"
        ).username
        == "alice"
    )
    with pytest.raises(Unauthorized):
        service.authenticate(session, username="alice", password="wrong-password", client="t")


def test_region_scope_follows_the_role(make_user):
    assert service.region_scope(make_user("national")) == RegionScope()
    assert service.region_scope(make_user("province", province="江苏省")) == RegionScope("江苏省")
    city = make_user("city", province="江苏省", city="苏州市")
    assert service.region_scope(city) == RegionScope("江苏省", "苏州市")


def test_a_hash_with_old_parameters_is_upgraded_at_login(session, make_user):
    from argon2 import PasswordHasher

    from core.security import needs_rehash

    user = make_user("national", username="old", password="old-password-1")
    user.password_hash = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(
        "old-password-1"
    )
    session.commit()
    assert needs_rehash(user.password_hash)
    service.authenticate(session, username="old", password="old-password-1", client="t")
    assert not needs_rehash(user.password_hash)
    assert (
        service.authenticate(session, username="old", password="old-password-1", client="t").id
        == user.id
    )
