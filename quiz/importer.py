"""Import and export the question bank as .csv or .xlsx.

Headers: 题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,答案,解析,标签,难度,出处 (选项E/选项F,
解析, 标签 and 出处 may be left out). 答案 is ``A`` or ``ACD``; for 判断 ``对``/``错`` (also
``正确``/``错误``/``√``/``×``). Every row is checked first; without ``skip_invalid`` one bad row
means nothing is written. A stem already in the bank, or repeated in the file, is reported on
its line and never imported twice. Imported questions belong to the importing admin's region
(national from the command line), and each import that writes is one audit row.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.audit.service import record_audit
from core.bulk import import_rows
from core.imports import one_import_at_a_time
from core.spreadsheets import csv_bytes, xlsx_bytes
from core.tabular import ImportReport, Row, read_table
from quiz.bank import (
    KeyAccess,
    owner_scope,
    question_problems,
    split_tags,
    stem_hash,
    visible_questions,
)
from quiz.models import Question, QuestionKind, QuestionStatus, QuestionTag
from quiz.schemas import has_control_characters

# Ids listed in an import's audit row; the count is always recorded.
AUDITED_IDS = 1000

OPTION_COLUMNS = ("选项A", "选项B", "选项C", "选项D", "选项E", "选项F")
QUESTION_COLUMNS = ("题型", "题干", *OPTION_COLUMNS, "答案", "解析", "标签", "难度", "出处")
REQUIRED_COLUMNS = ("题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "难度")
OPTIONAL_COLUMNS = tuple(c for c in QUESTION_COLUMNS if c not in REQUIRED_COLUMNS)
ALIASES = {"类型": "题型", "题目": "题干", "正确答案": "答案", "答案解析": "解析", "来源": "出处"}


@one_import_at_a_time
def import_questions(
    session: Session,
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    skip_invalid: bool = False,
    status: str = QuestionStatus.PUBLISHED.value,
    admin: User | None = None,
) -> ImportReport:
    """Validate every row, then add the good questions in one transaction (or none at all).

    ``admin``: the importing admin, whose region owns the new questions (None: national).
    """
    owner = owner_scope(admin)
    table = read_table(
        source,
        columns=REQUIRED_COLUMNS,
        optional=OPTIONAL_COLUMNS,
        aliases=ALIASES,
        filename=filename,
    )
    report = ImportReport(kind="题库", skip_invalid=skip_invalid)
    known = dict(session.execute(select(Question.stem_hash, Question.id)).all())
    seen_in_file: dict[str, int] = {}

    def check(row: Row) -> tuple[Question | None, list[str]]:
        v = row.values
        kind = (
            v["题型"].replace("题", "")
            if v["题型"] in ("单选题", "多选题", "判断题")
            else v["题型"]
        )
        tags = split_tags(v["标签"])
        difficulty = _difficulty(v["难度"])
        problems, options, key = question_problems(
            kind=kind,
            stem=v["题干"],
            options=[v[c] for c in OPTION_COLUMNS],
            answer=v["答案"],
            difficulty=difficulty,
            tags=tags,
        )
        if len(v["出处"]) > 255:
            problems.append("出处过长（最多 255 字）")
        problems += [
            f"{column}中含有控制字符" for column, text in v.items() if has_control_characters(text)
        ]
        fingerprint = stem_hash(v["题干"]) if v["题干"] else ""
        if fingerprint in known:
            problems.append(f"题干与题库中已有题目（编号 {known[fingerprint]}）重复，未导入")
        elif fingerprint and fingerprint in seen_in_file:
            problems.append(f"题干与第{seen_in_file[fingerprint]}行重复")
        elif fingerprint:
            seen_in_file[fingerprint] = row.line
        if problems:
            return None, problems
        question = Question(
            kind=kind,
            stem=v["题干"].strip(),
            stem_hash=fingerprint,
            options=options,
            answer=key,
            explanation=v["解析"],
            difficulty=difficulty,
            source=v["出处"],
            status=status,
            province=owner.province,
            city=owner.city,
            tag_rows=[QuestionTag(tag=t) for t in tags],
        )
        return question, []

    def write(good: list[Question]) -> None:
        session.add_all(good)
        if good:
            session.flush()
            _audit_import(session, admin, good, filename)
        report.created = len(good)

    # Another import or edit may save one of these stems after they were checked: a Conflict.
    return import_rows(
        session,
        report,
        table,
        check,
        write,
        conflict_message="导入期间题库中出现了相同题干的题目，未导入任何数据，请重新导入",
    )


def _audit_import(
    session: Session, admin: User | None, questions: list[Question], filename: str | None
) -> None:
    first = questions[0]
    record_audit(
        session,
        actor=admin,
        action="question.import",
        target_kind="question",
        target_id=f"{first.id}-{questions[-1].id}",
        province=first.province,
        city=first.city,
        detail={
            "before": None,
            "after": {
                "file": filename or "",
                "created": len(questions),
                "ids": [q.id for q in questions[:AUDITED_IDS]],
            },
        },
    )


def _difficulty(text: str) -> int | None:
    if not text:
        return 3
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _export_rows(session: Session, status: str | None, access: KeyAccess) -> list[list[object]]:
    """The questions visible to the admin; key and explanation only where ``access`` allows."""
    rows = []
    for q in visible_questions(session, scope=access.scope, status=status):
        judge = q.kind == QuestionKind.JUDGE
        shown = access.owns_key(q)
        options = [] if judge else list(q.options)
        options += [""] * (len(OPTION_COLUMNS) - len(options))
        answer = (("对" if q.answer == "A" else "错") if judge else q.answer) if shown else ""
        rows.append(
            [
                q.kind,
                q.stem,
                *options,
                answer,
                q.explanation if shown else "",
                "、".join(q.tags),
                q.difficulty,
                q.source,
            ]
        )
    return rows


def export_questions(
    session: Session, *, access: KeyAccess, fmt: str = "csv", status: str | None = None
) -> bytes:
    """The bank an admin sees in the import format: CSV (UTF-8 with BOM, for Excel) or XLSX.

    Answer and explanation cells are empty for questions whose key the admin may not see.
    Written through ``core.spreadsheets``: a stem starting with ``=`` stays text, control
    characters are dropped, and the file imports back unchanged.
    """
    rows = _export_rows(session, status, access)
    if fmt == "xlsx":
        return xlsx_bytes(QUESTION_COLUMNS, rows, sheet_title="题库")
    return csv_bytes(QUESTION_COLUMNS, rows)
