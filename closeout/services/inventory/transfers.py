"""Transfers: stock sent from a location the sender covers (warehouse → consignment, rep →
rep, trunk → consignment) to any location. Meanwhile it is in transit and shows nowhere else;
the receiving rep (or a manager) accepts or declines it, partly, with a reason. Declined
stock goes back where it came from."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, select

from ...domain import clock
from ...domain.errors import InvalidInput, NotAllowed, NotFound
from ...domain.inventory.ledger import Move, Reason, StockKey
from ...domain.inventory.locations import LocationKind
from ...domain.validation import parse_lot_or_serial, parse_quantity
from ...models import Product, StockLocation, StockTransfer, StockTransferLine
from .. import audit
from ..auth import Actor
from ..db import reading, transaction
from . import ledger, receipts
from .access import any_location, location_for, visible_locations

MAX_LINES = 500
MAX_REASON = 200


class TransferStatus(StrEnum):
    IN_TRANSIT = "in transit"
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly accepted"
    DECLINED = "declined"


@dataclass(frozen=True)
class TransferLineView:
    id: int
    product_id: int
    ref: str
    description: str
    lot: str
    serial: str
    expiry: date | None
    quantity: int
    accepted: int | None
    decline_reason: str


@dataclass(frozen=True)
class TransferView:
    id: int
    status: TransferStatus
    from_location_id: int
    from_location: str
    to_location_id: int
    to_location: str
    note: str
    created_at: datetime
    decided_at: datetime | None
    lines: list[TransferLineView]
    may_decide: bool  # the actor covers the receiving location (or is a manager) and it is in transit


def _parse_lines(raw: Iterable[object]) -> list[tuple[int, str, str, int]]:
    """[(product_id, lot, serial, quantity)] as a screen sends them (dicts or tuples)."""
    parsed = []
    for item in list(raw)[: MAX_LINES + 1]:
        if isinstance(item, Mapping):
            item = (item.get("product_id"), item.get("lot", ""), item.get("serial", ""), item.get("quantity", 1))
        if not isinstance(item, (tuple, list)) or len(item) != 4:
            raise InvalidInput("lines", "A transfer line names a product, its lot, serial and quantity.")
        product_id, lot, serial, quantity = item
        if isinstance(product_id, bool) or not isinstance(product_id, int):
            raise InvalidInput("lines", "A product in the transfer is not in the catalog.")
        parsed.append((product_id, parse_lot_or_serial(lot, "lot"), parse_lot_or_serial(serial, "serial"),
                       parse_quantity(quantity)))  # fmt: skip
    if not parsed:
        raise InvalidInput("lines", "Add at least one item to send.")
    if len(parsed) > MAX_LINES:
        raise InvalidInput("lines", f"A transfer has at most {MAX_LINES} lines.")
    return parsed


def send_in(session: Session, actor: Actor, source: StockLocation, target: StockLocation,
            lines: list[tuple[int, str, str, int]], note: str = "") -> StockTransfer:  # fmt: skip
    """In the caller's transaction: the transfer, its lines, and each line's movement into transit."""
    if source.id == target.id:
        raise InvalidInput("to_location_id", "Choose another location to send to.")
    transfer = StockTransfer(from_location_id=source.id, to_location_id=target.id, note=note, created_by_id=actor.id)
    session.add(transfer)
    session.flush()
    transit = ledger.virtual(session, LocationKind.IN_TRANSIT)
    for product_id, lot, serial, quantity in lines:
        moved = ledger.move(session, actor, Move(StockKey(product_id, lot, serial), quantity, source.id, transit),
                            Reason.SHIP, transfer_id=transfer.id)  # fmt: skip
        session.add(StockTransferLine(transfer_id=transfer.id, product_id=product_id, lot=lot, serial=serial,
                                      expiry=moved.expiry, quantity=quantity))  # fmt: skip
    audit.record(session, actor, case_id=None, action="transfer sent", entity="stock_transfer", entity_id=transfer.id,
                 summary=f"Transfer #{transfer.id}: {sum(q for *_, q in lines)} items from {source.name} to {target.name}",
                 after={"from": source.id, "to": target.id, "lines": [list(line) for line in lines]})  # fmt: skip
    return transfer


def send(actor: Actor, from_location_id: object, to_location_id: object, lines: Iterable[object],
         note: object = "") -> int:  # fmt: skip
    """Send stock from a location the actor covers; returns the transfer's id."""
    parsed, note = _parse_lines(lines), " ".join(str(note or "").split())[:300]
    with transaction() as session:
        source = location_for(session, actor, from_location_id)
        target = any_location(session, to_location_id)
        return send_in(session, actor, source, target, parsed, note).id


def _transfer_to_decide(session: Session, actor: Actor, transfer_id: object) -> StockTransfer:
    transfer = session.get(StockTransfer, transfer_id) if isinstance(transfer_id, int) else None
    if transfer is None:
        raise NotFound("That transfer was not found.")
    try:
        location_for(session, actor, transfer.to_location_id)
    except NotFound:
        location_for(session, actor, transfer.from_location_id)  # the sender may see it, not decide it
        raise NotAllowed("The receiving rep or a manager accepts or declines this transfer.") from None
    return transfer


def decide(actor: Actor, transfer_id: object, accepted: Mapping[int, object] | None = None,
           reasons: Mapping[int, object] | None = None) -> TransferStatus:  # fmt: skip
    """Accept (all, or `accepted`: line id → quantity kept) and decline the rest, each declined
    line with a reason. One decision per transfer: a second screen is told it was decided."""
    accepted, reasons = dict(accepted or {}), dict(reasons or {})
    with transaction() as session:
        transfer = _transfer_to_decide(session, actor, transfer_id)
        done = session.execute(sa.update(StockTransfer).where(StockTransfer.id == transfer.id,
                               StockTransfer.status == TransferStatus.IN_TRANSIT.value)
                               .values(decided_by_id=actor.id, decided_at=clock.now()))  # fmt: skip
        if done.rowcount != 1:
            raise NotAllowed("This transfer was already accepted or declined.")
        lines = session.exec(select(StockTransferLine).where(StockTransferLine.transfer_id == transfer.id)
                             .order_by(StockTransferLine.id)).all()  # fmt: skip
        unknown = set(accepted) - {line.id for line in lines}
        if unknown:
            raise InvalidInput("accepted", "A line in the answer is not on this transfer.")
        transit = ledger.virtual(session, LocationKind.IN_TRANSIT)
        kept_total = declined_total = 0
        for line in lines:
            kept = _kept(accepted.get(line.id, line.quantity), line.quantity)
            key = StockKey(line.product_id, line.lot, line.serial)
            if kept:
                ledger.move(session, actor, Move(key, kept, transit, transfer.to_location_id), Reason.ACCEPT,
                            transfer_id=transfer.id)  # fmt: skip
            if kept < line.quantity:
                line.decline_reason = _decline_reason(reasons.get(line.id))
                ledger.move(session, actor, Move(key, line.quantity - kept, transit, transfer.from_location_id),
                            Reason.DECLINE, transfer_id=transfer.id, note=line.decline_reason)  # fmt: skip
            line.accepted = kept
            session.add(line)
            kept_total, declined_total = kept_total + kept, declined_total + line.quantity - kept
        status = (TransferStatus.ACCEPTED if not declined_total else TransferStatus.DECLINED if not kept_total
                  else TransferStatus.PARTLY_ACCEPTED)  # fmt: skip
        transfer.status = status.value
        session.add(transfer)
        audit.record(session, actor, case_id=None, action=f"transfer {status.value}", entity="stock_transfer",
                     entity_id=transfer.id,
                     summary=f"Transfer #{transfer.id} {status.value}: {kept_total} accepted, {declined_total} declined",
                     before={"status": TransferStatus.IN_TRANSIT.value},
                     after={"status": status.value, "accepted": {str(line.id): line.accepted for line in lines},
                            "reasons": {str(line.id): line.decline_reason for line in lines if line.decline_reason}})  # fmt: skip
        receipts.received_in(session, actor, transfer)  # a replenishment order's transfer receives it
        return status


def _kept(raw: object, quantity: int) -> int:
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or int(text) > quantity:
        raise InvalidInput("accepted", f"Accept a whole number from 0 to {quantity}.")
    return int(text)


def _decline_reason(raw: object) -> str:
    text = " ".join(str(raw or "").split())
    if len(text) < 3:
        raise InvalidInput("reason", "Say why items are declined.")
    if len(text) > MAX_REASON or not text.isprintable():
        raise InvalidInput("reason", f"The reason is at most {MAX_REASON} printable characters.")
    return text


def transfers(actor: Actor, direction: str = "incoming", status: object = TransferStatus.IN_TRANSIT.value,
              limit: int = 100) -> list[TransferView]:  # fmt: skip
    """Transfers into (incoming) or out of (outgoing) the locations the actor covers, newest
    first; status None for every status."""
    with reading() as session:
        mine = select(StockLocation.id).where(visible_locations(session, actor))
        column = StockTransfer.to_location_id if direction == "incoming" else StockTransfer.from_location_id
        query = select(StockTransfer).where(column.in_(mine)).order_by(StockTransfer.id.desc()).limit(min(limit, 500))
        if status:
            query = query.where(StockTransfer.status == str(status))
        found = session.exec(query).all()
        return [_view(session, actor, t) for t in found]


def transfer(actor: Actor, transfer_id: object) -> TransferView:
    """One transfer the actor may see (they cover either end)."""
    with reading() as session:
        found = session.get(StockTransfer, transfer_id) if isinstance(transfer_id, int) else None
        if found is None:
            raise NotFound("That transfer was not found.")
        try:
            location_for(session, actor, found.to_location_id)
        except NotFound:
            location_for(session, actor, found.from_location_id)
        return _view(session, actor, found)


def _view(session: Session, actor: Actor, t: StockTransfer) -> TransferView:
    names = dict(session.exec(select(StockLocation.id, StockLocation.name).where(
        StockLocation.id.in_([t.from_location_id, t.to_location_id]))).all())  # fmt: skip
    rows = session.exec(select(StockTransferLine, Product.ref, Product.description)
                        .join(Product, Product.id == StockTransferLine.product_id)
                        .where(StockTransferLine.transfer_id == t.id).order_by(StockTransferLine.id)).all()  # fmt: skip
    covered = session.exec(select(StockLocation.id).where(StockLocation.id == t.to_location_id,
                                                          visible_locations(session, actor))).first() is not None  # fmt: skip
    return TransferView(t.id, TransferStatus(t.status), t.from_location_id, names[t.from_location_id], t.to_location_id,
                        names[t.to_location_id], t.note, t.created_at, t.decided_at,
                        [TransferLineView(line.id, line.product_id, ref, desc, line.lot, line.serial, line.expiry,
                                          line.quantity, line.accepted, line.decline_reason) for line, ref, desc in rows],
                        covered and t.status == TransferStatus.IN_TRANSIT.value)  # fmt: skip
