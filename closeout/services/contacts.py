"""A facility's contacts in the Directory (managers): added, edited, deactivated, and the
billing contacts put in order. The first active billing contact is the one Share prefills
and PO reminders go to (services/sharing.py)."""

from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ..domain.contacts import ContactFields, parse_contact, role_labels
from ..domain.directory import moved
from ..domain.errors import DomainError, InvalidInput, NotFound
from ..models import FacilityContact
from . import audit
from .auth import Actor
from .db import transaction
from .directory_access import facility_for, require_manager


@dataclass(frozen=True)
class ContactView:
    id: int
    name: str
    email: str
    phone: str
    is_billing: bool
    is_purchasing: bool
    is_or: bool
    active: bool
    roles: str  # "Billing, Purchasing"
    billing_rank: int  # 1 = the first billing contact; 0: not an active billing contact


def billing_order(session: Session, facility_id: int) -> list[FacilityContact]:
    """The facility's active billing contacts, first one first."""
    c = FacilityContact
    return list(
        session.exec(select(c).where(c.facility_id == facility_id, c.is_billing, c.active).order_by(c.position, c.id)).all()
    )


def contact_views(session: Session, facility_id: int) -> list[ContactView]:
    """Billing contacts in their order, then the other active ones by name, then the deactivated."""
    billing = billing_order(session, facility_id)
    rest = session.exec(select(FacilityContact).where(FacilityContact.facility_id == facility_id,
                                                      FacilityContact.id.not_in([c.id for c in billing]))
                        .order_by(FacilityContact.active.desc(), FacilityContact.name, FacilityContact.id)).all()  # fmt: skip
    rank = {c.id: i for i, c in enumerate(billing, start=1)}
    return [ContactView(c.id, c.name, c.email, c.phone, c.is_billing, c.is_purchasing, c.is_or, c.active,
                        ", ".join(role_labels(c.is_billing, c.is_purchasing, c.is_or)), rank.get(c.id, 0))
            for c in [*billing, *rest]]  # fmt: skip


def _contact_for(session: Session, contact_id: object) -> FacilityContact:
    text = str(contact_id).strip()
    contact = session.get(FacilityContact, int(text)) if text.isascii() and text.isdigit() and len(text) < 12 else None
    if contact is None:
        raise NotFound("That contact was not found.")
    facility_for(session, contact.facility_id, lock=True)  # one change to a facility's contacts at a time
    session.refresh(contact)  # as it is now that the facility is held
    return contact


def _refuse_twin(session: Session, facility_id: int, email: str, contact_id: int | None) -> None:
    c = FacilityContact
    twin = select(c.id).where(c.facility_id == facility_id, c.active, sa.func.lower(c.email) == email, c.id != (contact_id or 0))
    if session.exec(twin).first() is not None:
        raise InvalidInput("email", f"{email} is already a contact at this facility.")


def _last_position(session: Session, facility_id: int) -> int:
    return (session.exec(select(sa.func.max(FacilityContact.position)).where(
        FacilityContact.facility_id == facility_id, FacilityContact.is_billing)).one() or 0) + 1  # fmt: skip


def _snapshot(contact: FacilityContact) -> dict:
    return {"name": contact.name, "email": contact.email, "phone": contact.phone, "is_billing": contact.is_billing,
            "is_purchasing": contact.is_purchasing, "is_or": contact.is_or, "active": contact.active}  # fmt: skip


def add_contact(actor: Actor, facility_id: object, form: dict) -> int:
    """A new active contact; a billing one goes last in the billing order."""
    require_manager(actor)
    fields = parse_contact(form)
    with transaction() as session:
        facility = facility_for(session, facility_id, lock=True)
        _refuse_twin(session, facility.id, fields.email, None)
        contact = FacilityContact(facility_id=facility.id, **asdict(fields),
                                  position=_last_position(session, facility.id) if fields.is_billing else 0)  # fmt: skip
        session.add(contact)
        session.flush()
        audit.record(session, actor, case_id=None, action="contact added", entity="contact", entity_id=contact.id,
                     summary=f"Contact {fields.name} <{fields.email}> added at {facility.name}", after=_snapshot(contact))  # fmt: skip
        return contact.id


def update_contact(actor: Actor, contact_id: object, form: dict) -> ContactFields:
    """Save a contact's details and roles; one who becomes a billing contact goes last."""
    require_manager(actor)
    fields = parse_contact(form)
    with transaction() as session:
        contact = _contact_for(session, contact_id)
        _refuse_twin(session, contact.facility_id, fields.email, contact.id)
        before = _snapshot(contact)
        if fields.is_billing and not contact.is_billing:
            contact.position = _last_position(session, contact.facility_id)
        for key, value in asdict(fields).items():
            setattr(contact, key, value)
        after = _snapshot(contact)
        changed = [k for k in after if after[k] != before[k]]
        if changed:
            session.add(contact)
            audit.record(session, actor, case_id=None, action="contact changed", entity="contact", entity_id=contact.id,
                         summary=f"Contact {fields.name}: {', '.join(k.replace('is_', '').replace('_', ' ') for k in changed)} changed",
                         before={k: before[k] for k in changed}, after={k: after[k] for k in changed})  # fmt: skip
        return fields


def set_contact_active(actor: Actor, contact_id: object, active: bool) -> None:
    """Deactivate (kept, no longer offered or mailed) or reactivate (a billing one goes last)."""
    require_manager(actor)
    with transaction() as session:
        contact = _contact_for(session, contact_id)
        if contact.active == bool(active):
            raise DomainError(f"{contact.name} is already {'active' if active else 'deactivated'}.")
        if active:
            _refuse_twin(session, contact.facility_id, contact.email.lower(), contact.id)
            if contact.is_billing:
                contact.position = _last_position(session, contact.facility_id)
        contact.active = bool(active)
        session.add(contact)
        audit.record(session, actor, case_id=None, action="contact reactivated" if active else "contact deactivated",
                     entity="contact", entity_id=contact.id, summary=f"Contact {contact.name} <{contact.email}> "
                     f"{'reactivated' if active else 'deactivated'}", before={"active": not active}, after={"active": bool(active)})  # fmt: skip


def move_billing_contact(actor: Actor, contact_id: object, step: int) -> list[str]:
    """Move an active billing contact one place up (-1) or down (+1); the new order's emails."""
    require_manager(actor)
    with transaction() as session:
        contact = _contact_for(session, contact_id)
        order = billing_order(session, contact.facility_id)
        if contact.id not in {c.id for c in order}:
            raise DomainError(f"{contact.name} is not an active billing contact.")
        ids = moved([c.id for c in order], contact.id, -1 if int(step) < 0 else 1)
        by_id = {c.id: c for c in order}
        before, after = [c.email for c in order], [by_id[i].email for i in ids]
        if before == after:
            return after
        for position, contact_id_ in enumerate(ids, start=1):
            by_id[contact_id_].position = position
            session.add(by_id[contact_id_])
        audit.record(session, actor, case_id=None, action="billing contacts reordered", entity="contact", entity_id=contact.id,
                     summary=f"Billing contacts in order: {', '.join(after)}"[:300],
                     before={"billing_order": before}, after={"billing_order": after})  # fmt: skip
        return after
