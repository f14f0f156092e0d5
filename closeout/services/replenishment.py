"""Replenishment requests: restock the single-use items a case consumed."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import true
from sqlmodel import select

from ..domain import clock
from ..domain.catalog import UsageStatus
from ..domain.errors import NotAllowed, NotFound
from ..domain.lifecycle import CaseAction, check
from ..domain.replenishment import (
    ReplenishmentStatus,
    UsedItem,
    items_to_restock,
    parse_items,
    parse_needed_by,
    parse_notes,
    parse_ship_to,
)  # fmt: skip
from ..models import Case, DeviceLine, Facility, Product, ReplenishmentItem, ReplenishmentRequest, User
from . import audit
from .access import case_for, visible_to
from .auth import Actor
from .db import reading, transaction


@dataclass(frozen=True)
class DraftItem:
    product_id: int
    ref: str
    description: str
    quantity: int


@dataclass(frozen=True)
class Draft:
    items: list[DraftItem]
    ship_to_options: list[tuple[str, str]]  # (label, address)
    needed_by: date


def draft(actor: Actor, case_number: str) -> Draft:
    """The form's starting point: single-use items consumed, the rep's and the facility's addresses."""
    with reading() as session:
        case = case_for(session, actor, case_number)
        check(case.status, CaseAction.REQUEST_REPLENISHMENT, actor.role)
        rows = session.exec(
            select(DeviceLine, Product).join(Product, Product.id == DeviceLine.product_id)
            .where(DeviceLine.case_id == case.id)
        ).all()  # fmt: skip
        products = {product.id: product for _, product in rows}
        used = items_to_restock(
            UsedItem(line.product_id, product.single_use, UsageStatus(line.usage_status), line.quantity)
            for line, product in rows
        )  # fmt: skip
        items = [DraftItem(pid, products[pid].ref, products[pid].description, qty) for pid, qty in used.items()]
        rep = session.get(User, case.rep_id)
        facility = session.get(Facility, case.facility_id)
        options = [(f"{facility.name} (facility)", f"{facility.name}\n{facility.address}")]
        if rep.ship_to_address:
            options.insert(0, (f"{rep.name} (rep's default address)", rep.ship_to_address))
        return Draft(sorted(items, key=lambda item: item.ref), options, clock.today() + timedelta(days=3))


def request(
    actor: Actor, case_number: str, items: list[tuple[object, object]], ship_to: object, needed_by: object,
    notes: object = "",
) -> int:  # fmt: skip
    """Create a replenishment request (status Requested) linked to the case."""
    ship_to, notes = parse_ship_to(ship_to), parse_notes(notes)
    needed = parse_needed_by(needed_by, clock.today())
    with transaction() as session:
        case = case_for(session, actor, case_number)
        check(case.status, CaseAction.REQUEST_REPLENISHMENT, actor.role)
        known = set(session.exec(select(Product.id)).all())
        parsed = parse_items(items, known)
        req = ReplenishmentRequest(case_id=case.id, ship_to=ship_to, needed_by=needed, notes=notes,
                                   requested_by_id=actor.id)  # fmt: skip
        session.add(req)
        session.flush()
        session.add_all(ReplenishmentItem(request_id=req.id, product_id=p, quantity=q) for p, q in parsed.items())
        audit.record(
            session, actor, case_id=case.id, action="replenishment requested", entity="replenishment",
            entity_id=req.id, summary=f"Replenishment requested: {sum(parsed.values())} items, needed by {needed}",
            after={"items": {str(p): q for p, q in parsed.items()}, "ship_to": ship_to, "needed_by": str(needed)},
        )  # fmt: skip
        return req.id


@dataclass(frozen=True)
class RequestView:
    id: int
    case_number: str
    status: ReplenishmentStatus
    items: list[tuple[str, str, int]]  # (ref, description, quantity)
    ship_to: str
    needed_by: date
    notes: str
    requested_at: datetime
    requested_by: str
    fulfilled_at: datetime | None


def requests(actor: Actor, case_number: str | None = None) -> list[RequestView]:
    """Requests the actor may see (their cases'; every case's for a manager), newest first."""
    with reading() as session:
        query = (
            select(ReplenishmentRequest, Case.number, User.name)
            .join(Case, Case.id == ReplenishmentRequest.case_id)
            .join(User, User.id == ReplenishmentRequest.requested_by_id)
            .where(visible_to(actor), Case.number == case_number if case_number else true())
            .order_by(ReplenishmentRequest.requested_at.desc())
        )  # fmt: skip
        found = []
        for req, number, who in session.exec(query).all():
            items = session.exec(
                select(Product.ref, Product.description, ReplenishmentItem.quantity)
                .join(Product, Product.id == ReplenishmentItem.product_id)
                .where(ReplenishmentItem.request_id == req.id).order_by(Product.ref)
            ).all()  # fmt: skip
            found.append(RequestView(
                req.id, number, ReplenishmentStatus(req.status), [tuple(i) for i in items], req.ship_to,
                req.needed_by, req.notes, req.requested_at, who, req.fulfilled_at,
            ))  # fmt: skip
        return found


def mark_fulfilled(actor: Actor, request_id: object) -> None:
    """A manager marks the request Fulfilled."""
    if not actor.is_manager:
        raise NotAllowed("Only a manager can mark a replenishment request fulfilled.")
    with transaction() as session:
        req = session.get(ReplenishmentRequest, request_id) if isinstance(request_id, int) else None
        if req is None:
            raise NotFound("That replenishment request was not found.")
        if req.status == ReplenishmentStatus.FULFILLED:
            raise NotAllowed("That request is already fulfilled.")
        req.status, req.fulfilled_at, req.fulfilled_by_id = ReplenishmentStatus.FULFILLED.value, clock.now(), actor.id
        session.add(req)
        audit.record(
            session, actor, case_id=req.case_id, action="replenishment fulfilled", entity="replenishment",
            entity_id=req.id, summary=f"Replenishment request #{req.id} marked fulfilled",
            before={"status": "requested"}, after={"status": "fulfilled"},
        )  # fmt: skip
