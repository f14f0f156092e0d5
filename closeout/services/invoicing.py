"""Invoiced and Paid (managers): record the invoice of a Completed case, then the payments
received. Several payments add up; the case is Paid once they reach the current invoice's
amount and stays Invoiced while short. The case keeps its invoice figures (invoiced_on,
invoice_amount, paid_amount, paid_on) in the same transaction, for the console and dashboard."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlmodel import Session, select

from ..domain import clock
from ..domain.errors import NotAllowed
from ..domain.invoicing import Balance, parse_amount, parse_day, parse_invoice_number, parse_reference, settled_status
from ..domain.lifecycle import STATUS_LABELS, CaseAction, CaseStatus, allows, check
from ..domain.money import format_usd
from ..domain.sharing import sales_order_number
from ..models import Case, Facility, Invoice, Payment, User
from . import audit
from .access import case_for
from .auth import Actor
from .corrections import current_invoice
from .db import reading, transaction


def facility_today(session: Session, case: Case) -> date:
    """Today where the surgery happened (the clock's instant in the facility's time zone)."""
    try:
        return clock.now().astimezone(ZoneInfo(session.get(Facility, case.facility_id).time_zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return clock.today()


def _settle(session: Session, case: Case, expected: CaseStatus, to: CaseStatus, **values) -> None:
    """One conditional UPDATE: only if the case still has the status, revision and payments it
    was read with, so two managers (or a double click) never move or count it twice."""
    done = session.execute(
        sa.update(Case).where(Case.id == case.id, Case.status == expected.value, Case.revision == case.revision,
                              Case.paid_amount == case.paid_amount)
        .values(status=to.value, updated_at=clock.now(), **values)
    )  # fmt: skip
    if done.rowcount != 1:
        raise NotAllowed("This case was changed on another screen; it has been refreshed.")
    session.refresh(case)


def _last_payment_day(session: Session, case: Case) -> date | None:
    return session.exec(select(sa.func.max(Payment.paid_on)).where(Payment.case_id == case.id)).one()


def record_invoice(actor: Actor, case_number: str, number: object, invoice_date: object, amount: object) -> CaseStatus:
    """Completed → Invoiced (or straight to Paid when payments kept from before a correction
    already cover the rebill's amount)."""
    number, amount = parse_invoice_number(number), parse_amount(amount, "invoice_amount")
    with transaction() as session:
        case = case_for(session, actor, case_number, lock=True)
        before = CaseStatus(case.status)
        check(before, CaseAction.INVOICE, actor.role)
        day = parse_day(invoice_date, case.surgery_date, facility_today(session, case), "invoice_date", "invoice date")
        invoice = Invoice(case_id=case.id, revision=case.revision, number=number, invoice_date=day, amount=amount,
                          created_by_id=actor.id)  # fmt: skip
        session.add(invoice)
        session.flush()
        to = settled_status(amount, case.paid_amount)
        paid_on = _last_payment_day(session, case) if to is CaseStatus.PAID else None
        _settle(session, case, before, to, invoiced_on=day, invoice_amount=amount, paid_on=paid_on)
        so = sales_order_number(case.number, case.revision)
        audit.record(
            session, actor, case_id=case.id, action="invoiced", entity="invoice", entity_id=invoice.id,
            summary=f"Invoice {number} of {day:%b %-d, %Y} for {format_usd(amount)} ({so}): {STATUS_LABELS[to]}",
            before={"status": before.value},
            after={"status": to.value, "number": number, "date": day.isoformat(), "amount": str(amount),
                   "sales_order": so, "received": str(case.paid_amount)},
        )  # fmt: skip
        return to


def record_payment(actor: Actor, case_number: str, paid_on: object, amount: object, reference: object = "",
                   entry_id: object = None) -> CaseStatus:  # fmt: skip
    """A payment of an Invoiced (or already Paid: an overpayment) case. Paid once the payments
    reach the invoice amount; paid_on is then the latest payment's date. `entry_id`, the form's
    one-time id, makes a double click (or a resent event) record one payment, not two."""
    amount, reference = parse_amount(amount), parse_reference(reference)
    entry = str(entry_id)[:40] if entry_id else None
    with transaction() as session:
        case = case_for(session, actor, case_number, lock=True)
        if entry and session.exec(select(Payment.id).where(Payment.entry_id == entry)).first() is not None:
            raise NotAllowed("This payment was already recorded.")
        before = CaseStatus(case.status)
        check(before, CaseAction.RECORD_PAYMENT, actor.role)
        day = parse_day(paid_on, case.surgery_date, facility_today(session, case), "paid_on", "payment date")
        payment = Payment(case_id=case.id, paid_on=day, amount=amount, reference=reference, recorded_by_id=actor.id,
                          entry_id=entry)  # fmt: skip
        session.add(payment)
        session.flush()
        was_paid, received = case.paid_amount, case.paid_amount + amount
        to = settled_status(case.invoice_amount, received)
        paid_now = to is CaseStatus.PAID and before is not CaseStatus.PAID
        settled_on = _last_payment_day(session, case) if paid_now else case.paid_on if to is CaseStatus.PAID else None
        _settle(session, case, before, to, paid_amount=received, paid_on=settled_on)
        balance = Balance(case.invoice_amount, received)
        audit.record(
            session, actor, case_id=case.id, action="payment recorded", entity="payment", entity_id=payment.id,
            summary=f"Payment of {format_usd(amount)} on {day:%b %-d, %Y}" + (f" (ref. {reference})" if reference else "")
            + f": {balance.words()}",
            before={"status": before.value, "received": str(was_paid)},
            after={"status": to.value, "received": str(received), "amount": str(amount), "date": day.isoformat(),
                   "reference": reference, "balance": str(balance.difference)},
        )  # fmt: skip
        return to


@dataclass(frozen=True)
class InvoiceView:
    number: str
    invoice_date: date
    amount: Decimal
    sales_order: str
    credited_at: datetime | None = None
    credit_reason: str = ""


@dataclass(frozen=True)
class PaymentView:
    paid_on: date
    amount: Decimal
    reference: str
    recorded_by: str


@dataclass(frozen=True)
class MoneyPanel:
    """What the Sign & Submit tab's money panel shows (one read)."""

    status: CaseStatus
    sales_order: str
    surgery_date: date
    today: date  # at the facility: the latest date a form accepts
    invoice: InvoiceView | None
    credited: list[InvoiceView]
    payments: list[PaymentView]
    received: Decimal
    balance: Balance | None  # None until invoiced
    can_invoice: bool
    can_record_payment: bool


def money_panel(actor: Actor, case_number: str) -> MoneyPanel:
    with reading() as session:
        case = case_for(session, actor, case_number)
        invoices = [
            InvoiceView(i.number, i.invoice_date, i.amount, sales_order_number(case.number, i.revision), i.credited_at,
                        i.credit_reason)
            for i in session.exec(select(Invoice).where(Invoice.case_id == case.id).order_by(Invoice.id.desc())).all()
        ]  # fmt: skip
        current = current_invoice(session, case)
        payments = [
            PaymentView(p.paid_on, p.amount, p.reference, who)
            for p, who in session.exec(select(Payment, User.name).join(User, User.id == Payment.recorded_by_id)
                                       .where(Payment.case_id == case.id).order_by(Payment.paid_on, Payment.id)).all()
        ]  # fmt: skip
        status = CaseStatus(case.status)
        return MoneyPanel(
            status, sales_order_number(case.number, case.revision), case.surgery_date, facility_today(session, case),
            next((i for i in invoices if current is not None and i.credited_at is None), None),
            [i for i in invoices if i.credited_at is not None], payments, case.paid_amount,
            Balance(case.invoice_amount, case.paid_amount) if case.invoice_amount is not None else None,
            allows(status, CaseAction.INVOICE, actor.role), allows(status, CaseAction.RECORD_PAYMENT, actor.role),
        )  # fmt: skip
