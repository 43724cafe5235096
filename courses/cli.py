"""``permithub remind``: per city admin, the key units whose legal representative is untrained."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    """Add the courses commands to the ``permithub`` CLI."""

    @app.command("remind")
    def remind(
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="统计日期 YYYY-MM-DD，默认今天")
        ] = None,
        province: Annotated[str | None, typer.Option(help="只列出该省份")] = None,
        limit: Annotated[int, typer.Option(help="每个城市最多列出的单位数（0 为全部）")] = 0,
    ) -> None:
        """按市级管理员列出法定代表人尚未培训或新近变更的重点管理单位（可每日由 cron 运行）。"""
        from core.db import session_scope
        from core.errors import Invalid
        from core.regions.scope import RegionScope
        from courses import coverage

        try:
            day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        except ValueError:
            raise Invalid(f"--as-of “{as_of}”格式不正确，应为 YYYY-MM-DD") from None
        scope = RegionScope(province) if province else None
        with session_scope() as session:
            reminders = coverage.city_reminders(session, as_of=day, scope=scope)
        if not reminders:
            typer.echo("没有市级管理员账号，无需提醒。")
            return
        for r in reminders:
            typer.echo(
                f"== {r.province}{r.city}（市级管理员：{'、'.join(r.admins)}）"
                f"截至{day.isoformat()}："
                f"未覆盖 {len(r.units)} 家，其中法定代表人新近变更 {len(r.newly_changed)} 家"
            )
            shown = r.units[:limit] if limit else r.units
            for u in shown:
                tag = "新任未培训" if r.is_new(u) else "尚未培训"
                typer.echo(
                    f"  [{tag}] {u.name}  {u.credit_code}  法定代表人：{u.legal_rep_name}"
                    f"（{u.legal_rep_since.isoformat()}起）"
                )
            if len(shown) < len(r.units):
                typer.echo(
                    f"  …… 另有 {len(r.units) - len(shown)} 家，请在“培训覆盖”页面导出完整名单"
                )
