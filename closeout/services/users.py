"""Who works here, as a manager sees it: the user list, one user's details, and the
facilities a user may create cases for (a rep the ones they cover, a manager every one)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from ..domain import clock
from ..domain.errors import NotAllowed, NotFound
from ..domain.lifecycle import CaseStatus
from ..domain.text import lookup_text
from ..domain.users import MANAGERS_ONLY, REP, coverage_applies
from ..models import Case, Facility, Invitation, SignInThrottle, User, UserFacility
from .auth import Actor
from .db import reading


@dataclass(frozen=True)
class FacilityChoice:
    """(id, name) of something to choose: a facility, or a rep."""

    id: int
    name: str


Choice = FacilityChoice


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    email: str
    role: str
    active: bool
    invited: bool  # no password set yet
    facilities: list[str]


@dataclass(frozen=True)
class UserDetail:
    id: int
    name: str
    email: str
    role: str
    active: bool
    has_password: bool
    facility_ids: list[int]  # the active facilities they cover (the form's ticks)
    link_kind: str  # "invite" | "reset": a live invitation link waits to be used; "" none
    link_expires_at: datetime | None
    held_until: datetime | None  # sign-in throttled until then (unlock clears it)
    open_cases: int  # Open or Closed (pending PO): the cases another rep can take over
    facilities: list[Choice]  # every active facility, for the coverage form
    reps: list[Choice]  # other active sales reps, who can take over those cases
    may_edit_prices: bool = False  # a manager's grant: unit prices away from the contract price


# The cases still in a rep's hands, which another rep can take over (services/reassignment.py):
# Open, and Closed (pending the PO). Completed and Cancelled ones stay with who did them.
HANDED_OVER = (CaseStatus.OPEN.value, CaseStatus.CLOSED.value)


def require_manager(actor: Actor) -> None:
    if not actor.is_manager:
        raise NotAllowed(MANAGERS_ONLY)


def active_facility():
    """The WHERE clause of the facilities still in use (the Directory can deactivate one)."""
    return Facility.active.is_(True)


def facilities_for(actor: Actor) -> list[Choice]:
    """The active facilities the actor may create cases for: a rep the ones they cover, a
    manager every one (coverage does not apply to managers)."""
    query = select(Facility.id, Facility.name).where(active_facility()).order_by(Facility.name, Facility.id)
    if coverage_applies(actor.role):
        query = query.join(UserFacility, UserFacility.facility_id == Facility.id).where(UserFacility.user_id == actor.id)
    with reading() as session:
        return [Choice(i, n) for i, n in session.exec(query).all()]


def list_users(actor: Actor, search: object = "") -> list[UserRow]:
    """Every user (a company has tens, not thousands), matching `search` in name or email."""
    require_manager(actor)
    text = lookup_text(search, 80).lower()
    query = select(User).order_by(User.active.desc(), User.name, User.id)
    if text:
        pattern = f"%{text}%"
        query = query.where(sa.or_(sa.func.lower(User.name).like(pattern), sa.func.lower(User.email).like(pattern)))
    with reading() as session:
        users = session.exec(query.limit(500)).all()
        covered = _coverage(session, [u.id for u in users])
        return [UserRow(u.id, u.name, u.email, u.role, u.active, not u.password_hash,
                        covered.get(u.id, []) if coverage_applies(u.role) else []) for u in users]  # fmt: skip


def _coverage(session: Session, user_ids: list[int]) -> dict[int, list[str]]:
    rows = session.exec(
        select(UserFacility.user_id, Facility.name).join(Facility, Facility.id == UserFacility.facility_id)
        .where(UserFacility.user_id.in_(user_ids)).order_by(Facility.name, Facility.id)
    ).all()  # fmt: skip
    found: dict[int, list[str]] = {}
    for user_id, name in rows:
        found.setdefault(user_id, []).append(name)
    return found


def user_detail(actor: Actor, user_id: object) -> UserDetail:
    """What the user's page shows, in one read."""
    require_manager(actor)
    now = clock.now()
    with reading() as session:
        user = user_by_id(session, user_id)
        link = session.exec(
            select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None),
                                     Invitation.revoked_at.is_(None), Invitation.expires_at > now)
            .order_by(Invitation.id.desc())
        ).first()  # fmt: skip
        held = session.exec(select(sa.func.max(SignInThrottle.blocked_until)).where(throttle_keys_of(user.email))).one()
        open_cases = session.exec(
            select(sa.func.count()).select_from(Case).where(Case.rep_id == user.id, Case.status.in_(HANDED_OVER))
        ).one()  # fmt: skip
        ids = session.exec(  # the active ones, as the coverage form shows them (deactivated ones stay covered)
            select(UserFacility.facility_id).join(Facility, Facility.id == UserFacility.facility_id)
            .where(UserFacility.user_id == user.id, active_facility())
        ).all()  # fmt: skip
        facilities = session.exec(
            select(Facility.id, Facility.name).where(active_facility()).order_by(Facility.name, Facility.id)
        ).all()  # fmt: skip
        reps = session.exec(
            select(User.id, User.name).where(User.role == REP, User.active.is_(True), User.id != user.id)
            .order_by(User.name, User.id)
        ).all()  # fmt: skip
        return UserDetail(
            user.id, user.name, user.email, user.role, user.active, bool(user.password_hash), sorted(ids),
            link.kind if link else "", link.expires_at if link else None, held if held and held > now else None,
            open_cases, [Choice(i, n) for i, n in facilities], [Choice(i, n) for i, n in reps],
            may_edit_prices=user.may_edit_prices,
        )  # fmt: skip


def user_by_id(session: Session, user_id: object, lock: bool = False) -> User:
    try:
        wanted = int(str(user_id).strip())
    except ValueError:
        raise NotFound("That user was not found.") from None
    query = select(User).where(User.id == wanted)
    user = session.exec(query.with_for_update() if lock else query).first()
    if user is None:
        raise NotFound("That user was not found.")
    return user


def throttle_keys_of(email: str):
    """The WHERE clause of the sign-in throttle rows that hold up this account: its own key
    and every browser's key for it (the key formats of domain/throttle.py's `keys`)."""
    email = email.lower()[:254]
    return sa.or_(SignInThrottle.key == f"account:{email}",
                  sa.and_(SignInThrottle.key.startswith("pair:", autoescape=True),
                          SignInThrottle.key.endswith(f"|{email}", autoescape=True)))  # fmt: skip
