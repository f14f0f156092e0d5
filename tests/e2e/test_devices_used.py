"""Devices Used from the rep's side, in Chromium, at tablet and desktop viewports."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from closeout.domain.money import format_usd
from closeout.seed import BIG_CASE_LINES, BIG_CASE_NUMBER
from closeout.services import device_lines
from tests.factories import demo_rep, new_case, product_with


def open_case_from_home(page: Page, number: str) -> None:
    page.goto("/")
    page.locator("#case-search").fill(number)
    row = page.locator(".case-row", has_text=number)
    expect(row).to_have_count(1)
    row.click()
    expect(page).to_have_url(re.compile(f"/cases/{number}$"))
    expect(page.locator("#case-number")).to_have_text(number)


def edit(page: Page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")  # leaving the field saves it


def assert_no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def assert_touch_targets(page: Page) -> None:
    """Every control of the first device line and the pager is at least 44 px tall."""
    card = page.locator(".device-line").first
    controls = card.locator(".rt-TextFieldRoot, button[role=combobox], label:has(button[role=switch])").all()
    controls += page.get_by_role("button", name=re.compile("^(Previous|Next)$")).all()
    assert controls
    for control in controls:
        box = control.bounding_box()
        assert box and box["height"] >= 44, f"{control} is {box and box['height']} px tall"


def test_add_a_device_edit_quantity_and_price_and_find_it_saved(page: Page):
    number = new_case(lines=0)
    product = product_with(contract=True)
    open_case_from_home(page, number)

    page.locator("#catalog-search").fill(product.ref)
    page.get_by_role("button", name=f"Add {product.ref}").click()
    card = page.locator(".device-line", has_text=product.ref)
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Contract price")
    price = device_lines.list_lines(demo_rep(), number).lines[0].unit_price
    expect(page.locator("#grand-total")).to_have_text(format_usd(price))

    edit(page, "Quantity, line 1", "3")
    expect(card.locator(".line-extended")).to_have_text(format_usd(price * 3))
    expect(page.locator("#grand-total")).to_have_text(format_usd(price * 3))
    expect(card.locator(".price-edited")).to_have_count(0)

    edit(page, "Unit price, line 1", "99.95")
    card.get_by_role("button", name="Price agreed with the facility").click()  # an edited price needs a reason
    expect(card.locator(".price-edited")).to_have_text("Price edited")
    expect(page.locator("#grand-total")).to_have_text(format_usd(Decimal("299.85")))
    assert_no_horizontal_scroll(page)
    assert_touch_targets(page)

    page.reload()
    card = page.locator(".device-line", has_text=product.ref)
    expect(page.get_by_label("Quantity, line 1", exact=True)).to_have_value("3")
    expect(page.get_by_label("Unit price, line 1", exact=True)).to_have_value("99.95")
    expect(card.locator(".price-edited")).to_be_visible()
    expect(page.locator("#grand-total")).to_have_text("$299.85")

    page.get_by_role("tab", name="Activity").click()
    expect(page.locator(".activity-item").first).to_contain_text("unit price")
    expect(page.locator(".activity-item", has_text="quantity 1 → 3")).to_have_count(1)
    expect(page.locator(".activity-item", has_text=f"Added line 1: {product.ref}")).to_have_count(1)


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_bad_input_shows_a_message_by_the_field_and_saves_nothing(page: Page):
    number = new_case(lines=2)
    page.goto(f"/cases/{number}")
    edit(page, "Quantity, line 1", "0")
    card = page.locator(".device-line").first
    expect(card.locator(".field-error")).to_have_text("Quantity must be at least 1.")
    expect(page.get_by_label("Quantity, line 1", exact=True)).to_have_value("0")  # kept for correcting

    edit(page, "Unit price, line 2", "12.345")
    expect(page.locator(".device-line").nth(1).locator(".field-error")).to_have_text("Use at most 2 decimal places.")

    edit(page, "Quantity, line 1", "2")
    expect(card.locator(".field-error")).to_have_count(0)
    page.reload()
    expect(page.get_by_label("Quantity, line 1", exact=True)).to_have_value("2")
    saved = device_lines.list_lines(demo_rep(), number).lines
    assert [line.quantity for line in saved] == [2, 1]
    assert saved[1].price_source.value != "edited"


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_usage_status_and_no_charge_change_the_totals(page: Page):
    number = new_case(lines=2)
    first, second = device_lines.list_lines(demo_rep(), number).lines
    page.goto(f"/cases/{number}")
    expect(page.locator("#grand-total")).to_have_text(format_usd(first.extended + second.extended))

    page.get_by_label("No charge, line 1").click()
    expect(page.locator(".device-line").first).to_contain_text("No charge")
    expect(page.locator("#grand-total")).to_have_text(format_usd(second.extended))

    page.get_by_label("Usage status, line 2").click()
    page.get_by_role("option", name="Unused").click()
    expect(page.locator(".device-line").nth(1)).to_contain_text("Unused — not billed")
    expect(page.locator("#grand-total")).to_have_text("$0.00")
    expect(page.get_by_text("Not billed: 1 no-charge and 1 unused line(s).")).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_remove_a_line_after_confirming(page: Page):
    number = new_case(lines=2)
    page.goto(f"/cases/{number}")
    expect(page.locator(".device-line")).to_have_count(2)
    page.get_by_label("Remove line 2").click()
    page.get_by_role("button", name="Keep it").click()
    expect(page.locator(".device-line")).to_have_count(2)
    page.get_by_label("Remove line 2").click()
    page.get_by_role("button", name="Remove", exact=True).click()
    expect(page.locator(".device-line")).to_have_count(1)
    assert len(device_lines.list_lines(demo_rep(), number).lines) == 1


def test_every_line_of_the_1500_line_case_is_reachable(page: Page):
    page.goto(f"/cases/{BIG_CASE_NUMBER}")
    expect(page.locator(".device-line")).to_have_count(25)
    page.get_by_label("Last page").click()
    expect(page.locator("#lines-page")).to_have_text(f"Page {BIG_CASE_LINES // 25} of {BIG_CASE_LINES // 25}")
    expect(page.locator(".device-line").last).to_contain_text(f"#{BIG_CASE_LINES}")
    last = device_lines.list_lines(demo_rep(), BIG_CASE_NUMBER, page=BIG_CASE_LINES, page_size=1).lines[0]
    page.locator("#line-filter").fill(last.lot)
    expect(page.locator(".device-line", has_text=f"#{BIG_CASE_LINES}")).to_be_visible()
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_another_reps_case_is_not_found(page: Page):
    theirs = new_case(lines=1, rep_email="sam.okafor@closeout.example")
    page.goto(f"/cases/{theirs}")
    expect(page.locator("#case-not-found")).to_have_text(f"Case {theirs} was not found.")
    expect(page.locator(".device-line")).to_have_count(0)


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_an_edit_on_one_screen_appears_on_the_other_without_a_reload(page: Page, browser, app_url):
    from tests.e2e.conftest import signed_in

    number = new_case(lines=1)
    other = browser.new_context(viewport={"width": 1440, "height": 900})
    signed_in(other, app_url, "morgan.lee@closeout.example")  # a manager's desk, watching
    desk = other.new_page()
    desk.goto(f"{app_url}/cases/{number}")
    page.goto(f"/cases/{number}")
    for screen in (page, desk):
        expect(screen.get_by_label("Quantity, line 1", exact=True)).to_have_value("1")
    before = page.locator("#grand-total").inner_text()
    edit(page, "Quantity, line 1", "4")
    expect(desk.get_by_label("Quantity, line 1", exact=True)).to_have_value("4", timeout=10_000)
    expect(page.locator("#grand-total")).not_to_have_text(before)  # the desk may well see it first
    expect(desk.locator("#grand-total")).to_have_text(page.locator("#grand-total").inner_text())
    other.close()
