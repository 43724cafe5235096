"""Password rules: every password set (new account, change, reset) must pass them."""

import pytest

from core.accounts import service
from core.accounts.passwords import (
    ALL_SAME,
    COMMON,
    LIKE_USERNAME,
    REPEATED,
    SEQUENTIAL,
    TOO_SHORT,
    common_passwords,
    password_problem,
)
from core.errors import Invalid


@pytest.mark.parametrize(
    ("password", "username", "problem"),
    [
        ("12345678", "", TOO_SHORT),
        ("short-pw1", "", TOO_SHORT),
        ("aaaaaaaaaa", "", ALL_SAME),
        ("1234567890", "", SEQUENTIAL),
        ("abcdefghijk", "", SEQUENTIAL),
        ("9876543210", "", SEQUENTIAL),
        ("7890123456", "", SEQUENTIAL),
        ("123123123123", "", REPEATED),
        ("abababababab", "", REPEATED),
        ("password123", "", COMMON),
        ("P@ssw0rd2024!", "", COMMON),
        ("Qwertyuiop", "", COMMON),
        ("woaini1314520", "", COMMON),
        ("iloveyou!!!!", "", COMMON),
        ("1qaz2wsx3edc", "", COMMON),
        ("zhangsan-2024", "zhangsan-2024", LIKE_USERNAME),
        ("ZhangSan2024!", "zhangsan", LIKE_USERNAME),
        ("nasgnahz!!!!", "zhangsan", LIKE_USERNAME),
        ("Zh4ngS4n0001", "zhangsan", LIKE_USERNAME),
        ("suzhou-admin", "suzhou-admin-01", LIKE_USERNAME),
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_reason(password, username, problem):
    assert password_problem(password, username) == problem


@pytest.mark.parametrize(
    ("password", "username"),
    [
        ("correct-horse-1", "admin"),
        ("Kx7pQ2mZr9Lw", "admin"),
        ("苏州排污许可2024审核", "suzhou"),
        ("suzhou-pass-1", "suzhou"),
        ("river-lantern-42", "zhangsan"),
    ],
)
def test_reasonable_passwords_pass(password, username):
    assert password_problem(password, username) is None


def test_the_bundled_list_holds_a_few_thousand_common_passwords():
    common = common_passwords()
    assert 3000 <= len(common) <= 20000
    assert {"password", "qwertyuiop", "woaini1314", "1qaz2wsx", "123456789"} <= common


def test_creating_an_account_checks_the_rules(session):
    for weak in ("12345678", "aaaaaaaaaa", "password123"):
        with pytest.raises(Invalid):
            service.create_user(session, username="weak", password=weak)
    with pytest.raises(Invalid, match="用户名"):
        service.create_user(session, username="wangjianguo", password="wangjianguo1")
    assert service.create_user(session, username="wangjianguo", password="river-lantern-42").id
