"""Password hashing, signed bearer tokens and CSRF tokens."""

from __future__ import annotations

import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from core.config import get_settings

# OWASP's recommended argon2id setting (19 MiB, 2 passes, 1 lane): about 20 ms a check on one
# core here, so a crowd logging in at the start of a contest does not queue for seconds, while a
# stolen hash still costs an attacker 19 MiB and two passes per guess.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verifying against a throwaway hash keeps the timing of "no such user" like a wrong password.
_DUMMY_HASH = _hasher.hash("permithub-timing-equaliser")


def hash_password(password: str) -> str:
    """A salted argon2id hash."""
    return _hasher.hash(password)


def needs_rehash(password_hash: str) -> bool:
    """True for hashes made with older, different argon2 parameters."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches; constant work when the user does not exist."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret(), salt=salt)


def create_access_token(user_id: int, session_version: int = 0) -> str:
    """A signed, expiring bearer token for the user's current session version.

    Stateless so any worker can check it; raising the user's ``session_version`` (logout,
    password change or reset) makes every earlier token invalid.
    """
    return _serializer("access-token").dumps({"uid": user_id, "sv": session_version})


def read_access_token(token: str) -> tuple[int, int] | None:
    """(user id, session version) of a valid, unexpired token, else ``None``."""
    try:
        data = _serializer("access-token").loads(token, max_age=get_settings().token_ttl_seconds)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    uid, version = data.get("uid"), data.get("sv")
    if not isinstance(uid, int) or not isinstance(version, int):
        return None
    return uid, version


# The session keys of the CSRF token (forms echo it, scripts send it as ``X-CSRF-Token``).
CSRF_SESSION_KEY = "csrf"
CSRF_HEADER = "x-csrf-token"


def new_csrf_token() -> str:
    """A random token stored in the session and echoed by every form."""
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of the session's and the form's CSRF tokens."""
    return bool(expected) and bool(given) and hmac.compare_digest(expected, given)


def sign_value(value: str, salt: str) -> str:
    """Sign a short value (verification codes, links) with the app secret."""
    return _serializer(salt).dumps(value)
