"""Price edits under control, as pure rules: permission, reason, and the dashboard's sums."""

from datetime import date
from decimal import Decimal

import pytest

from closeout.domain.catalog import PriceSource
from closeout.domain.errors import InvalidInput, NotAllowed
from closeout.domain.price_edits import (
    MAX_REASON,
    PRICE_REASONS,
    EditedLine,
    PriceEditMonth,
    by_facility_month,
    decide_price,
    parse_price_reason,
)

D = Decimal
LIST, CONTRACT = D("120.00"), D("100.00")


def test_the_price_in_force_is_accepted_without_permission_or_reason():
    decision = decide_price(CONTRACT, LIST, CONTRACT, may_edit=False, reason="")
    assert (decision.unit_price, decision.source, decision.catalog_price, decision.reason) == (
        CONTRACT, PriceSource.CONTRACT, None, "")  # fmt: skip
    assert decide_price(LIST, LIST, None, may_edit=False, reason="").source is PriceSource.LIST


def test_putting_the_price_back_clears_the_reason():
    assert decide_price(CONTRACT, LIST, CONTRACT, may_edit=True, reason="Trade-in / credit").reason == ""


def test_without_permission_any_other_price_is_refused_with_a_clear_message():
    for typed in (D("99.99"), LIST, D("0.00")):  # the list price is not the one in force here
        with pytest.raises(NotAllowed, match="may not change unit prices"):
            decide_price(typed, LIST, CONTRACT, may_edit=False, reason="Price agreed with the facility")


def test_with_permission_an_edited_price_needs_a_reason():
    with pytest.raises(InvalidInput) as refusal:
        decide_price(D("90.00"), LIST, CONTRACT, may_edit=True, reason="   ")
    assert refusal.value.field == "price_reason" and "why" in refusal.value.message
    decision = decide_price(D("90.00"), LIST, CONTRACT, may_edit=True, reason=PRICE_REASONS[0])
    assert (decision.unit_price, decision.source, decision.catalog_price, decision.reason) == (
        D("90.00"), PriceSource.EDITED, CONTRACT, PRICE_REASONS[0])  # fmt: skip


def test_without_a_contract_the_list_price_is_what_an_edit_departs_from():
    assert decide_price(D("130.00"), LIST, None, may_edit=True, reason="Loaner set").catalog_price == LIST


@pytest.mark.parametrize("typed", ["Loaner set, agreed by phone", "  two   spaces\tand a tab ", "<b>&#9999999;</b>", "é€ 50 %"])
def test_typed_reasons_are_kept_as_text_on_one_line(typed):
    assert parse_price_reason(typed) == " ".join(typed.split())


@pytest.mark.parametrize(
    ("raw", "message"),
    [("", "why"), (None, "why"), ("ok", "at least 3"), ("x" * (MAX_REASON + 1), "at most 120"),
     ("bell\x07", "cannot be printed"), ("zero\u200bwidth", "cannot be printed"), ("line\u2028sep", "")],
)  # fmt: skip
def test_bad_reasons_are_refused_on_the_reason_field(raw, message):
    if raw == "line\u2028sep":  # a line separator is whitespace: it becomes a space, kept on one line
        assert parse_price_reason(raw) == "line sep"
        return
    with pytest.raises(InvalidInput, match=message) as refusal:
        parse_price_reason(raw)
    assert refusal.value.field == "price_reason"


def test_a_reason_of_exactly_120_characters_is_accepted():
    assert len(parse_price_reason("y" * MAX_REASON)) == MAX_REASON


def line(case_id, facility, day, quantity, price, in_force, billable=True):
    return EditedLine(case_id, facility, day, quantity, D(price), D(in_force), billable)


def test_dashboard_sums_above_and_below_per_facility_and_month_exactly():
    rows = by_facility_month([
        line(1, "Lakeside", date(2026, 5, 3), 2, "110.10", "100.00"),  # +20.20
        line(1, "Lakeside", date(2026, 5, 3), 1, "90.00", "100.00"),  # −10.00, same case
        line(2, "Lakeside", date(2026, 5, 30), 3, "0.00", "33.33"),  # −99.99
        line(3, "Lakeside", date(2026, 5, 9), 1, "500.00", "100.00", billable=False),  # counted as a case, not as money
        line(4, "Cascade", date(2026, 5, 9), 1, "100.01", "100.00"),
        line(5, "Lakeside", date(2026, 6, 1), 1, "99.99", "100.00"),
    ])  # fmt: skip
    assert rows == [
        PriceEditMonth("Lakeside", "2026-06", 1, D("0.00"), D("0.01")),
        PriceEditMonth("Cascade", "2026-05", 1, D("0.01"), D("0.00")),
        PriceEditMonth("Lakeside", "2026-05", 3, D("20.20"), D("109.99")),
    ]
    assert all(isinstance(r.above, Decimal) and isinstance(r.below, Decimal) for r in rows)


def test_no_edited_lines_no_rows():
    assert by_facility_month([]) == []
