"""Batch evaluation for operators: how well the knowledge base answers a file of test questions.

A bureau writes the questions its enterprises ask, one JSON object per line, in the format of
``../shared/eval/dev_qa.jsonl``::

    {"q": "排污许可证有效期几年", "in_scope": true, "must_contain_any": ["有效期为5年"],
     "document": "排污许可管理条例", "article": "第十四条"}
    {"q": "明天会下雨吗", "in_scope": false}

``q`` and ``in_scope`` are required; ``must_contain_any`` (one or more texts) is required for
in-scope questions; ``document`` (part of a title), ``article`` (e.g. 第十四条), ``measure``,
``section`` and ``id`` are optional. Every question is answered exactly as ``/api/ask`` would
(``knowledge.service.preview_answer``) but nothing is logged, so an evaluation never fills the
curation queue. Figures:

- top-1: answered, and the answer text or the first source contains one of ``must_contain_any``;
- top-3: answered, and that holds for the answer text or one of the first three sources;
- when ``article`` / ``document`` are given, the source that matched must also be that article
  and its title must contain ``document`` (for the answer text: the first source);
- the share of out-of-scope questions refused and of in-scope questions wrongly refused.

A text of ``must_contain_any`` is looked for as ingestion keeps the document: spaces a publisher set
around numbers inside a sentence (``3 日内``) closed up.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from core.errors import Invalid
from core.uploads import FileKind, check_size
from knowledge import service
from knowledge.page_furniture import as_ingested
from knowledge.schemas import MAX_QUESTION_CHARS, Answer, Source

MAX_ITEMS = 5000
MAX_LISTED_ERRORS = 50
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class EvalItem:
    """One test question as read from its line."""

    line: int
    question: str
    in_scope: bool
    must_contain_any: tuple[str, ...] = ()
    document: str | None = None
    article: str | None = None
    measure: int | None = None
    section: str | None = None
    id: str | None = None


# ---- reading the file ---------------------------------------------------------------------


def parse_questions(data: bytes | str, *, limit: int = MAX_ITEMS) -> list[EvalItem]:
    """The questions of a .jsonl file; Invalid with ``第N行: 原因`` details for bad lines."""
    text = _decode(data)
    items: list[EvalItem] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if len(items) >= limit:
            raise Invalid(f"评测文件中的问题超过 {limit} 个，请拆分后分批评测")
        try:
            items.append(_item(number, raw))
        except ValueError as exc:
            errors.append(f"第{number}行: {exc}")
    if errors:
        shown = errors[:MAX_LISTED_ERRORS]
        if len(errors) > MAX_LISTED_ERRORS:
            shown.append(f"……另有 {len(errors) - MAX_LISTED_ERRORS} 行有误，未一一列出")
        raise Invalid(f"评测文件有 {len(errors)} 行有误，请改正后重试", details=shown)
    if not items:
        raise Invalid(
            '评测文件中没有问题（每行一个 JSON 对象，如 {"q": "…", "in_scope": true, …}）'
        )
    return items


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    check_size(len(data), filename="", kind=FileKind.EVALUATION)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("评测文件不是 UTF-8 编码的文本（.jsonl，每行一个 JSON 对象）") from None


def _item(number: int, raw: str) -> EvalItem:
    """One line → EvalItem; ValueError with the reason in Chinese."""
    try:
        row = json.loads(raw)
    except ValueError:
        raise ValueError("不是合法的 JSON") from None
    if not isinstance(row, dict):
        raise ValueError("应为 JSON 对象（{…}）")
    question = row.get("q")
    if not isinstance(question, str) or not question.strip():
        raise ValueError("q（问题）不能为空")
    if len(question.strip()) > MAX_QUESTION_CHARS:
        raise ValueError(f"q（问题）最多 {MAX_QUESTION_CHARS} 个字")
    in_scope = row.get("in_scope")
    if not isinstance(in_scope, bool):
        raise ValueError("in_scope 应为 true（知识库应能回答）或 false（应拒答）")
    needles = row.get("must_contain_any")
    if in_scope or needles is not None:
        if (
            not isinstance(needles, list)
            or not needles
            or not all(isinstance(n, str) and n.strip() for n in needles)
        ):
            raise ValueError('must_contain_any 应为非空的文本列表，如 ["有效期为5年"]')
    measure = row.get("measure")
    if measure is not None and (isinstance(measure, bool) or not isinstance(measure, int)):
        raise ValueError("measure 应为整数（措施编号）或 null")
    return EvalItem(
        line=number,
        question=question.strip(),
        in_scope=in_scope,
        must_contain_any=tuple(n.strip() for n in needles or ()),
        document=_optional_text(row, "document", 300),
        article=_optional_text(row, "article", 32),
        measure=measure,
        section=_optional_text(row, "section", 500),
        id=None if row.get("id") is None else str(row.get("id"))[:64],
    )


def _optional_text(row: dict, key: str, limit: int) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} 应为文本或 null")
    value = _SPACE.sub("", value) if key == "article" else value.strip()
    if len(value) > limit:
        raise ValueError(f"{key} 最多 {limit} 个字")
    return value or None


# ---- judging the answers ------------------------------------------------------------------


@dataclass
class Outcome:
    """What the engine did with one question, and whether that was right."""

    item: EvalItem
    answered: bool
    answer: str
    confidence: float
    top1: bool
    top3: bool
    cited: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """``ok`` | ``top3`` (right, not first) | ``wrong`` | ``refused`` | ``not_refused``."""
        if not self.item.in_scope:
            return "not_refused" if self.answered else "ok"
        if not self.answered:
            return "refused"
        return "ok" if self.top1 else ("top3" if self.top3 else "wrong")

    @property
    def missed(self) -> bool:
        """A miss: in scope and not right first, or out of scope and answered."""
        return self.verdict != "ok"


VERDICT_LABELS = {
    "ok": "正确",
    "top3": "前三条中有正确出处，但首条不对",
    "wrong": "答非所问",
    "refused": "应答却拒答",
    "not_refused": "应拒答却作答",
}


def _contains(text: str | None, needles: tuple[str, ...]) -> bool:
    return bool(text) and any(as_ingested(n) in text for n in needles)


def _place_matches(source: Source, item: EvalItem) -> bool:
    """The source is the expected article of the expected document (when those are given)."""
    if item.article and _SPACE.sub("", source.article or "") != item.article:
        return False
    return not item.document or item.document in source.title


def _source_matches(source: Source, item: EvalItem) -> bool:
    return _contains(source.text, item.must_contain_any) and _place_matches(source, item)


def judge(item: EvalItem, answer: Answer) -> Outcome:
    """Score one answer against its test question (see the module docstring)."""
    sources = answer.sources
    top1 = top3 = False
    if item.in_scope and answer.answered:
        first = sources[0] if sources else None
        by_text = _contains(answer.answer, item.must_contain_any) and (
            (first is not None and _place_matches(first, item))
            or not (item.article or item.document)
        )
        top1 = by_text or (first is not None and _source_matches(first, item))
        top3 = top1 or any(_source_matches(s, item) for s in sources[:3])
    return Outcome(
        item=item,
        answered=answer.answered,
        answer=answer.answer,
        confidence=answer.confidence,
        top1=top1,
        top3=top3,
        cited=[_cite(s) for s in sources[:3]],
    )


def _cite(source: Source) -> str:
    where = source.article or (f"措施{source.measure}" if source.measure is not None else "")
    return f"《{source.title}》{where}"


@dataclass
class EvalReport:
    """The figures over a file of questions, and every miss."""

    outcomes: list[Outcome]

    @property
    def in_scope(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.item.in_scope]

    @property
    def out_of_scope(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.item.in_scope]

    def figures(self) -> dict[str, float | int | None]:
        """Counts and shares (None when there is nothing to divide by)."""
        inside, outside = self.in_scope, self.out_of_scope
        counts = {
            "total": len(self.outcomes),
            "in_scope": len(inside),
            "out_of_scope": len(outside),
            "top1": sum(o.top1 for o in inside),
            "top3": sum(o.top3 for o in inside),
            "in_scope_refused": sum(not o.answered for o in inside),
            "out_of_scope_refused": sum(not o.answered for o in outside),
        }

        def share(part: str, whole: str) -> float | None:
            return round(counts[part] / counts[whole], 4) if counts[whole] else None

        return {
            **counts,
            "top1_rate": share("top1", "in_scope"),
            "top3_rate": share("top3", "in_scope"),
            "in_scope_refused_rate": share("in_scope_refused", "in_scope"),
            "out_of_scope_refused_rate": share("out_of_scope_refused", "out_of_scope"),
        }

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.missed]

    def lines(self, *, verbose: bool = False) -> list[str]:
        """The report as the command line prints it."""
        f = self.figures()
        out = [
            f"共 {f['total']} 个问题：应回答 {f['in_scope']} 个，应拒答 {f['out_of_scope']} 个",
            f"首条正确（top-1）：{_ratio(f['top1'], f['in_scope'])}",
            f"前三条内正确（top-3）：{_ratio(f['top3'], f['in_scope'])}",
            f"应拒答的问题被拒答：{_ratio(f['out_of_scope_refused'], f['out_of_scope'])}",
            f"应回答的问题被误拒：{_ratio(f['in_scope_refused'], f['in_scope'])}",
        ]
        shown = self.outcomes if verbose else self.misses
        if shown:
            out.append("逐题结果：" if verbose else f"未答对 {len(self.misses)} 个：")
        for o in shown:
            out.extend(_describe(o))
        return out


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.1%}" if whole else "—（没有这类问题）"


def _describe(o: Outcome) -> list[str]:
    label = VERDICT_LABELS[o.verdict]
    head = f"- 第{o.item.line}行 [{label}] {o.item.question}（置信度 {o.confidence:.2f}）"
    lines = [head]
    if o.answered:
        lines.append(f"    回答：{_short(o.answer)}")
        if o.cited:
            lines.append(f"    出处：{'；'.join(o.cited)}")
    if o.item.in_scope and o.verdict != "ok":
        expected = " / ".join(o.item.must_contain_any)
        where = "".join(
            x for x in (o.item.document and f"《{o.item.document}》", o.item.article) if x
        )
        lines.append(f"    应包含：{expected}{'（' + where + '）' if where else ''}")
    return lines


def _short(text: str, limit: int = 120) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[:limit] + "…"


# ---- running ------------------------------------------------------------------------------


def evaluate(
    session: Session,
    items: list[EvalItem],
    *,
    province: str | None = None,
    city: str | None = None,
) -> EvalReport:
    """Answer every question as ``/api/ask`` would for an asker in ``province``/``city``."""
    outcomes = []
    for item in items:
        answer = service.preview_answer(
            session, question=item.question, province=province, city=city
        )
        # end the read transaction: on SQLite it holds the write lock, and a long evaluation
        # must not keep everybody else's questions from being logged
        session.commit()
        outcomes.append(judge(item, answer))
    return EvalReport(outcomes)


def evaluate_file(
    session: Session, data: bytes | str, *, province: str | None = None, city: str | None = None
) -> EvalReport:
    """Parse a .jsonl file and evaluate it."""
    return evaluate(session, parse_questions(data), province=province, city=city)
