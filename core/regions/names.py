"""Region names as people type them: "江苏" or "江苏省", "苏州" or "苏州市"."""

from __future__ import annotations

from core.regions.data import PROVINCES

_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


SHORT_NAMES: dict[str, str] = {_short(name): name for name in PROVINCES}


def full_province_name(text: str | None) -> str | None:
    """The full name of a province given its full or short name; None when blank or unknown."""
    text = (text or "").strip()
    if not text:
        return None
    if text in PROVINCES:
        return text
    return SHORT_NAMES.get(text)


def city_variants(text: str | None) -> tuple[str, ...]:
    """The stored names a typed city may mean: ``苏州`` → (``苏州``, ``苏州市``); blank → ()."""
    text = (text or "").strip()
    if not text:
        return ()
    if text.endswith("市"):
        return (text,)
    return (text, text + "市")
