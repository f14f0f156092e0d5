"""Where is it: stock by location, REF, lot, serial and expiry (filtered, paged on the
server), "where is lot X" (every unit in stock or in transit, every case line with it), a
serial's whole life (its movements), and what expires within 30/60/90 days per location.
Indexes (models.StockUnit, StockMovement) keep these fast on a million units."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ...domain import clock
from ...domain.errors import InvalidInput, NotAllowed
from ...domain.inventory.consumption import NOT_FROM_INVENTORY
from ...domain.inventory.locations import KIND_LABELS, LocationKind
from ...domain.text import lookup_text
from ...models import Case, DeviceLine, Product, StockLocation, StockMovement, StockTransfer, StockTransferLine, StockUnit, User
from ..access import visible_to
from ..auth import Actor
from ..db import reading
from .access import location_for, visible_locations

MAX_PAGE_SIZE = 200
WINDOWS = (30, 60, 90)


@dataclass(frozen=True)
class StockRow:
    id: int
    location_id: int
    location: str
    kind: LocationKind
    product_id: int
    ref: str
    description: str
    lot: str
    serial: str
    expiry: date | None
    quantity: int


@dataclass(frozen=True)
class StockPage:
    rows: list[StockRow]
    total: int
    page: int
    page_size: int


def _stock_query(session: Session, actor: Actor):
    return (select(StockUnit, StockLocation.name, StockLocation.kind, Product.ref, Product.description)
            .join(StockLocation, StockLocation.id == StockUnit.location_id)
            .join(Product, Product.id == StockUnit.product_id)
            .where(visible_locations(session, actor)))  # fmt: skip


def _row(unit, name, kind, ref, desc) -> StockRow:
    return StockRow(unit.id, unit.location_id, name, LocationKind(kind), unit.product_id, ref, desc, unit.lot,
                    unit.serial, unit.expiry, unit.quantity)  # fmt: skip


def stock(actor: Actor, location_id: object = None, ref: object = "", lot: object = "", serial: object = "",
          expires_before: date | None = None, page: int = 1, page_size: int = 50) -> StockPage:  # fmt: skip
    """Stock the actor covers, filtered (exact lot/serial, REF prefix), by REF, lot, serial."""
    page, page_size = max(1, int(page)), min(max(1, int(page_size)), MAX_PAGE_SIZE)
    with reading() as session:
        query = _stock_query(session, actor)
        if location_id is not None:
            query = query.where(StockUnit.location_id == location_for(session, actor, location_id).id)
        if ref_text := lookup_text(ref, 40):
            query = query.where(Product.ref.startswith(ref_text, autoescape=True))
        if lot_text := lookup_text(lot, 40):
            query = query.where(StockUnit.lot == lot_text)
        if serial_text := lookup_text(serial, 40):
            query = query.where(StockUnit.serial == serial_text)
        if expires_before is not None:
            query = query.where(StockUnit.expiry < expires_before)
        total = session.exec(select(sa.func.count()).select_from(query.subquery())).one()
        rows = session.exec(query.order_by(Product.ref, StockUnit.lot, StockUnit.serial, StockUnit.id)
                            .offset((page - 1) * page_size).limit(page_size)).all()  # fmt: skip
        return StockPage([_row(*r) for r in rows], total, page, page_size)


@dataclass(frozen=True)
class InTransitRow:
    transfer_id: int
    from_location: str
    to_location: str
    ref: str
    lot: str
    serial: str
    quantity: int
    sent_at: datetime


@dataclass(frozen=True)
class CaseLineRow:
    case_number: str
    surgery_date: date
    facility_id: int
    position: int
    ref: str
    lot: str
    serial: str
    quantity: int
    usage_status: str
    source: str  # the stock location, or "Not from inventory"
    case_status: str


@dataclass(frozen=True)
class WhereIs:
    in_stock: list[StockRow]
    in_transit: list[InTransitRow]
    case_lines: list[CaseLineRow]


def _in_transit(session: Session, actor: Actor, *where) -> list[InTransitRow]:
    source, target = sa.orm.aliased(StockLocation), sa.orm.aliased(StockLocation)
    query = (select(StockTransfer.id, source.name, target.name, Product.ref, StockTransferLine.lot, StockTransferLine.serial,
                    StockTransferLine.quantity, StockTransfer.created_at)
             .join(StockTransfer, StockTransfer.id == StockTransferLine.transfer_id)
             .join(source, source.id == StockTransfer.from_location_id).join(target, target.id == StockTransfer.to_location_id)
             .join(Product, Product.id == StockTransferLine.product_id)
             .where(StockTransfer.status == "in transit", *where).order_by(StockTransfer.id))  # fmt: skip
    if not actor.is_manager:
        mine = select(StockLocation.id).where(visible_locations(session, actor))
        query = query.where(sa.or_(StockTransfer.from_location_id.in_(mine), StockTransfer.to_location_id.in_(mine)))
    return [InTransitRow(*row) for row in session.exec(query).all()]


def _case_lines(session: Session, actor: Actor, *where) -> list[CaseLineRow]:
    query = (select(Case.number, Case.surgery_date, Case.facility_id, DeviceLine.position, Product.ref, DeviceLine.lot,
                    DeviceLine.serial, DeviceLine.quantity, DeviceLine.usage_status, StockLocation.name, Case.status)
             .join(Case, Case.id == DeviceLine.case_id).join(Product, Product.id == DeviceLine.product_id)
             .outerjoin(StockLocation, StockLocation.id == DeviceLine.stock_location_id)
             .where(visible_to(actor), *where).order_by(Case.surgery_date.desc(), Case.number, DeviceLine.position)
             .limit(1000))  # fmt: skip
    return [CaseLineRow(*row[:9], row[9] or NOT_FROM_INVENTORY, row[10]) for row in session.exec(query).all()]


def where_is_lot(actor: Actor, lot: object, product_id: object = None) -> WhereIs:
    """Every unit of lot X in stock (the locations the actor covers; all for a manager) or in
    transit, and every case line with it (the actor's cases; all for a manager)."""
    text = lookup_text(lot, 40)
    if not text:
        raise InvalidInput("lot", "Enter the lot number.")
    only = isinstance(product_id, int) and not isinstance(product_id, bool)
    with reading() as session:
        units = _stock_query(session, actor).where(StockUnit.lot == text)
        if only:
            units = units.where(StockUnit.product_id == product_id)
        in_stock = [_row(*r) for r in session.exec(units.order_by(StockLocation.name, Product.ref).limit(1000)).all()]
        transit = _in_transit(session, actor, StockTransferLine.lot == text,
                              *([StockTransferLine.product_id == product_id] if only else []))  # fmt: skip
        lines = _case_lines(session, actor, DeviceLine.lot == text, *([DeviceLine.product_id == product_id] if only else []))
        return WhereIs(in_stock, transit, lines)


def where_is_serial(actor: Actor, serial: object) -> WhereIs:
    text = lookup_text(serial, 40)
    if not text:
        raise InvalidInput("serial", "Enter the serial number.")
    with reading() as session:
        in_stock = [_row(*r) for r in session.exec(_stock_query(session, actor).where(StockUnit.serial == text)).all()]
        return WhereIs(in_stock, _in_transit(session, actor, StockTransferLine.serial == text),
                       _case_lines(session, actor, DeviceLine.serial == text))  # fmt: skip


@dataclass(frozen=True)
class MovementRow:
    id: int
    at: datetime
    from_location: str
    to_location: str
    quantity: int
    reason: str
    who: str
    case_number: str
    transfer_id: int | None
    note: str


def serial_history(actor: Actor, product_id: object, serial: object) -> list[MovementRow]:
    """A serial's whole life, oldest first (a manager's view: every location)."""
    if not actor.is_manager:
        raise NotAllowed("Only a manager sees a serial's whole history.")
    text = lookup_text(serial, 40)
    with reading() as session:
        return _movements(session, StockMovement.product_id == product_id, StockMovement.serial == text)


def location_movements(actor: Actor, location_id: object, limit: int = 100) -> list[MovementRow]:
    """The latest movements in or out of a covered location, newest first."""
    with reading() as session:
        location = location_for(session, actor, location_id)
        where = sa.or_(StockMovement.from_location_id == location.id, StockMovement.to_location_id == location.id)
        return list(reversed(_movements(session, where, newest=min(max(1, limit), 500))))


def _movements(session: Session, *where, newest: int | None = None) -> list[MovementRow]:
    source, target = sa.orm.aliased(StockLocation), sa.orm.aliased(StockLocation)
    query = (select(StockMovement, source.name, target.name, User.name, Case.number)
             .join(source, source.id == StockMovement.from_location_id).join(target, target.id == StockMovement.to_location_id)
             .outerjoin(User, User.id == StockMovement.user_id).outerjoin(Case, Case.id == StockMovement.case_id)
             .where(*where))  # fmt: skip
    query = query.order_by(StockMovement.id.desc()).limit(newest) if newest else query.order_by(StockMovement.id)
    rows = session.exec(query).all()
    found = [MovementRow(m.id, m.at, a, b, m.quantity, m.reason, who or "Closeout", number or "", m.transfer_id, m.note)
             for m, a, b, who, number in rows]  # fmt: skip
    return sorted(found, key=lambda r: r.id)


@dataclass(frozen=True)
class ExpiringSummary:
    location_id: int
    location: str
    kind_label: str
    expired: int  # units past expiry
    within: dict[int, int]  # days (30/60/90) → units expiring within


def expiring_summary(actor: Actor, today: date | None = None) -> list[ExpiringSummary]:
    """Per covered location: units already expired, and expiring within 30, 60 and 90 days."""
    today = today or clock.today()
    with reading() as session:
        columns = [sa.func.sum(sa.case((StockUnit.expiry < today, StockUnit.quantity), else_=0))]
        columns += [sa.func.sum(sa.case((sa.and_(StockUnit.expiry >= today, StockUnit.expiry < today + timedelta(days=d)),
                                         StockUnit.quantity), else_=0)) for d in WINDOWS]  # fmt: skip
        rows = session.exec(select(StockLocation.id, StockLocation.name, StockLocation.kind, *columns)
                            .join(StockUnit, StockUnit.location_id == StockLocation.id)
                            .where(visible_locations(session, actor), StockUnit.expiry < today + timedelta(days=WINDOWS[-1]))
                            .group_by(StockLocation.id, StockLocation.name, StockLocation.kind)
                            .order_by(StockLocation.name)).all()  # fmt: skip
        return [ExpiringSummary(loc, name, KIND_LABELS[LocationKind(kind)], int(expired or 0),
                                {d: int(n or 0) for d, n in zip(WINDOWS, counts, strict=True)})
                for loc, name, kind, expired, *counts in rows]  # fmt: skip


def expiring(actor: Actor, days: object = 30, location_id: object = None, today: date | None = None,
             limit: int = 500) -> list[StockRow]:  # fmt: skip
    """The units expiring within `days` (30, 60 or 90; expired ones included), soonest first."""
    if days not in WINDOWS:
        raise InvalidInput("days", "Choose 30, 60 or 90 days.")
    today = today or clock.today()
    with reading() as session:
        query = _stock_query(session, actor).where(StockUnit.expiry < today + timedelta(days=days))
        if location_id is not None:
            query = query.where(StockUnit.location_id == location_for(session, actor, location_id).id)
        rows = session.exec(query.order_by(StockUnit.expiry, StockLocation.name, Product.ref).limit(min(limit, 2000))).all()
        return [_row(*r) for r in rows]
