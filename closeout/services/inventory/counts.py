"""Cycle counts: a rep or manager counts one location (the stock table's quantities are the
expected ones, taken when the count starts), records what was found, and a manager posts the
differences with a reason as movements to or from the count-adjustment location. Posting
sets each counted unit to what was found: the adjustment is found minus the stock *now*, so
a case that took a unit while the count was open is not counted twice."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ...domain import clock
from ...domain.errors import InvalidInput, NotAllowed, NotFound
from ...domain.inventory.counts import CountLine, Difference, compare
from ...domain.inventory.ledger import Move, Reason, StockKey
from ...domain.inventory.locations import LocationKind
from ...domain.validation import parse_lot_or_serial
from ...models import Product, StockCount, StockCountLine, StockLocation, StockUnit
from .. import audit
from ..auth import Actor
from ..db import reading, transaction
from . import ledger
from .access import location_for, require_manager

MAX_FOUND = 99_999


@dataclass(frozen=True)
class CountSheetLine:
    product_id: int
    ref: str
    lot: str
    serial: str
    expected: int
    found: int
    difference: Difference | None


@dataclass(frozen=True)
class CountSheet:
    id: int
    location_id: int
    location: str
    status: str  # open | posted
    lines: list[CountSheetLine]


def start_count(actor: Actor, location_id: object) -> int:
    """Open a count of a covered location: its stock now is what is expected."""
    with transaction() as session:
        location = location_for(session, actor, location_id)
        if session.exec(select(StockCount.id).where(StockCount.location_id == location.id,
                                                    StockCount.status == "open")).first():  # fmt: skip
            raise NotAllowed("A count of this location is already open: finish or post it first.")
        count = StockCount(location_id=location.id, started_by_id=actor.id)
        session.add(count)
        session.flush()
        units = session.exec(select(StockUnit).where(StockUnit.location_id == location.id)).all()
        session.add_all(StockCountLine(count_id=count.id, product_id=u.product_id, lot=u.lot, serial=u.serial,
                                       expiry=u.expiry, expected=u.quantity) for u in units)  # fmt: skip
        audit.record(session, actor, case_id=None, action="count started", entity="stock_count", entity_id=count.id,
                     summary=f"Cycle count of {location.name} started ({len(units)} units expected)")  # fmt: skip
        return count.id


def _count(session: Session, actor: Actor, count_id: object, lock: bool = False) -> StockCount:
    query = select(StockCount).where(StockCount.id == count_id) if isinstance(count_id, int) else None
    count = session.exec(query.with_for_update() if lock else query).first() if query is not None else None
    if count is None:
        raise NotFound("That count was not found.")
    location_for(session, actor, count.location_id)
    return count


def record_found(actor: Actor, count_id: object, items: Iterable[object]) -> None:
    """What was found: (product_id, lot, serial, quantity) each, replacing what was recorded for
    that unit; a unit not expected is added as found."""
    with transaction() as session:
        count = _count(session, actor, count_id, lock=True)
        if count.status != "open":
            raise NotAllowed("This count is posted; start a new one.")
        lines = {StockKey(line.product_id, line.lot, line.serial): line for line in session.exec(
            select(StockCountLine).where(StockCountLine.count_id == count.id)).all()}  # fmt: skip
        recorded = {}
        for item in items:
            if isinstance(item, Mapping):
                item = (item.get("product_id"), item.get("lot", ""), item.get("serial", ""), item.get("quantity"))
            product_id, lot, serial, quantity = item
            if isinstance(product_id, bool) or not isinstance(product_id, int) or session.get(Product, product_id) is None:
                raise InvalidInput("product_id", "A product counted is not in the catalog.")
            text = str(quantity).strip()
            if isinstance(quantity, bool) or not text.isdigit() or int(text) > MAX_FOUND:
                raise InvalidInput("quantity", f"Found is a whole number from 0 to {MAX_FOUND:,}.")
            key = StockKey(product_id, parse_lot_or_serial(lot, "lot"), parse_lot_or_serial(serial, "serial"))
            if key.serial and int(text) > 1:
                raise InvalidInput("quantity", "A serialised device is one unit.")
            line = lines.get(key) or StockCountLine(count_id=count.id, product_id=key.product_id, lot=key.lot,
                                                    serial=key.serial, expected=0)  # fmt: skip
            line.found = int(text)
            lines[key] = line
            session.add(line)
            recorded[f"{key.product_id}/{key.lot}/{key.serial}"] = line.found
        audit.record(session, actor, case_id=None, action="count recorded", entity="stock_count", entity_id=count.id,
                     summary=f"Count #{count.id}: {len(recorded)} unit(s) recorded", after={"found": recorded})  # fmt: skip


def _compared(session: Session, count: StockCount) -> list[tuple[CountLine, StockCountLine]]:
    rows = {StockKey(line.product_id, line.lot, line.serial): line for line in session.exec(
        select(StockCountLine).where(StockCountLine.count_id == count.id)).all()}  # fmt: skip
    compared = compare({k: r.expected for k, r in rows.items()}, {k: r.found for k, r in rows.items() if r.found})
    return [(line, rows[line.key]) for line in compared]


def count_sheet(actor: Actor, count_id: object) -> CountSheet:
    """Expected against found, each line with its difference (missing, extra, wrong lot)."""
    with reading() as session:
        count = _count(session, actor, count_id)
        refs = dict(session.exec(select(Product.id, Product.ref).where(Product.id.in_(
            select(StockCountLine.product_id).where(StockCountLine.count_id == count.id)))).all())  # fmt: skip
        location = session.get(StockLocation, count.location_id)
        return CountSheet(count.id, location.id, location.name, count.status,
                          [CountSheetLine(c.key.product_id, refs[c.key.product_id], c.key.lot, c.key.serial, c.expected,
                                          c.found, c.difference) for c, _ in _compared(session, count)])  # fmt: skip


def post_count(actor: Actor, count_id: object, reason: object) -> int:
    """A manager posts the differences, with a reason; returns how many movements were made."""
    require_manager(actor, "post count adjustments")
    why = " ".join(str(reason or "").split())
    if len(why) < 3 or len(why) > 200 or not why.isprintable():
        raise InvalidInput("reason", "Say why the stock is adjusted (up to 200 characters).")
    with transaction() as session:
        count = _count(session, actor, count_id, lock=True)
        done = session.execute(sa.update(StockCount).where(StockCount.id == count.id, StockCount.status == "open")
                               .values(status="posted", posted_by_id=actor.id, posted_at=clock.now(), reason=why))  # fmt: skip
        if done.rowcount != 1:
            raise NotAllowed("This count is already posted.")
        adjustment, made, changes = ledger.virtual(session, LocationKind.COUNT_ADJUSTMENT), 0, []
        for line, row in _compared(session, count):
            now = ledger.on_hand(session, count.location_id, line.key)
            delta = line.found - now
            if not delta:
                continue
            source, target = (adjustment, count.location_id) if delta > 0 else (count.location_id, adjustment)
            ledger.move(session, actor, Move(line.key, abs(delta), source, target, row.expiry), Reason.COUNT, note=why)
            made += 1
            changes.append({"product_id": line.key.product_id, "lot": line.key.lot, "serial": line.key.serial,
                            "from": now, "to": line.found,
                            "difference": line.difference.value if line.difference else None})  # fmt: skip
        audit.record(session, actor, case_id=None, action="count posted", entity="stock_count", entity_id=count.id,
                     summary=f"Count #{count.id} posted: {made} adjustment(s) — {why}"[:300],
                     before={"status": "open"}, after={"status": "posted", "reason": why, "adjustments": changes})  # fmt: skip
        return made
