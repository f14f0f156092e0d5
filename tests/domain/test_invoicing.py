"""The money rules of Invoiced and Paid, the days-to-paid percentiles and what a corrected sales
order says changed: pure, no database."""

from datetime import date
from decimal import Decimal

import pytest

from closeout.domain.content_changes import LineFacts
from closeout.domain.errors import InvalidInput
from closeout.domain.invoicing import Balance, parse_amount, parse_day, parse_invoice_number, parse_reference, settled_status
from closeout.domain.lifecycle import MANAGER, REP, CaseAction, CaseStatus, check
from closeout.domain.payment_times import by_facility, percentile, spread
from closeout.domain.revisions import facts_of, snapshot_line, what_changed

SURGERY, TODAY = date(2026, 6, 1), date(2026, 6, 15)


@pytest.mark.parametrize("raw, value", [("1250.5", "1250.50"), ("$1,250.50", "1250.50"), (" 0.01 ", "0.01"), (7, "7.00"),
                                        (Decimal("10000000"), "10000000.00")])  # fmt: skip
def test_amounts_are_exact_positive_and_capped(raw, value):
    assert parse_amount(raw) == Decimal(value)


@pytest.mark.parametrize("raw, message", [(12.5, "as text"), (True, "as text"), ("", "Enter"), (None, "Enter"), ("0", "more than"),
                                          ("-1", "more than"), ("1.005", "2 decimal"), ("10000000.01", "check it"),
                                          ("Infinity", "not an amount"), ("12 dollars", "not an amount"),
                                          ("1e3", "not an amount"), ("1,2,3", "not an amount")])  # fmt: skip
def test_bad_amounts_are_refused_with_the_reason(raw, message):
    with pytest.raises(InvalidInput, match=message):
        parse_amount(raw, "amount")


def test_dates_run_from_the_surgery_to_today_at_the_facility():
    assert parse_day("2026-06-01", SURGERY, TODAY) == SURGERY and parse_day(TODAY, SURGERY, TODAY) == TODAY
    for raw, message in [("2026-05-31", "before the surgery"), ("2026-06-16", "in the future"), ("06/15/2026", "not a date"),
                         ("2026-02-30", "not a date"), ("", "Enter the payment date")]:  # fmt: skip
        with pytest.raises(InvalidInput, match=message):
            parse_day(raw, SURGERY, TODAY, "paid_on", "payment date")


def test_invoice_numbers_and_references_are_one_printable_line():
    assert parse_invoice_number("  INV  2026-1 ") == "INV 2026-1"
    assert parse_reference("") == "" and parse_reference("CHK 1001") == "CHK 1001"
    for raw in ("", "x" * 41, "INV\n1", "INV\x001", "INV\u20281"):
        with pytest.raises(InvalidInput):
            parse_invoice_number(raw)
    with pytest.raises(InvalidInput, match="at most 60"):
        parse_reference("r" * 61)


def test_paid_once_the_payments_reach_the_invoice_and_the_difference_in_words():
    assert settled_status(Decimal("100.00"), Decimal("99.99")) is CaseStatus.INVOICED
    assert settled_status(Decimal("100.00"), Decimal("100.00")) is CaseStatus.PAID
    assert settled_status(Decimal("100.00"), Decimal("130.00")) is CaseStatus.PAID
    assert Balance(Decimal("100.00"), Decimal("60.00")).words() == "Short by $40.00"
    assert Balance(Decimal("100.00"), Decimal("100.00")).words() == "Paid in full"
    assert Balance(Decimal("1000.00"), Decimal("1234.56")).words() == "Overpaid by $234.56"


def test_the_lifecycle_lets_managers_only_invoice_and_take_payments():
    assert check(CaseStatus.COMPLETED, CaseAction.INVOICE, MANAGER) is CaseStatus.INVOICED
    assert check(CaseStatus.INVOICED, CaseAction.RECORD_PAYMENT, MANAGER) is CaseStatus.INVOICED
    for status, action in [(CaseStatus.COMPLETED, CaseAction.INVOICE), (CaseStatus.INVOICED, CaseAction.RECORD_PAYMENT)]:
        with pytest.raises(Exception, match="Only a manager"):
            check(status, action, REP)


def test_percentiles_are_read_from_counts_per_day():
    assert percentile({}, 50) is None
    assert percentile({5: 1}, 50) == 5 and percentile({5: 1}, 90) == 5
    counts = {1: 5, 2: 3, 10: 1, 40: 1}  # ten cases
    assert (percentile(counts, 50), percentile(counts, 90), percentile(counts, 100)) == (1, 10, 40)
    assert spread({3: 1, 9: 1}).words() == "3 d · 90% 9 d" and spread({}).words() == "—"


def test_facilities_get_one_row_each_with_their_outstanding_amount():
    rows = by_facility({1: "B Hospital", 2: "A Clinic"}, po=[(1, 4, 2), (2, 7, 1), (1, 4, 1)], invoice=[(1, 9, 1)], paid=[],
                       outstanding={2: Decimal("12.34")})  # fmt: skip
    assert [r.facility for r in rows] == ["A Clinic", "B Hospital"]
    assert rows[1].to_po.cases == 3 and rows[1].to_invoice.median == 9 and rows[1].to_paid.median is None
    assert rows[0].outstanding == Decimal("12.34") and rows[1].outstanding == 0


def _line(position: int, ref: str, quantity: int = 1, price: str = "100.00", lot: str = "L1") -> LineFacts:
    return LineFacts(position, ref, lot, "", date(2028, 1, 1), quantity, "Implanted", Decimal(price),
                     Decimal(price) * quantity, False)  # fmt: skip


def test_a_snapshot_reads_back_and_tells_what_changed():
    before = [snapshot_line(1, _line(1, "A-1")), snapshot_line(2, _line(2, "B-2")), snapshot_line(3, _line(3, "C-3"))]
    after = [snapshot_line(1, _line(1, "A-1", quantity=2)), snapshot_line(3, _line(2, "C-3", lot="L9")),
             snapshot_line(4, _line(3, "D-4"))]  # fmt: skip
    assert facts_of(before)[1] == _line(1, "A-1") and before[0]["unit_price"] == "100.00"
    told = what_changed(before, after)
    assert "Line 1 (REF A-1): quantity 1 → 2; amount $100.00 → $200.00" in told
    assert "Line 2 removed (REF B-2)" in told and "Line 3 added (REF D-4)" in told
    assert any(t.startswith("Line 2 (REF C-3)") and "lot L1 → L9" in t for t in told)
    assert what_changed(before, before) == ["No device line changed (the correction is in the case's other facts)."]


@pytest.mark.parametrize(("raw", "words"), [("\u0661\u0662\u0663", "not an amount"), ("\uff11\uff12", "not an amount"), ("0.10000", "2 decimal")])
def test_an_amount_is_typed_with_the_digits_0_to_9_and_two_decimals_at_most(raw, words):
    with pytest.raises(InvalidInput) as refusal:
        parse_amount(raw)
    assert words in refusal.value.message
