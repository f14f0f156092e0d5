"""The lines a sales order prints, as a snapshot to keep with a superseded revision, and the
correction a revised sales order prints (what it replaces, the credit, the rebill, what changed).

Read by services/sales_order.py (which must not import the correction itself: that builds PDFs)."""

from sqlmodel import Session, select

from ..domain.catalog import UsageStatus
from ..domain.content_changes import LineFacts
from ..domain.pricing import PricedLine, extended_price
from ..domain.revisions import Correction, snapshot_line, what_changed
from ..models import Case, DeviceLine, Manufacturer, Product, SalesOrderRevision


def snapshot(session: Session, case_id: int) -> list[dict]:
    """The printed lines (Unused ones are not printed), in line order, JSON-safe."""
    rows = session.exec(
        select(DeviceLine, Product.ref, Product.description, Manufacturer.name)
        .join(Product, Product.id == DeviceLine.product_id)
        .join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
        .where(DeviceLine.case_id == case_id, DeviceLine.usage_status != UsageStatus.UNUSED.value)
        .order_by(DeviceLine.position)
    ).all()  # fmt: skip
    return [
        snapshot_line(line.id, LineFacts(
            line.position, ref, line.lot, line.serial, line.expiry, line.quantity, line.usage_status, line.unit_price,
            extended_price(PricedLine(maker, line.quantity, line.unit_price, UsageStatus(line.usage_status), line.no_charge)),
            line.no_charge), description, maker)
        for line, ref, description, maker in rows
    ]  # fmt: skip


def superseded(session: Session, case: Case) -> SalesOrderRevision | None:
    """The revision the case's current sales order replaces (None for an original)."""
    if not case.revision:
        return None
    return session.exec(
        select(SalesOrderRevision).where(SalesOrderRevision.case_id == case.id,
                                         SalesOrderRevision.revision == case.revision - 1)
    ).first()  # fmt: skip


def correction(session: Session, case: Case, rebill) -> Correction | None:
    """What a corrected sales order prints about the one it replaces; `rebill`: its own total."""
    previous = superseded(session, case)
    if previous is None:
        return None
    return Correction(previous.number, previous.reason, previous.total, rebill,
                      what_changed(previous.lines, snapshot(session, case.id)))  # fmt: skip
