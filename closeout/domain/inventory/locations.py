"""Where stock can be. Real locations hold stock (a warehouse, a facility's consignment, a
rep's trunk, a loaner kit); virtual ones close the books (DESIGN.md §7): receipts come from
the supplier, a case's consumption goes to the patient, stock on its way is in transit,
differences go to loss or count adjustment, recalled stock sits in quarantine."""

from enum import StrEnum

from ..errors import InvalidInput


class LocationKind(StrEnum):
    WAREHOUSE = "warehouse"
    CONSIGNMENT = "consignment"  # at a facility; a facility may have several ("OR core", "Spine cart")
    TRUNK = "trunk"  # a rep's
    KIT = "kit"  # a loaner kit's contents
    SUPPLIER = "supplier"
    PATIENT = "patient"
    IN_TRANSIT = "in_transit"
    LOSS = "loss"
    COUNT_ADJUSTMENT = "count_adjustment"
    QUARANTINE = "quarantine"


KIND_LABELS = {
    LocationKind.WAREHOUSE: "Warehouse",
    LocationKind.CONSIGNMENT: "Consignment",
    LocationKind.TRUNK: "Trunk",
    LocationKind.KIT: "Loaner kit",
    LocationKind.SUPPLIER: "Supplier",
    LocationKind.PATIENT: "Patient",
    LocationKind.IN_TRANSIT: "In transit",
    LocationKind.LOSS: "Loss",
    LocationKind.COUNT_ADJUSTMENT: "Count adjustment",
    LocationKind.QUARANTINE: "Quarantine",
}

# One row each, made by the migration; found by their kind.
VIRTUAL = frozenset({LocationKind.SUPPLIER, LocationKind.PATIENT, LocationKind.IN_TRANSIT, LocationKind.LOSS,
                     LocationKind.COUNT_ADJUSTMENT, LocationKind.QUARANTINE})  # fmt: skip
# Locations whose stock is kept in the stock table (never below zero). The others are outside
# the company: their balance is only the ledger's (the supplier's is negative by design).
KEEPS_STOCK = frozenset({LocationKind.WAREHOUSE, LocationKind.CONSIGNMENT, LocationKind.TRUNK, LocationKind.KIT,
                         LocationKind.IN_TRANSIT, LocationKind.QUARANTINE})  # fmt: skip
# Real places a user creates and moves stock between.
PHYSICAL = frozenset({LocationKind.WAREHOUSE, LocationKind.CONSIGNMENT, LocationKind.TRUNK, LocationKind.KIT})
MAX_NAME = 120


def parse_kind(raw: object) -> LocationKind:
    try:
        kind = LocationKind(str(raw).strip())
    except ValueError:
        raise InvalidInput("kind", "Choose the kind of location.") from None
    if kind not in PHYSICAL:
        raise InvalidInput("kind", "That kind of location is Closeout's own and cannot be added.")
    return kind


def parse_name(raw: object) -> str:
    text = " ".join(str(raw).split())
    if not text:
        raise InvalidInput("name", "Give the location a name.")
    if len(text) > MAX_NAME or not text.isprintable():
        raise InvalidInput("name", f"The name is at most {MAX_NAME} printable characters.")
    return text


def check_owner(kind: LocationKind, facility_id: int | None, rep_id: int | None) -> None:
    """A consignment belongs to a facility, a trunk to a rep; a warehouse to neither."""
    if kind == LocationKind.CONSIGNMENT and facility_id is None:
        raise InvalidInput("facility_id", "Choose the facility the consignment is at.")
    if kind == LocationKind.TRUNK and rep_id is None:
        raise InvalidInput("rep_id", "Choose the rep whose trunk it is.")
