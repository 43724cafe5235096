"""``permithub create-admin`` and ``reset-password`` take passwords from a prompt or a file only."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.accounts import service
from core.accounts.models import User
from core.db import make_engine, upgrade_database, use_engine
from tests.support.cli import run_cli
from web.cli import app

PASSWORD = "river-lantern-42"


@pytest.fixture
def cli_engine(tmp_path):
    """The commands' database: a fresh migrated SQLite file."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    use_engine(engine)
    yield engine
    use_engine(None)
    engine.dispose()


def test_create_admin_asks_twice_and_never_echoes(cli_engine):
    result = CliRunner().invoke(
        app, ["create-admin", "--username", "root"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "已创建账号 root" in result.output and "再次输入密码" in result.output
    assert PASSWORD not in result.output
    with Session(cli_engine) as session:
        assert service.authenticate(session, username="root", password=PASSWORD, client="cli")


def test_a_mismatched_confirmation_is_asked_again(cli_engine):
    result = CliRunner().invoke(
        app,
        ["create-admin", "--username", "root"],
        input=f"{PASSWORD}\nriver-lantern-43\n{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "两次输入的密码不一致" in result.output


def test_the_password_is_not_taken_from_the_command_line(cli_engine):
    result = CliRunner().invoke(app, ["create-admin", "--username", "root", "--password", PASSWORD])
    assert result.exit_code == 2
    with Session(cli_engine) as session:
        assert session.scalar(select(User).where(User.username == "root")) is None


def test_a_weak_password_is_refused_in_chinese(cli_env):  # noqa: F811 - the fixture
    run_cli("init", env=cli_env)
    result = run_cli(
        "create-admin",
        "--username",
        "root",
        "--password-file",
        "-",
        env=cli_env,
        stdin="12345678\n",
        check_rc=1,
    )
    assert "密码至少需要 10 位" in result.stderr and "Traceback" not in result.stderr


def test_reset_password_ends_every_session_of_the_account(cli_engine, tmp_path):
    with Session(cli_engine) as session:
        service.create_user(session, username="root", password="correct-horse-1")
    password_file = tmp_path / "new-password"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["reset-password", "--username", "root", "--password-file", str(password_file)]
    )
    assert result.exit_code == 0, result.output
    with Session(cli_engine) as session:
        user = session.scalar(select(User).where(User.username == "root"))
        assert user.session_version == 1
        assert service.authenticate(session, username="root", password=PASSWORD, client="cli")
