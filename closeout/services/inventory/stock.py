"""Stock coming in: a receipt from the supplier into a location, or labels scanned into it
(GS1 or HIBC, the case screen's parsers)."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from ...domain.barcodes import parse_scan
from ...domain.errors import InvalidInput
from ...domain.inventory.ledger import Move, Reason, StockKey
from ...domain.inventory.locations import LocationKind
from ...domain.validation import parse_lot_or_serial, parse_quantity
from ...models import Product, StockLocation
from .. import audit
from ..auth import Actor
from ..db import transaction
from ..scanning import _product as product_of_label
from . import ledger
from .access import location_for


@dataclass(frozen=True)
class Received:
    product_id: int
    ref: str
    lot: str
    serial: str
    expiry: date | None
    quantity: int
    location: str


def _product(session: Session, product_id: object) -> Product:
    product = session.get(Product, product_id) if isinstance(product_id, int) and not isinstance(product_id, bool) else None
    if product is None:
        raise InvalidInput("product_id", "That product is not in the catalog.")
    return product


def receive_in(session: Session, actor: Actor, location: StockLocation, product: Product, lot: str, serial: str,
               expiry: date | None, quantity: int, reason: Reason = Reason.RECEIPT) -> Received:  # fmt: skip
    """In the caller's transaction: supplier → location, audited."""
    key = StockKey(product.id, lot, serial)
    moved = ledger.move(session, actor, Move(key, quantity, ledger.virtual(session, LocationKind.SUPPLIER), location.id,
                                             expiry), reason)  # fmt: skip
    audit.record(session, actor, case_id=None, action="stock received", entity="stock_movement", entity_id=moved.id,
                 summary=f"{quantity} × {product.ref}{f' lot {lot}' if lot else ''}{f' serial {serial}' if serial else ''}"
                 f" received into {location.name}",
                 after={"location_id": location.id, "product_id": product.id, "lot": lot, "serial": serial,
                        "expiry": expiry.isoformat() if expiry else None, "quantity": quantity, "reason": reason.value})  # fmt: skip
    return Received(product.id, product.ref, lot, serial, expiry, quantity, location.name)


def receive(actor: Actor, location_id: object, product_id: object, quantity: object, lot: object = "",
            serial: object = "", expiry: date | None = None) -> Received:  # fmt: skip
    """Stock from the supplier into a location the actor covers."""
    quantity = parse_quantity(quantity)
    lot, serial = parse_lot_or_serial(lot, "lot"), parse_lot_or_serial(serial, "serial")
    if expiry is not None and not isinstance(expiry, date):
        raise InvalidInput("expiry", "Enter the expiry date.")
    with transaction() as session:
        location = location_for(session, actor, location_id)
        return receive_in(session, actor, location, _product(session, product_id), lot, serial, expiry, quantity)


def scan_into(actor: Actor, location_id: object, raw: object) -> Received:
    """One label (GS1 or HIBC; a secondary HIBC after its primary is not supported here: scan
    a label carrying REF and lot/serial) scanned into a location: one unit received."""
    data = parse_scan(raw)
    if data.secondary_only:
        raise InvalidInput("scan", "Scan the label with the REF (the primary label) into the location.")
    with transaction() as session:
        location = location_for(session, actor, location_id)
        product = product_of_label(session, data)
        return receive_in(session, actor, location, product, data.lot or "", data.serial or "", data.expiry, data.quantity or 1,
                          Reason.OPENING)  # fmt: skip

