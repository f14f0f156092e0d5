"""Who is acting. Until accounts exist the app acts as the demo sales rep; this is
the one place that decides it, and every service takes the actor it returns."""

import os
from dataclasses import dataclass

from sqlmodel import select

from ..domain.errors import NotFound
from ..models import User
from .db import reading

DEMO_REP_EMAIL = "dana.reyes@closeout.example"


@dataclass(frozen=True)
class Actor:
    id: int
    name: str
    email: str
    role: str

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


def actor_for_email(email: str) -> Actor:
    with reading() as session:
        user = session.exec(select(User).where(User.email == email)).first()
        if user is None:
            raise NotFound(f"No user {email}; load the demo data with `make db`.")
        return Actor(user.id, user.name, user.email, user.role)


def actor_for_id(user_id: int) -> Actor:
    with reading() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("That user no longer exists.")
        return Actor(user.id, user.name, user.email, user.role)


def current_user() -> Actor:
    """The demo sales rep (CLOSEOUT_DEMO_USER overrides the email)."""
    return actor_for_email(os.environ.get("CLOSEOUT_DEMO_USER", DEMO_REP_EMAIL))
