"""Who is acting: accounts, passwords (argon2id), sessions and lockout.

A browser holds a random session token (a cookie); the database keeps only its hash.
Every service takes the Actor this module returns, and decides access from it.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import select

from ..db_types import utcnow
from ..domain.errors import DomainError, NotFound
from ..domain.text import lookup_text
from ..models import User, UserSession
from .db import reading, transaction

DEMO_REP_EMAIL = "dana.reyes@closeout.example"
SESSION_LIFETIME = timedelta(hours=12)  # one shift
LOCK_AFTER = 5
LOCK_FOR = timedelta(minutes=5)
COOKIE = "closeout_session"
_hasher = PasswordHasher()
_WRONG = "The email or password is wrong."


class NotSignedIn(NotFound):
    """No valid session: sign in (again). A NotFound, so nothing of a case leaks either."""


@dataclass(frozen=True)
class Actor:
    id: int
    name: str
    email: str
    role: str

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


def _actor(user: User) -> Actor:
    return Actor(user.id, user.name, user.email, user.role)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_for_email(email: str) -> Actor:
    with reading() as session:
        user = session.exec(select(User).where(User.email == email)).first()
        if user is None:
            raise NotFound(f"No user {email}.")
        return _actor(user)


def actor_for_id(user_id: int) -> Actor:
    with reading() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("That user no longer exists.")
        return _actor(user)


def sign_in(email: object, password: object) -> tuple[str, Actor]:
    """A new session token for the right email and password. Five wrong passwords in a
    row lock the account for five minutes; the answer never says which part was wrong."""
    email, password = lookup_text(email, 254).lower(), str(password or "")[:200]
    with transaction() as session:
        user = session.exec(select(User).where(sa.func.lower(User.email) == email)).first()
        now = utcnow()
        if user is not None and user.locked_until and user.locked_until > now:
            minutes = max(1, round((user.locked_until - now).total_seconds() / 60))
            raise DomainError(f"This account is locked after {LOCK_AFTER} failed sign-ins. Try again in {minutes} min.")
        if user is None or not _verified(user, password):
            if user is not None:
                user.failed_sign_ins += 1
                if user.failed_sign_ins >= LOCK_AFTER:
                    user.locked_until, user.failed_sign_ins = now + LOCK_FOR, 0
                session.add(user)
            session.commit()  # the failure counts even though we refuse
            raise DomainError(_WRONG)
        user.failed_sign_ins, user.locked_until = 0, None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        session.add(user)
        token = secrets.token_urlsafe(32)
        session.add(UserSession(user_id=user.id, token_hash=_token_hash(token), expires_at=now + SESSION_LIFETIME))
        return token, _actor(user)


def _verified(user: User, password: str) -> bool:
    try:
        return bool(user.password_hash) and _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def actor_for_session(token: object) -> Actor:
    """The signed-in user of a session token, or NotSignedIn."""
    if not token or not isinstance(token, str) or len(token) > 100:
        raise NotSignedIn("Please sign in.")
    with reading() as session:
        row = session.exec(
            select(UserSession, User).join(User, User.id == UserSession.user_id)
            .where(UserSession.token_hash == _token_hash(token))
        ).first()  # fmt: skip
        if row is None or row[0].revoked_at is not None or row[0].expires_at <= utcnow():
            raise NotSignedIn("Your session has ended. Please sign in again.")
        return _actor(row[1])


def sign_out(token: object) -> None:
    if not isinstance(token, str) or not token:
        return
    with transaction() as session:
        session.execute(
            sa.update(UserSession).where(UserSession.token_hash == _token_hash(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )  # fmt: skip


def new_session(actor: Actor) -> str:
    """A session for `actor` without a password (tests and the benchmark harness)."""
    token = secrets.token_urlsafe(32)
    with transaction() as session:
        session.add(UserSession(user_id=actor.id, token_hash=_token_hash(token), expires_at=utcnow() + SESSION_LIFETIME))
    return token
