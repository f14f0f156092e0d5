"""Every bad input named by the issue gets a clear message tied to its field."""

from datetime import date
from decimal import Decimal

import pytest

from closeout.domain.catalog import UsageStatus, is_valid_gtin
from closeout.domain.errors import InvalidInput
from closeout.domain.money import parse_price
from closeout.domain.validation import is_expired_for, parse_expiry, parse_field, parse_quantity


@pytest.mark.parametrize("raw", ["0", "-1", "1.5", "two", "", " ", "1e3", "٣", "10000", True])
def test_quantity_must_be_a_positive_whole_number(raw):
    with pytest.raises(InvalidInput) as refusal:
        parse_quantity(raw)
    assert refusal.value.field == "quantity" and "Quantity" in refusal.value.message


@pytest.mark.parametrize(("raw", "value"), [("1", 1), (" 12 ", 12), ("9999", 9999)])
def test_good_quantities(raw, value):
    assert parse_quantity(raw) == value


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("-0.01", "negative"),
        ("1000000.01", "over $1,000,000"),
        ("12.345", "2 decimal"),
        ("abc", "not a price"),
        ("", "Enter a price"),
        ("NaN", "not a price"),
        ("Infinity", "not a price"),
        (12.5, "as text"),
        ("0.10000", "2 decimal"),
        (Decimal("0.10000"), "2 decimal"),
        ("1e3", "not a price"),
        ("1E+3", "not a price"),
        ("1_000", "not a price"),
        ("\u0661\u0662\u0663", "not a price"),  # Arabic-Indic digits
        ("\uff11\uff12", "not a price"),  # full-width digits
        ("+5", "not a price"),
        ("$ 5", "not a price"),
        ("1,23", "between thousands"),
        ("0,100", "between thousands"),
        ("-$5", "negative"),
        ("9" * 5000, "over $1,000,000"),
    ],
)
def test_bad_prices_are_refused_with_a_reason(raw, words):
    with pytest.raises(InvalidInput) as refusal:
        parse_price(raw)
    assert words in refusal.value.message


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1234.5", "1234.50"), ("$1,234.50", "1234.50"), ("0", "0.00"), ("1000000", "1000000.00"), (" .5\t", "0.50"), ("12.", "12.00"),
     (Decimal("1E+3"), "1000.00"), (Decimal("990.00"), "990.00"), (7, "7.00")],  # fmt: skip
)
def test_good_prices(raw, value):
    assert parse_price(raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["2027-02-30", "03/31/2027", "2027-3-1", "tomorrow", "1850-01-01"])
def test_malformed_expiry_is_refused(raw):
    with pytest.raises(InvalidInput) as refusal:
        parse_expiry(raw)
    assert refusal.value.field == "expiry"


def test_blank_expiry_clears_it():
    assert parse_expiry("  ") is None
    assert parse_expiry("2027-03-31") == date(2027, 3, 31)


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("lot", "L" * 41),
        ("serial", "S" * 41),
        ("lot", "AB\x1dCD"),
        ("serial", "12\n34"),
        ("note", "x" * 501),
        ("note", "bell\x07"),
        ("usage_status", "Lost"),
        ("no_charge", "yes"),
        ("product_id", 3),
        ("case_id", 1),
    ],
)
def test_bad_line_fields(field, raw):
    with pytest.raises(InvalidInput) as refusal:
        parse_field(field, raw)
    assert refusal.value.message


def test_good_line_fields():
    assert parse_field("lot", "  L123 ") == "L123"
    assert parse_field("serial", "S" * 40) == "S" * 40
    assert parse_field("usage_status", "Wasted") is UsageStatus.WASTED
    assert parse_field("no_charge", True) is True
    assert parse_field("note", "line one\nline two") == "line one\nline two"


def test_expiry_before_surgery_date_is_flagged():
    surgery = date(2026, 11, 20)
    assert is_expired_for(date(2026, 11, 19), surgery)
    assert not is_expired_for(date(2026, 11, 20), surgery)
    assert not is_expired_for(None, surgery)


@pytest.mark.parametrize(
    ("gtin", "valid"),
    [
        ("04006381333931", True),
        ("04006381333932", False),
        ("0400638133393", False),
        ("abcdefghijklmn", False),
        ("96385074", True),
    ],
)
def test_gtin_check_digit(gtin, valid):
    assert is_valid_gtin(gtin) is valid
