"""Stock locations: a manager adds warehouses, consignments at facilities (several per
facility: "OR core", "Spine cart") and reps' trunks; kits get theirs with the kit (kits.py)."""

from dataclasses import dataclass

from sqlmodel import select

from ...domain.errors import InvalidInput
from ...domain.inventory.locations import KIND_LABELS, LocationKind, check_owner, parse_kind, parse_name
from ...models import Facility, StockLocation, User
from .. import audit
from ..auth import Actor
from ..db import reading, transaction
from .access import require_manager, visible_locations


@dataclass(frozen=True)
class LocationView:
    id: int
    kind: LocationKind
    kind_label: str
    name: str
    facility: str  # a consignment's facility ("" otherwise)
    rep: str  # a trunk's rep ("" otherwise)
    active: bool


def _optional_id(raw: object, field: str) -> int | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, bool) or not str(raw).strip().isdigit():
        raise InvalidInput(field, "Choose from the list.")
    return int(str(raw).strip())


def create_location(actor: Actor, kind: object, name: object, facility_id: object = None, rep_id: object = None) -> int:
    """A manager adds a warehouse, a consignment (at a facility) or a trunk (of a rep)."""
    require_manager(actor, "add stock locations")
    kind, name = parse_kind(kind), parse_name(name)
    if kind == LocationKind.KIT:
        raise InvalidInput("kind", "A loaner kit's location comes with the kit: add the kit.")
    facility_id = _optional_id(facility_id, "facility_id") if kind == LocationKind.CONSIGNMENT else None
    rep_id = _optional_id(rep_id, "rep_id") if kind == LocationKind.TRUNK else None
    check_owner(kind, facility_id, rep_id)
    with transaction() as session:
        if facility_id is not None and session.get(Facility, facility_id) is None:
            raise InvalidInput("facility_id", "That facility was not found.")
        if rep_id is not None:
            rep = session.get(User, rep_id)
            if rep is None or rep.role != "sales_rep":
                raise InvalidInput("rep_id", "Choose a sales rep.")
        location = StockLocation(kind=kind.value, name=name, facility_id=facility_id, rep_id=rep_id)
        session.add(location)
        session.flush()
        audit.record(session, actor, case_id=None, action="stock location added", entity="stock_location",
                     entity_id=location.id, summary=f"{KIND_LABELS[kind]} {name} added",
                     after={"kind": kind.value, "name": name, "facility_id": facility_id, "rep_id": rep_id})  # fmt: skip
        return location.id


def locations(actor: Actor, kind: object = None) -> list[LocationView]:
    """The physical locations the actor covers (every one for a manager), by kind and name."""
    with reading() as session:
        query = (select(StockLocation, Facility.name, User.name)
                 .outerjoin(Facility, Facility.id == StockLocation.facility_id)
                 .outerjoin(User, User.id == StockLocation.rep_id)
                 .where(visible_locations(session, actor)).order_by(StockLocation.kind, StockLocation.name))  # fmt: skip
        if kind:
            query = query.where(StockLocation.kind == str(kind))
        return [LocationView(loc.id, LocationKind(loc.kind), KIND_LABELS[LocationKind(loc.kind)], loc.name,
                             facility or "", rep or "", loc.active)
                for loc, facility, rep in session.exec(query).all()]  # fmt: skip
