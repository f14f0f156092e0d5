"""Who sees and moves which stock: a manager everything; a rep the locations they cover —
their trunk, the consignment at the facilities they cover (user_facility), and loaner kits
out at those facilities. A location the actor may not see is "not found"."""

import sqlalchemy as sa
from sqlmodel import Session, select

from ...domain.errors import NotAllowed, NotFound
from ...domain.inventory.locations import PHYSICAL, LocationKind
from ...models import LoanerKit, StockLocation, UserFacility
from ..auth import Actor

_NOT_FOUND = "That stock location was not found."


def covered_facilities(session: Session, actor: Actor):
    """The subquery of facility ids the rep covers."""
    return select(UserFacility.facility_id).where(UserFacility.user_id == actor.id)


def visible_locations(session: Session, actor: Actor):
    """The WHERE clause of the physical locations the actor may see and move stock of."""
    physical = StockLocation.kind.in_([k.value for k in PHYSICAL])
    if actor.is_manager:
        return physical
    facilities = covered_facilities(session, actor)
    kits_here = select(LoanerKit.location_id).where(LoanerKit.facility_id.in_(facilities))
    return sa.and_(physical, sa.or_(
        sa.and_(StockLocation.kind == LocationKind.TRUNK.value, StockLocation.rep_id == actor.id),
        sa.and_(StockLocation.kind == LocationKind.CONSIGNMENT.value, StockLocation.facility_id.in_(facilities)),
        StockLocation.id.in_(kits_here),
    ))  # fmt: skip


def location_for(session: Session, actor: Actor, location_id: object) -> StockLocation:
    """The physical location with this id if the actor covers it; else NotFound."""
    if isinstance(location_id, bool) or not isinstance(location_id, int):
        raise NotFound(_NOT_FOUND)
    found = session.exec(select(StockLocation).where(StockLocation.id == location_id,
                                                     visible_locations(session, actor))).first()  # fmt: skip
    if found is None:
        raise NotFound(_NOT_FOUND)
    return found


def any_location(session: Session, location_id: object) -> StockLocation:
    """A physical location anyone may send stock to (another rep's trunk, a consignment):
    sending needs only the source covered; the receiver accepts."""
    if isinstance(location_id, bool) or not isinstance(location_id, int):
        raise NotFound(_NOT_FOUND)
    found = session.get(StockLocation, location_id)
    if found is None or not found.active or LocationKind(found.kind) not in PHYSICAL:
        raise NotFound(_NOT_FOUND)
    return found


def require_manager(actor: Actor, what: str) -> None:
    if not actor.is_manager:
        raise NotAllowed(f"Only a manager can {what}.")
