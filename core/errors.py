"""Domain exceptions. Services raise these; web/ and bot/ turn them into replies in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: ``message`` is shown to the user as it is (Simplified Chinese)."""

    status_code = 400

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFound(DomainError):
    """The thing asked for does not exist, or the caller may not know it exists."""

    status_code = 404


class Conflict(DomainError):
    """The action clashes with the current state (duplicate, already submitted …)."""

    status_code = 409


class Invalid(DomainError):
    """Bad input; ``details`` lists each problem, e.g. ``第3行: 统一社会信用代码校验位错误``."""

    status_code = 422


class Forbidden(DomainError):
    """The caller is known but their role or region does not allow this."""

    status_code = 403


class Unauthorized(DomainError):
    """The caller is not logged in or the credentials are wrong."""

    status_code = 401


class Unavailable(DomainError):
    """The server lacks something the action needs (a font, a tool); the message says what."""

    status_code = 503


class RateLimited(DomainError):
    """Too many attempts in a short time; ``retry_after`` (seconds) becomes a Retry-After header."""

    status_code = 429

    def __init__(
        self, message: str, *, retry_after: int | None = None, details: list[str] | None = None
    ) -> None:
        super().__init__(message, details=details)
        self.retry_after = retry_after
