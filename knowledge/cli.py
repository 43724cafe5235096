"""Knowledge commands: ingest, ask, documents list|disable|enable|delete|replace, eval.

The command line acts as a national admin; changes are audited with the actor "cli".
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from core import db
from core.errors import Invalid
from core.imports import cli_error_lines
from core.tabular import ImportReport
from knowledge import documents, evaluation, ownership, service


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    """Add the knowledge commands to the ``permithub`` CLI."""
    _register_documents(app)
    _register_eval(app)

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
        if title and len(paths) > 1:
            typer.echo("错误：--title 只能在导入单个文件时使用", err=True)
            raise typer.Exit(2)
        failed = False
        with db.session_scope() as session:
            for path in paths:
                result = service.ingest_path(
                    session, path, title=title, progress=True, skip_invalid=skip_invalid
                )
                if isinstance(result, ImportReport):
                    for line in cli_error_lines(result):
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
        with db.session_scope() as session:
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


DocumentRef = Annotated[str, typer.Argument(help="文档编号（如 12）或完整标题")]


def _register_documents(app: typer.Typer) -> None:
    documents_app = typer.Typer(
        help="管理知识库文档：列出、停用、启用、删除、替换。", no_args_is_help=True
    )
    app.add_typer(documents_app, name="documents")

    @documents_app.command("list")
    def list_documents() -> None:
        """列出知识库中的文档（编号、状态、类型、段落数、所属、标题、文件）。"""
        with db.session_scope() as session:
            rows = documents.list_documents(session)
            if not rows:
                typer.echo("知识库中还没有文档。")
                return
            typer.echo("编号\t状态\t类型\t段落数\t所属\t标题\t文件")
            for d in rows:
                typer.echo(
                    "\t".join(
                        [
                            f"#{d.id}",
                            documents.STATUS_LABELS.get(d.status, d.status),
                            documents.KIND_LABELS.get(d.kind, d.kind),
                            str(d.chunk_count),
                            ownership.owner_label(d.province, d.city),
                            d.title,
                            d.source,
                        ]
                    )
                )
            typer.echo(f"共 {len(rows)} 个文档。")

    def _set_status(ref: str, status: str, verb: str) -> None:
        with db.session_scope() as session:
            document = documents.find_document(session, ref=ref)
            before = document.status
            documents.set_document_status(session, document_id=document.id, status=status)
            if before == status:
                typer.echo(f"《{document.title}》本来就是{documents.STATUS_LABELS[status]}状态。")
            else:
                typer.echo(f"已{verb}《{document.title}》（#{document.id}）。")

    @documents_app.command("disable")
    def disable(ref: DocumentRef) -> None:
        """停用文档：保留在库中，但不再用于回答。"""
        _set_status(ref, "disabled", "停用")

    @documents_app.command("enable")
    def enable(ref: DocumentRef) -> None:
        """启用已停用的文档。"""
        _set_status(ref, "active", "启用")

    @documents_app.command("delete")
    def delete(
        ref: DocumentRef,
        yes: Annotated[bool, typer.Option("--yes", "-y", help="不再询问，直接删除")] = False,
    ) -> None:
        """删除文档及其全部段落（不可恢复；只想暂时不用请 disable）。"""
        with db.session_scope() as session:
            document = documents.find_document(session, ref=ref)
            label = f"《{document.title}》（#{document.id}，{document.chunk_count} 段）"
            if not yes and not typer.confirm(f"确定删除{label}？", default=False):
                typer.echo("已取消。")
                raise typer.Exit(1)
            documents.delete_document(session, document_id=document.id)
            typer.echo(f"已删除{label}。")

    @documents_app.command("replace")
    def replace(
        ref: DocumentRef,
        path: Annotated[Path, typer.Argument(help="新文件（.txt .md .docx .pdf）")],
    ) -> None:
        """用新文件替换文档的内容（保留原标题）。"""
        with db.session_scope() as session:
            document = documents.find_document(session, ref=ref)
            result = service.ingest_path(session, path, replace_id=document.id, progress=True)
            typer.echo(result.summary())


def _register_eval(app: typer.Typer) -> None:
    @app.command("eval")
    def evaluate(
        file: Annotated[
            Path, typer.Argument(help="评测问题 .jsonl（格式同 ../shared/eval/dev_qa.jsonl）")
        ],
        verbose: Annotated[
            bool, typer.Option("--verbose", "-v", help="逐题列出结果（默认只列未答对的）")
        ] = False,
        province: Annotated[str | None, typer.Option(help="按该省提问者作答（地区 FAQ）")] = None,
        city: Annotated[str | None, typer.Option(help="按该市提问者作答")] = None,
    ) -> None:
        """批量评测知识库：首条正确率、前三条正确率、拒答情况和每个未答对的问题。"""
        if not file.is_file():
            raise Invalid(f"找不到文件 {file}")
        with db.session_scope() as session:
            report = evaluation.evaluate_file(
                session, file.read_bytes(), province=province, city=city
            )
        for line in report.lines(verbose=verbose):
            typer.echo(line)
