"""``permithub bot``: run the Telegram bot alone (long polling)."""

from __future__ import annotations

import typer


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    """Add the ``bot`` command."""

    @app.command("bot")
    def run_bot() -> None:
        """单独运行 Telegram 机器人（长轮询；需设置 PERMITHUB_TELEGRAM_TOKEN）。"""
        from telegram import Update
        from telegram.error import InvalidToken, TelegramError

        from bot.app import build_application
        from bot.logsafe import install_log_redaction, redact
        from core.config import get_settings

        settings = get_settings()
        if settings.telegram_token is None or not settings.telegram_token.get_secret_value():
            typer.echo(
                "请先设置 PERMITHUB_TELEGRAM_TOKEN（向 @BotFather 申请的机器人令牌）。", err=True
            )
            raise typer.Exit(2)
        if settings.telegram_webhook_url:
            typer.echo(
                "已设置 PERMITHUB_TELEGRAM_WEBHOOK_URL：webhook 模式由 `permithub serve` 接收更新。"
                "如需单独轮询，请先取消该设置。",
                err=True,
            )
            raise typer.Exit(2)
        token = settings.telegram_token.get_secret_value()
        install_log_redaction(token)
        typer.echo("Telegram 机器人启动中（长轮询），按 Ctrl+C 停止。")
        try:
            build_application(token).run_polling(allowed_updates=Update.ALL_TYPES)
        except InvalidToken:
            typer.echo("Telegram 拒绝了这个令牌，请检查 PERMITHUB_TELEGRAM_TOKEN。", err=True)
            raise typer.Exit(1) from None
        except TelegramError as exc:
            typer.echo(f"无法连接 Telegram：{redact(str(exc))}", err=True)
            raise typer.Exit(1) from None
