"""The UDI of a device line (domain/udi.py): the UDI-DI is the GTIN-14; the UDI is GS1
human-readable, (01)(17)(10)(21) in that order, from the line's own expiry, lot and serial,
absent parts left out, nothing without a GTIN. What it writes, biip reads back."""

from datetime import date
from itertools import product

import pytest
from biip.gs1_messages import GS1Message

from closeout.domain.udi import udi_di, udi_hri, udi_of, udi_warning

GTIN = "00614141000128"
EXPIRY = date(2027, 1, 31)


@pytest.mark.parametrize("expiry, lot, serial, expected", [
    (EXPIRY, "2024A", "SN123", f"(01){GTIN}(17)270131(10)2024A(21)SN123"),
    (None, "2024A", "SN123", f"(01){GTIN}(10)2024A(21)SN123"),
    (EXPIRY, "", "SN123", f"(01){GTIN}(17)270131(21)SN123"),
    (EXPIRY, "2024A", "", f"(01){GTIN}(17)270131(10)2024A"),
    (None, "2024A", "", f"(01){GTIN}(10)2024A"),  # lot only
    (None, "", "SN123", f"(01){GTIN}(21)SN123"),  # serial only
    (EXPIRY, "", "", f"(01){GTIN}(17)270131"),  # expiry only
    (None, "", "", f"(01){GTIN}"),  # the DI alone
])  # fmt: skip
def test_every_combination_in_gs1_order(expiry, lot, serial, expected):
    assert udi_hri(GTIN, expiry, lot, serial) == expected


@pytest.mark.parametrize("expiry, lot, serial", list(product([None, EXPIRY, date(2030, 12, 1)], ["", "2024A", "LOT-7/B"], ["", "SN123"])))
def test_biip_reads_back_what_was_written(expiry, lot, serial):
    read = {e.ai.ai: e for e in GS1Message.parse_hri(udi_hri(GTIN, expiry, lot, serial)).element_strings}
    assert read["01"].gtin.as_gtin_14() == GTIN
    assert (read["17"].date if "17" in read else None) == expiry
    assert (read["10"].value if "10" in read else "") == lot
    assert (read["21"].value if "21" in read else "") == serial


@pytest.mark.parametrize("gtin", [None, "", "  ", "not-a-gtin", "123456789012345"])
def test_no_gtin_no_udi(gtin):
    assert udi_di(gtin) == "" and udi_hri(gtin, EXPIRY, "L1", "S1") == "" and udi_warning(gtin, EXPIRY, "L1 x", "") == ""
    assert udi_of(gtin, EXPIRY, "L1", "S1").di == ""


def test_shorter_gtins_are_padded_to_14_digits():
    assert udi_di("614141000128") == GTIN  # GTIN-12 (UPC-A)
    assert udi_di("9501101530003") == "09501101530003"  # GTIN-13
    assert udi_hri("614141000128", None, "L1", "") == f"(01){GTIN}(10)L1"


def test_a_part_a_gs1_barcode_cannot_carry_is_named():
    assert udi_warning(GTIN, EXPIRY, "2024A", "SN123") == ""
    assert "lot" in udi_warning(GTIN, None, "LOT WITH SPACE", "")
    assert "serial" in udi_warning(GTIN, None, "", "S" * 21)  # at most 20 characters
    both = udi_warning(GTIN, None, "Ø1", "é")
    assert "lot and serial" in both
    udi = udi_of(GTIN, None, "LOT WITH SPACE", "")
    assert udi.hri == f"(01){GTIN}(10)LOT WITH SPACE" and udi.warning  # still shown as the line holds it
