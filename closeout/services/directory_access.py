"""Who may change the Directory (managers), and finding the facility a change is about."""

from sqlmodel import Session, select

from ..domain.errors import NotAllowed, NotFound
from ..domain.users import coverage_applies
from ..models import Facility, UserFacility
from .auth import Actor

MANAGERS_ONLY = "The Directory is for managers."


def require_manager(actor: Actor) -> None:
    if not actor.is_manager:
        raise NotAllowed(MANAGERS_ONLY)


def facility_for(session: Session, facility_id: object, lock: bool = False) -> Facility:
    """The facility with this id, active or not; NotFound for anything else."""
    text = str(facility_id).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise NotFound("That facility was not found.")
    query = select(Facility).where(Facility.id == int(text))
    facility = session.exec(query.with_for_update() if lock else query).first()
    if facility is None:
        raise NotFound("That facility was not found.")
    return facility


def usable_facility(session: Session, actor: Actor, facility_id: object, lock: bool = False) -> Facility:
    """A manager: any facility. A rep: an active one they cover (where they make cases)."""
    facility = facility_for(session, facility_id, lock)
    if actor.is_manager:
        return facility
    if not facility.active:
        raise NotAllowed(f"{facility.name} is deactivated in the Directory.")
    if coverage_applies(actor.role) and session.get(UserFacility, (actor.id, facility.id)) is None:
        raise NotAllowed(f"You do not cover {facility.name}; a manager can add it to your facilities.")
    return facility
