"""Replenishment that refills. Par levels (min/max per location and REF); a case submitted
with Request Replenishment turns what it took from consignment or a trunk into draft orders
(one per location, editable); a manager picks an order at a warehouse (a pick list, earliest
expiry first) and ships it as a transfer; accepting that transfer receives the order, and once
every order of the case is received, the case's replenishment requests are fulfilled.
`below_par` suggests an order for every location under its min. The replenishment requests of
services/replenishment.py stay as they are."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from ...domain import clock
from ...domain.errors import InvalidInput, NotAllowed, NotFound
from ...domain.inventory.ledger import Reason
from ...domain.inventory.locations import LocationKind
from ...domain.inventory.par import parse_par, refill
from ...domain.validation import parse_quantity
from ...models import (
    Case,
    DeviceLine,
    ParLevel,
    Product,
    ReplenishmentOrder,
    ReplenishmentOrderLine,
    StockLocation,
    StockMovement,
    StockTransfer,
    StockTransferLine,
    StockUnit,
)  # fmt: skip
from .. import audit
from ..auth import Actor
from ..db import reading, transaction
from .access import location_for, require_manager, visible_locations
from .receipts import OrderStatus
from .transfers import _parse_lines, send_in

REFILLED = (LocationKind.CONSIGNMENT.value, LocationKind.TRUNK.value)


@dataclass(frozen=True)
class ParView:
    location_id: int
    product_id: int
    ref: str
    min_quantity: int
    max_quantity: int


@dataclass(frozen=True)
class Suggestion:
    location_id: int
    location: str
    product_id: int
    ref: str
    description: str
    on_hand: int
    incoming: int  # in transit to the location
    min_quantity: int
    max_quantity: int
    order_quantity: int


@dataclass(frozen=True)
class OrderView:
    id: int
    status: OrderStatus
    location_id: int
    location: str
    case_number: str
    lines: list[tuple[int, str, str, int]]  # (product_id, ref, description, quantity)
    transfer_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class Pick:
    product_id: int
    ref: str
    lot: str
    serial: str
    expiry: date | None
    available: int
    take: int  # suggested, earliest expiry first


def set_par(actor: Actor, location_id: object, product_id: object, min_quantity: object, max_quantity: object) -> None:
    """A manager sets (or changes) a REF's min/max at a location."""
    require_manager(actor, "set par levels")
    low, high = parse_par(min_quantity, max_quantity)
    with transaction() as session:
        location = location_for(session, actor, location_id)
        if not isinstance(product_id, int) or session.get(Product, product_id) is None:
            raise InvalidInput("product_id", "That product is not in the catalog.")
        par = session.exec(select(ParLevel).where(ParLevel.location_id == location.id,
                                                  ParLevel.product_id == product_id)).first()  # fmt: skip
        before = {"min": par.min_quantity, "max": par.max_quantity} if par else None
        par = par or ParLevel(location_id=location.id, product_id=product_id)
        par.min_quantity, par.max_quantity = low, high
        session.add(par)
        session.flush()
        audit.record(session, actor, case_id=None, action="par level set", entity="par_level", entity_id=par.id,
                     summary=f"Par level at {location.name}: min {low}, max {high}", before=before,
                     after={"location_id": location.id, "product_id": product_id, "min": low, "max": high})  # fmt: skip


def par_levels(actor: Actor, location_id: object) -> list[ParView]:
    with reading() as session:
        location = location_for(session, actor, location_id)
        rows = session.exec(select(ParLevel, Product.ref).join(Product, Product.id == ParLevel.product_id)
                            .where(ParLevel.location_id == location.id).order_by(Product.ref)).all()  # fmt: skip
        return [ParView(location.id, p.product_id, ref, p.min_quantity, p.max_quantity) for p, ref in rows]


def below_par(actor: Actor, location_id: object = None) -> list[Suggestion]:
    """Every covered location's REFs under their min, with what to order to reach the max
    (counting what is already on its way there)."""
    with reading() as session:
        if location_id is not None:
            location_for(session, actor, location_id)
        held = (select(StockUnit.location_id, StockUnit.product_id, sa.func.sum(StockUnit.quantity).label("q"))
                .group_by(StockUnit.location_id, StockUnit.product_id).subquery())  # fmt: skip
        coming = (select(StockTransfer.to_location_id.label("location_id"), StockTransferLine.product_id,
                         sa.func.sum(StockTransferLine.quantity).label("q"))
                  .join(StockTransferLine, StockTransferLine.transfer_id == StockTransfer.id)
                  .where(StockTransfer.status == "in transit")
                  .group_by(StockTransfer.to_location_id, StockTransferLine.product_id).subquery())  # fmt: skip
        query = (
            select(ParLevel, StockLocation.name, Product.ref, Product.description,
                   sa.func.coalesce(held.c.q, 0), sa.func.coalesce(coming.c.q, 0))
            .join(StockLocation, StockLocation.id == ParLevel.location_id)
            .join(Product, Product.id == ParLevel.product_id)
            .outerjoin(held, sa.and_(held.c.location_id == ParLevel.location_id, held.c.product_id == ParLevel.product_id))
            .outerjoin(coming, sa.and_(coming.c.location_id == ParLevel.location_id,
                                       coming.c.product_id == ParLevel.product_id))
            .where(visible_locations(session, actor))
            .order_by(StockLocation.name, Product.ref)
        )  # fmt: skip
        if location_id is not None:
            query = query.where(ParLevel.location_id == location_id)
        found = []
        for par, name, ref, desc, on_hand, incoming in session.exec(query).all():
            order = refill(int(on_hand) + int(incoming), par.min_quantity, par.max_quantity)
            if order:
                found.append(Suggestion(par.location_id, name, par.product_id, ref, desc, int(on_hand), int(incoming),
                                        par.min_quantity, par.max_quantity, order))  # fmt: skip
        return found


def _new_order(session: Session, actor: Actor, location_id: int, lines: Mapping[int, int], case_id: int | None = None,
               why: str = "") -> ReplenishmentOrder:  # fmt: skip
    order = ReplenishmentOrder(location_id=location_id, case_id=case_id, created_by_id=actor.id)
    session.add(order)
    session.flush()
    session.add_all(ReplenishmentOrderLine(order_id=order.id, product_id=p, quantity=q) for p, q in sorted(lines.items()))
    audit.record(session, actor, case_id=case_id, action="replenishment order drafted", entity="replenishment_order",
                 entity_id=order.id, summary=f"Replenishment order #{order.id}: {sum(lines.values())} items{why}",
                 after={"location_id": location_id, "lines": {str(p): q for p, q in lines.items()}})  # fmt: skip
    return order


def draft_for_case(session: Session, actor: Actor, case: Case) -> list[int]:
    """At Submit for Billing with Request Replenishment: what the case took from consignment or
    a trunk, one draft order per location."""
    rows = session.exec(
        select(StockMovement.from_location_id, StockMovement.product_id, sa.func.sum(StockMovement.quantity))
        .join(StockLocation, StockLocation.id == StockMovement.from_location_id)
        .join(DeviceLine, DeviceLine.id == StockMovement.device_line_id)
        .where(StockMovement.case_id == case.id, StockMovement.reason == Reason.CONSUME.value,
               StockLocation.kind.in_(REFILLED))
        .group_by(StockMovement.from_location_id, StockMovement.product_id)
    ).all()  # fmt: skip
    by_location: dict[int, dict[int, int]] = {}
    for location_id, product_id, quantity in rows:
        by_location.setdefault(location_id, {})[product_id] = int(quantity)
    return [_new_order(session, actor, loc, lines, case.id, f" to refill what {case.number} used").id
            for loc, lines in sorted(by_location.items())]  # fmt: skip


def cancel_for_case(session: Session, actor: Actor, case: Case, why: str) -> None:
    """Reopen or cancel: the case's orders not yet picked are cancelled (a resubmit drafts anew)."""
    for order in session.exec(select(ReplenishmentOrder).where(ReplenishmentOrder.case_id == case.id,
                                                               ReplenishmentOrder.status == OrderStatus.DRAFT.value)).all():  # fmt: skip
        order.status, order.updated_at = OrderStatus.CANCELLED.value, clock.now()
        session.add(order)
        audit.record(session, actor, case_id=case.id, action="replenishment order cancelled",
                     entity="replenishment_order", entity_id=order.id, summary=f"Replenishment order #{order.id} "
                     f"cancelled: {why}"[:300], before={"status": "draft"}, after={"status": "cancelled"})  # fmt: skip


def _lines(raw: Iterable[object], session: Session) -> dict[int, int]:
    lines: dict[int, int] = {}
    for item in raw:
        product_id, quantity = (item.get("product_id"), item.get("quantity")) if isinstance(item, Mapping) else item
        if isinstance(product_id, bool) or not isinstance(product_id, int) or session.get(Product, product_id) is None:
            raise InvalidInput("lines", "A product in the order is not in the catalog.")
        lines[product_id] = lines.get(product_id, 0) + parse_quantity(quantity)
    if not lines:
        raise InvalidInput("lines", "An order has at least one item.")
    return lines


def draft_order(actor: Actor, location_id: object, lines: Iterable[object]) -> int:
    """An order to refill a covered location (by hand, or from a below-par suggestion)."""
    with transaction() as session:
        location = location_for(session, actor, location_id)
        return _new_order(session, actor, location.id, _lines(lines, session)).id


def _order(session: Session, actor: Actor, order_id: object) -> ReplenishmentOrder:
    order = session.get(ReplenishmentOrder, order_id) if isinstance(order_id, int) else None
    if order is None:
        raise NotFound("That replenishment order was not found.")
    location_for(session, actor, order.location_id)  # NotFound unless covered
    return order


def edit_order(actor: Actor, order_id: object, lines: Iterable[object]) -> None:
    """Replace a draft order's lines (a quantity of 0 is left out by the screen)."""
    with transaction() as session:
        order = _order(session, actor, order_id)
        if order.status != OrderStatus.DRAFT.value:
            raise NotAllowed("This order is already being picked; it can no longer be changed.")
        new = _lines(lines, session)
        old = {line.product_id: line.quantity for line in session.exec(
            select(ReplenishmentOrderLine).where(ReplenishmentOrderLine.order_id == order.id)).all()}  # fmt: skip
        session.execute(sa.delete(ReplenishmentOrderLine).where(ReplenishmentOrderLine.order_id == order.id))
        session.add_all(ReplenishmentOrderLine(order_id=order.id, product_id=p, quantity=q) for p, q in sorted(new.items()))
        order.updated_at = clock.now()
        session.add(order)
        audit.record(session, actor, case_id=order.case_id, action="replenishment order changed",
                     entity="replenishment_order", entity_id=order.id, summary=f"Replenishment order #{order.id} changed",
                     before={str(p): q for p, q in old.items()}, after={str(p): q for p, q in new.items()})  # fmt: skip


def pick_list(actor: Actor, order_id: object, warehouse_id: object) -> list[Pick]:
    """A manager starts picking at a warehouse: the units there, earliest expiry first, with
    how many of each to take."""
    require_manager(actor, "pick replenishment orders")
    with transaction() as session:
        order = _order(session, actor, order_id)
        warehouse = location_for(session, actor, warehouse_id)
        if warehouse.kind != LocationKind.WAREHOUSE.value:
            raise InvalidInput("warehouse_id", "Pick at a warehouse.")
        if order.status not in (OrderStatus.DRAFT.value, OrderStatus.PICKING.value):
            raise NotAllowed("This order has already been shipped.")
        if order.status == OrderStatus.DRAFT.value:
            order.status, order.from_location_id, order.updated_at = OrderStatus.PICKING.value, warehouse.id, clock.now()
            session.add(order)
            audit.record(session, actor, case_id=order.case_id, action="replenishment order picking",
                         entity="replenishment_order", entity_id=order.id,
                         summary=f"Replenishment order #{order.id}: picking at {warehouse.name}",
                         before={"status": "draft"}, after={"status": "picking", "warehouse": warehouse.id})  # fmt: skip
        picks = []
        for line, ref in session.exec(select(ReplenishmentOrderLine, Product.ref)
                                      .join(Product, Product.id == ReplenishmentOrderLine.product_id)
                                      .where(ReplenishmentOrderLine.order_id == order.id).order_by(Product.ref)).all():  # fmt: skip
            wanted = line.quantity
            units = session.exec(select(StockUnit).where(StockUnit.location_id == warehouse.id,
                                                         StockUnit.product_id == line.product_id)
                                 .order_by(StockUnit.expiry.is_(None), StockUnit.expiry, StockUnit.id)).all()  # fmt: skip
            for unit in units:
                take = min(wanted, unit.quantity)
                picks.append(Pick(line.product_id, ref, unit.lot, unit.serial, unit.expiry, unit.quantity, take))
                wanted -= take
        return picks


def ship_order(actor: Actor, order_id: object, picked: Iterable[object]) -> int:
    """A manager ships what was picked ((product, lot, serial, quantity)) as a transfer from the
    warehouse to the location; returns the transfer's id."""
    require_manager(actor, "ship replenishment orders")
    lines = _parse_lines(picked)
    with transaction() as session:
        order = _order(session, actor, order_id)
        done = session.execute(sa.update(ReplenishmentOrder).where(ReplenishmentOrder.id == order.id,
                               ReplenishmentOrder.status == OrderStatus.PICKING.value)
                               .values(status=OrderStatus.SHIPPED.value, updated_at=clock.now()))  # fmt: skip
        if done.rowcount != 1:
            raise NotAllowed("Start the pick list before shipping (or it has already been shipped).")
        source, target = session.get(StockLocation, order.from_location_id), session.get(StockLocation, order.location_id)
        transfer = send_in(session, actor, source, target, lines, f"Replenishment order #{order.id}")
        session.execute(sa.update(ReplenishmentOrder).where(ReplenishmentOrder.id == order.id).values(transfer_id=transfer.id))
        audit.record(session, actor, case_id=order.case_id, action="replenishment order shipped",
                     entity="replenishment_order", entity_id=order.id,
                     summary=f"Replenishment order #{order.id} shipped as transfer #{transfer.id}",
                     before={"status": "picking"}, after={"status": "shipped", "transfer_id": transfer.id})  # fmt: skip
        return transfer.id


def orders(actor: Actor, status: object = None, limit: int = 200) -> list[OrderView]:
    """Orders for the locations the actor covers (every one for a manager), newest first."""
    with reading() as session:
        query = (select(ReplenishmentOrder, StockLocation.name, Case.number)
                 .join(StockLocation, StockLocation.id == ReplenishmentOrder.location_id)
                 .outerjoin(Case, Case.id == ReplenishmentOrder.case_id)
                 .where(visible_locations(session, actor)).order_by(ReplenishmentOrder.id.desc()).limit(min(limit, 500)))  # fmt: skip
        if status:
            query = query.where(ReplenishmentOrder.status == str(status))
        found = []
        for order, name, number in session.exec(query).all():
            lines = session.exec(select(ReplenishmentOrderLine.product_id, Product.ref, Product.description,
                                        ReplenishmentOrderLine.quantity)
                                 .join(Product, Product.id == ReplenishmentOrderLine.product_id)
                                 .where(ReplenishmentOrderLine.order_id == order.id).order_by(Product.ref)).all()  # fmt: skip
            found.append(OrderView(order.id, OrderStatus(order.status), order.location_id, name, number or "",
                                   [tuple(line) for line in lines], order.transfer_id, order.created_at))  # fmt: skip
        return found


