"""Sign & Submit from the rep's side (and the provider's, on another screen), in Chromium."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from closeout.domain import clock
from closeout.domain.money import format_usd
from closeout.domain.signing import SignerRole
from closeout.models import SigningLink
from closeout.seed import BIG_CASE_NUMBER, DEMO_PASSWORDS
from closeout.services import audit, billing, device_lines, replenishment, signatures, signing_links
from closeout.services.db import transaction
from tests.e2e.conftest import SHOTS
from tests.factories import demo_rep, new_case, sign_both

REP_PASSWORD = DEMO_PASSWORDS["sales_rep"]


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


def sign_on_pad(page: Page, role: str, label: str, name: str | None = None, title: str = "RN, circulating nurse",
                secret: str = REP_PASSWORD) -> None:  # fmt: skip
    """The Sales Rep signs as the signed-in account, with its password (`secret`); a provider
    gives a printed name and title."""
    if role == "sales_rep":
        draw(page, "sig_sales_rep")
        page.locator("#secret-sales_rep").fill(secret)
    else:
        if name is not None:
            page.get_by_label(f"{label} printed name").fill(name)
        page.get_by_label(f"{label} title").fill(title)
        draw(page, f"sig_{role}")
    page.get_by_role("button", name=f"Save {label} signature").click()
    expect(page.locator(f".signer-{role} .signer-status")).to_have_text("Signed")


def sign_on_provider_screen(screen: Page, name: str, title: str = "RN, circulating nurse") -> None:
    """The provider, on their own screen through the link: name, title, signature, Sign."""
    screen.get_by_label("Provider Representative printed name").fill(name)
    screen.get_by_label("Provider Representative title").fill(title)
    draw(screen, "sig_remote")
    screen.get_by_role("button", name="Save Provider Representative signature").click()


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
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
    page.get_by_role("button", name="Provider not available? Attest instead").click()
    page.get_by_role("button", name="Record attestation for the Provider Representative").click()
    expect(page.locator(".sign-error")).to_have_text("Enter your password.")
    page.locator("#secret-provider_rep").fill(REP_PASSWORD)
    page.get_by_role("button", name="Record attestation for the Provider Representative").click()
    expect(page.locator(".signer-provider_rep")).to_contain_text("Attestation: Dana Reyes")
    expect(page.locator(".signer-provider_rep .how-given")).to_have_text("attestation, confirmed with the account password")
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


def provider_screen(browser, url: str, app_url: str, width: int = 768, height: int = 1024):
    """The provider's own screen: no session, touch; fails on any JavaScript error."""
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True, base_url=app_url)
    context.set_default_timeout(15_000)
    screen = context.new_page()
    errors: list[str] = []
    screen.on("pageerror", lambda error: errors.append(str(error)))
    screen.goto(re.sub(r"^https?://[^/]+", app_url, url))
    return context, screen, errors


def close_screen(context, screen: Page, name: str, errors: list[str]) -> None:
    SHOTS.mkdir(exist_ok=True)
    screen.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    context.close()
    assert not errors, f"JavaScript errors on the provider's page: {errors}"


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_provider_signs_on_another_screen_and_the_rep_sees_it_live(page: Page, browser, app_url):
    number = new_case(lines=2)
    open_sign_tab(page, number)
    page.get_by_role("button", name="Sign on another screen").click()
    link = page.locator("#signing-link")
    expect(link).to_contain_text("/sign/")
    expect(page.get_by_role("img", name="QR code of the signing link")).to_be_visible()
    url = link.inner_text()

    shared, provider, errors = provider_screen(browser, url, app_url)  # no session: no login needed
    expect(provider.get_by_text(f"Devices Used · {number}")).to_be_visible()
    expect(provider.get_by_text(str(demo_rep().name))).to_have_count(0)
    expect(provider.locator("#line-count")).to_have_text("2 device lines")
    expect(provider.locator("#lines-range")).to_have_text("Lines 1–2 of 2")
    expect(provider.locator(".summary-line")).to_have_count(2)
    fingerprint = signing_links.open_link(url.rsplit("/", 1)[-1]).fingerprint
    expect(provider.locator("#content-fingerprint")).to_have_text(fingerprint)
    sign_on_provider_screen(provider, "Dr. Paul Ames", "MD, anesthesiologist")
    expect(provider.locator("#signed-thanks")).to_be_visible()

    expect(page.locator(".signer-provider_rep")).to_contain_text("Dr. Paul Ames", timeout=10_000)
    expect(page.locator(".signer-provider_rep")).to_contain_text("on another screen")
    expect(page.locator("#signing-link")).to_have_count(0)  # the dialog closed by itself
    provider.goto(re.sub(r"^https?://[^/]+", app_url, url))
    expect(provider.locator("#link-gone")).to_contain_text("expired or was already used")
    close_screen(shared, provider, "provider-signed", errors)

    page.get_by_role("tab", name="Activity").click()
    expect(page.locator(".activity-item").filter(has_text="through the one-time link").first).to_contain_text(
        "Dr. Paul Ames (Provider Representative)")  # the provider signed, not the rep who issued the link


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_closing_the_link_dialog_revokes_the_link(page: Page, browser, app_url):
    number = new_case(lines=1)
    open_sign_tab(page, number)
    page.get_by_role("button", name="Sign on another screen").click()
    url = page.locator("#signing-link").inner_text()
    page.get_by_role("dialog").get_by_role("button", name="Close").click()
    expect(page.locator("#signing-link")).to_have_count(0)
    context, provider, errors = provider_screen(browser, url, app_url)
    expect(provider.locator("#link-gone")).to_contain_text("expired or was already used")
    expect(provider.get_by_text(number)).to_have_count(0)
    close_screen(context, provider, "provider-link-closed", errors)


def test_the_provider_pages_through_every_line_of_a_big_case(browser, app_url):
    link = signing_links.issue(demo_rep(), BIG_CASE_NUMBER)
    try:
        context, provider, errors = provider_screen(browser, f"/sign/{link.token}", app_url, 1024, 768)
        expect(provider.locator("#line-count")).to_have_text("1,500 device lines")
        expect(provider.locator("#lines-range")).to_have_text("Lines 1–25 of 1,500")
        expect(provider.locator("css=.summary-line >> visible=true")).to_have_count(25)
        expect(provider.get_by_role("button", name="Previous lines")).to_be_disabled()
        provider.get_by_role("button", name="Next lines").click()
        expect(provider.locator("#lines-range")).to_have_text("Lines 26–50 of 1,500")
        expect(provider.locator("css=.summary-line >> visible=true").first).to_contain_text("26")
        provider.get_by_role("button", name="Previous lines").click()
        expect(provider.locator("#lines-range")).to_have_text("Lines 1–25 of 1,500")
        summary = signing_links.open_link(link.token)
        expect(provider.locator("#grand-total")).to_have_text(format_usd(summary.grand_total))
        expect(provider.locator("#content-fingerprint")).to_have_text(summary.fingerprint)
        close_screen(context, provider, "provider-big-case", errors)
    finally:
        signing_links.revoke(demo_rep(), BIG_CASE_NUMBER, link.token)


def test_the_signing_page_fits_a_phone(browser, app_url):
    number = new_case(lines=3)
    link = signing_links.issue(demo_rep(), number)
    context, phone, errors = provider_screen(browser, f"/sign/{link.token}", app_url, 390, 844)
    expect(phone.get_by_text(f"Devices Used · {number}")).to_be_visible()
    cards = phone.locator("css=.summary-card >> visible=true")
    expect(cards).to_have_count(3)  # a card per line: nothing cut off at the Usage column
    expect(phone.locator("css=.summary-line >> visible=true")).to_have_count(0)
    expect(cards.first).to_contain_text("Implanted")
    expect(cards.first).to_contain_text("LOT1")
    expect(cards.first).to_contain_text("$")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for name in ("Save Provider Representative signature", "Next lines", "Previous lines"):
        box = phone.get_by_role("button", name=name).bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=SHOTS / "provider-phone-390-before-signing.png", full_page=True)
    sign_on_provider_screen(phone, "RN Jo Whitaker")
    expect(phone.locator("#signed-thanks")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    close_screen(context, phone, "provider-phone-390", errors)
    assert signatures.signatures_of(demo_rep(), number)[SignerRole.PROVIDER].signer_name == "RN Jo Whitaker"


def test_a_line_changed_while_the_provider_reads_is_not_signed_unseen(browser, app_url):
    number = new_case(lines=3)
    link = signing_links.issue(demo_rep(), number)
    context, provider, errors = provider_screen(browser, f"/sign/{link.token}", app_url)
    expect(provider.locator(".summary-line")).to_have_count(3)
    third = device_lines.list_lines(demo_rep(), number).lines[2]
    device_lines.update_line(demo_rep(), number, third.id, "lot", "LOT9")  # the rep, meanwhile, on the tablet
    sign_on_provider_screen(provider, "RN Jo Whitaker")
    notice = provider.locator("#content-changed")
    expect(notice).to_contain_text("changed while this page was open")
    expect(notice.locator(".content-change")).to_have_text([f"Line 3 (REF {third.ref}): lot LOT3 → LOT9"])
    expect(provider.locator(".summary-line").nth(2)).to_contain_text("LOT9")  # the lines shown are the current ones
    assert SignerRole.PROVIDER not in signatures.signatures_of(demo_rep(), number)
    draw(provider, "sig_remote")  # the link still works: sign again, for what is shown now
    provider.get_by_role("button", name="Save Provider Representative signature").click()
    expect(provider.locator("#signed-thanks")).to_be_visible()
    close_screen(context, provider, "provider-content-changed", errors)
    assert signatures.signatures_of(demo_rep(), number)[SignerRole.PROVIDER].valid


def test_a_case_submitted_meanwhile_is_said_plainly(browser, app_url):
    number = new_case(lines=1)
    link = signing_links.issue(demo_rep(), number)
    context, provider, errors = provider_screen(browser, f"/sign/{link.token}", app_url)
    expect(provider.get_by_text(f"Devices Used · {number}")).to_be_visible()
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    sign_on_provider_screen(provider, "RN Jo Whitaker")
    said = "This case was submitted for billing after this link was made, so it no longer needs a signature here."
    expect(provider.locator("#case-submitted")).to_contain_text(said)
    expect(provider.get_by_text(number)).to_have_count(0)
    provider.reload()
    expect(provider.locator("#case-submitted")).to_contain_text("You can hand the screen back.")
    close_screen(context, provider, "provider-case-submitted", errors)


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_an_expired_link_reveals_nothing(page: Page):
    number = new_case(lines=1)
    link = signing_links.issue(demo_rep(), number)
    with transaction() as session:
        session.execute(sa.update(SigningLink).where(SigningLink.token_hash.is_not(None))
                        .values(expires_at=clock.now() - timedelta(seconds=1)))  # the app's clock is the tests' clock
    page.goto(f"/sign/{link.token}")
    expect(page.locator("#link-gone")).to_contain_text("expired or was already used")
    expect(page.get_by_text(number)).to_have_count(0)
    page.goto("/sign/not-a-real-token")
    expect(page.locator("#link-gone")).to_be_visible()
