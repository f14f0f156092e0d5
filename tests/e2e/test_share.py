"""Share from the rep's side: the first billing contact prefilled, All Emails, Send over
real SMTP, Last shared, Download and Print."""

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from closeout.services import billing, device_lines
from tests.factories import demo_rep, new_case, sign_both


def closed_case() -> str:
    number = new_case(lines=3)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    return number


def open_share_tab(page: Page, number: str) -> None:
    page.goto(f"/cases/{number}")
    expect(page.locator("#case-number")).to_have_text(number)
    page.get_by_role("tab", name="Share").click()


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_email_the_sales_order_and_see_last_shared(page: Page, mail_server):
    inbox, _ = mail_server
    number = closed_case()
    open_share_tab(page, number)
    expect(page.locator("#last-shared")).to_contain_text("has not been shared yet")
    expect(page.locator("#share-recipients")).to_have_value("ap.ortho@stbrigid.example")

    page.get_by_label("All Emails").click()
    page.get_by_role("option", name="Accounts Payable · Billing · payables@stbrigid.example").click()
    expect(page.locator("#share-recipients")).to_have_value("payables@stbrigid.example")

    page.locator("#share-recipients").fill("payables@stbrigid.example, not an address")
    page.locator("#share-send").click()
    expect(page.locator(".share-error")).to_contain_text("is not a valid email address")
    sent_before = len(inbox.messages)

    page.locator("#share-recipients").fill("payables@stbrigid.example")
    page.locator("#share-send").dblclick()
    expect(page.locator("#share-notice")).to_contain_text("Sent to payables@stbrigid.example")
    expect(page.locator("#last-shared")).to_contain_text("Last shared")
    expect(page.locator("#last-shared")).to_contain_text("to payables@stbrigid.example by Dana Reyes")
    expect(page.locator(".share-history-row")).to_have_count(1)
    assert len(inbox.messages) == sent_before + 1  # a double click sends one email
    rcpts, message = inbox.messages[-1]
    assert rcpts == ["payables@stbrigid.example"] and number in message["Subject"]
    pdf = next(message.iter_attachments()).get_content()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert all(line.ref in text for line in device_lines.list_lines(demo_rep(), number).lines)

    billing.enter_purchase_orders(demo_rep(), number, {None: "PO-31337"})
    page.reload()
    page.get_by_role("tab", name="Share").click()
    expect(page.locator(".share-out-of-date")).to_contain_text("out of date")


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_download_and_print_the_pdf(page: Page):
    number = closed_case()
    open_share_tab(page, number)
    with page.expect_download() as download:
        page.locator("#share-download").click()
    assert download.value.suggested_filename == f"SO-{number[3:]}.pdf"
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    expect(page.locator("#last-shared")).to_contain_text("Downloaded", timeout=10_000)

    with page.context.expect_page() as printed:
        page.locator("#share-print").click()
    assert printed.value.url.endswith(f"/sales-orders/{number}.pdf?for=print")
    expect(page.locator("#last-shared")).to_contain_text("Printed", timeout=10_000)
    expect(page.locator(".share-history-row")).to_have_count(2)


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_no_share_tab_and_no_pdf_for_an_open_case(page: Page, app_url):
    number = new_case(lines=1)
    page.goto(f"/cases/{number}")
    expect(page.locator("#case-number")).to_have_text(number)
    expect(page.get_by_role("tab", name="Share")).to_have_count(0)
    response = page.request.get(f"{app_url}/sales-orders/{number}.pdf?for=download")
    assert response.status == 404 and b"%PDF" not in response.body()
    theirs = new_case(lines=1, rep_email="sam.okafor@closeout.example")
    response = page.request.get(f"{app_url}/sales-orders/{theirs}.pdf?for=print")
    assert response.status == 404 and "not found" in response.text()
