"""One-time signing links: a random token shown once, stored only as its hash, valid for
15 minutes and for one signature."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

LIFETIME = timedelta(minutes=15)
GONE = "This signing link has expired or was already used. Ask the rep for a new one."


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(str(token).encode()).hexdigest()


def matches(stored_hash: str, token: str) -> bool:
    """Constant-time comparison, so timing reveals nothing about valid tokens."""
    return hmac.compare_digest(stored_hash, token_hash(token))


def usable(expires_at: datetime, used_at: datetime | None, now: datetime) -> bool:
    return used_at is None and now < expires_at
