"""The Directory (managers): facilities with their bill-to details, searched and paged on the
server for hundreds of them, deactivated instead of deleted (their cases stay). The facility
page reads everything it shows at once (`facility_view`). Contacts: services/contacts.py;
surgeons: services/surgeons.py."""

from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields

import sqlalchemy as sa
from sqlmodel import Session, select

from ..domain.directory import DirectoryQuery, FacilityFields, city_of, parse_facility
from ..domain.errors import DomainError, InvalidInput
from ..models import Facility, FacilityContact, PriceList
from . import audit
from .auth import Actor
from .contacts import ContactView, contact_views
from .db import reading, transaction
from .directory_access import facility_for, require_manager
from .surgeons import SurgeonView, surgeon_views


@dataclass(frozen=True)
class FacilityRow:
    id: int
    name: str
    account_number: str
    city: str
    time_zone: str
    active: bool
    billing_contact: str  # the first active billing contact's email, or ""


@dataclass(frozen=True)
class FacilityView:
    id: int
    fields: FacilityFields
    active: bool
    contacts: list[ContactView]
    surgeons: list[SurgeonView]
    price_lists: list[tuple[int, str]]


def _matching(query: DirectoryQuery) -> list:
    clauses = [] if query.show_inactive else [Facility.active]
    if query.search:
        text = query.search.lower()  # the city is a line of the address
        clauses.append(sa.or_(*(sa.func.lower(col).contains(text, autoescape=True)
                                for col in (Facility.name, Facility.account_number, Facility.address))))  # fmt: skip
    return clauses


def _first_billing(session: Session, ids: list[int]) -> dict[int, str]:
    c = FacilityContact
    rows = session.exec(select(c.facility_id, c.email).where(c.facility_id.in_(ids), c.is_billing, c.active)
                        .order_by(c.position.desc(), c.id.desc())).all()  # fmt: skip
    return dict(rows)  # the last one written per facility is its first billing contact


def facility_page(actor: Actor, query: DirectoryQuery) -> tuple[list[FacilityRow], int]:
    """One page of facilities by name (search: name, account number or city) and how many match."""
    require_manager(actor)
    with reading() as session:
        where = _matching(query)
        total = session.exec(select(sa.func.count()).select_from(Facility).where(*where)).one()
        found = session.exec(select(Facility).where(*where).order_by(Facility.name, Facility.id)
                             .limit(query.page_size).offset(query.offset)).all()  # fmt: skip
        billing = _first_billing(session, [f.id for f in found])
        rows = [FacilityRow(f.id, f.name, f.account_number, city_of(f.address), f.time_zone, f.active, billing.get(f.id, ""))
                for f in found]  # fmt: skip
        return rows, total


def _price_lists(session: Session) -> list[tuple[int, str]]:
    return [(i, n) for i, n in session.exec(select(PriceList.id, PriceList.name).order_by(PriceList.name)).all()]


def price_lists(actor: Actor) -> list[tuple[int, str]]:
    """The contract price lists a facility can be put on (the new facility form)."""
    require_manager(actor)
    with reading() as session:
        return _price_lists(session)


FIELD_NAMES = tuple(f.name for f in dataclass_fields(FacilityFields))  # the Facility columns of the same names


def _fields(facility: Facility) -> FacilityFields:
    return FacilityFields(**{name: getattr(facility, name) for name in FIELD_NAMES})


def facility_view(actor: Actor, facility_id: object) -> FacilityView:
    """What the facility page shows: its details, contacts, surgeons and the price lists to choose from."""
    require_manager(actor)
    with reading() as session:
        facility = facility_for(session, facility_id)
        return FacilityView(facility.id, _fields(facility), facility.active, contact_views(session, facility.id),
                            surgeon_views(session, facility.id), _price_lists(session))  # fmt: skip


def _check(session: Session, fields: FacilityFields, facility_id: int | None) -> None:
    same = select(Facility.id).where(sa.func.lower(Facility.account_number) == fields.account_number.lower())
    if session.exec(same.where(Facility.id != facility_id) if facility_id else same).first() is not None:
        raise InvalidInput("account_number", f"Account number {fields.account_number} is already another facility's.")
    if fields.price_list_id is not None and session.get(PriceList, fields.price_list_id) is None:
        raise InvalidInput("price_list_id", "That price list no longer exists; choose another.")


def _saved(session: Session):
    try:
        session.flush()
    except sa.exc.IntegrityError:  # the same account number saved at the same moment elsewhere
        raise InvalidInput("account_number", "That account number is already another facility's.") from None


def create_facility(actor: Actor, form: dict) -> int:
    """A new active facility; its id."""
    require_manager(actor)
    fields = parse_facility(form)
    with transaction() as session:
        _check(session, fields, None)
        facility = Facility(**asdict(fields))
        session.add(facility)
        _saved(session)
        audit.record(session, actor, case_id=None, action="facility added", entity="facility", entity_id=facility.id,
                     summary=f"Facility {fields.name} ({fields.account_number}) added to the Directory",
                     after=asdict(fields))  # fmt: skip
        return facility.id


def update_facility(actor: Actor, facility_id: object, form: dict) -> FacilityFields:
    """Save the facility's details; the audit row holds the fields that changed."""
    require_manager(actor)
    fields = parse_facility(form)
    with transaction() as session:
        facility = facility_for(session, facility_id, lock=True)
        _check(session, fields, facility.id)
        old, new = asdict(_fields(facility)), asdict(fields)
        changed = [k for k in new if new[k] != old[k]]
        if not changed:
            return fields
        for key in changed:
            setattr(facility, key, new[key])
        session.add(facility)
        _saved(session)
        audit.record(session, actor, case_id=None, action="facility changed", entity="facility", entity_id=facility.id,
                     summary=f"Facility {fields.name}: {', '.join(k.replace('_', ' ') for k in changed)} changed",
                     before={k: old[k] for k in changed}, after={k: new[k] for k in changed})  # fmt: skip
        return fields


def set_active(actor: Actor, facility_id: object, active: bool) -> None:
    """Deactivate (no longer offered for new cases; its cases stay) or reactivate."""
    require_manager(actor)
    with transaction() as session:
        facility = facility_for(session, facility_id, lock=True)
        if facility.active == bool(active):
            raise DomainError(f"{facility.name} is already {'active' if active else 'deactivated'}.")
        facility.active = bool(active)
        session.add(facility)
        audit.record(session, actor, case_id=None, action="facility reactivated" if active else "facility deactivated",
                     entity="facility", entity_id=facility.id,
                     summary=f"Facility {facility.name} {'reactivated' if active else 'deactivated'}",
                     before={"active": not active}, after={"active": bool(active)})  # fmt: skip
