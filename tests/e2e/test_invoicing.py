"""Invoiced and Paid, and a correction (credit and rebill), from a manager's screen in Chromium:
the money panel of Sign & Submit, the header's status, and every sales order revision on Share."""

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from closeout.services import billing, invoicing, reopening
from tests.e2e.conftest import SHOTS
from tests.factories import closed_case, demo_rep, manager, sign_both

MANAGER = "morgan.lee@closeout.example"


def completed_case() -> str:
    number = closed_case()
    billing.enter_purchase_orders(demo_rep(), number, {None: f"PO-{number[-6:]}"})
    return number


def open_tab(page: Page, number: str, tab: str) -> None:
    page.goto(f"/cases/{number}")
    expect(page.locator("#case-number")).to_have_text(number)
    page.get_by_role("tab", name=tab).click()


def pay(page: Page, amount: str, reference: str = "") -> None:
    form = page.locator("#payment-form")
    form.get_by_label("Amount").fill(amount)
    form.get_by_label("Reference (optional)").fill(reference)
    form.get_by_role("button", name="Record payment").click()


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_manager_records_the_invoice_and_two_partial_payments(page: Page, viewport):
    number = completed_case()
    open_tab(page, number, "Sign & Submit")
    panel = page.locator("#money-panel")
    expect(panel).to_contain_text("Not invoiced yet")
    invoice = page.locator("#invoice-form")
    invoice.get_by_label("Invoice number").fill("INV-2026-0042")
    invoice.get_by_label("Amount").fill("12.345")
    invoice.get_by_role("button", name="Record invoice").click()
    expect(panel.locator(".money-error")).to_have_text("Use at most 2 decimal places.")
    invoice.get_by_label("Amount").fill("1,000.00")
    invoice.get_by_role("button", name="Record invoice").click()
    expect(page.locator("#invoice-number")).to_have_text("INV-2026-0042")
    expect(page.locator("#money-balance")).to_have_text("Short by $1,000.00")
    expect(page.locator("#case-number").locator("..")).to_contain_text("Invoiced")
    expect(page.locator("#invoice-form")).to_have_count(0)  # invoiced once: a correction replaces it

    pay(page, "600", "CHK 1001")
    expect(page.locator(".payment-row")).to_have_count(1)
    expect(page.locator("#money-balance")).to_have_text("Short by $400.00")
    expect(page.locator("#case-number").locator("..")).to_contain_text("Invoiced")
    pay(page, "400.00")
    expect(page.locator(".payment-row")).to_have_count(2)
    expect(page.locator("#money-balance")).to_have_text("Paid in full")
    expect(page.locator("#money-received")).to_have_text("$1,000.00")
    expect(page.locator("#case-number").locator("..")).to_contain_text("Paid")
    panel.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"invoicing-paid-{viewport}.png", full_page=True)
    assert invoicing.money_panel(manager(), number).balance.words() == "Paid in full"


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_a_rep_sees_the_money_but_no_forms(page: Page):
    number = completed_case()
    invoicing.record_invoice(manager(), number, "INV-7", "2026-06-15", "50.00")
    invoicing.record_payment(manager(), number, "2026-06-15", "60.00")
    open_tab(page, number, "Sign & Submit")
    expect(page.locator("#money-balance")).to_have_text("Overpaid by $10.00")
    expect(page.locator("#payment-form")).to_have_count(0)
    expect(page.locator("#invoice-form")).to_have_count(0)


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_correction_makes_r1_and_both_pdfs_are_listed_on_share(page: Page, viewport, app_url):
    number = completed_case()
    so = "SO-" + number[3:]
    invoicing.record_invoice(manager(), number, "INV-9", "2026-06-15", "500.00")
    invoicing.record_payment(manager(), number, "2026-06-15", "500.00")
    open_tab(page, number, "Sign & Submit")
    expect(page.locator("#money-balance")).to_have_text("Paid in full")
    page.get_by_role("button", name="Reopen case").click()
    page.get_by_label("Reason for reopening").fill("Credit and rebill: wrong lot billed")
    page.get_by_role("button", name="Reopen", exact=True).click()
    expect(page.locator(".signer-sales_rep .signer-status")).to_have_text("Not signed")
    expect(page.locator(".credited-invoice")).to_contain_text("Invoice INV-9")  # payments stay: the panel is still shown

    sign_both(number)  # the rep signs and submits the rebill again, and the PO is entered
    billing.submit_for_billing(demo_rep(), number)
    billing.enter_purchase_orders(demo_rep(), number, {None: f"PO-{number[-6:]}-R1"})
    open_tab(page, number, "Share")
    rows = page.locator(".revision-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(f"{so}-R1")
    expect(rows.nth(0)).to_contain_text("current")
    expect(rows.nth(1)).to_contain_text(so)
    expect(rows.nth(1)).to_contain_text("Credit and rebill: wrong lot billed")
    page.locator("#sales-order-revisions").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"invoicing-revisions-{viewport}.png", full_page=True)
    kept = page.request.get(app_url + rows.nth(1).get_by_role("link").get_attribute("href"))
    assert kept.status == 200 and kept.body()[:5] == b"%PDF-"
    assert so in PdfReader(io.BytesIO(kept.body())).pages[0].extract_text()
    current = page.request.get(f"{app_url}/sales-orders/{number}.pdf?for=download")
    text = PdfReader(io.BytesIO(current.body())).pages[0].extract_text()
    assert f"{so}-R1" in text and f"Corrects {so}" in text
    other = page.request.get(f"{app_url}/sales-orders/{number}/revisions/7.pdf")
    assert other.status == 404


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_reopening_a_closed_case_keeps_no_revision(page: Page, app_url):
    number = closed_case()
    reopening.reopen(demo_rep(), number, "not a correction: Closed")
    sign_both(number)
    response = page.request.get(f"{app_url}/sales-orders/{number}/revisions/0.pdf")
    assert response.status == 404  # no revision kept: reopening a Closed case is no correction
