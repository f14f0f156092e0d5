"""The managers' catalog page: who may use it, the manufacturers (added by hand: an import
refuses a manufacturer Closeout does not know), products searched and paged, and the price
lists with the facilities on them."""

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, func, or_, select

from ..domain.catalog_fields import Bad, labeler_code
from ..domain.errors import InvalidInput, NotFound
from ..domain.text import lookup_text
from ..models import Facility, Manufacturer, PriceList, PriceListItem, Product
from . import audit
from .auth import Actor
from .db import reading, transaction

PAGE_SIZE = 25


def require_manager(actor: Actor) -> None:
    if not actor.is_manager:
        raise NotFound("The catalog is for managers.")


@dataclass(frozen=True)
class MakerRow:
    id: int
    name: str
    lic: str
    products: int


@dataclass(frozen=True)
class ProductRow:
    id: int
    ref: str
    description: str
    manufacturer: str
    gtin: str
    list_price: Decimal
    single_use: bool


@dataclass(frozen=True)
class PriceListRow:
    id: int
    name: str
    facilities: str  # their names, comma-separated
    prices: int


@dataclass(frozen=True)
class CatalogOverview:
    """What the catalog page shows when it opens: one read."""

    products: list[ProductRow]
    total: int  # products matching the search
    makers: list[MakerRow]
    price_lists: list[PriceListRow]


def overview(actor: Actor, text: object = "", page: int = 1) -> CatalogOverview:
    require_manager(actor)
    with reading() as session:
        return CatalogOverview(*_products(session, text, page, PAGE_SIZE), _makers(session), _lists(session))


def manufacturers(actor: Actor) -> list[MakerRow]:
    require_manager(actor)
    with reading() as session:
        return _makers(session)


def _makers(session: Session) -> list[MakerRow]:
    rows = session.exec(
        select(Manufacturer, func.count(Product.id)).outerjoin(Product, Product.manufacturer_id == Manufacturer.id)
        .group_by(Manufacturer.id).order_by(Manufacturer.name)
    ).all()  # fmt: skip
    return [MakerRow(m.id, m.name, m.hibc_lic, n) for m, n in rows]


def _maker_fields(name: object, lic: object) -> tuple[str, str]:
    clean = " ".join(str(name or "").split())
    if not clean:
        raise InvalidInput("name", "Enter the manufacturer's name.")
    if len(clean) > 120 or any(ord(ch) < 32 for ch in clean):
        raise InvalidInput("name", "A manufacturer's name is at most 120 printable characters.")
    try:
        return clean, labeler_code(str(lic or "").strip())
    except Bad as bad:
        raise InvalidInput("lic", bad.message) from None


def add_manufacturer(actor: Actor, name: object, lic: object) -> MakerRow:
    """A new manufacturer; its name and HIBC labeler code (if any) are its own."""
    require_manager(actor)
    name, lic = _maker_fields(name, lic)
    try:
        with transaction() as session:
            _refuse_taken(session, name, lic)
            maker = Manufacturer(name=name, hibc_lic=lic)
            session.add(maker)
            session.flush()
            audit.record(session, actor, case_id=None, action="manufacturer added", entity="manufacturer",
                         entity_id=maker.id, summary=f"Manufacturer {name} added" + (f" (HIBC {lic})" if lic else ""),
                         after={"name": name, "hibc_lic": lic})  # fmt: skip
            return MakerRow(maker.id, name, lic, 0)
    except sa.exc.IntegrityError:  # added elsewhere at the same moment: the database's unique indexes
        with reading() as session:
            _refuse_taken(session, name, lic)
        raise InvalidInput("name", f"{name} is already in the list.") from None


def _refuse_taken(session: Session, name: str, lic: str) -> None:
    """The same refusal whether this check or the database's unique indexes find the twin."""
    if session.exec(select(Manufacturer.id).where(func.lower(Manufacturer.name) == name.lower())).first():
        raise InvalidInput("name", f"{name} is already in the list.")
    if lic and (other := session.exec(select(Manufacturer.name).where(Manufacturer.hibc_lic == lic)).first()):
        raise InvalidInput("lic", f"HIBC labeler code {lic} is already {other}'s.")


def product_page(actor: Actor, text: object = "", page: int = 1, page_size: int = PAGE_SIZE) -> tuple[list[ProductRow], int]:
    """Products whose REF, description, GTIN or manufacturer contains the text, by REF; and how many match."""
    require_manager(actor)
    with reading() as session:
        return _products(session, text, page, page_size)


def _products(session: Session, text: object, page: int, page_size: int) -> tuple[list[ProductRow], int]:
    page, page_size = max(1, int(page)), min(max(1, int(page_size)), 100)
    query = select(Product, Manufacturer.name).join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
    text = lookup_text(text, 60)
    if text:
        pattern = f"%{text}%"
        query = query.where(or_(Product.ref.ilike(pattern), Product.description.ilike(pattern),
                                Product.gtin.contains(text), Manufacturer.name.ilike(pattern)))  # fmt: skip
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Product.ref, Product.id).limit(page_size).offset((page - 1) * page_size)).all()
    return [ProductRow(p.id, p.ref, p.description, maker, p.gtin or "", p.list_price, p.single_use)
            for p, maker in rows], total  # fmt: skip


def price_lists(actor: Actor) -> list[PriceListRow]:
    """Every price list, with the facilities on it and how many prices it holds."""
    require_manager(actor)
    with reading() as session:
        return _lists(session)


def _lists(session: Session) -> list[PriceListRow]:
    counts = dict(session.exec(select(PriceListItem.price_list_id, func.count()).group_by(PriceListItem.price_list_id)).all())
    on = session.exec(select(Facility.price_list_id, Facility.name).where(Facility.price_list_id.is_not(None))
                      .order_by(Facility.name)).all()  # fmt: skip
    names: dict[int, list[str]] = {}
    for list_id, name in on:
        names.setdefault(list_id, []).append(name)
    lists = session.exec(select(PriceList).order_by(sa.func.lower(PriceList.name))).all()
    return [PriceListRow(p.id, p.name, ", ".join(names.get(p.id, [])), counts.get(p.id, 0)) for p in lists]
