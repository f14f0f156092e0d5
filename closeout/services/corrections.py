"""Correction after Completed (credit and rebill): reopening a Completed, Invoiced or Paid case
keeps its sales order as it stood (PDF, lines, total), credits the current invoice and starts
the next revision (SO-…-R1). Every kept revision is listed on Share and served to those who may
see the case. Payments stay: they count toward the rebill's invoice."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, select

from ..domain import clock
from ..domain.errors import NotAllowed, NotFound
from ..domain.lifecycle import CaseStatus
from ..domain.money import format_usd
from ..domain.sharing import sales_order_number
from ..models import Case, Invoice, SalesOrderRevision, User
from . import audit, sales_order
from .access import case_for
from .auth import Actor
from .db import reading
from .revision_lines import snapshot


def current_invoice(session: Session, case: Case) -> Invoice | None:
    """The invoice not yet credited (at most one: a correction credits it before the next)."""
    return session.exec(
        select(Invoice).where(Invoice.case_id == case.id, Invoice.credited_at.is_(None)).order_by(Invoice.id.desc())
    ).first()


def keep_and_credit(session: Session, actor: Actor, case: Case, status: CaseStatus, reason: str) -> SalesOrderRevision:
    """In the reopening transaction: keep the sales order as it stood, credit the current
    invoice, bump the case's revision and clear its invoice figures (payments stay). A
    conditional UPDATE on the revision makes a second screen's correction find it done."""
    order, pdf = sales_order.build(session, case)
    kept = SalesOrderRevision(case_id=case.id, revision=case.revision, number=order.number, total=order.grand_total,
                              lines=snapshot(session, case.id), pdf=pdf, reason=reason, superseded_by_id=actor.id)  # fmt: skip
    session.add(kept)
    invoice = current_invoice(session, case)
    if invoice is not None:
        invoice.credited_at, invoice.credit_reason = clock.now(), reason[:200]
        session.add(invoice)
    done = session.execute(
        sa.update(Case).where(Case.id == case.id, Case.revision == case.revision, Case.status == status.value)
        .values(revision=case.revision + 1, invoiced_on=None, invoice_amount=None, paid_on=None)
    )  # fmt: skip
    if done.rowcount != 1:
        raise NotAllowed("This case was changed on another screen; it has been refreshed.")
    session.flush()
    session.refresh(case)
    credited = f"; invoice {invoice.number} ({format_usd(invoice.amount)}) credited" if invoice else ""
    audit.record(
        session, actor, case_id=case.id, action="sales order corrected", entity="sales_order_revision", entity_id=kept.id,
        summary=f"Credit and rebill: {order.number} ({format_usd(order.grand_total)}) kept{credited}; "
        f"next: {sales_order_number(case.number, case.revision)}",
        before={"revision": kept.revision, "number": order.number, "total": str(order.grand_total),
                "invoice": invoice.number if invoice else None, "invoice_amount": str(invoice.amount) if invoice else None},
        after={"revision": case.revision, "number": sales_order_number(case.number, case.revision), "reason": reason,
               "invoice_credited": invoice is not None, "paid_amount": str(case.paid_amount)},
    )  # fmt: skip
    return kept


@dataclass(frozen=True)
class RevisionRow:
    revision: int
    number: str
    total: Decimal  # the current sales order's: what the case bills now
    reason: str
    superseded_at: datetime | None
    superseded_by: str
    current: bool = False


def revisions_of(actor: Actor, case_number: str) -> list[RevisionRow]:
    """Every sales order the case has had, the current one first, then the kept ones newest
    first. Only a corrected case has more than one."""
    with reading() as session:
        case = case_for(session, actor, case_number)
        rows = session.exec(
            select(SalesOrderRevision.revision, SalesOrderRevision.number, SalesOrderRevision.total,
                   SalesOrderRevision.reason, SalesOrderRevision.superseded_at, User.name)
            .join(User, User.id == SalesOrderRevision.superseded_by_id)
            .where(SalesOrderRevision.case_id == case.id).order_by(SalesOrderRevision.revision.desc())
        ).all()  # fmt: skip
        current = RevisionRow(case.revision, sales_order_number(case.number, case.revision), case.billable_total, "", None,
                              "", True)  # fmt: skip
        return [current, *(RevisionRow(*row) for row in rows)]


def revision_pdf(actor: Actor, case_number: str, revision: int) -> tuple[str, bytes]:
    """A kept revision's PDF exactly as it stood, for someone who may see the case."""
    with reading() as session:
        case = case_for(session, actor, case_number)
        kept = session.exec(
            select(SalesOrderRevision).where(SalesOrderRevision.case_id == case.id,
                                             SalesOrderRevision.revision == revision)
        ).first()  # fmt: skip
        if kept is None:
            raise NotFound("That sales order revision was not found.")
        return f"{kept.number}.pdf", kept.pdf
