"""Accessible to everyone in the room (issue 12 §6), in Chromium.

- axe-core (bundled with axe-playwright-python, nothing fetched at run time) on every page
  and case tab at both tablet viewports and the desktop one: no serious or critical
  violation;
- Sign & Submit done with the keyboard alone (Tab, Shift+Tab, Enter, Space), up to the
  case being Closed;
- touch targets of at least 44 × 44 px for every visible button, field and link at the
  tablet viewports. Excluded: links inline in running text (a link whose box is `display:
  inline` inside a paragraph with other words), the exception WCAG 2.5.5/2.5.8 make for them.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from closeout.domain.lifecycle import CaseStatus
from closeout.seed import DEMO_PASSWORDS
from closeout.services import cases, po_links, replenishment, sharing, signing_links
from closeout.services.access import case_for
from closeout.services.db import transaction
from tests.e2e.layout import check_layout
from tests.factories import closed_case, demo_rep, new_case

MANAGER = "morgan.lee@closeout.example"
REP = "dana.reyes@closeout.example"


@dataclass(frozen=True)
class Cases:
    open: str  # three device lines, nothing signed
    closed: str  # signed, submitted, one replenishment request, shared once (history row)


@pytest.fixture(scope="module")
def demo_cases(database) -> Cases:
    number = closed_case(lines=3)
    draft = replenishment.draft(demo_rep(), number)
    replenishment.request(demo_rep(), number, [(i.product_id, i.quantity) for i in draft.items],
                          draft.ship_to_options[0][1], draft.needed_by.isoformat())  # fmt: skip
    sharing.export(demo_rep(), number, "download")
    return Cases(open=new_case(lines=3), closed=number)


def open_tab(page: Page, number: str, tab: str) -> None:
    page.goto(f"/cases/{number}")
    expect(page.locator("#case-number")).to_have_text(number)
    expect(page.locator(".device-line").first).to_be_visible()
    if tab != "Devices Used":
        page.get_by_role("tab", name=tab).click()


def _login(page: Page, _: Cases) -> None:
    page.goto("/login")
    expect(page.locator("#login-submit")).to_be_visible()


def _home(page: Page, _: Cases) -> None:
    page.goto("/")
    expect(page.locator(".case-row").first).to_be_visible()


def _devices(page: Page, c: Cases) -> None:
    open_tab(page, c.open, "Devices Used")


def _devices_closed(page: Page, c: Cases) -> None:
    open_tab(page, c.closed, "Devices Used")
    expect(page.get_by_text("Devices Used is read-only")).to_be_visible()


def _catalog_hits(page: Page, c: Cases) -> None:
    open_tab(page, c.open, "Devices Used")
    page.locator("#catalog-search").fill("Femoral")
    expect(page.locator(".product-hit").first).to_be_visible()


def _remove_dialog(page: Page, c: Cases) -> None:
    open_tab(page, c.open, "Devices Used")
    page.get_by_label("Remove line 1").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()


def _sign(page: Page, c: Cases) -> None:
    open_tab(page, c.open, "Sign & Submit")
    expect(page.locator("#submit-for-billing")).to_be_visible()


def _sign_closed(page: Page, c: Cases) -> None:
    open_tab(page, c.closed, "Sign & Submit")
    expect(page.locator("#save-po")).to_be_visible()
    expect(page.locator(".replenishment-request")).to_have_count(1)


def _link_dialog(page: Page, c: Cases) -> None:
    _sign(page, c)
    page.get_by_role("button", name="Sign on another screen").click()
    expect(page.get_by_role("img", name="QR code of the signing link")).to_be_visible()


def _replenishment_form(page: Page, c: Cases) -> None:
    _sign_closed(page, c)
    page.get_by_role("button", name="Start replenishment request").click()
    expect(page.get_by_role("dialog").locator(".restock-item").first).to_be_visible()


def _reopen_dialog(page: Page, c: Cases) -> None:
    _sign_closed(page, c)
    page.get_by_role("button", name="Reopen case").click()
    expect(page.get_by_role("dialog").get_by_label("Reason for reopening")).to_be_visible()


def _share(page: Page, c: Cases) -> None:
    open_tab(page, c.closed, "Share")
    expect(page.locator(".share-history-row")).to_have_count(1)


def _activity(page: Page, c: Cases) -> None:
    open_tab(page, c.closed, "Activity")
    expect(page.locator(".activity-item").first).to_be_visible()


def _signing_link(page: Page, c: Cases) -> None:
    link = signing_links.issue(demo_rep(), c.open)
    page.goto(f"/sign/{link.token}")
    expect(page.locator("#line-count")).to_have_text("3 device lines")


def _buyer_po(page: Page, c: Cases) -> None:
    """The buyer's PO page of the closed case, from a link minted as a share mints it."""
    with transaction() as session:
        url = po_links.issue(session, case_for(session, demo_rep(), c.closed), actor=demo_rep(), purpose="downloaded",
                             origin="http://buyer.example")  # fmt: skip
    page.goto("/po/" + url.rsplit("/", 1)[1])
    expect(page.locator(".buyer-maker").first).to_be_visible()


def _replenishment(page: Page, _: Cases) -> None:
    page.goto("/replenishment")
    expect(page.get_by_role("button", name="Mark fulfilled").first).to_be_visible()


def _console(page: Page, _: Cases) -> None:
    page.goto("/console")
    expect(page.locator(".console-row").first).to_be_visible()


def _dashboard(page: Page, _: Cases) -> None:
    page.goto("/console/dashboard")
    expect(page.locator(".dashboard-count").first).to_be_visible()
    expect(page.locator("#billed-chart .recharts-bar-rectangle").first).to_be_attached()
    page.wait_for_timeout(1600)  # the bars grow for 1.5 s: the screenshot shows them grown


def _new_case(page: Page, _: Cases) -> None:
    page.goto("/new-case")
    expect(page.locator("#case-create")).to_be_visible()
    page.locator("#case-create").click()  # nothing chosen: the errors show too
    expect(page.locator(".field-error").first).to_be_visible()


def _edit_dialog(page: Page, c: Cases) -> None:
    open_tab(page, c.open, "Devices Used")
    page.locator("#edit-details").click()
    expect(page.get_by_role("dialog").locator("#case-procedure")).to_be_visible()


def _cancel_dialog(page: Page, c: Cases) -> None:
    open_tab(page, c.open, "Devices Used")
    page.locator("#cancel-case").click()
    expect(page.get_by_role("dialog").locator("#cancel-reason")).to_be_visible()


def _offline(page: Page, c: Cases) -> None:
    page.goto("/")
    page.locator("#make-offline").click()
    expect(page.get_by_role("link", name=f"Open {c.open} offline")).to_be_visible()
    page.get_by_role("link", name=f"Open {c.open} offline").click()
    expect(page.locator("#offline-case")).to_contain_text(c.open)


@dataclass(frozen=True)
class Screen:
    open: Callable[[Page, Cases], None]
    user: str = REP  # "" for nobody signed in


SCREENS = {
    "login": Screen(_login, ""),
    "home": Screen(_home),
    "new-case": Screen(_new_case),
    "case-edit-details-dialog": Screen(_edit_dialog),
    "case-cancel-dialog": Screen(_cancel_dialog),
    "case-devices-used": Screen(_devices),
    "offline-devices-used": Screen(_offline),
    "case-devices-used-closed": Screen(_devices_closed),
    "case-devices-used-catalog-hits": Screen(_catalog_hits),
    "case-devices-used-remove-dialog": Screen(_remove_dialog),
    "case-sign-submit": Screen(_sign),
    "case-sign-submit-link-dialog": Screen(_link_dialog),
    "case-sign-submit-closed": Screen(_sign_closed),
    "case-replenishment-form": Screen(_replenishment_form),
    "case-reopen-dialog": Screen(_reopen_dialog),
    "case-share": Screen(_share),
    "case-activity": Screen(_activity),
    "signing-link": Screen(_signing_link, ""),  # the provider's screen has no session
    "buyer-po": Screen(_buyer_po, ""),  # nor the hospital's buyer
    "replenishment": Screen(_replenishment, MANAGER),
    "console": Screen(_console, MANAGER),
    "dashboard": Screen(_dashboard, MANAGER),
}


@pytest.fixture
def screen(request) -> str:
    return request.param


@pytest.fixture
def user_email(screen: str) -> str:
    return SCREENS[screen].user





PUBLIC = ("login", "signing-link", "buyer-po")  # no session: also at the phone's size


def _layouts():
    for screen in SCREENS:
        for viewport in ("tablet-portrait", "desktop", *(("phone",) if screen in PUBLIC else ())):
            yield pytest.param(screen, viewport, id=f"{screen}-{viewport}")


@pytest.mark.layout
@pytest.mark.parametrize(("screen", "viewport"), list(_layouts()), indirect=True)
def test_the_screen_is_accessible(page: Page, demo_cases: Cases, screen: str, viewport: str):
    """Each screen at each viewport it is used at (tests/e2e/layout.py): a tablet in portrait
    and turned to landscape, the desktop, and the phone for the pages without a session. The
    screenshots and everything axe said land in test-artifacts/a11y-<screen>-<viewport>.*"""
    SCREENS[screen].open(page, demo_cases)
    check_layout(page, screen, viewport)


def focused(page: Page) -> str:
    """The accessible-ish name of the element with keyboard focus."""
    return page.evaluate("""() => { const el = document.activeElement; if (!el || el === document.body) return '';
        return (el.getAttribute('aria-label') || el.innerText || el.getAttribute('placeholder') || '').trim().slice(0, 80);
    }""")


def tab_to(page: Page, name: str, backwards: bool = False, limit: int = 60) -> None:
    """Press Tab (or Shift+Tab) until the control named `name` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if now == name:
            return
        seen.append(now)
    raise AssertionError(f"{name!r} is not reachable with {key}; focus went through {seen}")


@pytest.mark.parametrize("user_email", [REP], ids=["rep"])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)  # a keyboard: the desktop
def test_sign_and_submit_with_the_keyboard_alone(page: Page, database):
    number = new_case(lines=2)
    page.goto(f"/cases/{number}")
    expect(page.locator("#case-number")).to_have_text(number)
    expect(page.locator(".device-line").first).to_be_visible()

    tab_to(page, "Sign & Submit")
    page.keyboard.press("Enter")
    expect(page.locator(".signer-sales_rep .signer-status")).to_have_text("Not signed")

    expect(page.get_by_label("Sales Rep printed name")).to_have_value("Dana Reyes")  # the account's, read-only
    expect(page.get_by_label("Sales Rep printed name")).not_to_be_editable()
    tab_to(page, "Provider Representative printed name")
    page.keyboard.type("RN Carla Mendes")
    tab_to(page, "Provider Representative title")
    page.keyboard.type("RN, circulating nurse")
    expect(page.get_by_label("Provider Representative title")).to_have_value("RN, circulating nurse")
    for role, label, toggle in (
        ("sales_rep", "Sales Rep", "Cannot draw? Attest with your password instead"),
        ("provider_rep", "Provider Representative", "Provider not available? Attest instead"),
    ):
        tab_to(page, toggle)
        page.keyboard.press("Space")
        secret = f"Your password to attest for the {label}"
        expect(page.get_by_label(secret)).to_be_visible()
        tab_to(page, secret, backwards=True)  # the form opened above the button
        page.keyboard.type(DEMO_PASSWORDS["sales_rep"])
        tab_to(page, f"Record attestation for the {label}")
        page.keyboard.press("Enter")
        expect(page.locator(f".signer-{role} .signer-status")).to_have_text("Signed")
        expect(page.locator(f".signer-{role}")).to_contain_text("Attestation: Dana Reyes")

    expect(page.locator("#submit-for-billing")).to_be_enabled()
    tab_to(page, "Submit for Billing")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Closed — pending PO").first).to_be_visible()
    assert cases.case_header(demo_rep(), number).status == CaseStatus.CLOSED
