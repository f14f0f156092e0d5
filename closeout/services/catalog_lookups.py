"""The stored catalog as the import rules read it (domain/catalog_import.py, price_import.py):
plain dictionaries, loaded with a handful of column queries (no ORM objects), so 50,000
products and prices fit in a few tens of megabytes."""

import sqlalchemy as sa
from sqlmodel import Session

from ..domain.catalog_import import Maker, ProductCatalog, Stored
from ..domain.price_import import Fac, PriceBook, StoredPrice
from ..models import Facility, Manufacturer, PriceList, PriceListItem, Product

P, M, F, L, I = (t.__table__.c for t in (Product, Manufacturer, Facility, PriceList, PriceListItem))  # noqa: E741


def makers(session: Session) -> dict[str, Maker]:
    return {name.casefold(): Maker(id_, name, lic) for id_, name, lic in session.execute(sa.select(M.id, M.name, M.hibc_lic))}


def product_catalog(session: Session) -> ProductCatalog:
    products, owners = {}, {}
    rows = session.execute(sa.select(P.id, P.manufacturer_id, P.ref, P.description, P.gtin, P.list_price, P.single_use))
    for id_, maker_id, ref, description, gtin, price, single_use in rows:
        products[(maker_id, ref)] = Stored(id_, description, gtin, price, bool(single_use))
        if gtin:
            owners[gtin] = (maker_id, ref)
    return ProductCatalog(makers(session), products, owners)


def price_book(session: Session) -> PriceBook:
    lists = {name.casefold(): (id_, name) for id_, name in session.execute(sa.select(L.id, L.name))}
    facilities = session.execute(sa.select(F.id, F.name, F.account_number, F.price_list_id)).all()
    sharing: dict[int, int] = {}
    for *_, list_id in facilities:
        if list_id is not None:
            sharing[list_id] = sharing.get(list_id, 0) + 1
    by_account = {
        account.casefold(): Fac(id_, name, list_id, sharing.get(list_id, 0)) for id_, name, account, list_id in facilities
    }
    refs: dict[str, list[tuple[str, int]]] = {}
    for ref, maker, product_id in session.execute(
        sa.select(P.ref, M.name, P.id).join_from(Product.__table__, Manufacturer.__table__)
    ):
        refs.setdefault(ref, []).append((maker.casefold(), product_id))
    prices: dict[tuple[int, int], list[StoredPrice]] = {}
    for id_, list_id, product_id, start, end, price in session.execute(
        sa.select(I.id, I.price_list_id, I.product_id, I.effective_from, I.effective_to, I.price)
    ):
        prices.setdefault((list_id, product_id), []).append(StoredPrice(id_, start, end, price))
    maker_names = {name.casefold() for (name,) in session.execute(sa.select(M.name))}
    return PriceBook(lists, by_account, refs, maker_names, prices)
