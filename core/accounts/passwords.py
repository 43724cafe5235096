"""The password rules every new password must pass: length, not common, not the username.

``password_problem`` says in Chinese what is wrong (or None); ``check_password`` raises
``Invalid`` with it. The list of common passwords is our own file, ``common_passwords.txt``
beside this module (see ``make_common_passwords.py`` for how it is built).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from core.errors import Invalid

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
COMMON_PASSWORDS_PATH = Path(__file__).with_name("common_passwords.txt")
# Decorations people put around a weak word: "Dragon2024!" is "dragon" to a guesser.
_DECORATION = "0123456789!@#$%^&*()-_=+.,;:?~`'\"/\\|[]{}<> "
_LEET = str.maketrans({"0": "o", "1": "i", "l": "i", "!": "i", "|": "i", "3": "e", "4": "a",
                       "@": "a", "5": "s", "$": "s", "7": "t"})
MAX_EXTRA_AROUND_USERNAME = 4
MAX_REPEATED_UNIT = 4

TOO_SHORT = f"密码至少需要 {MIN_PASSWORD_LENGTH} 位"
TOO_LONG = f"密码最多 {MAX_PASSWORD_LENGTH} 位"
ALL_SAME = "密码不能全是同一个字符"
SEQUENTIAL = "密码不能是连续的字符（如 1234567890、abcdefghij）"
REPEATED = "密码不能是重复的短片段（如 123123123123、abababababab）"
LIKE_USERNAME = "密码不能与用户名相同或相近"
COMMON = "这个密码过于常见，很容易被猜中，请换一个"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The bundled list, lower-case."""
    lines = COMMON_PASSWORDS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def _skeleton(text: str) -> str:
    """Lower case, look-alike digits and symbols read as letters, only letters and digits kept."""
    return "".join(ch for ch in text.lower().translate(_LEET) if ch.isalnum())


def _core(password: str) -> str:
    return password.lower().strip(_DECORATION)


def _is_sequential(text: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    if steps in ({1}, {-1}):
        return True
    if text.isdigit():  # 7890123456 wraps around
        steps = {(int(b) - int(a)) % 10 for a, b in zip(text, text[1:], strict=False)}
        return steps in ({1}, {9})
    return False


def _is_repeated(text: str) -> bool:
    for size in range(2, MAX_REPEATED_UNIT + 1):
        unit = text[:size]
        if len(text) >= 2 * size and (unit * (len(text) // size + 1)).startswith(text):
            return True
    return False


def _looks_like(password: str, username: str) -> bool:
    name = _skeleton(username)
    if len(name) < 3:
        return False
    whole, core = _skeleton(password), _skeleton(_core(password))
    if core in (name, name[::-1]) or whole in (name, name[::-1]):
        return True
    if name in whole and len(whole) - len(name) <= MAX_EXTRA_AROUND_USERNAME:
        return True
    return len(whole) >= 3 and whole in name


def password_problem(password: str, username: str = "") -> str | None:
    """What is wrong with ``password`` for the account ``username``, in Chinese; None if fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_PASSWORD_LENGTH:
        return TOO_LONG
    lowered = password.lower()
    if len(set(lowered)) == 1:
        return ALL_SAME
    if _is_sequential(lowered):
        return SEQUENTIAL
    if _is_repeated(lowered):
        return REPEATED
    if username and _looks_like(password, username):
        return LIKE_USERNAME
    common = common_passwords()
    core = _core(password)
    if lowered in common or core in common or _skeleton(core) in common:
        return COMMON
    return None


def check_password(password: str, username: str = "") -> None:
    """Raise ``Invalid`` with the Chinese reason when ``password`` breaks a rule."""
    problem = password_problem(password, username)
    if problem is not None:
        raise Invalid(problem)
