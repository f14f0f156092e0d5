"""What a manager does to accounts: add a rep or manager (with an invitation link), edit
name, email, role and covered facilities, deactivate (signed out everywhere; their cases
stay), reactivate, and unlock (forget the sign-in failures holding the account up). Nobody
can remove the last active manager. Every change writes an audit row without secrets."""

import sqlalchemy as sa
from sqlmodel import Session, select

from .. import routes
from ..domain import clock
from ..domain.accounts import parse_email, parse_name
from ..domain.errors import DomainError, InvalidInput
from ..domain.users import (
    MANAGER,
    InvitationKind,
    can_manage,
    check_keeps_a_manager,
    coverage_applies,
    parse_facility_ids,
    parse_role,
)
from ..models import Facility, Invitation, SignInThrottle, User, UserFacility, UserSession
from . import audit, invitations
from .auth import Actor
from .db import transaction
from .users import active_facility, require_manager, throttle_keys_of, user_by_id


def _taken(session: Session, email: str, other_than: int | None = None) -> bool:
    query = select(User.id).where(sa.func.lower(User.email) == email)
    if other_than is not None:
        query = query.where(User.id != other_than)
    return session.exec(query).first() is not None


def _refuse_taken(email: str) -> InvalidInput:
    return InvalidInput("email", f"{email} already has an account.")


def _active_managers(session: Session) -> int:
    """The active managers who have set a password (domain `can_manage`), counted with their
    rows locked in id order (PostgreSQL), so two managers demoting each other at the same
    moment cannot both succeed. Callers take these locks before the target row's: every
    change locks the same rows in the same order, so none deadlocks another."""
    query = select(User.id).where(User.role == MANAGER, User.active.is_(True), User.password_hash != "")
    return len(session.exec(query.order_by(User.id).with_for_update()).all())


def _set_coverage(session: Session, user: User, facility_ids: list[int]) -> list[str]:
    """Replace the facilities a rep covers (a manager covers none: coverage does not apply);
    returns their names for the audit row. Only newly added facilities must be active: a
    deactivated one the rep already covers stays covered quietly (the form no longer shows
    it, and it offers no cases while deactivated)."""
    current = set(session.exec(select(UserFacility.facility_id).where(UserFacility.user_id == user.id)).all())
    if not coverage_applies(user.role):
        session.execute(sa.delete(UserFacility).where(UserFacility.user_id == user.id))
        return []
    added = [i for i in facility_ids if i not in current]
    if added and len(session.exec(select(Facility.id).where(Facility.id.in_(added), active_facility())).all()) != len(added):
        raise InvalidInput("facilities", "One of the chosen facilities no longer exists or was deactivated. Choose again.")
    inactive = set(session.exec(select(Facility.id).where(Facility.id.in_(current), Facility.active.is_(False))).all())
    wanted = set(facility_ids) | inactive
    if current - wanted:
        session.execute(sa.delete(UserFacility).where(UserFacility.user_id == user.id,
                                                      UserFacility.facility_id.in_(current - wanted)))  # fmt: skip
    session.add_all([UserFacility(user_id=user.id, facility_id=i) for i in added])
    return sorted(session.exec(select(Facility.name).where(Facility.id.in_(wanted))).all()) if wanted else []


def _revoke_links(session: Session, actor: Actor, user: User, why: str) -> int:
    """Void every unused link of the user (audited); the manager issues a new one."""
    revoked = session.execute(sa.update(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None),
                                                          Invitation.revoked_at.is_(None)).values(revoked_at=clock.now())).rowcount  # fmt: skip
    if revoked:
        audit.record(session, actor, case_id=None, action="links revoked", entity="user", entity_id=user.id,
                     summary=f"{revoked} unused link(s) of {user.name} revoked: {why}",
                     before={"unused_links": revoked}, after={"unused_links": 0})  # fmt: skip
    return revoked


def _facts(user: User, facilities: list[str]) -> dict:
    return {"name": user.name, "email": user.email, "role": user.role, "active": user.active, "facilities": facilities}


def _covered(session: Session, user_id: int) -> list[str]:
    return sorted(session.exec(select(Facility.name).join(UserFacility, UserFacility.facility_id == Facility.id)
                               .where(UserFacility.user_id == user_id)).all())  # fmt: skip


def add_user(
    actor: Actor, name: object, email: object, role: object, facility_ids: object, origin: str
) -> invitations.IssuedLink:
    """A new rep or manager without a password, and the one-time invitation link with which
    they set it (emailed when mail is configured)."""
    require_manager(actor)
    name, email, role, ids = parse_name(name), parse_email(email), parse_role(role), parse_facility_ids(facility_ids)
    try:
        with transaction() as session:
            if _taken(session, email):
                raise _refuse_taken(email)
            user = User(name=name, email=email, role=role, password_hash="")
            session.add(user)
            session.flush()
            facilities = _set_coverage(session, user, ids)
            audit.record(session, actor, case_id=None, action="user added", entity="user", entity_id=user.id,
                         summary=f"{name} <{email}> added", after=_facts(user, facilities))  # fmt: skip
            token, link = invitations.issue_in(session, actor, user, InvitationKind.INVITE)
            user_id, expires_at = user.id, link.expires_at
    except sa.exc.IntegrityError:  # the same email added at the same moment elsewhere
        raise _refuse_taken(email) from None
    url = routes.invitation_url(origin, token)
    return invitations.deliver(actor, user_id, name, email, InvitationKind.INVITE, url, expires_at)


def update_user(actor: Actor, user_id: object, name: object, email: object, role: object, facility_ids: object) -> int:
    """Name, email, role and covered facilities. Demoting the last active manager is refused.
    A new email voids the user's unused links (they went to the old address); returns how
    many were voided, so the manager knows to issue a new one."""
    require_manager(actor)
    name, email, role, ids = parse_name(name), parse_email(email), parse_role(role), parse_facility_ids(facility_ids)
    try:
        with transaction() as session:
            managers = _active_managers(session)  # locked before the user's row (lock order)
            user = user_by_id(session, user_id, lock=True)
            before = _facts(user, _covered(session, user.id))
            if role != MANAGER:
                check_keeps_a_manager(user.name, can_manage(user.role, user.active, bool(user.password_hash)), False, managers)
            if _taken(session, email, other_than=user.id):
                raise _refuse_taken(email)
            email_changed = user.email.lower() != email
            user.name, user.email, user.role = name, email, role
            session.add(user)
            after = _facts(user, _set_coverage(session, user, ids))
            if after != before:
                audit.record(session, actor, case_id=None, action="user changed", entity="user", entity_id=user.id,
                             summary=f"{name} <{email}> changed", before=before, after=after)  # fmt: skip
            return _revoke_links(session, actor, user, "the email address changed") if email_changed else 0
    except sa.exc.IntegrityError:
        raise _refuse_taken(email) from None


def deactivate(actor: Actor, user_id: object) -> int:
    """Signs the user out everywhere (every session revoked; every check of a session refuses
    an inactive user) and voids their unused links; their cases stay. Returns the number of
    sessions ended."""
    require_manager(actor)
    with transaction() as session:
        managers = _active_managers(session)  # locked before the user's row (lock order)
        user = user_by_id(session, user_id, lock=True)
        if not user.active:
            raise DomainError(f"{user.name} is already deactivated.")
        check_keeps_a_manager(user.name, can_manage(user.role, True, bool(user.password_hash)), False, managers)
        now = clock.now()
        ended = session.execute(sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None),
                                                             UserSession.expires_at > now).values(revoked_at=now)).rowcount  # fmt: skip
        session.execute(sa.update(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None),
                                                    Invitation.revoked_at.is_(None)).values(revoked_at=now))  # fmt: skip
        user.active = False
        session.add(user)
        audit.record(session, actor, case_id=None, action="user deactivated", entity="user", entity_id=user.id,
                     summary=f"{user.name} deactivated; signed out of {ended} session(s)",
                     before={"active": True}, after={"active": False, "sessions_ended": ended})  # fmt: skip
        return ended


def reactivate(actor: Actor, user_id: object) -> None:
    """They can sign in again with their password (or a new link, if they never set one)."""
    require_manager(actor)
    with transaction() as session:
        user = user_by_id(session, user_id, lock=True)
        if user.active:
            raise DomainError(f"{user.name} is already active.")
        user.active = True
        session.add(user)
        audit.record(session, actor, case_id=None, action="user reactivated", entity="user", entity_id=user.id,
                     summary=f"{user.name} reactivated", before={"active": False}, after={"active": True})  # fmt: skip


def unlock(actor: Actor, user_id: object) -> int:
    """Forget the sign-in failures holding this account up (from every browser). Returns how
    many throttle rows were cleared."""
    require_manager(actor)
    with transaction() as session:
        user = user_by_id(session, user_id)
        cleared = session.execute(sa.delete(SignInThrottle).where(throttle_keys_of(user.email))).rowcount
        audit.record(session, actor, case_id=None, action="sign-in unlocked", entity="user", entity_id=user.id,
                     summary=f"Sign-in failures of {user.name} cleared ({cleared})", after={"cleared": cleared})  # fmt: skip
        return cleared
