"""Searching the catalog, with the price each product would get at a facility: the contract
price in force on the case's surgery date (a price list holds dated prices), else the list price."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, or_, select

from ..domain import clock
from ..domain.catalog import PriceSource
from ..domain.pricing import default_price
from ..domain.text import lookup_text
from ..models import Facility, Manufacturer, PriceListItem, Product
from .access import case_for
from .auth import Actor
from .db import reading


@dataclass(frozen=True)
class ProductHit:
    id: int
    ref: str
    description: str
    manufacturer: str
    gtin: str
    price: Decimal
    price_source: PriceSource


def in_force(on: date):
    """The WHERE clause of the price list rows in force on a day (both ends included)."""
    return (PriceListItem.effective_from <= on) & (
        PriceListItem.effective_to.is_(None) | (PriceListItem.effective_to >= on)
    )


def newest_first():
    """If two rows were ever in force on one day (the import refuses overlaps), the one that
    started last wins, then the one added last: every lookup gives the same price."""
    return PriceListItem.effective_from.desc(), PriceListItem.id.desc()


def contract_price(session: Session, facility_id: int, product_id: int, on: date | None = None) -> Decimal | None:
    """The facility's contract price for the product on day `on` (a case's surgery date;
    default today), if its price list has one in force then."""
    return session.exec(
        select(PriceListItem.price)
        .join(Facility, Facility.price_list_id == PriceListItem.price_list_id)
        .where(Facility.id == facility_id, PriceListItem.product_id == product_id, in_force(on or clock.today()))
        .order_by(*newest_first())
    ).first()


def contract_price_column(price_list_id: int | None, on: date):
    """A column of the product query: each product's price on the list in force on day `on`
    (one per product, the same one `contract_price` finds), NULL without one."""
    return (
        select(PriceListItem.price)
        .where(PriceListItem.product_id == Product.id, PriceListItem.price_list_id == price_list_id, in_force(on))
        .order_by(*newest_first()).limit(1).correlate(Product).scalar_subquery()
    )  # fmt: skip


def search_products(actor: Actor, case_number: str, text: str, limit: int = 10) -> list[ProductHit]:
    """Products whose REF, description or GTIN contains the text, priced for the case's facility
    on its surgery date."""
    text = lookup_text(text, 60)
    if len(text) < 2:
        return []
    with reading() as session:
        case = case_for(session, actor, case_number)
        facility = session.get(Facility, case.facility_id)
        pattern = f"%{text}%"
        contract = contract_price_column(facility.price_list_id, case.surgery_date)
        rows = session.exec(
            select(Product, Manufacturer.name, contract)
            .join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
            .where(or_(Product.ref.ilike(pattern), Product.description.ilike(pattern), Product.gtin.contains(text)))
            .order_by(Product.ref, Product.id)
            .limit(limit)
        ).all()
        return [
            ProductHit(p.id, p.ref, p.description, maker, p.gtin or "", *default_price(p.list_price, contract))
            for p, maker, contract in rows
        ]
