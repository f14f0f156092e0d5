"""A case consumes stock. A device line may name its stock source (a consignment at the
case's facility, a loaner kit out for the case, or the rep's trunk); None is "not from
inventory" (bill-only). Submit for Billing takes every consuming line (Implanted, Used,
Wasted: domain/inventory/consumption.py) from its source in the submit's own transaction,
under the case lock: never below zero, a serial once (ledger.move). Reopen and a manager's
cancel of a submitted case put it back with reverse movements; cancelling an Open case
takes nothing, since nothing was taken. With inventory off (settings.inventory_on) Submit
takes nothing at all."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ... import settings
from ...domain.errors import InvalidInput, NotFound
from ...domain.inventory.consumption import NOT_FROM_INVENTORY, SOURCE_PREFERENCE, consumes
from ...domain.inventory.ledger import Move, Reason, StockKey
from ...domain.inventory.locations import KIND_LABELS, LocationKind
from ...models import Case, DeviceLine, LoanerKit, Product, StockLocation, StockMovement, StockUnit
from .. import audit
from ..access import case_for
from ..auth import Actor
from ..db import reading, transaction
from ..device_lines import _line_of, editable_case, finish
from . import ledger


@dataclass(frozen=True)
class SourceOption:
    location_id: int
    name: str
    kind: LocationKind
    kind_label: str
    on_hand: int  # of this line's product, lot and serial


def _case_locations(session: Session, case: Case):
    """The locations a case may take from: its facility's consignments, kits out for it, the rep's trunk."""
    kits = select(LoanerKit.location_id).where(LoanerKit.case_id == case.id)
    return sa.and_(StockLocation.active, sa.or_(
        sa.and_(StockLocation.kind == LocationKind.CONSIGNMENT.value, StockLocation.facility_id == case.facility_id),
        StockLocation.id.in_(kits),
        sa.and_(StockLocation.kind == LocationKind.TRUNK.value, StockLocation.rep_id == case.rep_id),
    ))  # fmt: skip


def _options(session: Session, case: Case, line: DeviceLine) -> list[SourceOption]:
    rank = {kind.value: i for i, kind in enumerate(SOURCE_PREFERENCE)}
    rows = session.exec(
        select(StockLocation, sa.func.coalesce(StockUnit.quantity, 0))
        .outerjoin(StockUnit, sa.and_(StockUnit.location_id == StockLocation.id, StockUnit.product_id == line.product_id,
                                      StockUnit.lot == line.lot, StockUnit.serial == line.serial))
        .where(_case_locations(session, case))
    ).all()  # fmt: skip
    options = [SourceOption(loc.id, loc.name, LocationKind(loc.kind), KIND_LABELS[LocationKind(loc.kind)], int(q))
               for loc, q in rows]  # fmt: skip
    return sorted(options, key=lambda o: (o.on_hand < line.quantity, rank[o.kind.value], o.name, o.location_id))


def sources(actor: Actor, case_number: str, line_id: object) -> list[SourceOption]:
    """Where this line's device could come from, the preferred first (holding enough, then
    consignment, kit, trunk); the screen adds "Not from inventory"."""
    with reading() as session:
        case = case_for(session, actor, case_number)
        return _options(session, case, _line_of(session, case, line_id))


def set_source(actor: Actor, case_number: str, line_id: object, location_id: object) -> str:
    """The rep chooses the line's stock source (None: not from inventory); returns its name.
    Only the case's own locations are accepted; stock is taken at Submit for Billing."""
    with transaction() as session:
        case = editable_case(session, actor, case_number)
        line = _line_of(session, case, line_id)
        before = line.stock_location_id
        if location_id is None:
            line.stock_location_id, name = None, NOT_FROM_INVENTORY
        else:
            found = None if isinstance(location_id, bool) or not isinstance(location_id, int) else session.exec(
                select(StockLocation).where(StockLocation.id == location_id, _case_locations(session, case))).first()  # fmt: skip
            if found is None:
                raise NotFound("That stock location is not one this case can take from.")
            line.stock_location_id, name = found.id, found.name
        if before == line.stock_location_id:
            return name
        session.add(line)
        finish(session, case, line.id)
        audit.record(session, actor, case_id=case.id, action="stock source chosen", entity="device_line",
                     entity_id=line.id, summary=f"Line {line.position}: from {name}",
                     before={"stock_location_id": before}, after={"stock_location_id": line.stock_location_id})  # fmt: skip
        return name


def match_sources(actor: Actor, case_number: str) -> int:
    """Give every consuming line without a source the preferred location holding it (after a
    scan or search); lines no location holds stay not from inventory. Returns how many were set."""
    with transaction() as session:
        case = editable_case(session, actor, case_number)
        lines = session.exec(select(DeviceLine).where(DeviceLine.case_id == case.id,
                                                      DeviceLine.stock_location_id.is_(None))).all()  # fmt: skip
        matched = 0
        for line in lines:
            if not consumes(line.usage_status):
                continue
            best = next(iter(_options(session, case, line)), None)
            if best is None or best.on_hand < line.quantity:
                continue
            line.stock_location_id = best.location_id
            session.add(line)
            matched += 1
            audit.record(session, actor, case_id=case.id, action="stock source chosen", entity="device_line",
                         entity_id=line.id, summary=f"Line {line.position}: from {best.name} (matched)",
                         before={"stock_location_id": None}, after={"stock_location_id": best.location_id})  # fmt: skip
        if matched:
            finish(session, case, None)
        return matched


def consume(session: Session, actor: Actor, case: Case) -> int:
    """In the submit's transaction, on the locked case: each consuming line with a source → the
    patient. Raises InvalidInput (the whole submit rolls back) when a source no longer holds it."""
    if not settings.inventory_on():
        return 0
    rows = session.exec(select(DeviceLine, Product.ref).join(Product, Product.id == DeviceLine.product_id)
                        .where(DeviceLine.case_id == case.id, DeviceLine.stock_location_id.is_not(None))
                        .order_by(DeviceLine.position)).all()  # fmt: skip
    patient, taken = ledger.virtual(session, LocationKind.PATIENT), []
    already = _consumed_lines(session, case)  # taken at a kit's check-in
    for line, ref in rows:
        if not consumes(line.usage_status) or line.id in already:
            continue
        key = StockKey(line.product_id, line.lot, line.serial)
        try:
            ledger.move(session, actor, Move(key, line.quantity, line.stock_location_id, patient), Reason.CONSUME,
                        case_id=case.id, device_line_id=line.id)  # fmt: skip
        except InvalidInput as short:
            raise InvalidInput("stock", f"Line {line.position}: {short.message} Choose another source for it, "
                               "or mark it not from inventory.") from None  # fmt: skip
        taken.append({"line": line.position, "ref": ref, "lot": line.lot, "serial": line.serial,
                      "quantity": line.quantity, "from": line.stock_location_id})  # fmt: skip
    if taken:
        audit.record(session, actor, case_id=case.id, action="stock consumed", entity="case", entity_id=case.id,
                     summary=f"{sum(t['quantity'] for t in taken)} item(s) taken from stock for the case",
                     after={"consumed": taken})  # fmt: skip
    return len(taken)


def _consumed_lines(session: Session, case: Case) -> set[int]:
    """The case's lines taken from stock and not put back."""
    reversal = sa.orm.aliased(StockMovement)
    return set(session.exec(select(StockMovement.device_line_id).where(
        StockMovement.case_id == case.id, StockMovement.reason == Reason.CONSUME.value,
        ~sa.exists().where(reversal.reverses_id == StockMovement.id))).all())  # fmt: skip


def give_back(session: Session, actor: Actor, case: Case, why: str) -> int:
    """Reverse every consumption of the case not yet reversed: patient → where it came from."""
    reversal = sa.orm.aliased(StockMovement)
    open_moves = session.exec(
        select(StockMovement).where(StockMovement.case_id == case.id, StockMovement.reason == Reason.CONSUME.value,
                                    ~sa.exists().where(reversal.reverses_id == StockMovement.id))
        .order_by(StockMovement.id)
    ).all()  # fmt: skip
    for moved in open_moves:
        ledger.move(session, actor, Move(StockKey(moved.product_id, moved.lot, moved.serial), moved.quantity,
                                         moved.to_location_id, moved.from_location_id, moved.expiry),
                    Reason.UNCONSUME, case_id=case.id, device_line_id=moved.device_line_id, reverses_id=moved.id,
                    note=why)  # fmt: skip
    if open_moves:
        audit.record(session, actor, case_id=case.id, action="stock returned", entity="case", entity_id=case.id,
                     summary=f"{sum(m.quantity for m in open_moves)} item(s) put back in stock: {why}"[:300],
                     after={"returned": [m.id for m in open_moves]})  # fmt: skip
    return len(open_moves)


@dataclass(frozen=True)
class LineSource:
    line_id: int
    location_id: int | None
    name: str  # NOT_FROM_INVENTORY when none
    consumed: bool  # taken from stock (a submitted case)


def line_sources(actor: Actor, case_number: str) -> dict[int, LineSource]:
    """Every line's source as Devices Used shows it."""
    with reading() as session:
        case = case_for(session, actor, case_number)
        rows = session.exec(select(DeviceLine.id, DeviceLine.stock_location_id, StockLocation.name)
                            .outerjoin(StockLocation, StockLocation.id == DeviceLine.stock_location_id)
                            .where(DeviceLine.case_id == case.id)).all()  # fmt: skip
        consumed = _consumed_lines(session, case)
        return {lid: LineSource(lid, loc, name or NOT_FROM_INVENTORY, lid in consumed) for lid, loc, name in rows}
