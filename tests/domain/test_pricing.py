"""Pricing and totals: contract vs list vs edited, exact Decimal sums."""

from decimal import Decimal

import pytest

from closeout.domain.catalog import PriceSource, UsageStatus
from closeout.domain.money import format_usd
from closeout.domain.pricing import PricedLine, case_totals, default_price, extended_price, priced_by_hand

D = Decimal


def test_contract_price_wins_over_list_price():
    assert default_price(D("100.00"), D("80.00")) == (D("80.00"), PriceSource.CONTRACT)


def test_list_price_when_the_facility_has_no_contract():
    assert default_price(D("100.00"), None) == (D("100.00"), PriceSource.LIST)


def test_a_typed_price_is_edited():
    assert priced_by_hand(D("75.00"), D("100.00"), D("80.00")) == (D("75.00"), PriceSource.EDITED)


@pytest.mark.parametrize(
    ("contract", "typed", "source"),
    [(D("80.00"), D("80.00"), PriceSource.CONTRACT), (None, D("100.00"), PriceSource.LIST)],
)
def test_typing_the_default_price_back_is_not_an_edit(contract, typed, source):
    assert priced_by_hand(typed, D("100.00"), contract) == (typed, source)


def line(maker="A", qty=1, price="10.00", usage=UsageStatus.IMPLANTED, no_charge=False):
    return PricedLine(maker, qty, D(price), usage, no_charge)


def test_extended_price_is_quantity_times_unit_price():
    assert extended_price(line(qty=3, price="0.10")) == D("0.30")


def test_totals_are_exact_where_float_would_drift():
    lines = [line(price="0.10") for _ in range(3)] + [line(maker="B", qty=7, price="1234.57")]
    totals = case_totals(lines)
    assert totals.by_manufacturer == (("A", D("0.30")), ("B", D("8641.99")))
    assert totals.grand_total == D("8642.29")
    assert 0.1 + 0.1 + 0.1 != 0.3  # what Decimal saves us from


def test_no_charge_and_unused_lines_are_left_out_and_counted():
    totals = case_totals(
        [
            line(price="100.00"),
            line(price="50.00", no_charge=True),
            line(price="25.00", usage=UsageStatus.UNUSED),
            line(price="5.00", usage=UsageStatus.WASTED),
        ]
    )
    assert totals.grand_total == D("105.00")
    assert (totals.billable_lines, totals.no_charge_lines, totals.unused_lines) == (2, 1, 1)
    assert extended_price(line(price="50.00", no_charge=True)) == D("0.00")


def test_an_empty_case_totals_zero():
    totals = case_totals([])
    assert totals.grand_total == D("0.00") and totals.by_manufacturer == ()


def test_money_is_shown_with_thousands_and_cents():
    assert format_usd(D("1234567.5")) == "$1,234,567.50"
    assert format_usd(D("-3")) == "-$3.00"
