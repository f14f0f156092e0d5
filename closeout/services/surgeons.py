"""The surgeons who operate at a facility. A surgeon can work at several facilities (one
Surgeon row, a link per facility); removing one from a facility deactivates the link, so
the cases keep their surgeon. A rep may add a surgeon on the spot while making a case."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ..domain.contacts import parse_surgeon
from ..domain.errors import DomainError, NotFound
from ..models import FacilitySurgeon, Surgeon
from . import audit
from .auth import Actor
from .db import reading, transaction
from .directory_access import facility_for, require_manager, usable_facility


@dataclass(frozen=True)
class SurgeonView:
    id: int
    name: str
    specialty: str
    active: bool  # operates at the facility now (False: removed from it)


def surgeon_views(session: Session, facility_id: int, active_only: bool = False) -> list[SurgeonView]:
    """The facility's surgeons by name, the removed ones after the others (unless `active_only`)."""
    link = FacilitySurgeon
    query = select(Surgeon, link.active).join(link, link.surgeon_id == Surgeon.id).where(link.facility_id == facility_id)
    query = query.where(link.active) if active_only else query
    rows = session.exec(query.order_by(link.active.desc(), Surgeon.name, Surgeon.id)).all()
    return [SurgeonView(s.id, s.name, s.specialty, active) for s, active in rows]


def surgeons_of(actor: Actor, facility_id: object) -> list[SurgeonView]:
    """The surgeons who operate at a facility now, for the New case form (any signed-in user)."""
    with reading() as session:
        facility = facility_for(session, facility_id)
        return surgeon_views(session, facility.id, active_only=True)


def _surgeon_named(session: Session, name: str, specialty: str) -> tuple[Surgeon, bool]:
    """The surgeon with this name (any letter case), or a new one; and whether it is new."""
    found = session.exec(select(Surgeon).where(sa.func.lower(Surgeon.name) == name.lower()).order_by(Surgeon.id)).first()
    if found is not None:
        if specialty and not found.specialty:
            found.specialty = specialty
            session.add(found)
        return found, False
    surgeon = Surgeon(name=name, specialty=specialty)
    session.add(surgeon)
    session.flush()
    return surgeon, True


def add_surgeon(actor: Actor, facility_id: object, name: object, specialty: object = "") -> SurgeonView:
    """Link a surgeon (an existing one with this name, or a new one) to the facility. Managers
    in the Directory; a rep while making a case at an active facility."""
    name, specialty = parse_surgeon(name, specialty)
    with transaction() as session:
        facility = usable_facility(session, actor, facility_id, lock=True)
        surgeon, new = _surgeon_named(session, name, specialty)
        link = session.get(FacilitySurgeon, (facility.id, surgeon.id))
        if link is not None and link.active:
            raise DomainError(f"{surgeon.name} already operates at {facility.name}.")
        before = None if link is None else {"facility": facility.name, "active": False}  # added back
        link = link or FacilitySurgeon(facility_id=facility.id, surgeon_id=surgeon.id)
        link.active = True
        session.add(link)
        audit.record(session, actor, case_id=None, action="surgeon added", entity="surgeon", entity_id=surgeon.id,
                     summary=f"{surgeon.name} added at {facility.name}" + (" (new surgeon)" if new else ""), before=before,
                     after={"facility": facility.name, "name": surgeon.name, "specialty": surgeon.specialty, "active": True})  # fmt: skip
        return SurgeonView(surgeon.id, surgeon.name, surgeon.specialty, True)


def remove_surgeon(actor: Actor, facility_id: object, surgeon_id: object) -> None:
    """The surgeon no longer operates at the facility (managers): the link is deactivated."""
    require_manager(actor)
    with transaction() as session:
        facility = facility_for(session, facility_id, lock=True)
        text = str(surgeon_id).strip()
        link = (
            session.get(FacilitySurgeon, (facility.id, int(text)))
            if text.isascii() and text.isdigit() and len(text) < 12
            else None
        )
        if link is None or not link.active:
            raise NotFound("That surgeon does not operate at this facility.")
        link.active = False
        session.add(link)
        name = session.get(Surgeon, link.surgeon_id).name
        audit.record(session, actor, case_id=None, action="surgeon removed", entity="surgeon", entity_id=link.surgeon_id,
                     summary=f"{name} removed from {facility.name}",
                     before={"facility": facility.name, "active": True}, after={"facility": facility.name, "active": False})  # fmt: skip
