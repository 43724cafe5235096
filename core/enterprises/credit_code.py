"""统一社会信用代码 (GB 32100-2015): 18 characters and a check digit."""

from __future__ import annotations

from operator import mul

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CREDIT_CHARS)}
_LEGAL = frozenset(CREDIT_CHARS)
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(body: str) -> str:
    """The 18th character (check digit) for the first 17 characters ``body``."""
    total = sum(map(mul, map(_VALUE.__getitem__, body[:17]), _WEIGHTS))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid credit code, in Chinese; ``None`` when it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    if not _LEGAL.issuperset(code):
        bad = next(c for c in code if c not in _VALUE)
        return f"统一社会信用代码含非法字符“{bad}”（不得使用 I、O、Z、S、V 及小写字母）"
    if code[17] != check_character(code[:17]):
        return "统一社会信用代码校验位错误"
    return None


def is_valid_credit_code(code: str) -> bool:
    """True for a well-formed code with the right check digit."""
    return credit_code_problem(code) is None
