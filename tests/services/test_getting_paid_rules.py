"""Issue 15's review mends, each as the behaviour a user or the billing office relies on: one
payment per submitted form, the POs of a corrected sales order stay with it, a PO replaced by
one for all manufacturers is in the Activity, a corrected case waits its reminder interval
anew, a reminder pause ends with the Closed case it was about, negative amounts stay numbers."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.csv_safe import writer
from closeout.domain.errors import NotAllowed
from closeout.domain.lifecycle import CaseStatus
from closeout.models import AuditEvent, Case, Payment, PoReminder, PurchaseOrder
from closeout.services import billing, invoicing, reminder_settings, reopening
from closeout.services.db import reading, transaction
from closeout.services.reminder_due import due_cases
from tests.factories import closed_case, demo_rep, manager, sign_both

TODAY = clock.today().isoformat()


def case_of(number: str) -> Case:
    with reading() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        session.expunge(case)
        return case


def actions(number: str) -> list[AuditEvent]:
    with reading() as session:
        rows = session.exec(select(AuditEvent).where(AuditEvent.case_id == case_of(number).id).order_by(AuditEvent.id)).all()
        for row in rows:
            session.expunge(row)
        return rows


def test_a_double_submitted_payment_form_records_one_payment():
    number = closed_case()
    billing.enter_purchase_orders(demo_rep(), number, {None: "PO-1"})
    invoicing.record_invoice(manager(), number, "INV-1", TODAY, "100.00")
    assert invoicing.record_payment(manager(), number, TODAY, "40.00", "", "form-1") is CaseStatus.INVOICED
    with pytest.raises(NotAllowed, match="already recorded"):
        invoicing.record_payment(manager(), number, TODAY, "40.00", "", "form-1")
    with reading() as session:
        assert len(session.exec(select(Payment).where(Payment.case_id == case_of(number).id)).all()) == 1
    assert case_of(number).paid_amount == 40


def test_one_po_for_all_replacing_per_manufacturer_ones_is_audited():
    number = closed_case(lines=3)
    with reading() as session:
        makers = billing.case_manufacturers(session, case_of(number).id)
    first = next(iter(makers))
    billing.enter_purchase_orders(demo_rep(), number, {first: "PO-A"})
    billing.enter_purchase_orders(demo_rep(), number, {None: "PO-ALL"})
    replaced = [a for a in actions(number) if a.action == "PO replaced"]
    assert len(replaced) == 1 and replaced[0].before == {"number": "PO-A", "manufacturer": makers[first]}
    assert "replaced by one PO for all manufacturers" in replaced[0].summary


def test_a_correction_sets_the_pos_aside_and_ends_a_reminder_pause():
    number = closed_case()
    reminder_settings.pause(demo_rep(), number, "buyer on holiday")
    billing.enter_purchase_orders(demo_rep(), number, {None: "PO-77"})
    reopening.reopen(manager(), number, "credit and rebill: wrong lot")
    case = case_of(number)
    assert (case.revision, case.status, case.po_reminders_paused_at) == (1, "open", None)
    with reading() as session:
        assert session.exec(select(PurchaseOrder).where(PurchaseOrder.case_id == case.id)).all() == []
    set_aside = [a for a in actions(number) if a.action == "PO set aside"]
    assert len(set_aside) == 1 and set_aside[0].before["number"] == "PO-77" and "-R1 needs its own" in set_aside[0].summary
    sign_both(number)
    assert billing.submit_for_billing(demo_rep(), number) is CaseStatus.CLOSED  # R1 waits on its own PO


def test_a_corrected_case_waits_its_reminder_interval_anew():
    number = closed_case(days_ago=30)
    case = case_of(number)
    with transaction() as session:  # reminded 20 days ago, then corrected and submitted again just now
        session.add(PoReminder(case_id=case.id, sent_at=clock.now() - timedelta(days=20), recipient="ap@x.example",
                               delivery="sent"))  # fmt: skip
        session.execute(sa.update(Case).where(Case.id == case.id).values(submitted_at=clock.now()))
    with reading() as session:
        assert case.id not in due_cases(session, clock.now())
        assert case.id in due_cases(session, clock.now() + timedelta(days=7, minutes=1))


def test_negative_amounts_stay_numbers_in_csv_and_formulas_do_not():
    out = io.StringIO()
    writer(out).writerow(["-10.00", "-2+3", "=1", "12.5"])
    assert out.getvalue().strip() == "-10.00,'-2+3,'=1,12.5"
