"""Signatures bound to people (issue 14 §4), from the rep's side in Chromium at a tablet and
the desktop: the Sales Rep signs as their own account with its password (the sales order
prints the account's name, how and when it was signed) or with a signing PIN set on the
Account page; a wrong PIN signs nothing; a pre-authorization survives Reopen and says how
many lines were added since."""

import io
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlmodel import select

from closeout.models import Facility, SignInThrottle, User, UserFacility
from closeout.services import billing, device_lines
from closeout.services.auth import hash_password
from closeout.services.db import transaction
from tests.e2e.conftest import SHOTS
from tests.e2e.test_sign_submit import draw, open_sign_tab, sign_on_pad
from tests.factories import actor_for_email, new_case, product_with, provider_signs, rep_signs, unique_suffix

PASSWORD = "riley's own long password"
FACILITY = "St. Brigid Medical Center"  # America/Los_Angeles: June is PDT
BOTH = pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)  # the rep's tablet


@pytest.fixture
def user_email():
    """Each test signs in as a rep of its own: their PIN and throttle keys are theirs alone."""
    suffix = unique_suffix()
    email = f"riley.{suffix}@closeout.example"
    with transaction() as session:
        user = User(name=f"Riley Quinn {suffix}", email=email, role="sales_rep", password_hash=hash_password(PASSWORD))
        session.add(user)
        session.flush()
        facility = session.exec(select(Facility.id).where(Facility.name == FACILITY)).one()
        session.add(UserFacility(user_id=user.id, facility_id=facility))
    yield email
    with transaction() as session:
        session.execute(sa.delete(SignInThrottle).where(SignInThrottle.key.contains(email)))


def shot(page: Page, name: str, viewport: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"bound-signatures-{name}-{viewport}.png", full_page=True)


def pdf_text(page: Page) -> str:
    """The sales order as downloaded from the Share tab, its text with spaces evened out."""
    page.get_by_role("tab", name="Share").click()
    with page.expect_download() as download:
        page.locator("#share-download").click()
    pdf = download.value.path().read_bytes()
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@BOTH
def test_the_rep_signs_with_their_password_and_the_pdf_prints_the_account(page: Page, user_email: str, viewport: str):
    rep = actor_for_email(user_email)
    number = new_case(lines=2, rep_email=user_email)
    open_sign_tab(page, number)
    printed = page.get_by_label("Sales Rep printed name")
    expect(printed).to_have_value(rep.name)  # the account's name, not typed
    expect(printed).not_to_be_editable()
    expect(page.get_by_label("Your password to sign as the Sales Rep")).to_have_attribute("type", "password")
    sign_on_pad(page, "sales_rep", "Sales Rep", secret=PASSWORD)
    card = page.locator(".signer-sales_rep")
    expect(card.locator(".signer-name")).to_have_text(rep.name)
    expect(card.locator(".how-given")).to_have_text("on the rep's screen, signed with the account password")
    expect(card.locator(".signed-at")).to_contain_text(re.compile(r"Signed \w{3} \d+, 2026 \d+:\d\d [AP]M PDT"))
    sign_on_pad(page, "provider_rep", "Provider Representative", "Carla Mendes", "RN, circulating nurse")
    expect(page.locator(".signer-provider_rep")).to_contain_text("Carla Mendes · RN, circulating nurse")
    shot(page, "password-signed", viewport)
    page.locator("#submit-for-billing").click()
    expect(page.get_by_text("Closed — pending PO").first).to_be_visible()

    text = pdf_text(page)
    assert f"{rep.name} · Sales Rep" in text
    assert "How: on the rep's screen, signed with the account password" in text
    assert re.search(r"Signed \w{3} \d+, 2026 \d+:\d\d [AP]M PDT", text), text
    assert "Carla Mendes · RN, circulating nurse" in text and "How: on the rep's screen" in text

    page.get_by_role("tab", name="Activity").click()
    detail = page.locator(".activity-detail").filter(has_text=f"{rep.name} · Sales Rep")
    expect(detail).to_contain_text("PDT · on the rep's screen, signed with the account password")


@BOTH
def test_the_rep_sets_a_pin_and_signs_with_it_and_a_wrong_pin_is_refused(page: Page, user_email: str, viewport: str):
    number = new_case(lines=1, rep_email=user_email)
    page.goto("/account")
    page.locator("#signing-pin").fill("1234")
    page.locator("#signing-pin-again").fill("1234")
    page.locator("#pin-password").fill(PASSWORD)
    page.locator("#set-signing-pin").click()
    expect(page.locator("#pin-error")).to_contain_text("too easy to guess")
    expect(page.locator("#signing-pin")).to_have_attribute("inputmode", "numeric")
    page.locator("#signing-pin").fill("2580")
    page.locator("#signing-pin-again").fill("2580")
    page.locator("#set-signing-pin").click()
    expect(page.locator("#pin-done")).to_contain_text("Signing PIN set")
    shot(page, "account-pin", viewport)

    open_sign_tab(page, number)
    pin = page.get_by_label("Your signing PIN to sign as the Sales Rep")
    expect(pin).to_have_attribute("inputmode", "numeric")
    draw(page, "sig_sales_rep")
    pin.fill("2581")
    page.get_by_role("button", name="Save Sales Rep signature").click()
    expect(page.locator(".signer-sales_rep .sign-error")).to_contain_text("The signing PIN is wrong.")
    expect(page.locator(".signer-sales_rep .signer-status")).to_have_text("Not signed")
    expect(pin).to_have_value("")  # the wrong PIN is cleared; the drawing stays
    pin.fill("2580")
    page.get_by_role("button", name="Save Sales Rep signature").click()
    expect(page.locator(".signer-sales_rep .signer-status")).to_have_text("Signed")
    expect(page.locator(".signer-sales_rep .how-given")).to_have_text("on the rep's screen, signed with the signing PIN")
    shot(page, "pin-signed", viewport)


@BOTH
def test_a_pre_authorization_survives_reopen_and_counts_the_lines_added(page: Page, user_email: str, viewport: str):
    rep = actor_for_email(user_email)
    number = new_case(lines=1, rep_email=user_email)
    open_sign_tab(page, number)
    pre = page.locator(".signer-pre_authorization")
    expect(pre.locator(".signer-status")).to_have_text("Optional")
    page.locator("#open-pre-authorization").click()  # the form opens when asked for
    page.get_by_label("Provider printed name").fill("Dr. Paul Ames")
    page.get_by_label("Provider title").fill("MD, anesthesiologist")
    draw(page, "sig_pre_authorization")
    page.get_by_role("button", name="Pre-authorize", exact=True).click()
    expect(pre.locator(".signer-status")).to_have_text("Pre-authorized")
    expect(pre.locator(".pre-auth-since")).to_contain_text("No line added, removed or changed since")
    rep_signs(number, rep, PASSWORD)
    provider_signs(number, actor=rep)
    billing.submit_for_billing(rep, number)

    page.reload()
    page.get_by_role("tab", name="Sign & Submit").click()
    page.get_by_role("button", name="Reopen case").click()
    page.get_by_label("Reason for reopening").fill("One more device was opened")
    page.get_by_role("button", name="Reopen", exact=True).click()
    expect(page.locator(".signer-sales_rep .signer-status")).to_have_text("Not signed")
    expect(pre.locator(".signer-status")).to_have_text("Pre-authorized")  # it survives Reopen
    device_lines.add_line(rep, number, product_with(contract=True).id)  # the rep adds it (any screen)
    page.reload()
    page.get_by_role("tab", name="Sign & Submit").click()
    expect(pre.locator(".pre-auth-since")).to_contain_text("1 line added since it was given")
    expect(pre).to_contain_text("Dr. Paul Ames · MD, anesthesiologist")
    shot(page, "pre-authorization", viewport)
