"""Assemble a case's sales order from the database and render it (documents/sales_order)."""

import hashlib
from dataclasses import replace
from datetime import datetime

from sqlmodel import Session, select

from .. import settings
from ..documents.sales_order import OrderLine, OrderSignature, SalesOrder, render
from ..domain import clock
from ..domain.catalog import PriceSource, UsageStatus
from ..domain.lifecycle import STATUS_LABELS, CaseStatus
from ..domain.pricing import PricedLine, extended_price
from ..domain.sharing import sales_order_number
from ..domain.signing import ROLE_LABELS, SignatureKind, SignerRole
from ..models import Case, DeviceLine, Facility, Manufacturer, Product, PurchaseOrder, Surgeon, User
from .device_lines import totals_of
from .revision_lines import correction
from .signatures import fingerprint_of, views


def local_time(moment: datetime) -> str:
    """A time for print, in CLOSEOUT_TIMEZONE (default UTC), with the zone named."""
    zone = settings.print_timezone()
    return moment.astimezone(zone).strftime("%b %-d, %Y %-I:%M %p %Z")


def _lines(session: Session, case: Case) -> list[OrderLine]:
    rows = session.exec(
        select(DeviceLine, Product.ref, Product.description, Manufacturer.name, Product.gtin)
        .join(Product, Product.id == DeviceLine.product_id)
        .join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
        .where(DeviceLine.case_id == case.id, DeviceLine.usage_status != UsageStatus.UNUSED.value)
        .order_by(DeviceLine.position)
    ).all()  # fmt: skip
    return [
        OrderLine(ref, desc, maker, line.lot, line.serial, line.expiry, line.usage_status, line.quantity,
                  line.unit_price, PriceSource(line.price_source) is PriceSource.EDITED, line.no_charge,
                  extended_price(PricedLine(maker, line.quantity, line.unit_price, UsageStatus(line.usage_status),
                                            line.no_charge)), gtin=gtin or "", price_reason=line.price_reason)
        for line, ref, desc, maker, gtin in rows
    ]  # fmt: skip


def _purchase_orders(session: Session, case_id: int) -> list[tuple[str, str]]:
    """(manufacturer or "All manufacturers", PO number), as entered; read here rather than from
    services/billing, which reopens (and so corrects) cases by building this very document."""
    rows = session.exec(
        select(Manufacturer.name, PurchaseOrder.number)
        .outerjoin(Manufacturer, Manufacturer.id == PurchaseOrder.manufacturer_id)
        .where(PurchaseOrder.case_id == case_id).order_by(PurchaseOrder.id)
    ).all()  # fmt: skip
    return [(maker or "All manufacturers", number) for maker, number in rows]


def _signatures(session: Session, case: Case) -> list[OrderSignature]:
    """Each standing signature as the sales order prints it, a pre-authorization first."""
    given = views(session, case)
    return [
        OrderSignature(ROLE_LABELS[role], v.signer_name, v.meaning, v.signed_at_text, v.kind == SignatureKind.ATTESTATION,
                       v.image, v.title, v.how_given, v.since)
        for role in SignerRole if (v := given.get(role)) is not None
    ]  # fmt: skip


def assemble(session: Session, case: Case, generated_at: datetime | None = None) -> SalesOrder:
    facility = session.get(Facility, case.facility_id)
    totals, _ = totals_of(session, case.id)
    pos = _purchase_orders(session, case.id)
    return SalesOrder(
        seller_name=settings.seller_name(), seller_address=settings.seller_address(),
        number=sales_order_number(case.number, case.revision), case_number=case.number,
        status=STATUS_LABELS[CaseStatus(case.status)], facility=facility.name, bill_to=facility.address,
        account_number=facility.account_number, surgeon=session.get(Surgeon, case.surgeon_id).name,
        procedure=case.procedure, surgery_date=case.surgery_date, patient_ref=case.patient_ref,
        sales_rep=session.get(User, case.rep_id).name, purchase_orders=pos, lines=_lines(session, case),
        subtotals=list(totals.by_manufacturer), grand_total=totals.grand_total,
        signatures=_signatures(session, case), fingerprint=fingerprint_of(session, case.id),
        generated_at=local_time(generated_at or clock.now()),
        correction=correction(session, case, totals.grand_total),
    )  # fmt: skip


def document_fingerprint(order: SalesOrder) -> str:
    """What the reader of a shared copy saw: lines, status, POs and signers (not the time
    it was generated). A different value means the shared copy is out of date."""
    revision = [order.number] if "-R" in order.number else []  # R0 as before revisions existed: shares stay current
    parts = [order.fingerprint, *revision, order.status, repr(order.purchase_orders),
             repr([(s.role, s.signer_name, s.signed_at) for s in order.signatures])]  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def build(session: Session, case: Case, buyer_url: str = "") -> tuple[SalesOrder, bytes]:
    """The sales order and its PDF; with `buyer_url` (a buyer's PO link) the PDF carries it as a
    QR code and an address. The link is not part of `document_fingerprint`: what was shared."""
    order = replace(assemble(session, case), buyer_url=buyer_url)
    return order, render(order)


def filename(order: SalesOrder) -> str:
    return f"{order.number}.pdf"
