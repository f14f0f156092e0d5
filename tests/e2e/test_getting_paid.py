"""Issue 15's "Done means", as one story across four screens: the rep emails the sales order
over real SMTP; the hospital's buyer opens the link from that email in a browser that never
signed in and enters two manufacturers' POs; the rep's open screen turns Completed; a manager
records the invoice and two partial payments (Paid), then corrects the case (credit and rebill)
and the Share tab lists both sales orders; and the reminder job honours each facility's settings
(reminders off: none)."""

import io
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from closeout.domain import clock
from closeout.services import billing, device_lines, reminders
from tests.e2e.conftest import SHOTS, VIEWPORTS, signed_in
from tests.factories import closed_case, demo_rep, new_facility, sign_both

MANAGER = "morgan.lee@closeout.example"
LINK = re.compile(r"https?://\S+/po/[\w-]+")


def _context(browser: Browser, app_url: str, viewport: str, email: str | None):
    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=app_url, has_touch=viewport != "desktop")
    context.set_default_timeout(15_000)
    if email:
        signed_in(context, app_url, email)
    return context


def _rep_emails_the_sales_order(page: Page, number: str, inbox) -> str:
    page.goto(f"/cases/{number}")
    expect(page.locator("#case-number")).to_have_text(number)
    page.get_by_role("tab", name="Share").click()
    expect(page.locator("#share-recipients")).to_have_value("ap.ortho@stbrigid.example")
    page.locator("#share-send").click()
    expect(page.locator("#share-notice")).to_contain_text("Sent to ap.ortho@stbrigid.example")
    rcpts, message = inbox.messages[-1]
    assert rcpts == ["ap.ortho@stbrigid.example"]
    return LINK.search(message.get_body(("plain",)).get_content()).group(0)


def _buyer_enters_a_po_per_manufacturer(browser: Browser, link: str) -> int:
    context = browser.new_context(viewport=VIEWPORTS["desktop"])  # no session: the buyer has no account
    buyer = context.new_page()
    try:
        buyer.goto(link)
        expect(buyer.locator(".buyer-maker").first).to_be_visible()
        assert "PT-" not in buyer.content()  # no patient identifier
        buyer.locator("#buyer-email").fill("buyer@stbrigid.example")
        buyer.get_by_role("radio", name="One PO per manufacturer").click()
        fields = buyer.locator(".po-maker input")
        expect(fields.first).to_be_visible()
        makers = fields.count()
        assert makers >= 2  # the case's lines come from two manufacturers or more
        for index in range(makers):
            fields.nth(index).fill(f"PO-881-{index + 1}")
        buyer.locator("#buyer-submit").click()
        expect(buyer.locator("#buyer-done")).to_contain_text("was received")
        buyer.screenshot(path=SHOTS / "getting-paid-buyer.png", full_page=True)
        return makers
    finally:
        context.close()


def _manager_records_invoice_and_payments(manager: Page, number: str) -> None:
    manager.goto(f"/cases/{number}")
    expect(manager.locator("#case-number")).to_have_text(number)
    manager.get_by_role("tab", name="Sign & Submit").click()
    invoice = manager.locator("#invoice-form")
    invoice.get_by_label("Invoice number").fill("INV-2026-0815")
    invoice.get_by_label("Amount").fill("1,000.00")
    invoice.get_by_role("button", name="Record invoice").click()
    expect(manager.locator("#money-balance")).to_have_text("Short by $1,000.00")
    for amount, balance in (("650.00", "Short by $350.00"), ("350.00", "Paid in full")):
        form = manager.locator("#payment-form")
        form.get_by_label("Amount").fill(amount)
        form.get_by_role("button", name="Record payment").click()
        expect(manager.locator("#money-balance")).to_have_text(balance)
    expect(manager.locator(".payment-row")).to_have_count(2)
    expect(manager.locator("#case-number").locator("..")).to_contain_text("Paid")
    manager.screenshot(path=SHOTS / "getting-paid-manager-paid.png", full_page=True)


def _manager_corrects_the_case(manager: Page, number: str) -> None:
    manager.get_by_role("button", name="Reopen case").click()
    manager.get_by_label("Reason for reopening").fill("Credit and rebill: one screw was not used")
    manager.get_by_role("button", name="Reopen", exact=True).click()
    expect(manager.locator(".credited-invoice")).to_contain_text("Invoice INV-2026-0815")
    last = device_lines.list_lines(demo_rep(), number).lines[-1]
    device_lines.update_line(demo_rep(), number, last.id, "usage_status", "Unused")  # the rep corrects the line
    sign_both(number)  # signs the corrected devices again, submits, and the PO stands
    billing.submit_for_billing(demo_rep(), number)
    billing.enter_purchase_orders(demo_rep(), number, {None: "PO-881-1"})
    manager.reload()
    manager.get_by_role("tab", name="Share").click()
    rows = manager.locator(".revision-row")
    expect(rows).to_have_count(2)
    so = "SO-" + number[3:]
    expect(rows.nth(0)).to_contain_text(f"{so}-R1")
    expect(rows.nth(1)).to_contain_text(so)
    expect(rows.nth(1)).to_contain_text("Credit and rebill: one screw was not used")
    manager.locator("#sales-order-revisions").scroll_into_view_if_needed()
    manager.screenshot(path=SHOTS / "getting-paid-revisions.png", full_page=True)
    current = manager.request.get(f"/sales-orders/{number}.pdf?for=download")
    text = PdfReader(io.BytesIO(current.body())).pages[0].extract_text()
    assert f"Corrects {so}" in text and last.ref in text  # what changed: the line no longer billed


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_getting_paid_from_shared_sales_order_to_paid_and_rebilled(page: Page, browser, app_url, mail_server):
    inbox, _ = mail_server
    number = closed_case(lines=3)
    link = _rep_emails_the_sales_order(page, number, inbox)
    page.get_by_role("tab", name="Sign & Submit").click()
    expect(page.locator("#submitted-info")).to_contain_text("Closed until its Purchase Order")

    makers = _buyer_enters_a_po_per_manufacturer(browser, link)
    expect(page.locator("#case-number").locator("xpath=..")).to_contain_text("Completed")  # live, no reload
    expect(page.locator(".po-entered")).to_have_count(makers)
    expect(page.locator(".po-entered").first).to_contain_text("buyer@stbrigid.example via link")
    page.screenshot(path=SHOTS / "getting-paid-rep-completed.png", full_page=True)

    context = _context(browser, app_url, "desktop", MANAGER)
    try:
        manager = context.new_page()
        _manager_records_invoice_and_payments(manager, number)
        _manager_corrects_the_case(manager, number)
    finally:
        context.close()


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_the_reminder_job_honours_each_facilitys_settings(page: Page, mail_server, monkeypatch, app_url):
    inbox, port = mail_server
    for name, value in {"CLOSEOUT_SMTP_HOST": "127.0.0.1", "CLOSEOUT_SMTP_PORT": str(port),
                        "CLOSEOUT_SMTP_SECURITY": "none", "CLOSEOUT_PUBLIC_URL": app_url}.items():  # fmt: skip
        monkeypatch.setenv(name, value)  # the job runs in this process, as cron would run it
    _, on_name = new_facility(billing=("ap@reminded.example",))
    off_id, off_name = new_facility(billing=("ap@quiet.example",))
    reminded, quiet = closed_case(days_ago=8, facility=on_name), closed_case(days_ago=8, facility=off_name)

    page.goto(f"/directory/facility/{off_id}")  # the manager turns this facility's reminders off
    expect(page.locator("#po-reminders")).to_be_visible()
    page.locator("#reminders-on").click()
    page.locator("#reminder-save").click()
    expect(page.locator("#reminder-notice")).to_contain_text("saved")

    run = reminders.send_due_reminders(clock.now() + timedelta(minutes=1))
    sent_for = {r.case_number for r in run.sent}
    assert reminded in sent_for and quiet not in sent_for
    to_reminded = [m for rcpts, m in inbox.messages if rcpts == ["ap@reminded.example"]]
    assert len(to_reminded) == 1 and reminded in to_reminded[0]["Subject"]
    assert LINK.search(to_reminded[0].get_body(("plain",)).get_content())  # the buyer's link in every reminder
    assert not [rcpts for rcpts, _ in inbox.messages if rcpts == ["ap@quiet.example"]]
