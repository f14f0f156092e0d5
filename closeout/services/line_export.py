"""The managers' line export: one CSV row per device line of the cases the console's filter
matches, for recalls ("every case that used lot X") and for the billing office.

Streamed: one query read through a server-side cursor (PostgreSQL) or SQLite's stepping
cursor, `BATCH` rows at a time, each batch written and handed on before the next is read, so
1.5 million lines leave in bounded memory. Cells are written formula-safe (domain/csv_safe)."""

import io
from collections.abc import Iterator, Sequence

from sqlmodel import Session, select

from ..domain import clock, csv_safe
from ..domain.catalog import UsageStatus
from ..domain.console import ConsoleFilters
from ..domain.errors import NotFound
from ..domain.pricing import PricedLine, extended_price
from ..domain.udi import udi_hri
from ..models import Case, DeviceLine, Facility, Manufacturer, Product, Surgeon, User
from .auth import Actor
from .console import _where  # the console's own filter: the same cases as its pages and its case CSV
from .db import reading

BATCH = 2000
HEADER = ["Case", "Facility", "Surgeon", "Surgery date", "Sales Rep", "REF", "Description", "Manufacturer", "GTIN", "Lot",
          "Serial", "Expiry", "Usage", "Quantity", "Unit price", "Price source", "No charge", "Extended", "UDI"]  # fmt: skip
_COLUMNS = (Case.number, Facility.name, Surgeon.name, Case.surgery_date, User.name, Product.ref, Product.description,
            Manufacturer.name, Product.gtin, DeviceLine.lot, DeviceLine.serial, DeviceLine.expiry, DeviceLine.usage_status,
            DeviceLine.quantity, DeviceLine.unit_price, DeviceLine.price_source, DeviceLine.no_charge)  # fmt: skip


def lines_query(filters: ConsoleFilters):
    """Every line of the matching cases, by case number then position (the case number's
    index gives the order, so rows come as they are read, without sorting them all first)."""
    return (
        select(*_COLUMNS)
        .join(DeviceLine, DeviceLine.case_id == Case.id)
        .join(Product, Product.id == DeviceLine.product_id).join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
        .join(Facility, Facility.id == Case.facility_id).join(Surgeon, Surgeon.id == Case.surgeon_id)
        .join(User, User.id == Case.rep_id)
        .where(*_where(filters, clock.now())).order_by(Case.number, DeviceLine.position)
    )  # fmt: skip


def batches(session: Session, filters: ConsoleFilters, size: int = BATCH) -> Iterator[Sequence]:
    """The query's rows, `size` at a time, fetched as they are asked for."""
    yield from session.execute(lines_query(filters).execution_options(yield_per=size)).partitions()


def csv_row(row) -> list[object]:
    (number, facility, surgeon, day, rep, ref, description, maker, gtin, lot, serial, expiry, usage, quantity, price,
     source, no_charge) = row  # fmt: skip
    extended = extended_price(PricedLine(maker, quantity, price, UsageStatus(usage), no_charge))
    return [number, facility, surgeon, day.isoformat(), rep, ref, description, maker, gtin or "", lot, serial,
            expiry.isoformat() if expiry else "", usage, quantity, f"{price:.2f}", source, "yes" if no_charge else "",
            f"{extended:.2f}", udi_hri(gtin, expiry, lot, serial)]  # fmt: skip


def export_lines_csv(actor: Actor, filters: ConsoleFilters, size: int = BATCH) -> Iterator[str]:
    """The header, then the CSV text of each batch of lines as it is read (managers only)."""
    if not actor.is_manager:
        raise NotFound("The console is for managers.")
    return _stream(filters, size)


def _stream(filters: ConsoleFilters, size: int) -> Iterator[str]:
    out = io.StringIO()
    writer = csv_safe.writer(out)  # no cell reaches the spreadsheet as a formula
    writer.writerow(HEADER)
    yield _taken(out)
    with reading() as session:
        for batch in batches(session, filters, size):
            writer.writerows(csv_row(row) for row in batch)
            yield _taken(out)


def _taken(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text
