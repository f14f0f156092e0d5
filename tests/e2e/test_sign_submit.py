"""Sign & Submit from the rep's side (and the provider's, on another screen), in Chromium."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from closeout.models import SigningLink
from closeout.services import audit, billing, device_lines, replenishment, signatures, signing_links
from closeout.services.db import transaction
from tests.factories import demo_rep, new_case, sign_both


def draw(page: Page, selector: str) -> None:
    """A signature stroke with the mouse, as a finger or stylus would make it."""
    pad = page.locator(f"canvas.{selector}")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    x, y = box["x"] + 30, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + step * 25, y + (18 if step % 2 else -18), steps=3)
    page.mouse.up()


def open_sign_tab(page: Page, number: str) -> None:
    page.goto(f"/cases/{number}")
    expect(page.locator("#case-number")).to_have_text(number)
    page.get_by_role("tab", name="Sign & Submit").click()


def sign_on_pad(page: Page, role: str, label: str, name: str | None = None) -> None:
    if name is not None:
        page.get_by_label(f"{label} printed name").fill(name)
    draw(page, f"sig_{role}")
    page.get_by_role("button", name=f"Save {label} signature").click()
    expect(page.locator(f".signer-{role} .signer-status")).to_have_text("Signed")


@pytest.mark.parametrize("viewport", ["tablet-landscape", "desktop"], indirect=True)
def test_sign_submit_replenish_and_complete_with_the_po(page: Page):
    number = new_case(lines=2)
    open_sign_tab(page, number)
    expect(page.locator("#submit-for-billing")).to_be_disabled()
    expect(page.locator(".submit-problem")).to_have_count(2)

    sign_on_pad(page, "sales_rep", "Sales Rep")
    sign_on_pad(page, "provider_rep", "Provider Representative", "RN Carla Mendes")
    expect(page.locator(".signer-provider_rep img")).to_be_visible()
    page.locator("#request-replenishment").click()
    page.locator("#submit-for-billing").click()

    expect(page.get_by_text("Closed — pending PO").first).to_be_visible()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Request Replenishment")).to_be_visible()
    expect(dialog.locator(".restock-item")).to_have_count(2)
    first_qty = dialog.locator(".restock-item input").first
    first_qty.fill("3")
    first_qty.press("Tab")
    dialog.locator("#send-replenishment").click()
    expect(page.locator(".replenishment-request")).to_have_count(1)
    [request] = replenishment.requests(demo_rep(), number)
    assert request.items[0][2] == 3 and request.status == "requested"

    page.get_by_role("tab", name="Devices Used").click()
    expect(page.get_by_text("Devices Used is read-only")).to_be_visible()
    expect(page.get_by_label("Quantity, line 1", exact=True)).not_to_be_editable()
    expect(page.get_by_label("Remove line 1")).to_have_count(0)

    page.get_by_role("tab", name="Sign & Submit").click()
    page.locator("#save-po").click()
    expect(page.locator(".po-error")).to_have_text("Enter the Purchase Order number.")
    page.get_by_label("PO number for all manufacturers").fill("PO-" + "9" * 40)
    page.locator("#save-po").click()
    expect(page.locator(".po-error")).to_have_text("A PO number is at most 40 characters.")
    page.get_by_label("PO number for all manufacturers").fill("PO-2026-0042")
    page.locator("#save-po").click()
    expect(page.get_by_text("Completed", exact=True).first).to_be_visible()
    expect(page.locator("#submitted-info")).to_contain_text("Completed")
    expect(page.get_by_role("button", name="Reopen case")).to_have_count(0)  # a manager's call now


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_attestation_and_a_stale_signature(page: Page):
    number = new_case(lines=1)
    sign_both(number)
    device_lines.update_line(demo_rep(), number, device_lines.list_lines(demo_rep(), number).lines[0].id,
                             "quantity", "2")  # fmt: skip
    open_sign_tab(page, number)
    expect(page.locator(".signature-stale")).to_have_count(2)
    expect(page.locator("#submit-for-billing")).to_be_disabled()
    expect(page.locator(".submit-problem").first).to_contain_text("no longer valid")

    sign_on_pad(page, "sales_rep", "Sales Rep")
    page.get_by_role("button", name="Provider not available? Enter your name instead").click()
    page.get_by_label("Your name instead of the Provider Representative").fill("D")
    page.get_by_role("button", name="Record my name").click()
    expect(page.locator(".sign-error")).to_have_text("Enter the full name.")
    page.get_by_label("Your name instead of the Provider Representative").fill("Dana Reyes")
    page.get_by_role("button", name="Record my name").click()
    expect(page.locator(".signer-provider_rep")).to_contain_text("Typed name: Dana Reyes")
    page.locator("#submit-for-billing").dblclick()
    expect(page.get_by_text("Closed — pending PO").first).to_be_visible()
    expect(page.get_by_text("already been submitted")).to_have_count(0)
    assert [e.action for e in audit.activity(demo_rep(), number)].count("submitted for billing") == 1
    expect(page.get_by_role("button", name="Start replenishment request")).to_be_visible()  # not ticked: later


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_clear_and_redo_a_signature(page: Page):
    number = new_case(lines=1)
    open_sign_tab(page, number)
    draw(page, "sig_sales_rep")
    page.get_by_role("button", name="Clear").first.click()
    page.get_by_role("button", name="Save Sales Rep signature").click()
    expect(page.locator(".sign-error")).to_have_text("Draw the signature in the box first.")
    sign_on_pad(page, "sales_rep", "Sales Rep")
    expect(page.locator(".sign-error")).to_have_count(0)


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_reopen_sets_the_signatures_aside(page: Page):
    number = new_case(lines=1)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    open_sign_tab(page, number)
    page.get_by_role("button", name="Reopen case").click()
    page.get_by_role("button", name="Reopen", exact=True).click()
    expect(page.get_by_text("Say why the case is reopened.")).to_be_visible()
    page.get_by_label("Reason for reopening").fill("Lot number on line 1 was wrong")
    page.get_by_role("button", name="Reopen", exact=True).click()
    expect(page.locator(".signer-sales_rep .signer-status")).to_have_text("Not signed")
    expect(page.locator(".signer-provider_rep .signer-status")).to_have_text("Not signed")
    expect(page.get_by_text("Open", exact=True).first).to_be_visible()
    page.get_by_role("tab", name="Activity").click()
    expect(page.locator(".activity-item").first).to_contain_text("Lot number on line 1 was wrong")
    assert signatures.signatures_of(demo_rep(), number) == {}


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_provider_signs_on_another_screen_and_the_rep_sees_it_live(page: Page, browser, app_url):
    number = new_case(lines=2)
    open_sign_tab(page, number)
    page.get_by_role("button", name="Sign on another screen").click()
    link = page.locator("#signing-link")
    expect(link).to_contain_text("/sign/")
    expect(page.get_by_role("img", name="QR code of the signing link")).to_be_visible()
    url = link.inner_text()

    shared = browser.new_context(viewport={"width": 768, "height": 1024}, has_touch=True)  # no session: no login needed
    provider = shared.new_page()
    provider.goto(re.sub(r"^https?://[^/]+", app_url, url))
    expect(provider.get_by_text(f"Devices Used · {number}")).to_be_visible()
    expect(provider.get_by_text(str(demo_rep().name))).to_have_count(0)
    provider.get_by_label("Provider Representative printed name").fill("Dr. Paul Ames")
    draw(provider, "sig_remote")
    provider.get_by_role("button", name="Save Provider Representative signature").click()
    expect(provider.locator("#signed-thanks")).to_be_visible()

    expect(page.locator(".signer-provider_rep")).to_contain_text("Dr. Paul Ames", timeout=10_000)
    expect(page.locator(".signer-provider_rep")).to_contain_text("on another screen")
    provider.goto(re.sub(r"^https?://[^/]+", app_url, url))
    expect(provider.locator("#link-gone")).to_contain_text("expired or was already used")
    shared.close()


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_an_expired_link_reveals_nothing(page: Page):
    number = new_case(lines=1)
    link = signing_links.issue(demo_rep(), number)
    with transaction() as session:
        session.execute(sa.update(SigningLink).where(SigningLink.token_hash.is_not(None))
                        .values(expires_at=sa.func.current_timestamp()))  # fmt: skip
    page.goto(f"/sign/{link.token}")
    expect(page.locator("#link-gone")).to_contain_text("expired or was already used")
    expect(page.get_by_text(number)).to_have_count(0)
    page.goto("/sign/not-a-real-token")
    expect(page.locator("#link-gone")).to_be_visible()
