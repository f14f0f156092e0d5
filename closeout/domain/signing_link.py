"""One-time signing links: a random token shown once, stored only as its hash, valid for
15 minutes and for one signature, for the lines the signer was shown."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from .errors import DomainError, NotAllowed

LIFETIME = timedelta(minutes=15)
GONE = "This signing link has expired or was already used. Ask the rep for a new one."
SUBMITTED_MEANWHILE = (
    "This case was submitted for billing after this link was made, so it no longer needs a signature here. "
    "You can hand the screen back."
)
CHANGED = (
    "The Devices Used changed while this page was open, so your signature was not recorded. "
    "The lines below are the current ones: review the changes and sign again."
)


class CaseNoLongerOpen(NotAllowed):
    """The case was submitted for billing (Closed or Completed) since the link was made."""

    def __init__(self) -> None:
        super().__init__(SUBMITTED_MEANWHILE)


class ContentChanged(DomainError):
    """The lines changed after the signer was shown them: nothing was signed, the link stays
    usable, and the page shows the current lines and what changed."""

    def __init__(self) -> None:
        super().__init__(CHANGED)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(str(token).encode()).hexdigest()


def matches(stored_hash: str, token: str) -> bool:
    """Constant-time comparison, so timing reveals nothing about valid tokens."""
    return hmac.compare_digest(stored_hash, token_hash(token))


def usable(expires_at: datetime, used_at: datetime | None, now: datetime, revoked_at: datetime | None = None) -> bool:
    """Live: not expired, not used, not revoked (closed, replaced or its issuer signed out)."""
    return used_at is None and revoked_at is None and now < expires_at
