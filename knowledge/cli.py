"""``permithub ingest PATH... [--title T]``: add documents and FAQ tables to the knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    """Add the knowledge commands to the ``permithub`` CLI."""

    @app.command("ingest")
    def ingest(
        paths: Annotated[
            list[Path], typer.Argument(help="文档（.txt .md .docx .pdf）或问答表（.csv .xlsx）")
        ],
        title: Annotated[
            str | None, typer.Option("--title", help="文档标题（只导入一个文档时可用）")
        ] = None,
        skip_invalid: Annotated[
            bool, typer.Option("--skip-invalid", help="问答表：跳过有误的行，导入其余行")
        ] = False,
    ) -> None:
        """导入文档或问答表到知识库；同名文档再次导入时替换原有内容。"""
        from core.db import session_scope
        from core.tabular import ImportReport
        from knowledge import service

        if title and len(paths) > 1:
            typer.echo("错误：--title 只能在导入单个文件时使用", err=True)
            raise typer.Exit(2)
        failed = False
        with session_scope() as session:
            for path in paths:
                result = service.ingest_path(
                    session, path, title=title, progress=True, skip_invalid=skip_invalid
                )
                if isinstance(result, ImportReport):
                    for line in result.error_lines():
                        typer.echo(line, err=True)
                    failed = failed or (bool(result.errors) and not skip_invalid)
                typer.echo(result.summary())
            index = service.current_index(session)
            typer.echo(
                f"知识库现有 {len(index.passages)} 段文档内容、{len(index.faq_items)} 条问法。"
            )
        if failed:
            raise typer.Exit(1)

    @app.command("ask")
    def ask(question: Annotated[str, typer.Argument(help="问题")]) -> None:
        """在命令行向知识库提问（调试用）。"""
        from core.db import session_scope
        from knowledge import service

        with session_scope() as session:
            answer = service.answer_question(
                session, question=question, channel="api", client="cli"
            )
        typer.echo(answer.answer)
        typer.echo(f"（置信度 {answer.confidence:.2f}）")
        for source in answer.sources:
            where = " ".join(
                str(x) for x in (source.section, source.measure and f"措施{source.measure}") if x
            )
            typer.echo(f"- 《{source.title}》{where}（{source.score:.2f}）")
        for suggestion in answer.suggestions:
            typer.echo(f"  您是不是想问：{suggestion}")
