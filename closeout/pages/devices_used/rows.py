"""What the Devices Used tab shows, as plain rows: a service's line, product hit or totals
mapped to strings ready for the UI. No Reflex state here, no database."""

from dataclasses import dataclass, field

from ...domain.catalog import PriceSource, UsageStatus
from ...domain.money import format_usd
from ...domain.udi import udi_of
from ...domain.validation import FIELD_LABELS
from ...services.catalog import ProductHit
from ...services.device_lines import LineView

USAGE_OPTIONS = [s.value for s in UsageStatus]
PRICE_LABELS = {
    PriceSource.CONTRACT: "Contract price",
    PriceSource.LIST: "List price",
    PriceSource.EDITED: "Price edited",
}
FIELDS = tuple(FIELD_LABELS)  # the fields of a line the rep edits, each with its own message


@dataclass
class LineRow:
    id: int = 0
    position: int = 0
    ref: str = ""
    description: str = ""
    manufacturer: str = ""
    lot: str = ""
    serial: str = ""
    expiry: str = ""
    quantity: str = ""
    usage_status: str = ""
    unit_price: str = ""
    unit_price_display: str = ""
    price_source: str = ""
    price_label: str = ""
    no_charge: bool = False
    note: str = ""
    extended: str = ""
    excluded: str = ""
    expired: bool = False
    scan_warning: str = ""
    version: int = 1
    errors: dict[str, str] = field(default_factory=lambda: dict.fromkeys(FIELDS, ""))
    # How many times the server has saved each field from this screen: part of the field's
    # key, so every answer re-renders the field (and clears its "not saved yet" mark).
    acks: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    udi_di: str = ""  # the GTIN-14; "" for a product without a GTIN
    udi: str = ""  # GS1 human-readable, from this line's expiry, lot and serial
    udi_warning: str = ""  # why a GS1 barcode could not carry it
    price_reason: str = ""  # why an edited price differs
    pending_price: str = ""  # a typed price waiting for its reason (the reason picker shows)
    reason_error: str = ""  # why the reason given was refused


@dataclass
class Subtotal:
    manufacturer: str
    amount: str


@dataclass
class ProductRow:
    id: int
    ref: str
    description: str
    manufacturer: str
    gtin: str
    price: str
    price_label: str


def _excluded(view: LineView) -> str:
    if view.usage_status == UsageStatus.UNUSED:
        return "Unused — not billed"
    return "No charge" if view.no_charge else ""


def _extended(view: LineView) -> str:
    if view.billable:
        return format_usd(view.extended)
    return "Not billed" if view.usage_status == UsageStatus.UNUSED else "N/C"


def line_row(view: LineView, acks: dict[str, int] | None = None) -> LineRow:
    """One saved line as the card shows it; `acks` is how often this screen saw each field saved."""
    row = LineRow(
        view.id,
        view.position,
        view.ref,
        view.description,
        view.manufacturer,
        view.lot,
        view.serial,
        view.expiry.isoformat() if view.expiry else "",
        str(view.quantity),
        view.usage_status.value,
        str(view.unit_price),
        format_usd(view.unit_price),
        view.price_source.value,
        PRICE_LABELS[view.price_source],
        view.no_charge,
        view.note,
        _extended(view),
        _excluded(view),
        view.expired,
        view.scan_warning,
        view.version,
    )
    if acks:
        row.acks = {name: acks.get(f"{row.id}:{name}", 0) for name in FIELDS}
    udi = udi_of(view.gtin, view.expiry, view.lot, view.serial)
    row.udi_di, row.udi, row.udi_warning = udi.di, udi.hri, udi.warning
    if view.price_source == PriceSource.EDITED and view.price_in_force is not None:
        row.price_label, row.price_reason = f"Edited from {format_usd(view.price_in_force)}", view.price_reason
    return row


def product_row(hit: ProductHit) -> ProductRow:
    """One catalog search hit, priced for the case's facility."""
    return ProductRow(hit.id, hit.ref, hit.description, hit.manufacturer, hit.gtin, format_usd(hit.price),
                      PRICE_LABELS[hit.price_source])  # fmt: skip
