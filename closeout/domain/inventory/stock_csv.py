"""Opening balances from a CSV (the catalog import's standard: a preview with row errors,
all or nothing, and importing the same file again changes nothing). A row says how many of a
REF (lot, serial) are at a location; the import moves the difference from what is there
(from the supplier, or out to count adjustment). Locations and units not in the file are kept."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from .. import catalog_fields as cell
from ..catalog_csv import PROGRESS_EVERY, Column, Problems, Table
from .ledger import MAX_QUANTITY, StockKey

STOCK_COLUMNS = (
    Column("location", "Location"),
    Column("ref", "REF", aliases=("catalog number", "reference")),
    Column("manufacturer", "Manufacturer", required=False),
    Column("lot", "Lot", required=False, aliases=("lot number", "batch")),
    Column("serial", "Serial", required=False, aliases=("serial number", "sn")),
    Column("expiry", "Expiry", required=False, aliases=("expiration", "expiry date", "use by")),
    Column("quantity", "Quantity", aliases=("qty", "on hand")),
)


@dataclass(frozen=True)
class Known:
    """What the plan checks rows against."""

    locations: Mapping[str, list[int]]  # casefolded name → physical location ids
    products: Mapping[str, list[tuple[int, str]]]  # casefolded REF → [(product id, casefolded maker)]
    on_hand: Mapping[tuple[int, StockKey], int]  # stock now at the file's locations
    serial_at: Mapping[tuple[int, str], int]  # (product, serial) → the location holding it


@dataclass
class StockPlan:
    changes: list[tuple[int, StockKey, int, date | None]] = field(default_factory=list)  # (location, key, delta, expiry)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: Problems = field(default_factory=Problems)

    def summary(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "kept": 0}


def _one(found: list, what: str):
    if not found:
        raise cell.Bad(f"{what} was not found.")
    if len(found) > 1:
        raise cell.Bad(f"{what} matches more than one; make it unique.")
    return found[0]


def _quantity(raw: str) -> int:
    if not raw.isdigit() or not raw.isascii() or int(raw) > MAX_QUANTITY:
        raise cell.Bad(f"Quantity must be a whole number from 0 to {MAX_QUANTITY:,}.")
    return int(raw)


def plan_stock(table: Table, known: Known, progress: Callable[[int], None] | None = None) -> StockPlan:
    plan, seen = StockPlan(), {}
    for done, (row, cells) in enumerate(table.rows, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
        try:
            name = cell.text(cells.get("location", ""), "Location", 120)
            location = _one(known.locations.get(name.casefold(), []), f"Location “{name}”")
            ref = cell.text(cells.get("ref", ""), "REF", 40)
            maker = cell.text(cells.get("manufacturer", ""), "Manufacturer", 120, required=False).casefold()
            matches = [pid for pid, m in known.products.get(ref.casefold(), []) if not maker or m == maker]
            product = _one(matches, f"REF {ref}" + (" (add the Manufacturer column)" if len(matches) > 1 else ""))
            key = StockKey(product, cell.text(cells.get("lot", ""), "Lot", 40, required=False),
                           cell.text(cells.get("serial", ""), "Serial", 40, required=False))  # fmt: skip
            expiry = cell.day(cells.get("expiry", ""), "Expiry", required=False)
            quantity = _quantity(cells.get("quantity", "").strip())
            if key.serial and quantity > 1:
                raise cell.Bad("A serial is one unit: its quantity is 0 or 1.")
            if (location, key) in seen:
                raise cell.Bad(f"The same unit is on row {seen[(location, key)]}.")
            seen[(location, key)] = row
            holder = known.serial_at.get((product, key.serial)) if key.serial else None
            if quantity and holder is not None and holder != location:
                raise cell.Bad(f"Serial {key.serial} is already in stock at another location: transfer it instead.")
        except cell.Bad as bad:
            plan.problems.add(row, bad.message)
            continue
        now = known.on_hand.get((location, key), 0)
        if quantity == now:
            plan.unchanged += 1
            continue
        plan.changes.append((location, key, quantity - now, expiry))
        if now:
            plan.updated += 1
        else:
            plan.new += 1
    return plan
