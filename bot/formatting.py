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
        return [text] if _visible(text) else []
    tokens = _TOKEN.findall(text)
    sizes = [1 if len(t) == 1 and ord(t) <= 0xFFFF else utf16_len(t) for t in tokens]
    stacks = _stacks(tokens)  # the tags open after each token

    def close_len(i: int) -> int:  # length of the closing tags needed after token i
        return sum(len(name) + 3 for name, _ in stacks[i]) if i >= 0 else 0

    parts: list[str] = []
    start = 0
    while start < len(tokens):
        reopen = "".join(tag for _, tag in (stacks[start - 1] if start else ()))
        length = utf16_len(reopen)
        candidates: list[tuple[int, int, int]] = []  # (priority, cut before index, length)
        i = start
        while i < len(tokens):
            if i > start:
                priority = _priority_before(tokens, i)
                if priority is not None and length + close_len(i - 1) <= limit:
                    candidates.append((priority, i, length))
            if length + sizes[i] + close_len(i) > limit:
                break
            length += sizes[i]
            i += 1
        if i == len(tokens):
            cut = i
        else:
            later = [c for c in candidates if c[2] >= limit // 2] or candidates
            if later:
                best = max(c[0] for c in later)
                cut = [c for c in later if c[0] == best][-1][1]
            else:  # one word longer than a message: cut it where it overflows
                cut = max(i, start + 1)
        part = reopen + "".join(tokens[start:cut])
        part += "".join(f"</{name}>" for name, _ in reversed(stacks[cut - 1]))
        if _visible(part):
            parts.append(part.strip())
        start = cut
    return parts


def _priority_before(tokens: list[str], i: int) -> int | None:
    """How good a break before ``tokens[i]`` is; None where breaking is not allowed."""
    token, previous = tokens[i], tokens[i - 1]
    if token.startswith("</"):
        return None  # break after the closing tag instead
    if _is_word_char(previous) and _is_word_char(token):
        return None
    return _break_priority(previous)


def _stacks(tokens: list[str]) -> list[tuple[tuple[str, str], ...]]:
    """For each token, the tags (name, opening tag) still open after it."""
    out: list[tuple[tuple[str, str], ...]] = []
    stack: tuple[tuple[str, str], ...] = ()
    for token in tokens:
        if token.startswith("</"):
            name = _tag_name(token)
            for j in range(len(stack) - 1, -1, -1):
                if stack[j][0] == name:
                    stack = stack[:j] + stack[j + 1 :]
                    break
        elif token.startswith("<") and not token.endswith("/>"):
            stack = stack + ((_tag_name(token), token),)
        out.append(stack)
    return out


def _visible(fragment: str) -> bool:
    return bool(re.sub(r"<[^>]*>", "", fragment).strip())


def _tag_name(tag: str) -> str:
    match = _TAG_NAME.match(tag)
    return match.group(1).lower() if match else ""


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
    article = _field(source, "article")
    if article:
        bits.append(escape(article))
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
        key = (
            _field(source, "title"),
            _field(source, "section"),
            _field(source, "article"),
            _field(source, "measure"),
        )
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
