"""Telegram HTML: escaping content, an answer with its citation, splitting long replies."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

from bot import texts

TELEGRAM_LIMIT = 4096

_TOKEN = re.compile(r"<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|.", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")
_SENTENCE_END = set("。！？；!?;")
_SOFT_BREAK = set(" \t，、,：:）)】」』”")


def escape(text: str | None) -> str:
    """Escape ``<``, ``>`` and ``&`` so content is shown literally in HTML parse mode."""
    return html.escape(text or "", quote=False)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _is_word_char(token: str) -> bool:
    return len(token) == 1 and token.isascii() and (token.isalnum() or token in "_-.")


def _break_priority(previous: str) -> int:
    if previous == "\n":
        return 3
    if previous in _SENTENCE_END:
        return 2
    if previous in _SOFT_BREAK:
        return 1
    return 0


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split Telegram HTML into messages of at most ``limit`` characters.

    Breaks at a line end, else a sentence end, else a space or comma, never inside an ASCII
    word, a tag or an entity; tags open at a break are closed and reopened in the next part.
    """
    if utf16_len(text) <= limit:
        return [text] if text.strip() else []
    parts: list[str] = []
    tokens = _TOKEN.findall(text)
    current: list[str] = []  # tokens of the part being built
    stack: list[tuple[str, str]] = []  # (tag name, opening tag) open at the end of ``current``
    length = 0
    prefix = 0  # tokens at the start of ``current`` that only reopen tags
    # Where ``current`` may be cut: (token index, priority, length there, open tags there)
    candidates: list[tuple[int, int, int, list[tuple[str, str]]]] = []

    def closing(open_tags: list[tuple[str, str]]) -> str:
        return "".join(f"</{name}>" for name, _ in reversed(open_tags))

    def start_part(open_tags: list[tuple[str, str]], rest: list[str]) -> None:
        nonlocal current, length, stack, candidates, prefix
        current = [tag for _, tag in open_tags]
        prefix = len(current)
        stack = list(open_tags)
        candidates = []
        length = sum(utf16_len(t) for t in current)
        for token in rest:
            add(token)

    def add(token: str) -> None:
        nonlocal length
        if current and not token.startswith("<"):
            previous = current[-1]
            if not (_is_word_char(previous) and _is_word_char(token)):
                candidates.append((len(current), _break_priority(previous), length, list(stack)))
        current.append(token)
        length += utf16_len(token)
        if token.startswith("</"):
            name = _tag_name(token)
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i]
                    break
        elif token.startswith("<") and not token.endswith("/>"):
            stack.append((_tag_name(token), token))

    for token in tokens:
        add(token)
        while length + utf16_len(closing(stack)) > limit:
            cut = _choose_cut([c for c in candidates if c[0] > prefix], limit, closing)
            if cut is None and len(current) - 1 <= prefix:
                break  # a single token longer than the limit: nothing sensible to cut
            if cut is None:
                # No allowed break at all (one giant word): cut right before the last token.
                cut = (
                    len(current) - 1,
                    0,
                    length - utf16_len(current[-1]),
                    _open_tags(current[:-1]),
                )
            index, _, _, open_tags = cut
            head = "".join(current[:index]) + closing(open_tags)
            if head.strip():
                parts.append(head.strip())
            rest = current[index:]
            start_part(open_tags, rest)
    tail = "".join(current)
    if _visible(tail):
        parts.append(tail.strip())
    return parts


def _visible(fragment: str) -> bool:
    return bool(re.sub(r"<[^>]*>", "", fragment).strip())


def _tag_name(tag: str) -> str:
    match = _TAG_NAME.match(tag)
    return match.group(1).lower() if match else ""


def _open_tags(tokens: list[str]) -> list[tuple[str, str]]:
    """The tags left open after ``tokens``, as (name, opening tag)."""
    stack: list[tuple[str, str]] = []
    for token in tokens:
        if token.startswith("</"):
            name = _tag_name(token)
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i]
                    break
        elif token.startswith("<") and not token.endswith("/>"):
            stack.append((_tag_name(token), token))
    return stack


def _choose_cut(candidates, limit: int, closing):
    """The best break that fits: highest priority in the later half, else the latest that fits."""
    fitting = [c for c in candidates if c[2] + len(closing(c[3])) <= limit]
    if not fitting:
        return None
    later = [c for c in fitting if c[2] >= limit // 2]
    pool = later or fitting
    best = max(c[1] for c in pool)
    return [c for c in pool if c[1] == best][-1]


def _field(source: object, name: str):
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


def citation_line(source: object) -> str:
    """One escaped citation: 《document》 section · 措施N · 完成时限 · 责任部门."""
    bits = [f"《{escape(_field(source, 'title'))}》"]
    section = _field(source, "section")
    if section:
        bits.append(escape(section))
    measure = _field(source, "measure")
    if measure:
        bits.append(texts.SOURCE_MEASURE.format(measure=measure))
    deadline = _field(source, "deadline")
    if deadline:
        bits.append(texts.SOURCE_DEADLINE.format(deadline=escape(deadline)))
    departments = _field(source, "departments")
    if departments:
        bits.append(texts.SOURCE_DEPARTMENTS.format(departments=escape(departments)))
    return " · ".join(bits)


def distinct_sources(sources: Iterable[object], limit: int = 3) -> list[object]:
    """The first ``limit`` sources, without repeating the same document section or measure."""
    seen: set[tuple] = set()
    out: list[object] = []
    for source in sources:
        key = (_field(source, "title"), _field(source, "section"), _field(source, "measure"))
        if key in seen:
            continue
        seen.add(key)
        out.append(source)
        if len(out) == limit:
            break
    return out


def answer_html(
    *,
    answer: str,
    answered: bool,
    sources: Iterable[object],
    suggestions: Iterable[str] = (),
    question: str | None = None,
) -> str:
    """The reply to a question as Telegram HTML: the answer, then where it comes from."""
    lines: list[str] = []
    if question:
        lines.append(f"<i>问：{escape(question)}</i>\n")
    lines.append(escape(answer))
    cited = distinct_sources(sources) if answered else []
    if cited:
        lines.append(f"\n📖 <b>{texts.CITATION_HEADING}</b>")
        lines.extend(f"{i}. {citation_line(s)}" for i, s in enumerate(cited, 1))
    if not answered and suggestions:
        lines.append(f"\n{texts.SUGGESTIONS_HEADING}")
    return "\n".join(lines).strip()
