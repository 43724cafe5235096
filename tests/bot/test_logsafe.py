"""The bot token never reaches the logs."""

from __future__ import annotations

import logging

from bot.logsafe import REDACTED, install_log_redaction

TOKEN = "987654:SECRET-token-value"


def test_token_in_request_urls_and_tracebacks_is_redacted(caplog):
    install_log_redaction(TOKEN)
    caplog.set_level(logging.DEBUG)
    url = f"https://api.telegram.org/bot{TOKEN}/getUpdates"
    logging.getLogger("telegram.ext.Updater").warning("request to %s failed", url)
    try:
        raise ConnectionError(f"cannot reach {url}")
    except ConnectionError:
        logging.getLogger("bot.runner").exception("polling stopped")
    assert TOKEN not in caplog.text
    assert f"bot{REDACTED}/getUpdates" in caplog.text
    assert "polling stopped" in caplog.text


def test_httpx_request_lines_are_silenced(caplog):
    install_log_redaction(TOKEN)
    caplog.set_level(logging.INFO)
    logging.getLogger("httpx").info(
        "HTTP Request: POST https://api.telegram.org/bot%s/getMe", TOKEN
    )
    assert "HTTP Request" not in caplog.text
