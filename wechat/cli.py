"""``permithub wechat menu``: publish the official account's custom menu."""

from __future__ import annotations

import typer


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    """Add the ``wechat`` command group."""
    wechat_app = typer.Typer(help="微信公众号", no_args_is_help=True)
    app.add_typer(wechat_app, name="wechat")

    @wechat_app.command("menu")
    def publish() -> None:
        """发布公众号自定义菜单（需设置 PERMITHUB_WECHAT_APP_ID、PERMITHUB_WECHAT_APP_SECRET）。"""
        from core.config import get_settings
        from core.errors import Invalid
        from wechat import texts
        from wechat.menu import publish_menu

        settings = get_settings()
        secret = settings.wechat_app_secret
        if not settings.wechat_app_id or secret is None or not secret.get_secret_value():
            typer.echo(texts.MENU_TOO_FEW_SETTINGS, err=True)
            raise typer.Exit(2)
        try:
            count = publish_menu(
                app_id=settings.wechat_app_id,
                app_secret=secret.get_secret_value(),
                base_url=settings.base_url,
                transport=_TRANSPORT,
            )
        except Invalid as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(1) from None
        typer.echo(texts.MENU_PUBLISHED.format(count=count))


# Tests put an ``httpx.MockTransport`` here to answer as WeChat's API would.
_TRANSPORT = None
