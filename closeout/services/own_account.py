"""A user's own password and signing PIN, each changed with the current password (checked
and throttled like a sign-in). A new password ends every other session of the user; the
one that made the change stays signed in."""

import sqlalchemy as sa

from .. import settings
from ..domain import clock
from ..domain.accounts import check_password
from ..domain.errors import InvalidInput
from ..domain.signing_pin import check_pin
from ..models import Invitation, User, UserSession
from . import audit
from .auth import Actor, NotSignedIn, confirm_password, hash_password, session_digest
from .db import reading, transaction
from .signer_secrets import has_pin


def change_password(actor: Actor, session_token: str, current: object, new: object, client: object = "") -> int:
    """Returns how many other sessions were signed out. A reset link still waiting is voided:
    the user has just chosen their password."""
    new = check_password(new, actor.email, actor.name, settings.seller_name())
    confirm_password(actor, current, client)  # ~100 ms (argon2), outside the transaction
    if new == current:
        raise InvalidInput("password", "The new password must differ from the current one.")
    password_hash = hash_password(new)
    now = clock.now()
    with transaction() as session:
        user = session.get(User, actor.id, with_for_update=True)
        if user is None or not user.active:
            raise NotSignedIn("Your session has ended. Please sign in again.")
        user.password_hash = password_hash
        session.add(user)
        ended = session.execute(
            sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None),
                                         UserSession.token_hash != session_digest(session_token)).values(revoked_at=now)
        ).rowcount  # fmt: skip
        session.execute(sa.update(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None),
                                                    Invitation.revoked_at.is_(None)).values(revoked_at=now))  # fmt: skip
        audit.record(session, actor, case_id=None, action="password changed", entity="user", entity_id=user.id,
                     summary=f"{user.name} changed their password; {ended} other session(s) signed out",
                     after={"other_sessions_ended": ended})  # fmt: skip
        return ended


def has_signing_pin(actor: Actor) -> bool:
    with reading() as session:
        return has_pin(session, actor.id)


def set_signing_pin(actor: Actor, current: object, pin: object, client: object = "") -> bool:
    """Set or change the signing PIN (domain/signing_pin.py's rule), the current password
    required. Stored as an argon2 hash only; wrong PINs counted so far are forgotten.
    Returns whether a PIN was replaced."""
    pin = check_pin(pin)
    confirm_password(actor, current, client)  # ~100 ms (argon2), outside the transaction
    pin_hash = hash_password(pin)
    with transaction() as session:
        user = session.get(User, actor.id, with_for_update=True)
        if user is None or not user.active:
            raise NotSignedIn("Your session has ended. Please sign in again.")
        replaced = bool(user.signing_pin_hash)
        user.signing_pin_hash, user.signing_pin_failures = pin_hash, 0
        session.add(user)
        what = "changed" if replaced else "set"
        audit.record(session, actor, case_id=None, action=f"signing PIN {what}", entity="user", entity_id=user.id,
                     summary=f"{user.name} {what} their signing PIN", after={"replaced": replaced})  # fmt: skip
        return replaced
