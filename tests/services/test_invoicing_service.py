"""Invoiced and Paid, and the correction after Completed (credit and rebill): the money rules
through the services, who may, the refusals, the audit rows, and what the console and the
dashboard make of it."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.console import ConsoleFilters, parse_filters
from closeout.domain.errors import InvalidInput, NotAllowed, NotFound
from closeout.domain.lifecycle import CaseStatus
from closeout.models import AuditEvent, Case, Invoice, SalesOrderRevision
from closeout.services import billing, console, corrections, invoicing, payment_dashboard, reopening, sales_order
from closeout.services.auth import Actor
from closeout.services.db import reading, transaction
from tests.factories import closed_case, demo_rep, manager, new_facility, sign_both

TODAY = clock.today()


def completed_case(lines: int = 2, facility: str = "St. Brigid Medical Center") -> str:
    number = closed_case(lines=lines, facility=facility)
    billing.enter_purchase_orders(demo_rep(), number, {None: f"PO-{number[-6:]}"})
    return number


def case_row(number: str) -> Case:
    with reading() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        session.expunge(case)
        return case


def audit_actions(number: str) -> list[tuple[str, dict | None, dict | None]]:
    with reading() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        rows = session.exec(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)).all()
        return [(r.action, r.before, r.after) for r in rows]


def invoiced(amount: str = "1000.00") -> str:
    number = completed_case()
    invoicing.record_invoice(manager(), number, "INV-1", TODAY.isoformat(), amount)
    return number


def test_a_manager_invoices_a_completed_case():
    number = completed_case()
    assert invoicing.record_invoice(manager(), number, "  INV-2026-0042 ", TODAY.isoformat(), "$1,250.50") is CaseStatus.INVOICED
    case = case_row(number)
    assert (case.status, case.invoiced_on, case.invoice_amount, case.paid_amount) == ("invoiced", TODAY, Decimal("1250.50"), 0)
    action, before, after = audit_actions(number)[-1]
    assert action == "invoiced" and before == {"status": "completed"}
    assert after["number"] == "INV-2026-0042" and after["amount"] == "1250.50" and after["status"] == "invoiced"
    panel = invoicing.money_panel(manager(), number)
    assert panel.invoice.number == "INV-2026-0042" and panel.balance.words() == "Short by $1,250.50"
    assert panel.can_record_payment and not panel.can_invoice


def test_partial_payments_stay_invoiced_and_the_last_one_makes_it_paid():
    number = invoiced("1000.00")
    assert invoicing.record_payment(manager(), number, TODAY, "400", "CHK 1001") is CaseStatus.INVOICED
    panel = invoicing.money_panel(manager(), number)
    assert panel.received == Decimal("400.00") and panel.balance.words() == "Short by $600.00"
    assert console.case_page(manager(), ConsoleFilters(search=number, statuses=("invoiced",)))[0][0].balance == 600
    assert invoicing.record_payment(manager(), number, TODAY.isoformat(), "599.99") is CaseStatus.INVOICED
    assert invoicing.money_panel(manager(), number).balance.words() == "Short by $0.01"
    assert invoicing.record_payment(manager(), number, TODAY.isoformat(), "0.01") is CaseStatus.PAID
    case = case_row(number)
    assert (case.status, case.paid_amount, case.paid_on) == ("paid", Decimal("1000.00"), TODAY)
    panel = invoicing.money_panel(manager(), number)
    assert panel.balance.words() == "Paid in full"
    assert [p.amount for p in panel.payments] == [Decimal("400.00"), Decimal("599.99"), Decimal("0.01")]
    payments = [(b, a) for action, b, a in audit_actions(number) if action == "payment recorded"]
    assert payments[0] == ({"status": "invoiced", "received": "0.00"},
                           {"status": "invoiced", "received": "400.00", "amount": "400.00", "date": TODAY.isoformat(),
                            "reference": "CHK 1001", "balance": "600.00"})  # fmt: skip
    assert payments[-1][1]["status"] == "paid"


def test_an_overpayment_is_paid_and_shown_with_the_difference():
    number = invoiced("100.00")
    assert invoicing.record_payment(manager(), number, TODAY.isoformat(), "130.25") is CaseStatus.PAID
    assert invoicing.money_panel(manager(), number).balance.words() == "Overpaid by $30.25"
    assert invoicing.record_payment(manager(), number, TODAY.isoformat(), "1") is CaseStatus.PAID  # a Paid case takes more
    assert invoicing.money_panel(manager(), number).balance.words() == "Overpaid by $31.25"


def test_a_rep_cannot_invoice_or_record_a_payment():
    number = completed_case()
    with pytest.raises(NotAllowed, match="Only a manager records invoices and payments"):
        invoicing.record_invoice(demo_rep(), number, "INV-1", TODAY.isoformat(), "10")
    invoicing.record_invoice(manager(), number, "INV-1", TODAY.isoformat(), "10")
    with pytest.raises(NotAllowed, match="Only a manager"):
        invoicing.record_payment(demo_rep(), number, TODAY.isoformat(), "10")
    assert not invoicing.money_panel(demo_rep(), number).can_record_payment
    assert case_row(number).paid_amount == 0


def test_wrong_status_and_crafted_values_are_refused():
    closed = closed_case()
    with pytest.raises(NotAllowed, match="once its Purchase Order is recorded"):
        invoicing.record_invoice(manager(), closed, "INV-1", TODAY.isoformat(), "10")
    number = completed_case()
    with pytest.raises(NotAllowed, match="Record the invoice before a payment"):
        invoicing.record_payment(manager(), number, TODAY.isoformat(), "10")
    surgery = case_row(number).surgery_date
    crafted = [("INV-1", (TODAY + timedelta(days=1)).isoformat(), "10", "in the future"),
               ("INV-1", (surgery - timedelta(days=1)).isoformat(), "10", "before the surgery"),
               ("INV-1", "15/06/2026", "10", "not a date"), ("INV-1", TODAY.isoformat(), 10.5, "as text"),
               ("INV-1", TODAY.isoformat(), "0", "more than"), ("INV-1", TODAY.isoformat(), "-5", "more than"),
               ("INV-1", TODAY.isoformat(), "1.005", "2 decimal"), ("INV-1", TODAY.isoformat(), "1000000000", "check it"),
               ("INV-1", TODAY.isoformat(), "NaN", "not an amount"), ("", TODAY.isoformat(), "10", "Enter the invoice number"),
               ("X" * 41, TODAY.isoformat(), "10", "at most 40"), ("INV\n1", TODAY.isoformat(), "10", "printable"),
               (None, TODAY.isoformat(), "10", "Enter the invoice number")]  # fmt: skip
    for invoice_number, day, amount, message in crafted:
        with pytest.raises(InvalidInput, match=message):
            invoicing.record_invoice(manager(), number, invoice_number, day, amount)
    with pytest.raises(InvalidInput) as refused:  # each refusal names the field it belongs next to
        invoicing.record_invoice(manager(), number, "INV-1", TODAY.isoformat(), "0")
    assert refused.value.field == "invoice_amount"
    assert case_row(number).status == "completed" and audit_actions(number)[-1][0] == "completed"
    other_reps = closed_case()
    with pytest.raises(NotFound):
        invoicing.money_panel(Actor(999999, "X", "x@example.com", "sales_rep"), other_reps)


def test_two_screens_cannot_invoice_twice():
    number = invoiced()
    with pytest.raises(NotAllowed, match="already invoiced"):
        invoicing.record_invoice(manager(), number, "INV-2", TODAY.isoformat(), "10")
    with reading() as session:
        assert len(session.exec(select(Invoice).join(Case).where(Case.number == number)).all()) == 1


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_correction_keeps_r0_credits_the_invoice_and_rebills_as_r1():
    number = invoiced("500.00")
    invoicing.record_payment(manager(), number, TODAY.isoformat(), "200.00")
    so = "SO-" + number[3:]
    with pytest.raises(NotAllowed, match="Only a manager can reopen"):
        reopening.reopen(demo_rep(), number, "wrong quantity billed")
    assert reopening.reopen(manager(), number, "wrong quantity billed") is CaseStatus.OPEN
    case = case_row(number)
    assert (case.status, case.revision, case.paid_amount) == ("open", 1, Decimal("200.00"))
    assert case.invoiced_on is None and case.invoice_amount is None and case.paid_on is None
    with reading() as session:
        [kept] = session.exec(select(SalesOrderRevision).where(SalesOrderRevision.case_id == case.id)).all()
        invoice = session.exec(select(Invoice).where(Invoice.case_id == case.id)).one()
    assert (kept.revision, kept.number, kept.reason, kept.total) == (0, so, "wrong quantity billed", case.billable_total)
    assert kept.pdf[:5] == b"%PDF-" and so in _pdf_text(kept.pdf) and len(kept.lines) == 2
    assert invoice.credited_at is not None and invoice.credit_reason == "wrong quantity billed"
    action, before, after = next(a for a in audit_actions(number) if a[0] == "sales order corrected")
    assert before["number"] == so and before["invoice"] == "INV-1" and after["number"] == f"{so}-R1"
    assert corrections.revision_pdf(manager(), number, 0) == (f"{so}.pdf", kept.pdf)
    assert corrections.revision_pdf(demo_rep(), number, 0)[0] == f"{so}.pdf"  # the case's rep sees it too
    with pytest.raises(NotFound):
        corrections.revision_pdf(manager(), number, 1)  # R1 is the current one: not kept yet
    rows = corrections.revisions_of(demo_rep(), number)
    assert [(r.number, r.current) for r in rows] == [(f"{so}-R1", True), (so, False)]

    # The rebill: one line's quantity changes; signed, submitted, PO again; R1 says what changed.
    with transaction() as session:
        session.execute(sa.text("UPDATE deviceline SET quantity = 2 WHERE case_id = :c AND position = 1"), {"c": case.id})
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    billing.enter_purchase_orders(demo_rep(), number, {None: f"PO-{number[-6:]}-B"})
    with reading() as session:
        order, pdf = sales_order.build(session, session.exec(select(Case).where(Case.number == number)).one())
    assert order.number == f"{so}-R1" and order.correction.corrects == so and order.correction.credit == Decimal(kept.total)
    assert any("quantity 1 → 2" in text for text in order.correction.changes)
    text = _pdf_text(pdf)
    assert f"Corrects {so}" in text and "quantity 1 → 2" in text and f"{so}-R1" in text

    # Re-invoiced: the payment kept from before counts toward the new invoice.
    assert invoicing.record_invoice(manager(), number, "INV-1-R1", TODAY.isoformat(), "300.00") is CaseStatus.INVOICED
    assert invoicing.money_panel(manager(), number).balance.words() == "Short by $100.00"
    assert [(i.number, i.sales_order) for i in invoicing.money_panel(manager(), number).credited] == [("INV-1", so)]
    [row] = console.case_page(manager(), ConsoleFilters(search=number, statuses=("invoiced",)))[0]
    assert (row.sales_order, row.invoice_number, row.balance) == (f"{so}-R1", "INV-1-R1", Decimal("100.00"))


def test_a_rebill_already_covered_by_kept_payments_is_paid_at_once():
    number = invoiced("500.00")
    invoicing.record_payment(manager(), number, TODAY.isoformat(), "500.00")
    reopening.reopen(manager(), number, "price correction")
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    billing.enter_purchase_orders(demo_rep(), number, {None: "PO-R1"})
    assert invoicing.record_invoice(manager(), number, "INV-R1", TODAY.isoformat(), "450.00") is CaseStatus.PAID
    assert invoicing.money_panel(manager(), number).balance.words() == "Overpaid by $50.00"
    assert case_row(number).paid_on == TODAY


def test_console_filters_invoiced_paid_outstanding_and_the_csv_columns():
    short, paid = invoiced("100.00"), invoiced("100.00")
    invoicing.record_payment(manager(), short, TODAY.isoformat(), "40.00")
    invoicing.record_payment(manager(), paid, TODAY.isoformat(), "100.00")
    outstanding = parse_filters({"status": "outstanding"})
    assert outstanding.outstanding and console.case_page(manager(), outstanding.with_(search=short))[1] == 1
    assert console.case_page(manager(), outstanding.with_(search=paid))[1] == 0
    assert console.case_page(manager(), parse_filters({"status": "paid", "q": paid}))[1] == 1
    assert console.case_page(manager(), parse_filters({"status": "paid", "q": short}))[1] == 0
    text = "".join(console.export_csv(manager(), outstanding.with_(search=short)))
    header, row = list(csv.reader(io.StringIO(text)))
    got = dict(zip(header, row, strict=True))
    assert (got["Status"], got["Sales order"], got["Invoice number"], got["Invoice date"], got["Invoice amount"], got["Paid"],
            got["Balance"]) == ("Invoiced", "SO-" + short[3:], "INV-1", TODAY.isoformat(), "100.00", "40.00", "60.00")  # fmt: skip


def _dated(number: str, surgery: date, po: int | None, invoice: int | None, paid: int | None, owed: str, status: str):
    """Put a case's money story on known days (the services only take dates up to today)."""
    with transaction() as session:
        session.execute(sa.update(Case).where(Case.number == number).values(
            surgery_date=surgery, status=status,
            completed_at=datetime.combine(surgery + timedelta(days=po), time(23), UTC) if po is not None else None,
            invoiced_on=surgery + timedelta(days=invoice) if invoice is not None else None,
            invoice_amount=Decimal("1000.00") if invoice is not None else None, paid_amount=Decimal("1000.00") - Decimal(owed),
            paid_on=surgery + timedelta(days=paid) if paid is not None else None))  # fmt: skip


def test_the_dashboard_days_to_po_invoice_and_paid_and_the_outstanding_amount():
    _, name = new_facility()
    numbers = [closed_case(facility=name) for _ in range(5)]
    surgery = TODAY - timedelta(days=100)
    _dated(numbers[0], surgery, 2, 10, 30, "0", "paid")
    _dated(numbers[1], surgery, 4, 12, 40, "0", "paid")
    _dated(numbers[2], surgery, 6, 20, None, "250.10", "invoiced")
    _dated(numbers[3], surgery, 8, 22, None, "999.99", "invoiced")
    _dated(numbers[4], surgery, 30, None, None, "1000.00", "completed")
    [row] = [r for r in payment_dashboard.payment_times(manager()) if r.facility == name]
    assert (row.to_po.cases, row.to_po.median, row.to_po.p90) == (5, 6, 30)
    assert (row.to_invoice.cases, row.to_invoice.median, row.to_invoice.p90) == (4, 12, 22)
    assert (row.to_paid.cases, row.to_paid.median, row.to_paid.p90) == (2, 30, 40)
    assert row.outstanding == Decimal("1250.09")
    with pytest.raises(NotFound):
        payment_dashboard.payment_times(demo_rep())
