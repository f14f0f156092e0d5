"""The catalog and the contract prices as CSV, in the very format the imports read: exported,
edited in a spreadsheet and imported again, a file changes only what was edited. No cell
reaches a spreadsheet as a formula (domain/csv_safe.py), and the import reads the quote back."""

import csv
import io
from collections.abc import Iterator

import sqlalchemy as sa

from ..domain import csv_safe
from ..domain.catalog_import import PRODUCT_COLUMNS
from ..domain.price_import import PRICE_COLUMNS
from ..models import Manufacturer, PriceList, PriceListItem, Product
from .auth import Actor
from .catalog_admin import require_manager
from .db import reading

CHUNK = 2_000
P, M, L, I = (t.__table__ for t in (Product, Manufacturer, PriceList, PriceListItem))  # noqa: E741


def _csv(header: list[str], query: sa.Select, key: sa.Column, row) -> Iterator[str]:
    """Header, then the query's rows in chunks of CHUNK (keyset paging on `key`)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    last = 0
    with reading() as session:
        while True:
            rows = session.execute(query.where(key > last).order_by(key).limit(CHUNK)).all()
            writer.writerows([csv_safe.reversible(v) for v in row(found)] for found in rows)
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            if len(rows) < CHUNK:
                return
            last = rows[-1].id


def products_csv(actor: Actor) -> Iterator[str]:
    """Every product, with its manufacturer's name and HIBC labeler code."""
    require_manager(actor)
    query = sa.select(P.c.id, P.c.ref, P.c.description, M.c.name, P.c.gtin, M.c.hibc_lic, P.c.single_use,
                      P.c.list_price).join_from(P, M)  # fmt: skip
    return _csv([c.header for c in PRODUCT_COLUMNS], query, P.c.id,
                lambda r: [r.ref, r.description, r.name, r.gtin or "", r.hibc_lic, "yes" if r.single_use else "no",
                           f"{r.list_price:.2f}"])  # fmt: skip


def prices_csv(actor: Actor) -> Iterator[str]:
    """Every contract price, by price list name (the facility account column stays empty)."""
    require_manager(actor)
    query = sa.select(I.c.id, L.c.name.label("list_name"), P.c.ref, M.c.name, I.c.price, I.c.effective_from,
                      I.c.effective_to).join_from(I, L).join(P, P.c.id == I.c.product_id).join(M, M.c.id == P.c.manufacturer_id)  # fmt: skip
    return _csv([c.header for c in PRICE_COLUMNS], query, I.c.id,
                lambda r: [r.list_name, "", r.ref, r.name, f"{r.price:.2f}", r.effective_from.isoformat(),
                           r.effective_to.isoformat() if r.effective_to else ""])  # fmt: skip
