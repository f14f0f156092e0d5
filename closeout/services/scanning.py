"""Scan to add: a GS1 or HIBC label adds a device line (or completes the line its primary
label or a catalog search started), priced from the facility's contract."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, func, select

from ..domain.barcodes import ScanData, parse_scan
from ..domain.errors import DomainError
from ..domain.scanning import EXPIRED_CONFIRMED, GUESSED, catalog_code, expired_at_surgery
from ..models import Case, DeviceLine, Manufacturer, Product
from . import audit
from .auth import Actor
from .db import transaction
from .device_lines import LineChange, create_line, editable_case, finish


class ScanRefused(DomainError):
    """The scan adds nothing; `search` is what to look up in the catalog instead, if any."""

    def __init__(self, message: str, search: str = ""):
        super().__init__(message)
        self.search = search


@dataclass(frozen=True)
class ScanOutcome:
    status: str  # added | completed | confirm_expired
    message: str
    change: LineChange | None = None
    expiry: date | None = None


def _product(session: Session, data: ScanData) -> Product:
    if data.kind == "gs1":
        product = session.exec(select(Product).where(Product.gtin == data.gtin)).first()
        search = data.gtin.lstrip("0")
    else:
        candidates = session.exec(
            select(Product).join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
            .where(Manufacturer.hibc_lic == data.labeler)
        ).all()  # fmt: skip
        product = next((p for p in candidates if catalog_code(p.ref) == data.product), None)
        search = data.product
    if product is None:
        raise ScanRefused("This product is not in the catalog. Search for it and add it by hand.", search)
    return product


def _unlabelled_line(session: Session, case: Case, **where) -> DeviceLine | None:
    """The latest line still waiting for its label data (no lot and no serial)."""
    query = select(DeviceLine).where(DeviceLine.case_id == case.id, DeviceLine.lot == "", DeviceLine.serial == "")
    for column, value in where.items():
        query = query.where(getattr(DeviceLine, column) == value)
    return session.exec(query.order_by(DeviceLine.position.desc())).first()


def _refuse_duplicate_serial(session: Session, case: Case, serial: str) -> None:
    if not serial:
        return
    clash = session.exec(
        select(DeviceLine.position).where(DeviceLine.case_id == case.id, func.lower(DeviceLine.serial) == serial.lower())
    ).first()  # fmt: skip
    if clash is not None:
        raise ScanRefused(f"Serial {serial} is already on line {clash} of this case.")


def _label_fields(data: ScanData, warning: str) -> dict:
    fields = {"lot": data.lot, "serial": data.serial, "expiry": data.expiry, "scan_warning": warning}
    if data.quantity:
        fields["quantity"] = data.quantity
    return {k: v for k, v in fields.items() if v not in ("", None) or k == "scan_warning"}


def _fill(session: Session, actor: Actor, case: Case, line: DeviceLine, data: ScanData, warning: str) -> None:
    before = {"lot": line.lot, "serial": line.serial, "expiry": str(line.expiry) if line.expiry else None}
    for key, value in _label_fields(data, warning).items():
        setattr(line, key, value)
    line.version += 1
    session.add(line)
    audit.record(
        session, actor, case_id=case.id, action="line completed by scan", entity="device_line", entity_id=line.id,
        summary=f"Line {line.position}: label scanned (lot {line.lot or '—'}, serial {line.serial or '—'}, "
        f"expiry {line.expiry or '—'})", before=before,
        after={"lot": line.lot, "serial": line.serial, "expiry": str(line.expiry) if line.expiry else None},
    )  # fmt: skip


def scan(actor: Actor, case_number: str, raw: object, confirm_expired: bool = False) -> ScanOutcome:
    """Validate, match and add (or complete) one line. An expired device is only added
    when the rep has confirmed; nothing else is asked."""
    data = parse_scan(raw)
    with transaction() as session:
        case = editable_case(session, actor, case_number)
        if data.secondary_only:
            line = _unlabelled_line(session, case, hibc_link=data.link)
            if line is None:
                raise ScanRefused("Scan the product's primary label first, then this one.")
        else:
            product = _product(session, data)
            line = _unlabelled_line(session, case, product_id=product.id)
        _refuse_duplicate_serial(session, case, data.serial)
        if expired_at_surgery(data.expiry, case.surgery_date) and not confirm_expired:
            return ScanOutcome("confirm_expired", f"This device expired on {data.expiry:%b %-d, %Y}, before the "
                               "surgery date. Add it anyway?", expiry=data.expiry)  # fmt: skip
        warnings = [GUESSED] if data.guessed else []
        if expired_at_surgery(data.expiry, case.surgery_date):
            warnings.append(EXPIRED_CONFIRMED)
        warning = " ".join(warnings)[:200]
        if line is not None:
            _fill(session, actor, case, line, data, warning)
            return ScanOutcome("completed", f"Line {line.position} completed from the label.",
                               finish(session, case, line.id))  # fmt: skip
        fields = _label_fields(data, warning)
        if data.kind == "hibc":
            fields["hibc_link"] = data.check
        line = create_line(session, actor, case, product, how=" by scan", **fields)
        return ScanOutcome("added", f"Added line {line.position}: {product.ref}.", finish(session, case, line.id))
