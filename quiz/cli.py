"""``permithub import questions FILE [--skip-invalid]``: the bank import on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    """Add the quiz commands to the ``permithub`` command."""

    @import_app.command("questions")
    def import_questions(
        file: Annotated[
            Path, typer.Argument(help="题库 .csv 或 .xlsx（表头：题型,题干,选项A…出处）")
        ],
        skip_invalid: Annotated[
            bool, typer.Option("--skip-invalid", help="跳过有误的行，导入其余行")
        ] = False,
    ) -> None:
        """导入题库（题干重复的题目不会重复导入）；有误时退出码为 1。"""
        from core.db import session_scope
        from core.imports import cli_error_lines
        from quiz.importer import import_questions as run

        with session_scope() as session:
            report = run(session, file, skip_invalid=skip_invalid)
        for line in cli_error_lines(report):
            typer.echo(line, err=True)
        typer.echo(report.summary())
        if report.errors and not skip_invalid:
            raise typer.Exit(1)
