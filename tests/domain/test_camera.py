"""What the camera's decoder reads, as the keyboard wedge's parser takes it; and the labels the
camera tests film, read back by parse_scan (the video's text is what a wedge would type)."""

from datetime import date

import pytest

from closeout.domain.barcodes import parse_scan
from closeout.domain.camera import camera_problem, wedge_text
from closeout.domain.errors import InvalidInput
from closeout.domain.hibc import check_character

GTIN = "00614141000128"


@pytest.mark.parametrize(
    ("symbology", "decoded"),
    [
        ("DATA_MATRIX", f"\x1d01{GTIN}1730123110LOT-55\x1d21SER-55"),  # ZXing: FNC1 first as GS
        ("QR_CODE", f"\x1d01{GTIN}1730123110LOT-55\x1d21SER-55"),
        ("CODE_128", f"]C101{GTIN}1730123110LOT-55\x1d21SER-55"),  # ASSUME_GS1
        ("QR_CODE", f"01{GTIN}1730123110LOT-55\x1d21SER-55"),  # FNC1 mode QR: no GS first
    ],
)
def test_gs1_reads_parse_as_the_wedge_parses_them(symbology, decoded):
    data = parse_scan(wedge_text(symbology, decoded))
    assert (data.kind, data.gtin, data.lot, data.serial, data.expiry) == ("gs1", GTIN, "LOT-55", "SER-55",
                                                                          date(2030, 12, 31))  # fmt: skip
    assert not data.guessed


def test_a_gs1_datamatrix_gets_the_wedges_symbology_identifier():
    assert wedge_text("DATA_MATRIX", "\x1d0112").startswith("]d2")
    assert wedge_text("QR_CODE", "\x1d0112").startswith("]Q3")


def test_a_digital_link_passes_as_it_is():
    url = f"https://id.gs1.org/01/{GTIN}/10/LOT1?17=301231"
    assert wedge_text("QR_CODE", url) == url
    assert parse_scan(wedge_text("QR_CODE", url)).lot == "LOT1"


@pytest.mark.parametrize("symbology", ["CODE_128", "CODE_39", "DATA_MATRIX"])
def test_hibc_in_any_carrier_passes_as_it_is_check_character_and_all(symbology):
    primary = "+H123MO0101851"
    primary += check_character(primary)
    secondary = f"+$$3301231HX9{primary[-1]}"
    secondary += check_character(secondary)
    assert parse_scan(wedge_text(symbology, primary)).product == "MO010185"
    read = parse_scan(wedge_text(symbology, secondary))
    assert (read.secondary_only, read.link, read.lot) == (True, primary[-1], "HX9")


@pytest.mark.parametrize("symbology", ["EAN_13", "PDF_417", "", "<script>"])
def test_other_bar_codes_are_refused(symbology):
    with pytest.raises(InvalidInput, match="not a device label"):
        wedge_text(symbology, "4006381333931")


def test_a_long_read_is_cut_before_the_parser_refuses_it():
    with pytest.raises(InvalidInput, match="too long"):
        parse_scan(wedge_text("CODE_128", "9" * 5000))


@pytest.mark.parametrize(
    ("name", "says"),
    [("NotAllowedError", "blocked"), ("SecurityError", "blocked"), ("NotFoundError", "No camera"),
     ("NotReadableError", "in use"), ("insecure", "HTTPS"), ("whatever", "could not be opened")],
)  # fmt: skip
def test_each_camera_problem_has_a_message(name, says):
    assert says in camera_problem(name)
