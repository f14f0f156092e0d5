"""The product import's rules, from plain data: which rows of a catalog CSV are new, which
update a product, which change nothing, and which are refused and why (with row numbers).

A product is known by its manufacturer and REF (the same REF may exist at two
manufacturers). A row updates that product's description, GTIN, single-use flag and list
price; products missing from the file stay as they are (cases may use them): nothing is ever
deleted. The manufacturer must already be in Closeout (Manufacturers list), and an HIBC
labeler code given in the row must be that manufacturer's. A GTIN belongs to one product."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from . import catalog_fields as cell
from .catalog_csv import PROGRESS_EVERY, Column, Problems, Table

MAX_REF, MAX_DESCRIPTION, MAX_MANUFACTURER = 40, 200, 120

PRODUCT_COLUMNS = (
    Column("ref", "REF", aliases=("catalog number", "catalog no", "reference")),
    Column("description", "Description"),
    Column("manufacturer", "Manufacturer"),
    Column("gtin", "GTIN"),
    Column("lic", "HIBC labeler code", aliases=("HIBC LIC", "labeler code")),
    Column("single_use", "Single use", aliases=("single-use", "single use flag")),
    Column("list_price", "List price"),
)


class Maker(NamedTuple):
    id: int
    name: str
    lic: str


class Stored(NamedTuple):
    """A product as it is in the catalog now."""

    id: int
    description: str
    gtin: str | None
    list_price: Decimal
    single_use: bool


@dataclass(frozen=True)
class ProductCatalog:
    """What the rules need to know of the stored catalog."""

    makers: dict[str, Maker]  # by name, casefolded
    products: dict[tuple[int, str], Stored]  # by (manufacturer id, REF)
    gtin_owner: dict[str, tuple[int, str]]  # GTIN-14 -> (manufacturer id, REF)


class ProductValues(NamedTuple):
    maker_id: int
    ref: str
    description: str
    gtin: str | None
    list_price: Decimal
    single_use: bool


@dataclass
class ProductPlan:
    new: list[ProductValues] = field(default_factory=list)
    updated: list[tuple[int, ProductValues]] = field(default_factory=list)  # (product id, values)
    unchanged: int = 0
    kept: int = 0  # stored products the file does not mention
    problems: Problems = field(default_factory=Problems)
    rows: int = 0

    def summary(self) -> dict:
        return {"rows": self.rows, "new": len(self.new), "updated": len(self.updated), "unchanged": self.unchanged,
                "kept": self.kept, "errors": self.problems.count}  # fmt: skip


def parse_row(cells: dict[str, str], makers: dict[str, Maker]) -> ProductValues:
    """One row's values, or Bad for the first cell that is wrong."""
    ref = cell.text(cells["ref"], "REF", MAX_REF)
    description = cell.text(cells["description"], "Description", MAX_DESCRIPTION)
    name = cell.text(cells["manufacturer"], "Manufacturer", MAX_MANUFACTURER)
    maker = makers.get(name.casefold())
    if maker is None:
        raise cell.Bad(f"Manufacturer “{name}” is not in Closeout: add it under Manufacturers first.")
    gtin = cell.gtin(cells["gtin"])
    lic = cell.labeler_code(cells["lic"])
    if lic and lic != maker.lic:
        whose = (
            f"{maker.name}'s is {maker.lic}" if maker.lic else f"{maker.name} has none in Closeout (add it under Manufacturers)"
        )
        raise cell.Bad(f"HIBC labeler code {lic} is not {maker.name}'s: {whose}.")
    single_use = cell.flag(cells["single_use"], "Single use")
    price = cell.money(cells["list_price"], "List price")
    return ProductValues(maker.id, ref, description, gtin, price, single_use)


def plan_products(table: Table, known: ProductCatalog, progress: Callable[[int], None] | None = None) -> ProductPlan:
    """Check every row and sort the good ones into new, updated and unchanged."""
    plan = ProductPlan(rows=len(table.rows))
    first_row: dict[tuple[int, str], int] = {}
    gtin_row: dict[str, int] = {}
    for done, (row, cells) in enumerate(table.rows, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
        try:
            values = parse_row(cells, known.makers)
            _check_unique(values, row, first_row, gtin_row, known)
        except cell.Bad as bad:
            plan.problems.add(row, bad.message)
            continue
        stored = known.products.get((values.maker_id, values.ref))
        if stored is None:
            plan.new.append(values)
        elif (stored.description, stored.gtin, stored.list_price, stored.single_use) == values[2:]:
            plan.unchanged += 1
        else:
            plan.updated.append((stored.id, values))
    plan.kept = len(known.products) - len(plan.updated) - plan.unchanged
    return plan


def _check_unique(values: ProductValues, row: int, first_row: dict, gtin_row: dict, known: ProductCatalog) -> None:
    key = (values.maker_id, values.ref)
    if key in first_row:
        raise cell.Bad(f"REF {values.ref} of this manufacturer is already on row {first_row[key]}.")
    if values.gtin:
        if values.gtin in gtin_row:
            raise cell.Bad(f"GTIN {values.gtin} is already on row {gtin_row[values.gtin]}.")
        owner = known.gtin_owner.get(values.gtin)
        if owner is not None and owner != key:
            raise cell.Bad(f"GTIN {values.gtin} belongs to REF {owner[1]} in the catalog.")
        gtin_row[values.gtin] = row
    first_row[key] = row
