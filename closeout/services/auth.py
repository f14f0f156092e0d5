"""Who is acting: accounts, passwords (argon2id), sessions, and the sign-in throttle.

A browser holds a random session token (a cookie); the database keeps only its hash.
Every service takes the Actor this module returns, and decides access from it.
"""

import contextlib
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select

from ..domain import clock, throttle
from ..domain.accounts import MAX_EMAIL, MAX_PASSWORD
from ..domain.errors import DomainError, InvalidInput, NotFound
from ..domain.text import lookup_text
from ..domain.users import DEACTIVATED
from ..models import SignInThrottle, User, UserSession
from .db import DatabaseUnavailable, reading, transaction

DEMO_REP_EMAIL = "dana.reyes@closeout.example"
SESSION_LIFETIME = timedelta(hours=12)  # one shift
COOKIE = "closeout_session"
# The header the security middleware puts the cookie's SHA-256 in on the websocket's handshake.
SESSION_HEADER = "x-closeout-session"
_hasher = PasswordHasher()
# Verified when the email has no account (or no password), with the same parameters as real
# hashes, so an unknown address takes as long to refuse as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(32))
_WRONG = "The email or password is wrong."
_DIALECT_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


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


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_for_id(user_id: int) -> Actor:
    with reading() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:  # deactivated: what they left open (signing links) ends
            raise NotFound("That user no longer exists or was deactivated.")
        return _actor(user)


def sign_in(email: object, password: object, client: object = "") -> tuple[str, Actor]:
    """A new session token for the right email and password. `client` names the browser
    (its address). Failures slow the next try down (domain/throttle.py) instead of locking
    the account; every refusal reads and costs the same whether the email has an account
    or not, and never says which part was wrong. A deactivated account is told so only
    once its password was right."""
    user, keys = _checked(email, password, client)
    if not user.active:
        raise DomainError(DEACTIVATED)
    password = str(password or "")[:MAX_PASSWORD]
    with transaction() as session:
        for key in throttle.cleared_on_success(keys):
            session.execute(sa.delete(SignInThrottle).where(SignInThrottle.key == key))
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            session.execute(sa.update(User).where(User.id == user.id).values(password_hash=user.password_hash))
        token = open_session(session, user.id)
    _forget_old_failures()
    return token, _actor(user)


def confirm_password(actor: Actor, password: object, client: object = "") -> None:
    """The signed-in user's own password, checked (and throttled) as a sign-in is: a session
    left open on a shared screen must not become a way to guess it."""
    confirm_secret(actor, password, client, InvalidInput("current_password", "The current password is wrong."))


def _password_of(user: User) -> str:
    return user.password_hash


def confirm_secret(actor: Actor, secret: object, client: object, wrong: InvalidInput,
                   hash_of: Callable[[User], str] = _password_of) -> None:  # fmt: skip
    """One of the signed-in user's own secrets (`hash_of` picks it: the password, or the signing
    PIN), checked under the same throttle keys as a sign-in to the account; `wrong` is raised
    when it does not match. While the keys wait, nothing is checked."""
    try:
        _checked(actor.email, secret, client, hash_of)
    except DomainError as refusal:
        if refusal.message == _WRONG:
            raise wrong from None
        raise


def _checked(email: object, password: object, client: object,
             hash_of: Callable[[User], str] = _password_of) -> tuple[User, dict[str, throttle.Rule]]:  # fmt: skip
    """The user whose password (or other secret, `hash_of`) this is, and the throttle keys the
    attempt counted under."""
    email, password = lookup_text(email, MAX_EMAIL).lower(), str(password or "")[:MAX_PASSWORD]
    keys = throttle.keys(lookup_text(client, throttle.CLIENT_LIMIT), email)
    now = clock.now()
    with reading() as session:
        blocked = session.exec(
            select(SignInThrottle.blocked_until)
            .where(SignInThrottle.key.in_(list(keys)), SignInThrottle.blocked_until > now)
        ).all()  # fmt: skip
        if blocked:  # the password is not even checked: nothing to learn while waiting
            raise DomainError(throttle.wait_message(max(blocked) - now))
        user = session.exec(select(User).where(sa.func.lower(User.email) == email)).first()
    # Outside any transaction: argon2 takes ~100 ms, and SQLite's writers queue behind it.
    if not _verified(hash_of(user) if user else "", password):
        _count_failure(keys)
        raise DomainError(_WRONG)
    return user, keys


def open_session(session, user_id: int) -> str:
    """A new session for the user, in the caller's transaction; the token (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user_id, token_hash=token_hash(token), expires_at=clock.now() + SESSION_LIFETIME))
    return token


def _verified(stored_hash: str, password: str) -> bool:
    """Whether `password` matches; without a usable hash (no such account, or no password
    set) it is checked against a dummy hash all the same, so every refusal takes as long."""
    try:
        if stored_hash:
            return _hasher.verify(stored_hash, password)
    except VerificationError:
        return False
    except InvalidHashError:
        pass
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher.verify(_DUMMY_HASH, password)
    return False


def held_for(keys: dict[str, throttle.Rule]):
    """How long these throttle keys still wait (a timedelta), or None: for attempts other than
    signing in (a buyer's PO link) counted by the same machinery."""
    now = clock.now()
    with reading() as session:
        blocked = session.exec(
            select(SignInThrottle.blocked_until).where(SignInThrottle.key.in_(list(keys)), SignInThrottle.blocked_until > now)
        ).all()  # fmt: skip
    return max(blocked) - now if blocked else None


def count_failure(keys: dict[str, throttle.Rule]) -> None:
    """One more attempt under each key (public: other one-time secrets count here too)."""
    _count_failure(keys)


def _count_failure(keys: dict[str, throttle.Rule]) -> None:
    """One more failure under each key, counted by the database in one statement per key
    (several workers may count at once), and the wait it earns. Keys go in sorted order so
    concurrent writers never wait on each other in a cycle."""
    now = clock.now()
    with transaction() as session:
        insert = _DIALECT_INSERTS[session.get_bind().dialect.name]
        table = SignInThrottle.__table__
        for key, rule in keys.items():
            statement = insert(table).values(key=key, failures=1, last_failure_at=now, blocked_until=None)
            statement = statement.on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "failures": sa.case((table.c.last_failure_at < throttle.window_start(now), 1),
                                        else_=table.c.failures + 1),
                    "last_failure_at": statement.excluded.last_failure_at,
                },
            ).returning(table.c.failures)  # fmt: skip
            failures = session.execute(statement).scalar_one()
            wait = rule.delay(failures)
            session.execute(
                sa.update(table).where(table.c.key == key).values(blocked_until=now + wait if wait else None)
            )  # fmt: skip


def _forget_old_failures() -> None:
    """Drop keys whose failures the window has forgotten (the table holds any email typed).
    Housekeeping: the sign-in has succeeded whether or not this gets done."""
    with contextlib.suppress(DatabaseUnavailable), transaction() as session:
        session.execute(sa.delete(SignInThrottle).where(SignInThrottle.last_failure_at < throttle.window_start(clock.now())))


class SessionHash(str):
    """A session named by its token's SHA-256, as the websocket's handshake carries it (the
    security middleware turns the HttpOnly cookie into this header; security.py): the tab's
    state never holds the raw token. Only server code makes one; a cookie is always raw."""


def session_digest(token: object) -> str:
    """The stored hash a session token (or a SessionHash) names; "" for nothing usable."""
    if isinstance(token, SessionHash):
        return str(token) if len(token) == 64 else ""
    if not token or not isinstance(token, str) or len(token) > 100:
        return ""
    return token_hash(token)


def actor_for_session(token: object) -> Actor:
    """The signed-in user of a session token (from the cookie) or SessionHash (in a tab's
    state), or NotSignedIn. A sign-in code not yet exchanged is no session."""
    digest = session_digest(token)
    if not digest:
        raise NotSignedIn("Please sign in.")
    with reading() as session:
        row = session.exec(
            select(UserSession, User).join(User, User.id == UserSession.user_id)
            .where(UserSession.token_hash == digest, UserSession.handover_until.is_(None))
        ).first()  # fmt: skip
        if row is None or row[0].revoked_at is not None or row[0].expires_at <= clock.now() or not row[1].active:
            raise NotSignedIn("Your session has ended. Please sign in again.")
        return _actor(row[1])


def sign_out(token: object) -> None:
    digest = session_digest(token)
    if not digest:
        return
    with transaction() as session:
        session.execute(
            sa.update(UserSession).where(UserSession.token_hash == digest, UserSession.revoked_at.is_(None))
            .values(revoked_at=clock.now())
        )  # fmt: skip


HANDOVER_LIFETIME = timedelta(seconds=60)


def to_handover(token: str) -> str:
    """Turn a new session (its raw token, just made by a sign-in in a tab's state) into a
    one-time code valid for a minute: the page sends the code to /auth/session, which sets
    the HttpOnly cookie. Until then the row is no session, so a script that reads the code
    cannot use it as a cookie; once exchanged the code opens nothing."""
    code = secrets.token_urlsafe(32)
    with transaction() as session:
        session.execute(
            sa.update(UserSession).where(UserSession.token_hash == token_hash(token))
            .values(token_hash=token_hash(code), handover_until=clock.now() + HANDOVER_LIFETIME)
        )  # fmt: skip
    return code


def exchange_handover(code: object) -> str | None:
    """The session token for a one-time sign-in code (the code is spent), or None when it is
    unknown, spent or over a minute old. The token goes only into the Set-Cookie header."""
    if not code or not isinstance(code, str) or len(code) > 100:
        return None
    token, now = secrets.token_urlsafe(32), clock.now()
    with transaction() as session:
        done = session.execute(
            sa.update(UserSession)
            .where(UserSession.token_hash == token_hash(code), UserSession.handover_until > now,
                   UserSession.revoked_at.is_(None))
            .values(token_hash=token_hash(token), handover_until=None, expires_at=now + SESSION_LIFETIME)
        ).rowcount  # fmt: skip
    return token if done == 1 else None
