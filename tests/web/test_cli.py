"""The ``permithub`` command: settings errors, init, create-admin, help in Chinese."""

import io
import logging
import logging.config
import re
from pathlib import Path

from core.config import Settings
from tests.support.cli import run_cli


def test_bad_setting_prints_one_line_and_exits_2(cli_env):
    cli_env["PERMITHUB_DATABASE_URL"] = "mysql://nope"
    result = run_cli("init", env=cli_env, check_rc=2)
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "PERMITHUB_DATABASE_URL" in result.stderr


def test_init_twice_then_create_admins(cli_env, tmp_path):
    run_cli("init", env=cli_env)
    run_cli("init", env=cli_env)
    assert (Path(cli_env["PERMITHUB_DATA_DIR"]) / "permithub.db").exists()
    password_file = tmp_path / "password"
    password_file.write_text("secret-pass-1\n", encoding="utf-8")
    ok = run_cli("create-admin", "--username", "root", "--password-file", str(password_file),
                 env=cli_env)
    assert "部级管理员" in ok.stdout
    city = run_cli(
        "create-admin", "--username", "sz", "--password-file", "-", "--role", "city",
        "--province", "江苏省", "--city", "苏州市", env=cli_env, stdin="secret-pass-1\n",
    )
    assert "市级管理员" in city.stdout
    bad = run_cli("create-admin", "--username", "x", "--password-file", str(password_file),
                  "--role", "city", env=cli_env, check_rc=1)
    assert "市级管理员需要同时指定省份和城市" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_help_is_in_chinese(cli_env):
    assert "创建或升级数据库" in run_cli("--help", env=cli_env).stdout
    assert "省份全称" in run_cli("create-admin", "--help", env=cli_env).stdout


def test_secret_key_is_generated_once_into_the_data_dir(tmp_path):
    settings = Settings(data_dir=tmp_path, secret_key=None)
    first = settings.secret()
    assert len(first) >= 32
    assert Settings(data_dir=tmp_path, secret_key=None).secret() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_serve_logs_each_request_on_one_plain_line_with_its_time(monkeypatch):
    from web import cli

    buffer = io.StringIO()
    config = cli._server_logging()
    config["handlers"]["access"]["stream"] = buffer
    access = logging.getLogger("uvicorn.access")
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "handlers", list(logger.handlers))
        monkeypatch.setattr(logger, "propagate", logger.propagate)
        monkeypatch.setattr(logger, "level", logger.level)
    logging.config.dictConfig(config)
    # as uvicorn's protocol writes it after each response
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5123", "POST", "/api/ask", "1.1", 200)
    assert re.fullmatch(
        r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} 127\.0\.0\.1:5123 - "POST /api/ask HTTP/1\.1" 200\n',
        buffer.getvalue(),
    )
