"""``permithub remind``: per city admin, the key units whose legal representative is untrained."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    """Add the courses commands to the ``permithub`` CLI."""
    coverage_app = typer.Typer(help="法定代表人培训覆盖：月末数字存档。", no_args_is_help=True)
    app.add_typer(coverage_app, name="coverage")

    @coverage_app.command("archive")
    def archive_command(
        month: Annotated[
            str | None,
            typer.Option("--month", help="重新存档的月份 YYYY-MM（须与 --rearchive 同用）"),
        ] = None,
        rearchive: Annotated[
            bool,
            typer.Option("--rearchive", help="按当前数据重新计算该月并替换存档（记入审计日志）"),
        ] = False,
    ) -> None:
        """存档已结束月份的月末覆盖数字（已存档的月份不变）；--rearchive --month 重新存档一个月。"""
        from core.db import session_scope
        from core.errors import Invalid
        from core.regions.scope import NATIONAL
        from courses import archive

        if rearchive != (month is not None):
            raise Invalid("--rearchive 与 --month 须同时使用")
        with session_scope() as session:
            if rearchive:
                result = archive.rearchive(session, scope=NATIONAL, actor=None, month=month)
                typer.echo(
                    f"已重新存档 {result.month_on.isoformat()[:7]}：全国已覆盖 "
                    f"{result.before[0]} → {result.after[0]}，"
                    f"重点管理单位 {result.before[1]} → {result.after[1]}。"
                )
                for change in result.changes:
                    before = f"{change.before[0]}/{change.before[1]}" if change.before else "—"
                    after = f"{change.after[0]}/{change.after[1]}" if change.after else "—"
                    typer.echo(f"  {change.region}：{before} → {after}")
                return
            months = archive.ensure_archived(session)
            first, last, _ = archive.archive_summary(session)
        if months:
            span = f"{months[0].isoformat()[:7]} 至 {months[-1].isoformat()[:7]}"
            typer.echo(f"已存档 {len(months)} 个月：{span}。")
        elif last is None:
            typer.echo("名录中还没有重点管理单位，暂不存档。")
        else:
            typer.echo(f"无需存档：{first.isoformat()[:7]} 至 {last.isoformat()[:7]} 已全部存档。")

    @app.command("remind")
    def remind(
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="统计日期 YYYY-MM-DD，默认今天")
        ] = None,
        province: Annotated[str | None, typer.Option(help="只列出该省份")] = None,
        limit: Annotated[int, typer.Option(help="每份名单最多列出的单位数（0 为全部）")] = 0,
        send: Annotated[
            bool,
            typer.Option(
                "--send",
                help="通过邮件（PERMITHUB_SMTP_*）发给各管理员；每人每月只发一次，发送记录入库",
            ),
        ] = False,
    ) -> None:
        """列出法定代表人尚未培训或新近变更的重点管理单位：每家单位只进一份名单——市级管理员；
        没有市级管理员的城市由省级管理员接收，再没有则由部级管理员接收（可每日由 cron 运行）。"""
        from core.db import session_scope
        from core.errors import Invalid
        from core.regions.scope import RegionScope
        from courses import reminders as reminder_service

        try:
            day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        except ValueError:
            raise Invalid(f"--as-of “{as_of}”格式不正确，应为 YYYY-MM-DD") from None
        scope = RegionScope(province) if province else None
        if send:
            from courses import reminder_delivery

            with session_scope() as session:
                report = reminder_delivery.send_reminders(session, as_of=day, scope=scope)
            for line in report.lines():
                typer.echo(line)
            if report.failed:
                raise typer.Exit(1)
            return
        with session_scope() as session:
            result = reminder_service.reminders(session, as_of=day, scope=scope)
        if not result.lists and not result.unreceived:
            typer.echo(f"截至{day.isoformat()}，重点管理单位的法定代表人均已培训，无需提醒。")
            return
        for r in result.lists:
            _print_reminder(r, day, limit)
        if result.unreceived:
            regions = "、".join(f"{u.label}（{u.units} 家）" for u in result.unreceived)
            typer.echo(
                f"!! 无人接收提醒的地区（没有市级、省级或部级管理员账号）：{regions}。"
                "请为这些地区创建管理员账号。"
            )


def _print_reminder(r, day: dt.date, limit: int) -> None:
    rolled = f"；代管没有市级管理员的{'、'.join(r.rolled_up)}" if r.rolled_up else ""
    typer.echo(
        f"== {r.label}（{r.admin_label}：{'、'.join(r.admins)}{rolled}）"
        f"截至{day.isoformat()}："
        f"未覆盖 {len(r.units)} 家，其中法定代表人新近变更 {len(r.newly_changed)} 家"
    )
    shown = r.units[:limit] if limit else r.units
    for u in shown:
        tag = "新任未培训" if r.is_new(u) else "尚未培训"
        since = f"（{u.legal_rep_since.isoformat()}起）" if u.legal_rep_since else ""
        where = f"{u.city}  " if r.level != "city" else ""
        typer.echo(
            f"  [{tag}] {where}{u.name}  {u.credit_code}  法定代表人：{u.legal_rep_name}{since}"
        )
    if len(shown) < len(r.units):
        typer.echo(f"  …… 另有 {len(r.units) - len(shown)} 家，请在“培训覆盖”页面导出完整名单")
