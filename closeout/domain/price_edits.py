"""Prices under control: who may type a unit price away from the contract (or list) price in
force, the reason such a price needs, and what edited prices add up to for the dashboard.

A price that equals the one in force is never an edit: anyone may put it back."""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .catalog import PriceSource
from .errors import InvalidInput, NotAllowed
from .pricing import ZERO, default_price

# The usual reasons, offered as one tap each; anything else is typed.
PRICE_REASONS = ("Contract price not yet loaded", "Price agreed with the facility", "Trade-in / credit")
MIN_REASON, MAX_REASON = 3, 120
NO_PERMISSION = (
    "Your account may not change unit prices: the contract or list price stands. "
    "A manager can allow price edits for you in Users. No charge is still available."
)
REASON_NEEDED = "Choose why this price differs from the contract or list price, or type the reason."
REASON_SHORT = f"Give the reason in at least {MIN_REASON} characters."
REASON_LONG = f"A reason is at most {MAX_REASON} characters."


def parse_price_reason(raw: object) -> str:
    """Why a price was edited: one of PRICE_REASONS or typed text, 3 to 120 printable
    characters on one line (it is printed on the sales order)."""
    text = " ".join(str(raw if raw is not None else "").split())
    if not text:
        raise InvalidInput("price_reason", REASON_NEEDED)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text):
        raise InvalidInput("price_reason", "The reason contains characters that cannot be printed.")
    if len(text) < MIN_REASON:
        raise InvalidInput("price_reason", REASON_SHORT)
    if len(text) > MAX_REASON:
        raise InvalidInput("price_reason", REASON_LONG)
    return text


@dataclass(frozen=True)
class PriceDecision:
    """What a typed price makes of a line. `catalog_price` is the price in force it departs
    from (None when it is that price); `reason` is "" unless edited."""

    unit_price: Decimal
    source: PriceSource
    catalog_price: Decimal | None
    reason: str


def decide_price(
    typed: Decimal, list_price: Decimal, contract: Decimal | None, may_edit: bool, reason: object
) -> PriceDecision:
    """The price in force is always accepted (and clears any reason). Any other price needs
    the permission (NotAllowed) and a reason (InvalidInput on "price_reason")."""
    in_force, source = default_price(list_price, contract)
    if typed == in_force:
        return PriceDecision(in_force, source, None, "")
    if not may_edit:
        raise NotAllowed(NO_PERMISSION)
    return PriceDecision(typed, PriceSource.EDITED, in_force, parse_price_reason(reason))


@dataclass(frozen=True)
class EditedLine:
    """One edited line as the dashboard sums it."""

    case_id: int
    facility: str
    surgery_date: date
    quantity: int
    unit_price: Decimal
    catalog_price: Decimal
    billable: bool


@dataclass(frozen=True)
class PriceEditMonth:
    facility: str
    month: str  # "2026-06"
    cases: int  # cases with at least one edited price
    above: Decimal  # billed above the price in force (≥ 0)
    below: Decimal  # billed below it (≥ 0)


def by_facility_month(lines: Iterable[EditedLine]) -> list[PriceEditMonth]:
    """Per facility per month (of the surgery): the cases with edited prices, and what their
    billable edited lines add up to above and below the contract or list price, exactly."""
    groups: dict[tuple[str, str], tuple[set[int], list[Decimal]]] = {}
    for line in lines:
        cases, sums = groups.setdefault((line.facility, line.surgery_date.strftime("%Y-%m")), (set(), [ZERO, ZERO]))
        cases.add(line.case_id)
        if line.billable:
            difference = (line.unit_price - line.catalog_price) * line.quantity
            sums[0 if difference > 0 else 1] += abs(difference)
    by_name = sorted(groups.items(), key=lambda g: g[0][0])
    newest_first = sorted(by_name, key=lambda g: g[0][1], reverse=True)  # stable: names stay in order
    return [PriceEditMonth(f, m, len(cases), above, below) for (f, m), (cases, (above, below)) in newest_first]
