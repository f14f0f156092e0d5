"""Label parsing: GS1 in every form a scanner sends, HIBC primary/secondary/concatenated,
refusals with reasons, and property tests: any text gives a result or a clear refusal."""

import calendar
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


# Every legal check character, space and `/` included, survives the wedge (which ends the
# label with CR or LF) and the parser: labels are built so their check character is the one
# wanted, by tuning two alphanumerics just before the tail.
ALNUM = CHARSET[:36]
WEDGE_ENTER = st.sampled_from(["\r", "\n", "\r\n", "\t"])
CODE39 = st.booleans()  # a scanner that passes on the Code 39 start/stop `*`
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
CODE = st.text(alphabet=ALNUM, max_size=8)


def tuned(head: str, tail: str, check: str) -> tuple[str, str]:
    """A label head + XY + tail + check whose check character is `check`; and XY."""
    need = (CHARSET.index(check) - sum(CHARSET.index(ch) for ch in head + tail)) % 43
    xy = ALNUM[min(need, 35)] + ALNUM[need - min(need, 35)]
    body = head + xy + tail
    assert check_character(body) == check
    return body + check, xy


def wedge(label: str, code39: bool, enter: str) -> str:
    return ("*" + label + "*" if code39 else label) + enter


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def secondary_forms(day: date, hour: int, quantity: int) -> list[tuple[str, str, date | None, int | None]]:
    """(secondary data up to the lot or serial, which of the two follows, expiry, quantity): every form."""
    ymd, hh = f"{day:%y%m%d}", f"{hour:02d}"
    return [
        (f"$${day:%m%y}", "lot", month_end(day), None),
        (f"$$2{day:%m%d%y}", "lot", day, None),
        (f"$$3{ymd}", "lot", day, None),
        (f"$$4{ymd}{hh}", "lot", day, None),
        (f"$$5{day:%y%j}", "lot", day, None),
        (f"$$6{day:%y%j}{hh}", "lot", day, None),
        ("$$7", "lot", None, None),
        (f"$$8{quantity % 100:02d}3{ymd}", "lot", day, quantity % 100),
        (f"$$9{quantity:05d}{day:%m%y}", "lot", month_end(day), quantity),
        (f"$$8{quantity % 100:02d}7", "lot", None, quantity % 100),
        (f"$$+3{ymd}", "serial", day, None),
        (f"$$+{day:%m%y}", "serial", month_end(day), None),
        ("$$+7", "serial", None, None),
        (f"$$+9{quantity:05d}2{day:%m%d%y}", "serial", day, quantity),
        ("$", "lot", None, None),
        ("$+", "serial", None, None),
        (f"{day:%y%j}", "lot", day, None),  # Julian date, no $
    ]


def expect_secondary(data, kind: str, code: str, expiry, quantity) -> None:
    assert (data.lot, data.serial) == ((code, "") if kind == "lot" else ("", code))
    assert (data.expiry, data.quantity) == (expiry, quantity)


@pytest.mark.parametrize("check", CHARSET, ids=[f"check-{CHARSET.index(c)}-{c!r}" for c in CHARSET])
@settings(max_examples=20, deadline=None)
@given(
    labeler=st.text(alphabet=ALNUM, min_size=3, max_size=3),
    first=st.sampled_from(ALNUM[10:]),
    product=st.text(alphabet=ALNUM, max_size=16),
    unit=st.integers(0, 9),
    code39=CODE39,
    enter=WEDGE_ENTER,
)
def test_a_primary_label_with_any_check_character(check, labeler, first, product, unit, code39, enter):
    label, xy = tuned(f"+{first}{labeler}{product}", str(unit), check)
    data = parse_scan(wedge(label, code39, enter))
    assert (data.kind, data.labeler, data.product, data.check) == ("hibc", first + labeler, product + xy, check)
    assert not data.secondary_only and data.lot == "" and data.expiry is None


@pytest.mark.parametrize("check", CHARSET, ids=[f"check-{CHARSET.index(c)}-{c!r}" for c in CHARSET])
@settings(max_examples=15, deadline=None)
@given(
    link=st.sampled_from(CHARSET),
    day=DATES,
    hour=st.integers(0, 23),
    quantity=st.integers(0, 99999),
    code=CODE,
    code39=CODE39,
    enter=WEDGE_ENTER,
)
def test_a_secondary_label_with_any_check_and_link_character(check, link, day, hour, quantity, code, code39, enter):
    for head, kind, expiry, qty in secondary_forms(day, hour, quantity):
        label, xy = tuned(f"+{head}{code}", link, check)
        data = parse_scan(wedge(label, code39, enter))
        assert data.secondary_only and (data.link, data.check, data.labeler) == (link, check, ""), label
        expect_secondary(data, kind, code + xy, expiry, qty)


@pytest.mark.parametrize("check", CHARSET, ids=[f"check-{CHARSET.index(c)}-{c!r}" for c in CHARSET])
@settings(max_examples=15, deadline=None)
@given(
    product=st.text(alphabet=ALNUM, min_size=1, max_size=18),
    unit=st.integers(0, 9),
    day=DATES,
    hour=st.integers(0, 23),
    quantity=st.integers(0, 99999),
    code=CODE,
    code39=CODE39,
    enter=WEDGE_ENTER,
)
def test_a_concatenated_label_with_any_check_character(check, product, unit, day, hour, quantity, code, code39, enter):
    for head, kind, expiry, qty in secondary_forms(day, hour, quantity):
        label, xy = tuned(f"+H123{product}{unit}/{head}{code}", "", check)
        data = parse_scan(wedge(label, code39, enter))
        assert (data.labeler, data.product, data.check, data.secondary_only) == ("H123", product, check, False), label
        expect_secondary(data, kind, code + xy, expiry, qty)


def test_a_trailing_space_is_the_check_character_not_padding():
    label, _ = tuned("+A123BJC5D6E7", "1", " ")
    assert label.endswith("1 ")
    for typed in (label, label + "\r", label + "\n", "  " + label + "\r\n", "*" + label + "*\r"):
        assert parse_scan(typed).check == " "
    with pytest.raises(InvalidInput, match="check character is wrong"):
        parse_scan(label[:-1] + "\r")  # the space lost: refused, not misread
    assert parse_scan(f"01{GTIN}  \r").gtin == GTIN  # GS1 has no space: trailing ones still go


def test_a_slash_as_link_or_check_character_is_not_the_separator():
    primary, _ = tuned("+A123PROD", "1", "/")
    assert parse_scan(primary).product.startswith("PROD") and primary.endswith("/")
    secondary, _ = tuned("+$$3270930LOT", "/", "/")
    data = parse_scan(secondary)
    assert data.secondary_only and data.link == "/" and data.check == "/" and data.lot.startswith("LOT")


def test_code39_start_and_stop_go_but_nothing_else():
    label = hibc("+A123BJC5D6E71")
    assert parse_scan("*" + label + "*").product == "BJC5D6E7"
    assert parse_scan("*" + label).product == "BJC5D6E7"
    with pytest.raises(InvalidInput):
        parse_scan("**" + label + "**")  # only one `*` each side is a start/stop character
