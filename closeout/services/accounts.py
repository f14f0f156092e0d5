"""Accounts an operator makes on the server: the first manager of a new installation (and
any later one), from the command line, before anyone can sign in to the app."""

import sqlalchemy as sa
from sqlmodel import Session, select

from .. import settings
from ..domain.accounts import check_password, parse_email, parse_name
from ..domain.errors import DomainError
from ..models import User
from . import audit
from .auth import Actor, hash_password
from .db import reading, transaction

COMMAND_LINE = "command line"  # who acted, on the audit row, when no one is signed in


def _taken(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(sa.func.lower(User.email) == email)).first() is not None


def _refuse_taken(email: str) -> DomainError:
    return DomainError(f"{email} already has an account; nothing was created.")


def new_manager_details(email: object, name: object) -> tuple[str, str]:
    """The clean email and name, refused before anyone types a password for them."""
    email, name = parse_email(email), parse_name(name)
    with reading() as session:
        if _taken(session, email):
            raise _refuse_taken(email)
    return email, name


def create_manager(email: object, name: object, password: object, by: str = COMMAND_LINE) -> Actor:
    """A manager account whose password meets domain/accounts.py's rule, stored as an argon2id
    hash, with an audit row naming `by` (no user is signed in on the command line). An email
    that already has an account, in any letter case (sign-in ignores it), is refused."""
    email, name = parse_email(email), parse_name(name)
    password_hash = hash_password(check_password(password, email, name, settings.seller_name()))  # ~100 ms: before the transaction
    try:
        with transaction() as session:
            if _taken(session, email):
                raise _refuse_taken(email)
            user = User(name=name, email=email, role="manager", password_hash=password_hash)
            session.add(user)
            session.flush()
            audit.record(
                session, None, case_id=None, action="manager created", entity="user", entity_id=user.id,
                summary=f"Manager account created for {name} <{email}>",
                after={"name": name, "email": email, "role": "manager"}, actor_name=by,
            )  # fmt: skip
            return Actor(user.id, name, email, "manager")
    except sa.exc.IntegrityError:  # the same email created at the same moment elsewhere
        raise _refuse_taken(email) from None
