"""The surgeons who operate at a facility. A surgeon can work at several facilities (one
Surgeon row, a link per facility); removing one from a facility deactivates the link, so
the cases keep their surgeon. A rep may add a surgeon on the spot while making a case at a
facility they cover. Adding a name matches only a surgeon this facility already knows: two
doctors elsewhere may share a name, so anyone else is a new Surgeon."""

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
    """The surgeons who operate at a facility now, for the case form: a manager any facility's,
    a rep only those of an active facility they cover."""
    with reading() as session:
        facility = usable_facility(session, actor, facility_id)
        return surgeon_views(session, facility.id, active_only=True)


def _surgeon_named(session: Session, actor: Actor, facility_id: int, name: str,
                   specialty: str) -> tuple[Surgeon, bool, str | None]:  # fmt: skip
    """The surgeon with this name (any letter case) already linked to this facility (active
    or removed), or a new one; whether it is new; and the specialty it had if a manager's
    add changed it (only on a record no other facility shares)."""
    link = FacilitySurgeon
    found = session.exec(
        select(Surgeon).join(link, link.surgeon_id == Surgeon.id)
        .where(link.facility_id == facility_id, sa.func.lower(Surgeon.name) == name.lower()).order_by(Surgeon.id)
    ).first()  # fmt: skip
    if found is None:
        surgeon = Surgeon(name=name, specialty=specialty)
        session.add(surgeon)
        session.flush()
        return surgeon, True, None
    shared = session.exec(select(link.facility_id).where(link.surgeon_id == found.id, link.facility_id != facility_id)).first()
    if not (specialty and specialty != found.specialty and actor.is_manager and shared is None):
        return found, False, None
    before, found.specialty = found.specialty, specialty
    session.add(found)
    return found, False, before


def add_surgeon(actor: Actor, facility_id: object, name: object, specialty: object = "") -> SurgeonView:
    """Link a surgeon (the one of this name the facility knows, or a new one) to the facility.
    Managers in the Directory; a rep while making a case at an active facility they cover."""
    name, specialty = parse_surgeon(name, specialty)
    with transaction() as session:
        facility = usable_facility(session, actor, facility_id, lock=True)
        surgeon, new, specialty_was = _surgeon_named(session, actor, facility.id, name, specialty)
        link = session.get(FacilitySurgeon, (facility.id, surgeon.id))
        if link is not None and link.active:
            raise DomainError(f"{surgeon.name} already operates at {facility.name}.")
        before = None if link is None else {"facility": facility.name, "active": False}  # added back
        if specialty_was is not None:
            before = {**(before or {}), "specialty": specialty_was}
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
