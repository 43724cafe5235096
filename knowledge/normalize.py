"""Text normalisation shared by indexing and queries: width, script, case, punctuation, synonyms.

Queries and passages go through the same steps so that they meet in the same vocabulary:
full-width to half-width (NFKC), traditional to simplified (OpenCC t2s), lower case, every
punctuation mark to a space, then the synonym dictionary (法人→法定代表人, sanjian→三监).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_TOKEN_RUN = re.compile(f"[{_CJK}]+|[a-z0-9]+(?:\\.[0-9]+)?")
_NOT_WORD = re.compile(f"[^{_CJK}a-z0-9.]+")
_SPACES = re.compile(r"\s+")

_opencc_lock = threading.Lock()


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _convertible_chars() -> frozenset[str]:
    """Every character that OpenCC's t2s dictionaries may change.

    A text without any of them converts to itself, so the slow pure-Python converter is skipped
    for the usual simplified input (about half a millisecond a question).
    """
    from pathlib import Path

    import opencc

    folder = Path(opencc.__file__).parent / "dictionary"

    def entries(name: str):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            first = values.split(" ")[0]
            if len(first) != len(key):
                yield key, set(key)
            else:
                yield key, {k for k, v in zip(key, first, strict=True) if k != v}

    chars: set[str] = set()
    for _, changed in entries("TSCharacters.txt"):
        chars |= changed
    # A phrase holding a character that changes anyway is already caught by that character;
    # only a phrase made of characters that never change alone adds its own (么 changes only
    # in 么麼, which 麼 catches, so the everyday 什么 is no longer sent through the converter).
    for key, changed in entries("TSPhrases.txt"):
        if chars.isdisjoint(key):
            chars |= changed
    return frozenset(chars)


def to_simplified(text: str) -> str:
    """Traditional Chinese characters to simplified ones (other text unchanged)."""
    if text.isascii() or _convertible_chars().isdisjoint(text):
        return text
    with _opencc_lock:  # the pure-Python converter keeps state while converting
        return _converter().convert(text)


def fold(text: str) -> str:
    """Half-width, simplified, lower-case text with punctuation kept (for display and matching)."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


def normalize_text(text: str) -> str:
    """Folded text with punctuation turned into single spaces (the form that gets tokenised)."""
    text = _NOT_WORD.sub(" ", fold(text))
    # a lone dot is punctuation; keep it only inside numbers such as 1.5
    text = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", text)
    return _SPACES.sub(" ", text).strip()


# Words that hold a term of the synonym dictionary but mean something else: 执法人员 are officers,
# not 法人 (法定代表人). Matched as themselves, so the term inside them is left as it is.
WORDS_HOLDING_A_TERM = ("执法人", "司法人", "违法人")


class SynonymMap:
    """Replaces every occurrence of a term by its canonical wording, in a single left-to-right pass.

    Canonical forms are matched too (and left as they are), longest first, so a term that is part
    of its own canonical form (许可证 inside 排污许可证) is never expanded twice.
    """

    def __init__(self, pairs: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        items = pairs.items() if isinstance(pairs, Mapping) else pairs
        mapping: dict[str, str] = {}
        for term, canonical in items:
            term_n, canonical_n = normalize_text(term), normalize_text(canonical)
            if term_n and canonical_n and term_n != canonical_n:
                mapping[term_n] = canonical_n
        self.mapping = mapping
        keys = set(mapping) | set(mapping.values())
        keys |= {word for word in WORDS_HOLDING_A_TERM if any(term in word for term in mapping)}
        parts = [_longest_of(key for key in keys if not key.isascii())]
        # "sanjian" must not match inside a longer latin word. A latin term never begins a longer
        # term that is not latin too, so trying the others first still finds the longest term.
        latin = sorted((key for key in keys if key.isascii()), key=len, reverse=True)
        parts += [f"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])" for key in latin]
        parts = [part for part in parts if part]
        self._pattern = re.compile("|".join(parts)) if parts else None

    def apply(self, normalized: str) -> str:
        """The text with every term replaced by its canonical form."""
        if self._pattern is None:
            return normalized
        return self._pattern.sub(lambda m: self._replace(m.group(0)), normalized)

    def substitutions(self, normalized: str) -> tuple[list[tuple[str, str]], str]:
        """The (term, canonical) pairs ``apply`` would replace in the text, and the text with
        those terms blanked out (canonical wordings typed as they are stay)."""
        if self._pattern is None:
            return [], normalized
        pairs: list[tuple[str, str]] = []

        def blank(match: re.Match[str]) -> str:
            canonical = self.mapping.get(match.group(0))
            if canonical is None:
                return match.group(0)
            pairs.append((match.group(0), canonical))
            return " "

        rest = self._pattern.sub(blank, normalized)
        return pairs, rest

    def _replace(self, found: str) -> str:
        canonical = self.mapping.get(found)
        if canonical is None:
            return found
        return f" {canonical} " if canonical.isascii() or found.isascii() else canonical

    def __len__(self) -> int:
        return len(self.mapping)


def _longest_of(terms: Iterable[str]) -> str:
    """A pattern matching the longest of ``terms`` that starts at a place, nested by shared
    beginnings (法人|法定代表人 → 法(?:人|定代表人)): a flat alternation of hundreds of terms is
    tried term by term at every character of every question and passage."""
    trie: dict = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(trie)


def _branches(node: dict) -> str:
    ends_here = "" in node
    branches = [re.escape(char) + _branches(child) for char, child in node.items() if char]
    if not branches:
        return ""
    # characters differ between branches, so at most one of them can go on; the greedy ``?``
    # tries the longer term before the one ending here
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        body = f"(?:{body})?"
    return body


# Spoken names of the levels of government (县政府, 市政府, 乡镇政府) and the legal ones the
# documents use (县级人民政府, 设区的市级人民政府, 乡镇人民政府).
_GOVERNMENT_LEVEL = re.compile(r"(?<![级民])(省|市|县|区)政府")
_TOWNSHIP_GOVERNMENT = re.compile(r"(?<![级民])(?:乡镇|乡|镇)政府")


def expand_government_levels(normalized: str) -> str:
    """县政府 → 县级人民政府, 乡政府 → 乡镇人民政府: the wording of laws for each level."""
    if "政府" not in normalized:
        return normalized
    normalized = _TOWNSHIP_GOVERNMENT.sub("乡镇人民政府", normalized)
    return _GOVERNMENT_LEVEL.sub(r"\1级人民政府", normalized)


def prepare(text: str, synonyms: SynonymMap | None = None) -> str:
    """Normalise, name levels of government as laws do, and apply synonyms: the string both
    queries and passages are tokenised from."""
    normalized = expand_government_levels(normalize_text(text))
    if synonyms is not None:
        normalized = _SPACES.sub(" ", synonyms.apply(normalized)).strip()
    return normalized


def runs(prepared: str) -> list[str]:
    """Maximal runs of Chinese characters and of latin letters/digits, in order."""
    return _TOKEN_RUN.findall(prepared)


def bigrams(prepared: str) -> list[str]:
    """Character bigrams inside each Chinese run (a one-character run stays a unigram), plus
    latin words and numbers as whole tokens."""
    tokens: list[str] = []
    for run in runs(prepared):
        if _CJK_RUN.fullmatch(run):
            if len(run) == 1:
                tokens.append(run)
            else:
                tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def is_cjk(text: str) -> bool:
    """True when every character of ``text`` is a Chinese character."""
    return bool(_CJK_RUN.fullmatch(text))


def abbreviates(word: str, name: str) -> bool:
    """Whether ``word`` is the name's characters in order (环保 of 环境保护管理条例), the way
    Chinese shortens a name."""
    rest = iter(name)
    return all(ch in rest for ch in word)
