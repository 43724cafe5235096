"""Run the bot inside the web server's process: long polling, or webhook updates via FastAPI.

``permithub serve`` calls ``telegram_lifespan`` from the app's lifespan when a token is set.
Polling: only one process may call getUpdates, so with several workers a lock file under
DATA_DIR lets the first worker poll and the others stay quiet (use webhook mode to spread load).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import hmac
import logging
from collections.abc import AsyncIterator
from urllib.parse import urlparse

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot.app import build_application, setup_bot
from bot.logsafe import install_log_redaction
from core.config import Settings, get_settings

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
STATE_APPLICATION = "telegram"
STATE_SECRET = "telegram_webhook_secret"
STATE_REQUEST = "telegram_request"  # tests put a fake transport here before startup
STATE_SESSION_FACTORY = "telegram_session_factory"
RETRY_FIRST_SECONDS = 10.0
RETRY_MAX_SECONDS = 300.0


def webhook_secret(settings: Settings) -> str:
    """The configured webhook secret, or one derived from the signing key and the token.

    Deriving it keeps webhook mode protected even when no secret is configured, and every
    worker computes the same value.
    """
    if settings.telegram_webhook_secret is not None:
        return settings.telegram_webhook_secret.get_secret_value()
    token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
    return hmac.new(settings.secret().encode(), token.encode(), hashlib.sha256).hexdigest()[:48]


def _polling_lock(settings: Settings):
    """An exclusive lock file; None when another process already holds it."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    handle = open(settings.data_dir / "telegram-polling.lock", "w")  # noqa: SIM115 - held open
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


@contextlib.asynccontextmanager
async def telegram_lifespan(app) -> AsyncIterator[None]:
    """Start the bot with the web app (when configured) and stop it on shutdown."""
    settings = get_settings()
    if settings.telegram_token is None or not settings.telegram_token.get_secret_value():
        yield
        return
    token = settings.telegram_token.get_secret_value()
    install_log_redaction(token)
    webhook = bool(settings.telegram_webhook_url)
    lock = None
    if not webhook:
        lock = _polling_lock(settings)
        if lock is None:
            logger.info("另一个进程已在轮询 Telegram 更新，本进程不启动机器人")
            yield
            return
    application = build_application(
        token,
        request=getattr(app.state, STATE_REQUEST, None),
        updater=not webhook,
        session_factory=getattr(app.state, STATE_SESSION_FACTORY, None),
    )
    retry: asyncio.Task | None = None
    try:
        await _start(app, application, settings)
    except InvalidToken:
        logger.error("Telegram 机器人启动失败：令牌无效，请检查 PERMITHUB_TELEGRAM_TOKEN")
    except TelegramError as exc:
        # The web site keeps working while Telegram is unreachable; the bot follows when it is.
        logger.error("Telegram 机器人启动失败：%s；稍后自动重试", exc)
        retry = asyncio.create_task(_keep_trying(app, application, settings))
    try:
        yield
    finally:
        if retry is not None:
            retry.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await retry
        setattr(app.state, STATE_APPLICATION, None)
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        with contextlib.suppress(TelegramError):
            await application.shutdown()
        if lock is not None:
            lock.close()


async def _start(app, application: Application, settings: Settings) -> None:
    """Initialise, register commands (and the webhook), start; polling unless webhook mode."""
    webhook = bool(settings.telegram_webhook_url)
    await application.initialize()
    await setup_bot(application)
    if webhook:
        secret = webhook_secret(settings)
        if urlparse(settings.telegram_webhook_url).path != WEBHOOK_PATH:
            logger.warning("PERMITHUB_TELEGRAM_WEBHOOK_URL 的路径应为 %s", WEBHOOK_PATH)
        await application.bot.set_webhook(
            settings.telegram_webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        setattr(app.state, STATE_SECRET, secret)
    if not application.running:
        await application.start()
    if not webhook and not application.updater.running:
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
    setattr(app.state, STATE_APPLICATION, application)
    logger.info("Telegram 机器人已启动（%s）", "webhook" if webhook else "轮询")


async def _keep_trying(app, application: Application, settings: Settings) -> None:
    delay = RETRY_FIRST_SECONDS
    while True:
        await asyncio.sleep(delay)
        try:
            await _start(app, application, settings)
            return
        except TelegramError as exc:
            logger.warning("Telegram 机器人仍无法启动：%s", exc)
            delay = min(delay * 2, RETRY_MAX_SECONDS)
