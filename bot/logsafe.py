"""Keep the bot token out of logs: httpx logs every request URL, and Bot API URLs contain it."""

from __future__ import annotations

import logging

_TOKENS: set[str] = set()
_installed = False
REDACTED = "<TELEGRAM_TOKEN>"


def redact(text: str) -> str:
    """``text`` with every registered token replaced."""
    for token in _TOKENS:
        text = text.replace(token, REDACTED)
    return text


def install_log_redaction(token: str) -> None:
    """Redact ``token`` from every log record of this process, messages and tracebacks alike.

    A record factory (rather than a handler filter) also covers handlers that uvicorn or an
    operator adds later. httpx's per-request INFO lines are silenced as well.
    """
    global _installed
    if token:
        _TOKENS.add(token)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if _installed:
        return
    _installed = True
    previous = logging.getLogRecordFactory()
    formatter = logging.Formatter()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if not _TOKENS:
            return record
        try:
            message = record.getMessage()
        except Exception:  # a broken %-format: leave it to logging's own error reporting
            return record
        if any(token in message for token in _TOKENS):
            record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            text = formatter.formatException(record.exc_info)
            if any(token in text for token in _TOKENS):
                record.exc_text = redact(text)
        return record

    logging.setLogRecordFactory(factory)
