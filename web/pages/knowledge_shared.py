"""What the knowledge admin pages share: the URL base, done messages, redirects."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from fastapi.responses import RedirectResponse

BASE = "/admin/knowledge"
DONE_MESSAGES = {
    "faq": "已新建 FAQ 条目 #{faq}，{n} 条问题已处理。新条目立即生效。",
    "attach": "已将问法加入 FAQ 条目 #{faq}，{n} 条问题已处理。",
    "dismiss": "已忽略 {n} 条问题。",
    "created": "已新建 FAQ 条目 #{faq}，立即生效。",
    "saved": "已保存 FAQ 条目 #{faq}，修改立即生效。",
    "retired": "已停用 FAQ 条目 #{faq}，该条目不再用于回答。",
    "restored": "已恢复 FAQ 条目 #{faq}。",
    "syn_added": "已添加同义词。",
    "syn_saved": "已保存同义词。",
    "syn_deleted": "已删除同义词。",
}


def done_message(done: str, faq: int | None, n: int | None) -> str | None:
    """The sentence for a ``done`` code carried by the redirect after a change."""
    template = DONE_MESSAGES.get(done)
    return template.format(faq=faq or "", n=n or 0) if template else None


def back(url: str, filters: str = "", **params) -> RedirectResponse:
    """Redirect (303) to ``url`` with the queue's filters kept and a ``done`` message code."""
    pairs = filter_pairs(filters) + [(k, str(v)) for k, v in params.items() if v not in (None, "")]
    return RedirectResponse(f"{url}?{urlencode(pairs)}" if pairs else url, status_code=303)


FILTER_KEYS = ("province", "city", "reason", "similarity")


def filter_pairs(filters: str) -> list[tuple[str, str]]:
    """The queue filters from a form's hidden ``filters`` field; anything else is dropped."""
    return [(k, v) for k, v in parse_qsl(filters or "") if k in FILTER_KEYS and v][:4]
