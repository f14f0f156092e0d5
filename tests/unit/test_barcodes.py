"""Label parsing: GS1 in every form a scanner sends, HIBC primary/secondary/concatenated,
refusals with reasons, and property tests: any text gives a result or a clear refusal."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from closeout.domain.barcodes import parse_scan
from closeout.domain.errors import InvalidInput
from closeout.domain.hibc import CHARSET, check_character, parse_hibc

GTIN = "00614141000128"  # check digit 8 (GS1 US example company prefix)


@pytest.mark.parametrize("label", [
    f"01{GTIN}17270131102024A\x1d21SN123",                         # element string, GS separator
    f"]d201{GTIN}17270131102024A\x1d21SN123",                      # GS1 DataMatrix symbology prefix
    f"]C101{GTIN}17270131102024A\x1d21SN123",                      # GS1-128
    f"(01){GTIN}(17)270131(10)2024A(21)SN123",                     # human-readable form
    f"https://id.gs1.org/01/{GTIN}/10/2024A/21/SN123?17=270131",  # GS1 Digital Link
    f"01{GTIN}17270131102024A|21SN123",                            # scanners configured to send | for GS
])  # fmt: skip
def test_gs1_forms(label):
    data = parse_scan(label)
    assert (data.kind, data.gtin, data.lot, data.serial, data.expiry) == ("gs1", GTIN, "2024A", "SN123", date(2027, 1, 31))
    assert not data.guessed


def test_production_date_and_bare_gtin():
    data = parse_scan(f"01{GTIN}11250601")
    assert data.production_date == date(2025, 6, 1) and data.expiry is None
    assert parse_scan("614141000128").gtin == GTIN  # a UPC-A on a linear barcode


@pytest.mark.parametrize(("label", "lot", "serial", "expiry"), [
    (f"01{GTIN}1722LOT4217270131", "22LOT42", "", date(2027, 1, 31)),
    (f"01{GTIN}172701311022LOT4221XYZ", "22LOT42", "XYZ", date(2027, 1, 31)),
])  # fmt: skip
def test_missing_separators_are_split_and_flagged(label, lot, serial, expiry):
    data = parse_scan(label.replace("1722LOT42", "1022LOT42", 1))
    assert (data.lot, data.serial, data.expiry, data.guessed) == (lot, serial, expiry, True)


@pytest.mark.parametrize(("label", "words"), [
    ("0100614141000123", "wrong check digit"), ("00614141000123", "wrong check digit"),
    ("(01)123", "cannot be read"), ("hello world", "neither GS1 nor HIBC"), ("", "Nothing was scanned"),
    (f"01{GTIN}17271331", "cannot be read"), ("+A123BJC5D6E71H", "check character is wrong"),
    ("1" * 300, "too long"), ("17270131102024A", "no GTIN"),
])  # fmt: skip
def test_refusals_say_why(label, words):
    with pytest.raises(InvalidInput) as refusal:
        parse_scan(label)
    assert words in refusal.value.message and refusal.value.field == "scan"


def test_hibc_check_character_matches_published_examples():
    assert check_character("+A123BJC5D6E71") == "G"  # ANSI/HIBC 2.6 example
    assert check_character("+E20831269/$$8020423286539") == "+"
    assert check_character("+E20831339/$$8020223283831") == "T"


def test_hibc_primary():
    data = parse_scan("+A123BJC5D6E71G")
    assert (data.kind, data.labeler, data.product, data.check, data.secondary_only) == ("hibc", "A123", "BJC5D6E7", "G", False)


def test_hibc_concatenated_with_quantity_expiry_and_lot():
    data = parse_scan("+E20831269/$$8020423286539+")
    assert (data.labeler, data.product, data.quantity, data.lot, data.expiry) == ("E208", "3126", 2, "286539", date(2023, 4, 30))


def hibc(body: str) -> str:
    return body + check_character(body)


@pytest.mark.parametrize(("secondary", "lot", "serial", "expiry", "quantity"), [
    ("$$0927LOT1", "LOT1", "", date(2027, 9, 30), None),        # MMYY
    ("$$2093027LOT1", "LOT1", "", date(2027, 9, 30), None),     # MMDDYY
    ("$$3270930LOT1", "LOT1", "", date(2027, 9, 30), None),     # YYMMDD
    ("$$427093014LOT1", "LOT1", "", date(2027, 9, 30), None),   # YYMMDDHH
    ("$$527273LOT1", "LOT1", "", date(2027, 9, 30), None),      # YYJJJ
    ("$$62727314LOT1", "LOT1", "", date(2027, 9, 30), None),    # YYJJJHH
    ("$$7LOT1", "LOT1", "", None, None),                        # lot only
    ("$$+3270930SER9", "", "SER9", date(2027, 9, 30), None),    # serial instead of lot
    ("$$9005003270930LOT1", "LOT1", "", date(2027, 9, 30), 500),  # five-digit quantity
    ("$LOT1", "LOT1", "", None, None), ("$+SER9", "", "SER9", None, None),
    ("27273LOT1", "LOT1", "", date(2027, 9, 30), None),         # Julian date, no $
])  # fmt: skip
def test_hibc_secondary_forms(secondary, lot, serial, expiry, quantity):
    label = parse_hibc(hibc(f"+{secondary}G"))  # a separate secondary label linked to primary check G
    assert label.link == "G" and not label.labeler
    data = label.secondary
    assert (data.lot, data.serial, data.expiry, data.quantity) == (lot, serial, expiry, quantity)


def test_hibc_secondary_alone_is_flagged_for_completing_a_line():
    data = parse_scan(hibc("+$$3270930LOT1G"))
    assert data.secondary_only and data.link == "G" and data.lot == "LOT1"


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_a_result_or_a_clear_refusal(text):
    try:
        parse_scan(text)
    except InvalidInput as refusal:
        assert refusal.message and refusal.field == "scan"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=CHARSET, max_size=40))
def test_any_hibc_shaped_text_is_a_result_or_a_clear_refusal(body):
    for label in ("+" + body, hibc("+" + body), hibc("+" + body.replace("/", "")) + "", hibc("+$$" + body)):
        try:
            parse_scan(label)
        except InvalidInput as refusal:
            assert refusal.message


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789()]dC1\x1d|ABCxyz/:.?=", max_size=60))
def test_any_gs1_shaped_text_is_a_result_or_a_clear_refusal(body):
    for label in (body, "01" + GTIN + body, "]d2" + body, "(01)" + GTIN + body, "https://id.gs1.org/01/" + body):
        try:
            parse_scan(label)
        except InvalidInput as refusal:
            assert refusal.message
