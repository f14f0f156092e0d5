"""Which price a line gets, what it is worth, and the case's billable totals."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .catalog import PriceSource, UsageStatus

ZERO = Decimal("0.00")


def default_price(list_price: Decimal, contract_price: Decimal | None) -> tuple[Decimal, PriceSource]:
    """The facility's contract price when it has one, else the list price."""
    if contract_price is not None:
        return contract_price, PriceSource.CONTRACT
    return list_price, PriceSource.LIST


def priced_by_hand(typed: Decimal, list_price: Decimal, contract_price: Decimal | None) -> tuple[Decimal, PriceSource]:
    """A typed price is 'edited' unless it equals the price the line would get anyway."""
    price, source = default_price(list_price, contract_price)
    if typed == price:
        return price, source
    return typed, PriceSource.EDITED


@dataclass(frozen=True)
class PricedLine:
    """What totals need to know about a device line."""

    manufacturer: str
    quantity: int
    unit_price: Decimal
    usage_status: UsageStatus
    no_charge: bool


def is_billable(line: PricedLine) -> bool:
    """No-charge and Unused lines are recorded but never billed."""
    return not line.no_charge and line.usage_status != UsageStatus.UNUSED


def extended_price(line: PricedLine) -> Decimal:
    """Quantity × unit price, exact; zero for a line that is not billed."""
    return line.unit_price * line.quantity if is_billable(line) else ZERO


@dataclass(frozen=True)
class Totals:
    """Billable subtotal per manufacturer (by name) and the grand total."""

    by_manufacturer: tuple[tuple[str, Decimal], ...]
    grand_total: Decimal
    billable_lines: int
    no_charge_lines: int
    unused_lines: int


def case_totals(lines: Iterable[PricedLine]) -> Totals:
    """Sum billable lines per manufacturer; count what was left out and why."""
    subtotals: dict[str, Decimal] = {}
    billable = no_charge = unused = 0
    for line in lines:
        if line.usage_status == UsageStatus.UNUSED:
            unused += 1
        elif line.no_charge:
            no_charge += 1
        else:
            billable += 1
            subtotals[line.manufacturer] = subtotals.get(line.manufacturer, ZERO) + extended_price(line)
    by_maker = tuple(sorted(subtotals.items()))
    grand = sum((amount for _, amount in by_maker), ZERO)
    return Totals(by_maker, grand, billable, no_charge, unused)
