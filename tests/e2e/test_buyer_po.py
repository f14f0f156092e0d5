"""The facility's buyer enters the PO through the sales order link (issue 15 §1): the rep emails
the sales order over real SMTP; a browser that never signed in opens the link from that email,
sees the order (no patient identifier), enters two manufacturers' POs (one with its PDF), and
the rep's open case page turns Completed without a reload."""

import re

import pytest
from playwright.sync_api import Page, expect

from closeout.services import po_drafts, sharing
from tests.e2e.conftest import SHOTS, VIEWPORTS
from tests.factories import closed_case, demo_rep

PO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n9\n%%EOF\n"


def email_the_sales_order(page: Page, number: str, inbox) -> str:
    """The rep shares from the Share tab; returns the buyer's link from the email received."""
    page.goto(f"/cases/{number}")
    expect(page.locator("#case-number")).to_have_text(number)
    page.get_by_role("tab", name="Share").click()
    expect(page.locator("#share-recipients")).to_have_value("ap.ortho@stbrigid.example")
    before = len(inbox.messages)
    page.locator("#share-send").click()
    expect(page.locator("#share-notice")).to_contain_text("Sent to ap.ortho@stbrigid.example")
    expect(page.locator(".po-link-row")).to_have_count(1)
    expect(page.locator(".po-link-status")).to_have_text("Live")
    assert len(inbox.messages) == before + 1
    _, message = inbox.messages[-1]
    body = message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/po/[\w-]+", body).group(0)


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_the_buyer_enters_two_pos_through_the_link_and_the_rep_sees_completed(page: Page, browser, viewport, mail_server,
                                                                               tmp_path):  # fmt: skip
    inbox, _ = mail_server
    number = closed_case(lines=3)
    link = email_the_sales_order(page, number, inbox)
    page.get_by_role("tab", name="Sign & Submit").click()
    expect(page.locator("#submitted-info")).to_contain_text("Closed until its Purchase Order")

    buyer_context = browser.new_context(viewport=VIEWPORTS[viewport], has_touch=viewport != "desktop")  # no session
    buyer = buyer_context.new_page()
    errors: list[str] = []
    buyer.on("pageerror", lambda error: errors.append(str(error)))
    try:
        buyer.goto(link)
        expect(buyer.locator("#buyer-sales-order")).to_have_text("SO-" + number[3:])
        expect(buyer.locator(".buyer-maker").first).to_be_visible()
        assert "PT-0001" not in buyer.content() and number not in buyer.content()
        assert buyer.get_by_role("navigation").count() == 0  # no app navigation
        buyer.screenshot(path=SHOTS / f"buyer-po-{viewport}-order.png", full_page=True)

        buyer.locator("#buyer-submit").click()  # nothing filled in: told, nothing lost
        expect(buyer.locator("#error-email")).to_contain_text("Enter your email address")
        buyer.locator("#buyer-email").fill("buyer@stbrigid.example")
        buyer.get_by_role("radio", name="One PO per manufacturer").click()
        fields = buyer.locator(".po-maker input")
        expect(fields.first).to_be_visible()
        count = fields.count()
        assert count >= 2
        fields.nth(0).fill("PO-ORTHO-1")
        pdf = tmp_path / "Hospital PO 4711.pdf"
        pdf.write_bytes(PO_PDF)
        buyer.locator(".po-document-drop input[type=file]").set_input_files(str(pdf))
        expect(buyer.locator("#po-document-name")).to_have_text("Hospital PO 4711.pdf")
        assert po_drafts.stored_bytes() >= len(PO_PDF)  # waiting as the link's draft, not in the tab's state
        buyer.reload()  # the same tab: its document is still attached
        expect(buyer.locator("#po-document-name")).to_have_text("Hospital PO 4711.pdf")
        buyer.get_by_role("radio", name="One PO per manufacturer").click()
        fields.nth(0).fill("PO-ORTHO-1")  # a field typed just before the reload may not have reached the server
        buyer.locator("#buyer-submit").click()
        expect(buyer.locator("#buyer-notice")).to_contain_text("A PO is still needed for")
        expect(buyer.locator("#buyer-email")).to_have_value("buyer@stbrigid.example")
        expect(page.locator("#submitted-info")).to_contain_text("Closed until its Purchase Order")  # one is not all
        for index in range(1, count):
            fields.nth(index).fill(f"PO-{index + 1}")
        buyer.screenshot(path=SHOTS / f"buyer-po-{viewport}-filled.png", full_page=True)
        buyer.locator("#buyer-submit").click()
        expect(buyer.locator("#buyer-done")).to_contain_text("was received")
        assert po_drafts.stored_bytes() == 0  # taken into the PO on submit
        buyer.screenshot(path=SHOTS / f"buyer-po-{viewport}-done.png")

        # The rep's page, never reloaded: the header and the Sign & Submit tab say Completed.
        expect(page.locator("#case-number").locator("xpath=..")).to_contain_text("Completed")
        expect(page.locator("#submitted-info")).to_contain_text("the case is Completed")
        expect(page.locator(".po-entered")).to_have_count(count)
        expect(page.locator(".po-entered").first).to_contain_text("buyer@stbrigid.example via link")
        expect(page.locator(".po-document-link")).to_have_count(1)
        with page.expect_download() as download:
            page.locator(".po-document-link").click()
        assert download.value.path().read_bytes() == PO_PDF
        page.screenshot(path=SHOTS / f"buyer-po-{viewport}-rep.png", full_page=True)

        page.get_by_role("tab", name="Share").click()
        expect(page.locator(".po-link-status")).to_have_text("Used: POs entered")
        page.screenshot(path=SHOTS / f"buyer-po-{viewport}-rep-share.png", full_page=True)

        buyer.reload()  # the link now only says the POs are in
        expect(buyer.locator("#buyer-link-gone")).to_contain_text("has been entered")
        assert "PO-ORTHO-1" not in buyer.content()
        assert not errors, f"JavaScript errors on the buyer's page: {errors}"
    finally:
        buyer_context.close()


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_the_rep_revokes_one_link_then_all_on_the_share_tab(page: Page, browser):
    number = closed_case(lines=2)
    for _ in range(3):
        sharing.export(demo_rep(), number, "download", "http://127.0.0.1")
    page.goto(f"/cases/{number}")
    page.get_by_role("tab", name="Share").click()
    expect(page.locator(".po-link-status")).to_have_text(["Live", "Live", "Live"])
    page.locator(".po-link-revoke").first.click()
    expect(page.locator(".po-link-status").first).to_have_text("Revoked: revoked")
    page.locator("#po-links-revoke-all").click()
    expect(page.locator(".po-link-status")).to_have_text(["Revoked: revoked"] * 3)
    expect(page.locator(".po-link-revoke")).to_have_count(0)
    page.screenshot(path=SHOTS / "buyer-po-links-revoked.png", full_page=True)
