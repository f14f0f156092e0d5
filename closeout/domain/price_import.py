"""The contract price import's rules, from plain data.

A row prices one product on one price list for a date range (both days included; no end
date: until further notice). The list is named (a group of facilities: a GPO contract; a new
name makes a new list), or given as a facility's bill-to account number: then the facility's
own list, made for it when it has none. A facility sharing its list with others is refused:
name the list, so a group's prices never change by accident. The product is its REF; the
manufacturer column is needed only when two manufacturers use that REF.

A price is known by list, product and effective-from date: a row with the same three
updates the price and end date, a new date adds a price. A product's ranges on one list may
not overlap, within the file or with the stored ones; to follow a price with a new one,
give the old one an end date in the same file. Prices the file does not mention stay."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from . import catalog_fields as cell
from .catalog_csv import PROGRESS_EVERY, Column, Problems, Table, first_names
from .price_ranges import Span, find_overlaps

MAX_LIST_NAME, MAX_ACCOUNT = 120, 40

PRICE_COLUMNS = (
    Column("price_list", "Price list", required=False, aliases=("contract",)),
    Column("facility", "Facility account", required=False, aliases=("bill-to account", "account number", "facility")),
    Column("ref", "REF", aliases=("catalog number", "catalog no", "reference")),
    Column("manufacturer", "Manufacturer", required=False),
    Column("price", "Contract price", aliases=("price",)),
    Column("start", "Effective from", aliases=("from", "start date")),
    Column("end", "Effective to", required=False, aliases=("to", "end date")),
)


class Fac(NamedTuple):
    id: int
    name: str
    list_id: int | None
    sharing: int  # facilities on its list (itself included)


class StoredPrice(NamedTuple):
    id: int
    start: date
    end: date | None
    price: Decimal


@dataclass(frozen=True)
class PriceBook:
    """What the rules need to know of the stored lists, facilities, products and prices."""

    lists: dict[str, tuple[int, str]]  # name casefolded -> (id, name)
    facilities: dict[str, Fac]  # by bill-to account number, casefolded
    refs: dict[str, list[tuple[str, int]]]  # REF -> [(manufacturer name casefolded, product id)]
    makers: set[str]  # manufacturer names, casefolded
    prices: dict[tuple[int, int], list[StoredPrice]]  # (list id, product id) -> its prices


class NewList(NamedTuple):
    name: str
    facility_id: int | None  # the facility it is made for


class PriceValues(NamedTuple):
    target: int | str  # a stored list's id, or the key of a list the commit makes (new_lists)
    product_id: int
    start: date
    end: date | None
    price: Decimal


@dataclass
class PricePlan:
    new: list[PriceValues] = field(default_factory=list)
    updated: list[tuple[int, Decimal, date | None]] = field(default_factory=list)  # (price id, price, end)
    unchanged: int = 0
    kept: int = 0
    new_lists: dict[str, NewList] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    rows: int = 0

    def summary(self) -> dict:
        return {"rows": self.rows, "new": len(self.new), "updated": len(self.updated), "unchanged": self.unchanged,
                "kept": self.kept, "errors": self.problems.count,
                "new_price_lists": first_names(sorted(n.name for n in self.new_lists.values())),
                "new_price_list_count": len(self.new_lists)}  # fmt: skip


def _target(cells: dict[str, str], book: PriceBook, plan: PricePlan) -> int | str:
    name = cell.text(cells.get("price_list", ""), "Price list", MAX_LIST_NAME, required=False)
    account = cell.text(cells.get("facility", ""), "Facility account", MAX_ACCOUNT, required=False)
    if bool(name) == bool(account):
        raise cell.Bad("Fill in either the price list or the facility account (not both).")
    if name:
        found = book.lists.get(name.casefold())
        if found:
            return found[0]
        plan.new_lists.setdefault(f"name:{name.casefold()}", NewList(name, None))
        return f"name:{name.casefold()}"
    fac = book.facilities.get(account.casefold())
    if fac is None:
        raise cell.Bad(f"No facility has the bill-to account number {account}.")
    if fac.list_id is not None:
        if fac.sharing > 1:
            raise cell.Bad(f"{fac.name} shares its price list with {fac.sharing - 1} other facilities: "
                           "name the price list instead of the facility.")  # fmt: skip
        return fac.list_id
    own = f"{fac.name} ({account})"[:MAX_LIST_NAME]
    if own.casefold() in book.lists:
        raise cell.Bad(f"A price list named “{own}” already exists: name a price list for {fac.name}'s prices.")
    plan.new_lists.setdefault(f"facility:{fac.id}", NewList(own, fac.id))
    return f"facility:{fac.id}"


def _product(cells: dict[str, str], book: PriceBook) -> int:
    ref = cell.text(cells["ref"], "REF", 40)
    maker = cell.text(cells.get("manufacturer", ""), "Manufacturer", 120, required=False).casefold()
    if maker and maker not in book.makers:
        raise cell.Bad(f"Manufacturer “{cells['manufacturer']}” is not in Closeout.")
    found = [pid for name, pid in book.refs.get(ref, []) if not maker or name == maker]
    if not found:
        raise cell.Bad(f"REF {ref} is not in the catalog{' for that manufacturer' if maker else ''}: import the product first.")
    if len(found) > 1:
        raise cell.Bad(f"REF {ref} is made by {len(found)} manufacturers: fill in the manufacturer column.")
    return found[0]


def parse_row(cells: dict[str, str], book: PriceBook, plan: PricePlan) -> PriceValues:
    target = _target(cells, book, plan)
    product_id = _product(cells, book)
    price = cell.money(cells["price"], "Contract price")
    start = cell.day(cells["start"], "Effective from")
    end = cell.day(cells.get("end", ""), "Effective to", required=False)
    if end is not None and end < start:
        raise cell.Bad(f"Effective to {end} is before effective from {start}.")
    return PriceValues(target, product_id, start, end, price)


def plan_prices(table: Table, book: PriceBook, progress: Callable[[int], None] | None = None) -> PricePlan:
    """Check every row, then the date ranges of each list and product; sort the good rows."""
    plan = PricePlan(rows=len(table.rows))
    good: dict[tuple[int | str, int], list[tuple[int, PriceValues]]] = {}
    for done, (row, cells) in enumerate(table.rows, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
        try:
            values = parse_row(cells, book, plan)
        except cell.Bad as bad:
            plan.problems.add(row, bad.message)
            continue
        good.setdefault((values.target, values.product_id), []).append((row, values))
    matched = 0
    for (target, product_id), rows in good.items():
        stored = book.prices.get((target, product_id), []) if isinstance(target, int) else []
        spans = [Span(v.start, v.end, row) for row, v in rows] + [Span(p.start, p.end) for p in stored]
        refused = find_overlaps(spans, plan.problems)
        by_start = {p.start: p for p in stored}
        for row, values in rows:
            if row in refused:
                continue
            before = by_start.get(values.start)
            if before is None:
                plan.new.append(values)
            elif (before.price, before.end) == (values.price, values.end):
                plan.unchanged += 1
            else:
                plan.updated.append((before.id, values.price, values.end))
            matched += before is not None
    plan.kept = sum(len(p) for p in book.prices.values()) - matched
    return plan
