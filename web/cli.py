"""The ``permithub`` command: set up the database, serve, manage accounts, import, load demos."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot import cli as bot_cli
from core.accounts.models import Role
from courses import cli as courses_cli
from knowledge import cli as knowledge_cli
from quiz import cli as quiz_cli
from wechat import cli as wechat_cli

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

app = typer.Typer(
    help="PermitHub 排污许可问答与培训平台的管理命令。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(
    help="从 CSV 或 XLSX 文件导入数据（排污单位、课程、培训记录、题库）。", no_args_is_help=True
)
app.add_typer(import_app, name="import")


@app.command("init")
def init_database() -> None:
    """创建或升级数据库到最新结构（可重复执行）。"""
    from core.db import upgrade_database

    upgrade_database()
    typer.echo("数据库已是最新结构。")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="监听端口")] = 8000,
    workers: Annotated[int, typer.Option(help="工作进程数（多进程请使用 PostgreSQL）")] = 1,
) -> None:
    """启动网页与接口服务（设置了 Telegram 令牌时同时启动机器人）。"""
    import uvicorn

    from core.config import get_settings

    if workers > 1 and get_settings().sqlalchemy_url.startswith("sqlite"):
        typer.echo(
            "提示：SQLite 适合单进程；多进程部署请设置 PERMITHUB_DATABASE_URL 使用 PostgreSQL。",
            err=True,
        )
    # proxy_headers off: X-Forwarded-* are believed only from PERMITHUB_TRUSTED_PROXIES, by
    # core.proxies, not by uvicorn's own rule (which trusts 127.0.0.1 and nothing else).
    uvicorn.run(
        "web.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=_server_logging(),
        proxy_headers=False,
    )


# One line per request, as uvicorn writes it (127.0.0.1:5123 - "POST /api/ask HTTP/1.1" 200), with
# the time in front, formatted by the standard library: uvicorn's own access formatter copies
# every record to colour it, on the event loop, for every request.
ACCESS_LOG_FORMAT = "%(asctime)s %(message)s"


def _server_logging() -> dict:
    """uvicorn's logging configuration with the plain access-log formatter."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["access"] = {"format": ACCESS_LOG_FORMAT}
    return config


PasswordFile = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        help="从文件的第一行读取密码（“-”表示标准输入），供脚本和 CI 使用；不给则在终端提示输入",
    ),
]
MAX_PROMPTS = 3


def read_password(password_file: Path | None) -> str:
    """The new password from ``--password-file`` (``-`` = stdin) or a hidden prompt asked twice.

    Never from the command line itself, where it would stay in the shell history and be visible
    to every user of the machine in the process list.
    """
    if password_file is not None:
        text = sys.stdin.read() if str(password_file) == "-" else _read_text(password_file)
        lines = text.splitlines()
        return lines[0] if lines else ""
    for _ in range(MAX_PROMPTS):
        first = typer.prompt("密码", hide_input=True)
        if typer.prompt("再次输入密码", hide_input=True) == first:
            return first
        typer.echo("两次输入的密码不一致，请重新输入。", err=True)
    raise typer.Exit(1)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        from core.errors import Invalid

        raise Invalid(f"无法读取密码文件 {path}：{exc.__class__.__name__}") from None


@app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option("--username", help="用户名")],
    role: Annotated[
        str,
        typer.Option(
            help="角色：national 部级 | province 省级 | city 市级 | staff 工作人员"
            " | enterprise 企业"
        ),
    ] = Role.NATIONAL.value,
    province: Annotated[str | None, typer.Option(help="省份全称，如 江苏省")] = None,
    city: Annotated[str | None, typer.Option(help="城市全称，如 苏州市")] = None,
    credit_code: Annotated[
        str | None, typer.Option("--credit-code", help="企业用户的统一社会信用代码")
    ] = None,
    organisation: Annotated[str | None, typer.Option(help="工作单位（工作人员）")] = None,
    staff_kind: Annotated[
        str | None, typer.Option("--staff-kind", help="审批人员 或 技术机构人员")
    ] = None,
    display_name: Annotated[str, typer.Option("--display-name", help="显示姓名")] = "",
    password_file: PasswordFile = None,
) -> None:
    """创建账号（默认部级管理员）；密码在提示时输入（至少 10 位，不能是常见密码或与用户名相近）。"""
    from core.accounts import service
    from core.db import session_scope

    password = read_password(password_file)
    with session_scope() as session:
        user = service.create_user(
            session,
            username=username,
            password=password,
            role=role,
            province=province,
            city=city,
            credit_code=credit_code,
            organisation=organisation,
            staff_kind=staff_kind,
            display_name=display_name,
        )
        typer.echo(f"已创建账号 {user.username}（{Role(user.role).label}）。")


@app.command("reset-password")
def reset_password(
    username: Annotated[str, typer.Option("--username", help="用户名")],
    password_file: PasswordFile = None,
) -> None:
    """重设账号密码（如忘记密码的部级管理员）；该账号所有已登录的会话和访问令牌随即失效。"""
    from core.accounts import service
    from core.db import session_scope

    password = read_password(password_file)
    with session_scope() as session:
        user = service.get_user_by_username(session, username)
        service.reset_password(session, actor=None, user=user, new_password=password)
        typer.echo(f"已重设 {user.username} 的密码，其所有登录均已退出。")


SkipInvalid = Annotated[bool, typer.Option("--skip-invalid", help="跳过有误的行，导入其余行")]


def _print_report(report, skip_invalid: bool) -> None:
    from core.imports import cli_error_lines

    for line in cli_error_lines(report):
        typer.echo(line, err=True)
    typer.echo(report.summary())
    if report.errors and not skip_invalid:
        raise typer.Exit(1)


@import_app.command("enterprises")
def import_enterprises(
    file: Annotated[Path, typer.Argument(help="enterprises.csv 或 .xlsx")],
    skip_invalid: SkipInvalid = False,
) -> None:
    """导入排污单位名录（按统一社会信用代码更新）。"""
    from core.db import session_scope
    from core.enterprises.importer import import_enterprises as run

    with session_scope() as session:
        _print_report(run(session, file, skip_invalid=skip_invalid), skip_invalid)


@import_app.command("courses")
def import_courses(
    file: Annotated[Path, typer.Argument(help="courses.csv 或 .xlsx")],
    skip_invalid: SkipInvalid = False,
) -> None:
    """导入课程目录（按课程代码更新）。"""
    from core.db import session_scope
    from courses.importer import import_courses as run

    with session_scope() as session:
        _print_report(run(session, file, skip_invalid=skip_invalid), skip_invalid)


@import_app.command("training")
def import_training(
    file: Annotated[Path, typer.Argument(help="training.csv 或 .xlsx")],
    skip_invalid: SkipInvalid = False,
) -> None:
    """导入培训记录（单位、人员、课程、日期相同的记录只保留一条）。"""
    from core.db import session_scope
    from courses.importer import import_training as run

    with session_scope() as session:
        _print_report(run(session, file, skip_invalid=skip_invalid), skip_invalid)


def demo_loaders() -> tuple[Callable[[Session], str], ...]:
    """The loaders of demo data, in order; each takes a session and returns what it did.

    Imported here, not at the top: they pull in the encoder and the question banks, which the
    other commands do not need.
    """
    from cases import demo as cases_demo
    from courses import demo as courses_demo
    from knowledge import curation_demo, policies
    from knowledge import demo as knowledge_demo
    from quiz import demo as quiz_demo

    return (
        courses_demo.load_demo_registry,  # units and admins (core), catalogue and training
        knowledge_demo.load_demo_knowledge,
        policies.load_demo_policy_facts,
        curation_demo.load_demo_questions,
        quiz_demo.load_demo_quiz,
        courses_demo.load_demo_courses,
        cases_demo.load_demo_cases,  # after the knowledge: published cases become documents
    )


@app.command("demo")
def demo() -> None:
    """载入演示数据：约 2000 家排污单位、课程、培训记录、问答库、题库和管理员账号。"""
    from core.db import session_scope, upgrade_database

    upgrade_database()
    with session_scope() as session:
        for load in demo_loaders():
            message = load(session)
            if message:
                typer.echo(message)


# Each domain adds its own commands (ingest, remind, bot, import questions …) to these two apps.
for _domain_cli in (knowledge_cli, bot_cli, wechat_cli, quiz_cli, courses_cli):
    _domain_cli.register(app, import_app)


def main() -> None:
    """Entry point: settings errors and domain errors become one clear line, never a traceback."""
    from pydantic import ValidationError

    from core.config import get_settings
    from core.errors import DomainError
    from migrations.models import import_all_models

    # Our own packages report progress; libraries (alembic, faiss, httpx) only warnings.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for package in ("core", "knowledge", "quiz", "courses", "bot", "web"):
        logging.getLogger(package).setLevel(logging.INFO)
    try:
        get_settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "PERMITHUB_" + str(first["loc"][0]).upper() if first.get("loc") else "PERMITHUB_*"
        typer.echo(f"配置错误：{name} {first['msg']}", err=True)
        sys.exit(2)
    import_all_models()
    try:
        app()
    except DomainError as exc:
        typer.echo(f"错误：{exc.message}", err=True)
        for line in exc.details:
            typer.echo(line, err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
