"""Devices Used: reading, adding, editing and removing a case's device lines.

Each change is validated in domain/, refused on a case whose status locks its
lines, saved with an audit row in one transaction, and answered with the fresh
line and the case's totals.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, func, or_, select

from ..domain import clock
from ..domain.catalog import PriceSource, UsageStatus
from ..domain.errors import DomainError, NotFound
from ..domain.lifecycle import CaseAction, allows, check
from ..domain.pricing import PricedLine, Totals, case_totals, default_price, extended_price, is_billable
from ..domain.text import lookup_text
from ..domain.validation import FIELD_LABELS, is_expired_for, parse_field
from ..models import Case, DeviceLine, Manufacturer, Product
from . import audit
from .access import case_for
from .auth import Actor
from .cases import change_stamp
from .catalog import contract_price
from .db import reading, transaction
from .line_prices import may_edit_prices, price_line, prices_edited

MAX_LINES_PER_CASE = 1500


@dataclass(frozen=True)
class LineView:
    id: int
    position: int
    ref: str
    description: str
    manufacturer: str
    lot: str
    serial: str
    expiry: date | None
    quantity: int
    usage_status: UsageStatus
    unit_price: Decimal
    price_source: PriceSource
    no_charge: bool
    note: str
    extended: Decimal
    billable: bool
    expired: bool
    scan_warning: str = ""
    version: int = 1
    price_reason: str = ""  # why an edited price differs
    price_in_force: Decimal | None = None  # the contract or list price an edited price departs from
    gtin: str = ""  # the product's GTIN-14, the line's UDI-DI; "": HIBC labelled only


@dataclass(frozen=True)
class LinePage:
    lines: list[LineView]
    matching: int  # lines matching the filter (for paging)
    line_count: int  # all lines of the case
    totals: Totals
    editable: bool
    stamp: str = ""  # the case's change stamp as read (what a live screen has seen)
    may_edit_prices: bool = False  # the reader may type a price away from the one in force
    prices_edited: bool = False  # the case's flag: some line's price was typed by hand


@dataclass(frozen=True)
class LineChange:
    line: LineView | None  # None after a removal
    line_count: int
    totals: Totals
    # The case's change stamp before and after this change: a live screen that had seen the
    # first may take the second as seen, instead of re-reading its own edit.
    stamps: tuple[str, str] = ("", "")
    prices_edited: bool = False  # the case's flag after this change


def _priced(line: DeviceLine, maker: str) -> PricedLine:
    return PricedLine(maker, line.quantity, line.unit_price, UsageStatus(line.usage_status), line.no_charge)


def _view(line: DeviceLine, ref: str, description: str, maker: str, surgery_date: date, gtin: str | None = None) -> LineView:
    usage = UsageStatus(line.usage_status)
    priced = _priced(line, maker)
    return LineView(
        line.id,
        line.position,
        ref,
        description,
        maker,
        line.lot,
        line.serial,
        line.expiry,
        line.quantity,
        usage,
        line.unit_price,
        PriceSource(line.price_source),
        line.no_charge,
        line.note,
        extended_price(priced),
        is_billable(priced),
        is_expired_for(line.expiry, surgery_date),
        line.scan_warning,
        line.version,
        price_reason=line.price_reason,
        price_in_force=line.catalog_price if line.catalog_price is not None else line.unit_price,
        gtin=gtin or "",
    )


def _lines_query(case_id: int):
    return (
        select(DeviceLine, Product.ref, Product.description, Manufacturer.name, Product.gtin)
        .join(Product, Product.id == DeviceLine.product_id)
        .join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
        .where(DeviceLine.case_id == case_id)
    )


def totals_of(session: Session, case_id: int) -> tuple[Totals, int]:
    rows = session.exec(
        select(Manufacturer.name, DeviceLine.quantity, DeviceLine.unit_price, DeviceLine.usage_status, DeviceLine.no_charge)
        .join(Product, Product.id == DeviceLine.product_id)
        .join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
        .where(DeviceLine.case_id == case_id)
    ).all()
    priced = [PricedLine(m, q, p, UsageStatus(u), nc) for m, q, p, u, nc in rows]
    return case_totals(priced), len(priced)


def billable_total(session: Session, case_id: int) -> Decimal:
    return totals_of(session, case_id)[0].grand_total


def _one_view(session: Session, case: Case, line_id: int) -> LineView:
    line, ref, description, maker, gtin = session.exec(_lines_query(case.id).where(DeviceLine.id == line_id)).one()
    return _view(line, ref, description, maker, case.surgery_date, gtin)


def list_lines(actor: Actor, case_number: str, page: int = 1, page_size: int = 25, text: str = "") -> LinePage:
    """One page of the case's lines (in the order added), filtered by REF, description,
    manufacturer, lot or serial, with the totals of the whole case."""
    with reading() as session:
        return page_of(session, actor, case_for(session, actor, case_number), page, page_size, text)


def page_of(session: Session, actor: Actor, case: Case, page: int = 1, page_size: int = 25, text: str = "") -> LinePage:
    """`list_lines` for a case the caller has already found (and checked access to)."""
    page, page_size = max(1, int(page)), min(max(1, int(page_size)), 200)
    query = _lines_query(case.id)
    text = lookup_text(text, 60)
    if text:
        pattern = f"%{text}%"
        query = query.where(
            or_(
                Product.ref.ilike(pattern),
                Product.description.ilike(pattern),
                Manufacturer.name.ilike(pattern),
                DeviceLine.lot.ilike(pattern),
                DeviceLine.serial.ilike(pattern),
            )
        )
    rows = session.exec(query.order_by(DeviceLine.position).limit(page_size).offset((page - 1) * page_size)).all()
    if page == 1 and not text and len(rows) < page_size:  # every line is on this page: no more queries
        matching = line_count = len(rows)
        totals = case_totals(_priced(line, maker) for line, _, _, maker, _ in rows)
    else:
        matching = session.exec(select(func.count()).select_from(query.subquery())).one()
        totals, line_count = totals_of(session, case.id)
    return LinePage(
        [_view(line, ref, d, m, case.surgery_date, gtin) for line, ref, d, m, gtin in rows],
        matching,
        line_count,
        totals,
        allows(case.status, CaseAction.EDIT_DEVICES, actor.role),
        change_stamp(case),
        may_edit_prices(session, actor),
        case.prices_edited,
    )


def editable_case(session: Session, actor: Actor, case_number: str) -> Case:
    case = case_for(session, actor, case_number, lock=True)
    check(case.status, CaseAction.EDIT_DEVICES, actor.role)
    return case


def _line_of(session: Session, case: Case, line_id: object) -> DeviceLine:
    line = session.get(DeviceLine, line_id) if isinstance(line_id, int) else None
    if line is None or line.case_id != case.id:
        raise NotFound("That device line no longer exists; the list has been refreshed.")
    return line


def finish(session: Session, case: Case, line_id: int | None) -> LineChange:
    """After a change to the lines: the case's new totals (kept on the case for the console)
    and the changed line as the UI shows it."""
    session.flush()
    totals, count = totals_of(session, case.id)
    before = change_stamp(case)
    case.updated_at, case.billable_total = clock.now(), totals.grand_total
    case.prices_edited = prices_edited(session, case.id)
    session.add(case)
    view = _one_view(session, case, line_id) if line_id is not None else None
    return LineChange(view, count, totals, (before, change_stamp(case)), case.prices_edited)


def create_line(session: Session, actor: Actor, case: Case, product: Product, how: str = "", **fields) -> DeviceLine:
    """Append a line for `product`, priced from the facility's contract or list, with its
    audit row. `fields` are label data already validated (lot, serial, expiry...)."""
    count = session.exec(select(func.count()).where(DeviceLine.case_id == case.id)).one()
    if count >= MAX_LINES_PER_CASE:
        raise DomainError(f"A case holds at most {MAX_LINES_PER_CASE:,} device lines.")
    last = session.exec(select(func.max(DeviceLine.position)).where(DeviceLine.case_id == case.id)).one()
    price, source = default_price(product.list_price, contract_price(session, case.facility_id, product.id, case.surgery_date))
    line = DeviceLine(case_id=case.id, position=(last or 0) + 1, product_id=product.id, usage_status=UsageStatus.USED.value,
                      unit_price=price, price_source=source.value, **fields)  # fmt: skip
    session.add(line)
    session.flush()
    audit.record(
        session, actor, case_id=case.id, action=f"line added{how}", entity="device_line", entity_id=line.id,
        summary=f"Added line {line.position}{how}: {product.ref} {product.description}",
        after={"product": product.ref, "quantity": line.quantity, "unit_price": str(price), "price_source": source.value,
               **{k: _stored(v) for k, v in fields.items()}},
    )  # fmt: skip
    return line


def add_line(actor: Actor, case_number: str, product_id: int) -> LineChange:
    """Add one unit of a catalog product, priced from the facility's contract or list."""
    with transaction() as session:
        case = editable_case(session, actor, case_number)
        product = session.get(Product, product_id) if isinstance(product_id, int) else None
        if product is None:
            raise NotFound("That product is not in the catalog.")
        return finish(session, case, create_line(session, actor, case, product).id)


def _stored(value: object) -> object:
    """How a value is written into the audit row's JSON."""
    if isinstance(value, date | Decimal):
        return str(value)
    return value


class StaleEdit(DomainError):
    """The line changed on another screen since this one showed it; `fresh` is how it is now."""

    def __init__(self, message: str, fresh: LineView):
        super().__init__(message)
        self.fresh = fresh


def update_line(
    actor: Actor, case_number: str, line_id: int, field: str, raw: object, expected_version: object = None,
    price_reason: object = "",
) -> LineChange:
    """Save one inline edit. A price typed by hand becomes 'edited' unless it equals the price
    the line would get anyway; an edited price needs the user's permission and a reason
    (services/line_prices.py). With `expected_version` (what the screen showed), an edit made
    meanwhile on another screen is never overwritten: StaleEdit carries the fresh line."""
    value = parse_field(field, raw)
    with transaction() as session:
        case = editable_case(session, actor, case_number)
        line = _line_of(session, case, line_id)
        if isinstance(expected_version, int) and not isinstance(expected_version, bool) and expected_version != line.version:
            fresh = _one_view(session, case, line.id)
            raise StaleEdit(f"Line {line.position} was changed by someone else meanwhile; your change was not saved. "
                            "The current values are shown.", fresh)  # fmt: skip
        before = {field: _stored(getattr(line, field)), "price_source": line.price_source, **_reason_of(line, field)}
        stored = value.value if isinstance(value, UsageStatus) else value
        if field == "unit_price":
            stored = price_line(session, actor, case, line, value, price_reason).unit_price
        else:
            setattr(line, field, stored)
        after = {field: _stored(stored), "price_source": line.price_source, **_reason_of(line, field)}
        if after == before:
            return finish(session, case, line.id)  # nothing changed: no audit row
        line.updated_at, line.version = clock.now(), line.version + 1
        session.add(line)
        why = f" ({after['price_reason']})" if after.get("price_reason") else ""
        audit.record(
            session,
            actor,
            case_id=case.id,
            action="line edited",
            entity="device_line",
            entity_id=line.id,
            summary=f"Line {line.position}: {FIELD_LABELS[field]} {_shown(before[field])} → {_shown(after[field])}{why}",
            before=before,
            after=after,
        )
        return finish(session, case, line.id)


def set_price(
    actor: Actor, case_number: str, line_id: int, raw_price: object, reason: object, expected_version: object = None
) -> LineChange:
    """Type a unit price with the reason it differs from the contract or list price in force
    (ignored, and cleared, when it does not differ)."""
    return update_line(actor, case_number, line_id, "unit_price", raw_price, expected_version, price_reason=reason)


def _reason_of(line: DeviceLine, field: str) -> dict:
    """A price edit's audit row carries the reason before and after."""
    return {"price_reason": line.price_reason} if field == "unit_price" else {}


def _shown(value: object) -> str:
    if value is True:
        return "on"
    if value is False:
        return "off"
    return "(blank)" if value in ("", None) else str(value)


def remove_line(actor: Actor, case_number: str, line_id: int) -> LineChange:
    """Delete a line; the audit row keeps what it was."""
    with transaction() as session:
        case = editable_case(session, actor, case_number)
        line = _line_of(session, case, line_id)
        view = _one_view(session, case, line.id)
        session.delete(line)
        audit.record(
            session,
            actor,
            case_id=case.id,
            action="line removed",
            entity="device_line",
            entity_id=line.id,
            summary=f"Removed line {view.position}: {view.ref} {view.description}",
            before={
                "product": view.ref,
                "lot": view.lot,
                "serial": view.serial,
                "quantity": view.quantity,
                "unit_price": str(view.unit_price),
                "usage_status": view.usage_status.value,
            },
        )
        return finish(session, case, None)
