"""A user's own password: changed with the current one (checked and throttled like a
sign-in), the new one held to domain/accounts.py's rule. Every other session of the user
ends; the one that made the change stays signed in."""

import sqlalchemy as sa

from ..db_types import utcnow
from ..domain.accounts import check_password
from ..domain.errors import InvalidInput
from ..models import Invitation, User, UserSession
from . import audit
from .auth import Actor, NotSignedIn, confirm_password, hash_password, token_hash
from .db import transaction


def change_password(actor: Actor, session_token: str, current: object, new: object, client: object = "") -> int:
    """Returns how many other sessions were signed out. A reset link still waiting is voided:
    the user has just chosen their password."""
    new = check_password(new, actor.email)
    confirm_password(actor, current, client)  # ~100 ms (argon2), outside the transaction
    if new == current:
        raise InvalidInput("password", "The new password must differ from the current one.")
    password_hash = hash_password(new)
    now = utcnow()
    with transaction() as session:
        user = session.get(User, actor.id, with_for_update=True)
        if user is None or not user.active:
            raise NotSignedIn("Your session has ended. Please sign in again.")
        user.password_hash = password_hash
        session.add(user)
        ended = session.execute(
            sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None),
                                         UserSession.token_hash != token_hash(session_token)).values(revoked_at=now)
        ).rowcount  # fmt: skip
        session.execute(sa.update(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None),
                                                    Invitation.revoked_at.is_(None)).values(revoked_at=now))  # fmt: skip
        audit.record(session, actor, case_id=None, action="password changed", entity="user", entity_id=user.id,
                     summary=f"{user.name} changed their password; {ended} other session(s) signed out",
                     after={"other_sessions_ended": ended})  # fmt: skip
        return ended
