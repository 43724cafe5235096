"""One display time zone (Beijing) and icons that need no emoji font."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from web.templating import _EMOJI, TEMPLATE_DIR, templates


def test_no_template_or_page_script_uses_emoji():
    static = TEMPLATE_DIR.parent / "static"
    offenders = [
        f"{path.name}: {match.group()!r}"
        for path in [*TEMPLATE_DIR.rglob("*.html"), *static.glob("*.js")]
        for match in _EMOJI.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_chat_turn_draws_svg_icons_and_strips_emoji_from_shared_texts():
    from bot import texts

    turn = SimpleNamespace(
        id=1, question="问", answer="答", answered=True, log_id=7, helpful=None, suggestions=[],
        sources=[SimpleNamespace(title="行动计划", section="一", article=None, measure=33,
                                 deadline=None, departments=None, text="")],
    )
    html = templates.env.get_template("chat/_turn.html").render(
        turn=turn, csrf_token="t", texts=texts
    )
    assert not _EMOJI.search(html)
    assert html.count('<svg class="icon"') == 3
    assert "有帮助" in html and "没帮助" in html


def test_beijing_filter_shows_utc_times_in_beijing():
    render = templates.env.from_string("{{ t|beijing }}").render
    assert render(t=dt.datetime(2024, 6, 30, 16, 30, tzinfo=dt.UTC)) == "2024-07-01 00:30"
