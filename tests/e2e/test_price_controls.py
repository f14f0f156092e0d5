"""Price edits under control, from the users' side, in Chromium at a tablet and the desktop:
a rep without the permission sees a read-only price (and a crafted event is refused); a rep
with it gives a reason, which shows on the line, in the lists and on the sales order PDF;
a manager grants the permission in Users."""

import io
import itertools
import json
import os
import re
from decimal import Decimal as D

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from closeout.domain.money import format_usd
from closeout.services import billing, device_lines, price_dashboard, user_admin, users
from tests.e2e.conftest import SHOTS
from tests.factories import actor_for_email, demo_rep, manager, new_case, new_session, sign_both
from tests.socket_client import Screen, run, state_names

SAM, MANAGER = "sam.okafor@closeout.example", "morgan.lee@closeout.example"
REP_TABLET = pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
MANAGER_DESKTOP = pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
_numbers = itertools.count(1)


def shot(page: Page, request, step: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{request.node.name}-{step}.png", full_page=True)


def type_price(page: Page, line: int, value: str) -> None:
    field = page.get_by_label(f"Unit price, line {line}", exact=True)
    field.fill(value)
    field.press("Tab")  # leaving the field saves it


@REP_TABLET
@pytest.mark.parametrize("user_email", [SAM])
def test_without_the_permission_the_price_is_read_only_and_no_charge_still_works(page: Page, request):
    number = new_case(lines=2, rep_email=SAM)
    before = device_lines.list_lines(actor_for_email(SAM), number).lines
    page.goto(f"/cases/{number}")
    price = page.get_by_label("Unit price, line 1", exact=True)
    expect(price).to_have_attribute("readonly", "")
    expect(page.locator(".device-line").first.locator(".price-locked")).to_have_text("Price edits need a manager's permission.")
    price.click()
    page.keyboard.type("1")
    price.press("Tab")
    expect(price).to_have_value(str(before[0].unit_price))
    page.get_by_label("No charge, line 1").click()
    expect(page.locator(".device-line").first).to_contain_text("No charge")
    expect(page.locator("#grand-total")).to_have_text(format_usd(before[1].extended))
    shot(page, request, "read-only")
    after = device_lines.list_lines(actor_for_email(SAM), number).lines
    assert [line.unit_price for line in after] == [line.unit_price for line in before]
    assert after[0].no_charge and not device_lines.list_lines(actor_for_email(SAM), number).prices_edited


def test_a_crafted_price_event_without_the_permission_is_refused(app_url):
    number = new_case(lines=1, rep_email=SAM)
    line = device_lines.list_lines(actor_for_email(SAM), number).lines[0]
    names, token = state_names(), new_session(actor_for_email(SAM))

    async def story():
        tab = Screen(app_url, f"/cases/{number}", names)
        await tab.open(token, done=tab.filled("devices", "rows"))
        payload = {"line_id": line.id, "field_name": "unit_price", "value": "1.00", "version": line.version}
        _, answer = await tab.send(names["save"], payload, lambda m: "may not change unit prices" in json.dumps(m["__events__"]))
        await tab.close()
        return answer

    answer = run(story())
    assert "A manager can allow price edits for you in Users" in json.dumps(answer["__events__"])
    saved = device_lines.list_lines(actor_for_email(SAM), number).lines[0]
    assert (saved.unit_price, saved.price_source, saved.version) == (line.unit_price, line.price_source, line.version)


def pdf_text(page: Page, app_url: str, number: str) -> str:
    """The sales order as the Share tab downloads it, read back."""
    page.get_by_role("tab", name="Share").click()
    with page.expect_download() as download:
        page.locator("#share-download").click()
    pdf = download.value.path().read_bytes()
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@REP_TABLET
def test_an_edited_price_needs_a_reason_which_shows_on_the_line_in_the_list_and_on_the_pdf(page: Page, app_url, request):
    number = new_case(lines=2)
    first, second = device_lines.list_lines(demo_rep(), number).lines
    page.goto(f"/cases/{number}")
    expect(page.locator("#case-prices-edited")).to_have_count(0)
    type_price(page, 1, "99.95")
    card = page.locator(".device-line").first
    picker = card.locator(".price-reason-picker")
    expect(picker).to_contain_text("Why $99.95?")
    shot(page, request, "picker")
    assert device_lines.list_lines(demo_rep(), number).lines[0].unit_price == first.unit_price  # nothing saved yet
    picker.get_by_role("button", name="Price agreed with the facility").click()
    expect(picker).to_have_count(0)
    expect(card.locator(".price-edited")).to_have_text("Price edited")
    expect(card.locator(".price-reason")).to_have_text("Reason: Price agreed with the facility")
    expect(card).to_contain_text(f"Edited from {format_usd(first.unit_price)}")
    expect(page.locator("#case-prices-edited")).to_be_visible()

    typed = "Loaner <b>set</b> & 10% credit"
    type_price(page, 2, "5.00")
    second_card = page.locator(".device-line").nth(1)
    second_card.get_by_label("Other reason, line 2").fill(typed)
    second_card.get_by_role("button", name="Save with this reason").click()
    expect(second_card.locator(".price-reason")).to_have_text(f"Reason: {typed}")
    type_price(page, 2, str(second.unit_price))  # back to the contract price: the reason goes
    expect(second_card.locator(".price-edited")).to_have_count(0)
    expect(second_card.locator(".price-reason")).to_have_count(0)
    type_price(page, 2, "6.00")
    second_card.get_by_role("button", name="Trade-in / credit").click()
    expect(second_card.locator(".price-reason")).to_have_text("Reason: Trade-in / credit")
    expect(page.locator("#grand-total")).to_have_text(format_usd(D("99.95") * first.quantity + D("6.00") * second.quantity))
    shot(page, request, "saved")

    page.goto("/")
    page.locator("#case-search").fill(number)
    row = page.locator(".case-row", has_text=number)
    expect(row.locator(".prices-edited")).to_have_text("Prices edited")

    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    page.goto(f"/cases/{number}")
    text = pdf_text(page, app_url, number)
    assert "* Price edited: Price agreed with the facility" in text and "* Price edited: Trade-in / credit" in text
    assert "$99.95 *" in text


@MANAGER_DESKTOP
@pytest.mark.parametrize("user_email", [MANAGER])
def test_a_manager_grants_the_permission_in_users_and_the_console_filters_edited_cases(page: Page, viewport, request):
    email = f"pat.{viewport}.{next(_numbers)}.{os.getpid()}@closeout.example"
    issued = user_admin.add_user(manager(), "Pat Kim", email, "sales_rep", [], "http://unused")
    pat = actor_for_email(email)
    number = new_case(lines=1, rep_email=email)
    assert device_lines.list_lines(pat, number).may_edit_prices is False and issued.url

    page.goto(f"/users/{pat.id}")
    switch = page.get_by_role("switch", name="May edit unit prices")
    expect(switch).to_have_attribute("aria-checked", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(page.locator("#price-permission-note")).to_contain_text("needs a reason")
    shot(page, request, "granted")
    assert users.user_detail(manager(), pat.id).may_edit_prices is True
    line = device_lines.list_lines(pat, number).lines[0]
    device_lines.set_price(pat, number, line.id, "7.77", "Contract price not yet loaded")

    page.goto(f"/console?status=open&prices_edited=1&q={number}")
    flag = page.get_by_role("checkbox", name="Prices edited")
    expect(flag).to_be_checked()
    row = page.locator(".console-row", has_text=number)
    expect(row.locator(".prices-edited")).to_be_visible()
    flag.click()
    expect(page).to_have_url(re.compile(r"^(?!.*prices_edited).*$"))
    shot(page, request, "console")

    page.get_by_role("link", name="Dashboard").click()
    first = price_dashboard.price_edits(manager())[0]  # the demo data's submitted cases have edited prices
    row = page.locator(".price-edits-row").first
    for text in (first.facility, str(first.cases), format_usd(first.above), format_usd(first.below)):
        expect(row).to_contain_text(text)
    page.locator("#price-edits").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, request, "dashboard")
