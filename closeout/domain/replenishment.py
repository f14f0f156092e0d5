"""Replenishment: which used items to restock, and what a valid request looks like."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .catalog import UsageStatus
from .errors import InvalidInput
from .validation import parse_note, parse_quantity

CONSUMED = {UsageStatus.IMPLANTED, UsageStatus.USED, UsageStatus.WASTED}
MAX_ADDRESS = 400


class ReplenishmentStatus(StrEnum):
    REQUESTED = "requested"
    FULFILLED = "fulfilled"


@dataclass(frozen=True)
class UsedItem:
    product_id: int
    single_use: bool
    usage_status: UsageStatus
    quantity: int


def items_to_restock(lines: Iterable[UsedItem]) -> dict[int, int]:
    """Product → quantity of single-use items consumed in the case (Unused and explanted excluded)."""
    totals: dict[int, int] = {}
    for line in lines:
        if line.single_use and line.usage_status in CONSUMED:
            totals[line.product_id] = totals.get(line.product_id, 0) + line.quantity
    return totals


def parse_items(raw: Iterable[tuple[object, object]], known_products: set[int]) -> dict[int, int]:
    """(product id, quantity) pairs typed by the rep; at least one, each product known."""
    items: dict[int, int] = {}
    for product_id, quantity in raw:
        if not isinstance(product_id, int) or product_id not in known_products:
            raise InvalidInput("items", "A product in the request is not in the catalog.")
        items[product_id] = items.get(product_id, 0) + parse_quantity(quantity)
    if not items:
        raise InvalidInput("items", "Add at least one item to restock.")
    return items


def parse_ship_to(raw: object) -> str:
    text = str(raw).strip()
    if not text:
        raise InvalidInput("ship_to", "Choose where to ship.")
    if len(text) > MAX_ADDRESS or not all(ch.isprintable() or ch == "\n" for ch in text):
        raise InvalidInput("ship_to", "That shipping address cannot be used.")
    return text


def parse_needed_by(raw: object, today: date) -> date:
    """A date from today on."""
    try:
        value = date.fromisoformat(str(raw).strip())
    except ValueError:
        raise InvalidInput("needed_by", "Enter the date the items are needed by.") from None
    if value < today:
        raise InvalidInput("needed_by", "The needed-by date cannot be in the past.")
    if (value - today).days > 365:
        raise InvalidInput("needed_by", "The needed-by date is more than a year away; check it.")
    return value


def parse_notes(raw: object) -> str:
    return parse_note(raw)
