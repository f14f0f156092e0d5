"""Scan to add from the rep's side: a keyboard-wedge scanner types the label and Enter."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from closeout.domain import clock
from closeout.domain.hibc import check_character
from tests.factories import hibc_primary_with_check, new_case, product_with


def scan(page: Page, label: str) -> None:
    """Tap the field once, then type as a scanner does (fast, ending with Enter)."""
    page.locator("#scan-input").click()
    for chunk in label.split("\x1d"):
        page.keyboard.type(chunk, delay=5)
        if chunk is not label.split("\x1d")[-1]:
            page.keyboard.insert_text("\x1d")  # the GS separator, which no key types
    page.keyboard.press("Enter")


def test_a_gs1_scan_adds_a_filled_line(page: Page):
    number, product = new_case(lines=0), product_with(contract=True)
    expiry = clock.today() + timedelta(days=400)
    page.goto(f"/cases/{number}")
    scan(page, f"01{product.gtin}17{expiry:%y%m%d}10LOT-55\x1d21SER-55")
    card = page.locator(".device-line", has_text=product.ref)
    expect(card).to_have_count(1)
    expect(page.get_by_label("Lot, line 1", exact=True)).to_have_value("LOT-55")
    expect(page.get_by_label("Serial, line 1", exact=True)).to_have_value("SER-55")
    expect(page.get_by_label("Expiry, line 1", exact=True)).to_have_value(expiry.isoformat())
    expect(card).to_contain_text("Contract price")
    expect(page.locator("#scan-input")).to_have_value("")  # ready for the next label

    scan(page, f"01{product.gtin}17{expiry:%y%m%d}10LOT-56\x1d21SER-55")
    expect(page.locator("#scan-error")).to_contain_text("Serial SER-55 is already on line 1")
    expect(page.locator(".device-line")).to_have_count(1)


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_two_hibc_labels_fill_one_line(page: Page):
    """The hardest labels on purpose: the primary's check character is a space (legal, value 38),
    so the secondary's link character is one too; both must survive the input and the form."""
    number, (product, primary) = new_case(lines=0), hibc_primary_with_check(" ")
    assert primary.endswith(" ") and check_character(primary[:-1]) == " "
    secondary = f"+$$3{clock.today() + timedelta(days=200):%y%m%d}HX9{primary[-1]}"  # the date: the tests' fixed clock
    secondary += check_character(secondary)
    page.goto(f"/cases/{number}")
    scan(page, primary)
    expect(page.locator(".device-line")).to_have_count(1)
    expect(page.locator(".device-line", has_text=product.ref)).to_have_count(1)
    scan(page, secondary)
    expect(page.get_by_label("Lot, line 1", exact=True)).to_have_value("HX9")
    expect(page.locator(".device-line")).to_have_count(1)


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_expired_confirmation_and_unknown_product(page: Page):
    number, product = new_case(lines=0), product_with(contract=True)
    page.goto(f"/cases/{number}")
    scan(page, "(01)00614141000128(10)NOPE")
    expect(page.locator("#scan-error")).to_contain_text("not in the catalog")
    page.get_by_role("button", name="Search the catalog").click()
    expect(page.locator("#catalog-search")).to_have_value("614141000128")

    scan(page, f"(01){product.gtin}(17){clock.today() - timedelta(days=10):%y%m%d}(10)OLD1")
    expect(page.get_by_role("alertdialog")).to_contain_text("expired")
    page.get_by_role("button", name="Add anyway").click()
    card = page.locator(".device-line", has_text=product.ref)
    expect(card.locator(".scan-warning")).to_contain_text("after the rep confirmed")
    expect(card).to_contain_text("Expired before surgery")
