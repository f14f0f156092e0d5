"""The double-entry ledger: every change of stock is a movement of a quantity of one stock
key (product, lot, serial) from one location to another. Stock at a location is the sum of
what came in minus what went out; the stock table caches that sum (services/inventory/ledger.py)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..errors import InvalidInput

MAX_QUANTITY = 99_999


class Reason(StrEnum):
    """Why a movement happened: shown in a serial's history and the audit trail."""

    RECEIPT = "receipt"  # from the supplier
    OPENING = "opening balance"  # the CSV import or a scan into a location
    SHIP = "shipped"  # a transfer leaves: location → in transit
    ACCEPT = "accepted"  # in transit → the receiving location
    DECLINE = "declined"  # in transit → back where it came from
    CONSUME = "consumed"  # a case used it: location → patient
    UNCONSUME = "consumption reversed"  # reopen or cancel: patient → where it came from
    KIT_LOSS = "kit loss"  # not back from a loaner kit, not used in the case
    COUNT = "count adjustment"
    QUARANTINE = "quarantine"
    RELEASE = "released from quarantine"


@dataclass(frozen=True, order=True)
class StockKey:
    """What is counted together: a product with its lot and serial ('' when none)."""

    product_id: int
    lot: str = ""
    serial: str = ""


@dataclass(frozen=True)
class Move:
    key: StockKey
    quantity: int
    from_location: int
    to_location: int
    expiry: date | None = None


def check_move(move: Move) -> None:
    """A movement is a positive whole quantity between two different locations; a serial is one unit."""
    if isinstance(move.quantity, bool) or not isinstance(move.quantity, int) or move.quantity < 1:
        raise InvalidInput("quantity", "Quantity must be a whole number of at least 1.")
    if move.quantity > MAX_QUANTITY:
        raise InvalidInput("quantity", f"Quantity must be at most {MAX_QUANTITY:,}.")
    if move.key.serial and move.quantity != 1:
        raise InvalidInput("quantity", "A serialised device is one unit.")
    if move.from_location == move.to_location:
        raise InvalidInput("to_location", "Stock moves from one location to another.")


def balances(moves: Iterable[Move]) -> dict[tuple[int, StockKey], int]:
    """Every (location, key)'s ledger balance: in minus out. Sums to zero over all locations."""
    totals: dict[tuple[int, StockKey], int] = defaultdict(int)
    for move in moves:
        totals[(move.to_location, move.key)] += move.quantity
        totals[(move.from_location, move.key)] -= move.quantity
    return {k: v for k, v in totals.items() if v}
