"""Scan to add through the service: matching, filling, two-label HIBC, and every refusal."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.errors import InvalidInput, NotAllowed
from closeout.domain.hibc import check_character
from closeout.domain.scanning import catalog_code
from closeout.models import Manufacturer, Product
from closeout.services import audit, device_lines, scanning
from closeout.services.db import reading
from tests.factories import demo_rep, hibc_primary_with_check, new_case, product_with


def lines(number):
    return device_lines.list_lines(demo_rep(), number, page_size=200).lines


def gs1(product: Product, lot="LOT7", serial="", expiry: date | None = None) -> str:
    expiry = expiry or clock.today() + timedelta(days=400)
    label = f"01{product.gtin}17{expiry:%y%m%d}10{lot}"
    return label + (f"\x1d21{serial}" if serial else "")


def hibc(body: str) -> str:
    return body + check_character(body)


def hibc_primary(product: Product) -> str:
    with reading() as session:
        lic = session.get(Manufacturer, product.manufacturer_id).hibc_lic
    return hibc(f"+{lic}{catalog_code(product.ref)}1")


def test_a_gs1_scan_adds_a_line_with_label_data_and_contract_price():
    number, product = new_case(lines=0), product_with(contract=True)
    outcome = scanning.scan(demo_rep(), number, gs1(product, lot="A1B2", serial="S-1"))
    line = outcome.change.line
    assert outcome.status == "added" and line.ref == product.ref
    assert (line.lot, line.serial, line.price_source.value) == ("A1B2", "S-1", "contract")
    assert audit.activity(demo_rep(), number)[0].action == "line added by scan"


def test_scanning_the_label_of_a_product_added_by_search_completes_that_line():
    number, product = new_case(lines=0), product_with(contract=False)
    device_lines.add_line(demo_rep(), number, product.id)
    outcome = scanning.scan(demo_rep(), number, gs1(product, lot="L99"))
    assert outcome.status == "completed" and len(lines(number)) == 1 and lines(number)[0].lot == "L99"


def test_hibc_primary_then_secondary_fills_one_line():
    number, product = new_case(lines=0), product_with(contract=True)
    primary = hibc_primary(product)
    first = scanning.scan(demo_rep(), number, primary)
    assert first.status == "added" and first.change.line.lot == ""
    secondary = hibc(f"+$$3{clock.today() + timedelta(days=300):%y%m%d}HL42{primary[-1]}")
    second = scanning.scan(demo_rep(), number, secondary)
    assert second.status == "completed"
    [line] = lines(number)
    assert line.lot == "HL42" and line.expiry == clock.today() + timedelta(days=300)


def test_a_primary_whose_check_character_is_a_space_then_its_secondary_fill_one_line():
    number = new_case(lines=0)
    product, primary = hibc_primary_with_check(" ")
    other = hibc_primary(product_with(contract=True))
    assert primary.endswith(" ") and other[-1] != " "
    first = scanning.scan(demo_rep(), number, primary + "\r")  # the wedge's Enter after the space
    assert first.status == "added" and first.change.line.ref == product.ref
    scanning.scan(demo_rep(), number, other + "\r")  # a later line, waiting for a different secondary
    expiry = clock.today() + timedelta(days=200)
    secondary = hibc(f"+$$3{expiry:%y%m%d}SP1 ")  # its link character: the primary's check, a space
    second = scanning.scan(demo_rep(), number, secondary + "\n")
    assert second.status == "completed" and second.change.line.position == 1
    first_line, other_line = lines(number)
    assert (first_line.ref, first_line.lot, first_line.expiry) == (product.ref, "SP1", expiry)
    assert other_line.lot == "" and len(lines(number)) == 2


def test_a_concatenated_hibc_label_adds_a_complete_line():
    number, product = new_case(lines=0), product_with(contract=True)
    body = hibc_primary(product)[:-1] + f"/$$+{clock.today() + timedelta(days=90):%m%y}SER77"
    outcome = scanning.scan(demo_rep(), number, hibc(body))
    assert outcome.change.line.serial == "SER77"


def test_a_secondary_without_its_primary_is_refused():
    number = new_case(lines=0)
    with pytest.raises(scanning.ScanRefused, match="primary label first"):
        scanning.scan(demo_rep(), number, hibc("+$$7LOT1Z"))


def test_a_product_not_in_the_catalog_offers_a_search():
    number = new_case(lines=0)
    with pytest.raises(scanning.ScanRefused) as refusal:
        scanning.scan(demo_rep(), number, "0100614141000128")
    assert "not in the catalog" in refusal.value.message and refusal.value.search == "614141000128"
    assert lines(number) == []


def test_the_same_serial_twice_in_one_case_is_refused():
    number, product = new_case(lines=0), product_with(contract=True)
    scanning.scan(demo_rep(), number, gs1(product, serial="SN-1"))
    with pytest.raises(scanning.ScanRefused, match="already on line 1"):
        scanning.scan(demo_rep(), number, gs1(product, lot="OTHER", serial="sn-1"))
    assert len(lines(number)) == 1


def test_an_expired_device_needs_confirmation_and_is_flagged():
    number, product = new_case(lines=0), product_with(contract=True)
    label = gs1(product, expiry=clock.today() - timedelta(days=30))
    asked = scanning.scan(demo_rep(), number, label)
    assert asked.status == "confirm_expired" and "expired" in asked.message and lines(number) == []
    added = scanning.scan(demo_rep(), number, label, confirm_expired=True).change.line
    assert added.expired and "after the rep confirmed" in added.scan_warning


def test_a_guessed_split_is_flagged_on_the_line():
    number, product = new_case(lines=0), product_with(contract=True)
    expiry = clock.today() + timedelta(days=500)
    outcome = scanning.scan(demo_rep(), number, f"01{product.gtin}10LOT4217{expiry:%y%m%d}")
    line = outcome.change.line
    assert (line.lot, line.expiry) == ("LOT42", expiry) and "without separators" in line.scan_warning


@pytest.mark.parametrize("label", ["0100614141000123", "garbage", "+A123BJC5D6E71H", ""])
def test_unreadable_labels_add_nothing(label):
    number = new_case(lines=0)
    with pytest.raises(InvalidInput):
        scanning.scan(demo_rep(), number, label)
    assert lines(number) == []


def test_a_closed_case_refuses_scans():
    number, product = new_case(lines=1, status="closed"), product_with(contract=True)
    with pytest.raises(NotAllowed):
        scanning.scan(demo_rep(), number, gs1(product))


def test_every_catalog_product_is_found_by_gtin_and_by_hibc():
    with reading() as session:
        products = session.exec(  # imports of other tests may have added HIBC-only products (no GTIN)
            select(Product).where(Product.gtin.is_not(None)).order_by(Product.id).limit(400)
        ).all()[::17]  # fmt: skip
    number = new_case(lines=0)
    for product in products:
        assert scanning.scan(demo_rep(), number, gs1(product, lot=f"L{product.id}")).change.line.ref == product.ref
        assert scanning.scan(demo_rep(), number, hibc_primary(product)).change.line.ref == product.ref
