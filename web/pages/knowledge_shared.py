"""What the knowledge admin pages share: the URL base, done messages, redirects, the FAQ form."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import Depends, Form
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


@dataclass(frozen=True)
class FaqFields:
    """The FAQ entry fields an admin typed, on the FAQ form or the queue's promote form (which
    has no phrasings: the group's questions become them)."""

    question: str
    answer: str
    basis: str
    tags: str
    phrasings: str

    def texts(self) -> dict[str, str]:
        """The entry's texts as the FAQ services' keyword arguments."""
        return {
            "question": self.question,
            "answer": self.answer,
            "basis": self.basis,
            "tags": self.tags,
        }

    def typed(self) -> dict[str, str]:
        """Every field as typed, for the form shown again after a refusal."""
        return asdict(self)


def _faq_fields(
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    basis: Annotated[str, Form()] = "",
    tags: Annotated[str, Form()] = "",
    phrasings: Annotated[str, Form()] = "",
) -> FaqFields:
    return FaqFields(question, answer, basis, tags, phrasings)


FaqForm = Annotated[FaqFields, Depends(_faq_fields)]
