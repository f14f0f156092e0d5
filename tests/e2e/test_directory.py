"""The Directory from a manager's side, at a tablet (landscape) and on a desktop: add a facility
with two billing contacts and put the second first, which is then what the rep's Share tab
prefills; find one facility among many, deactivate it; a rep is refused."""

import re

import pytest
from playwright.sync_api import Page, expect

from closeout.services import surgeons
from closeout.services.auth import DEMO_REP_EMAIL
from tests.e2e.conftest import SHOTS, VIEWPORTS, signed_in
from tests.e2e.layout import check_layout
from tests.factories import closed_case, manager, many_facilities, new_facility, unique_suffix

MANAGER = "morgan.lee@closeout.example"


def add_contact(page: Page, name: str, email: str) -> None:
    page.locator("#add-contact").click()
    page.locator("#contact-name").fill(name)
    page.locator("#contact-email").fill(email)
    page.locator("#contact-save").click()
    expect(page.locator(".contact-row", has_text=email)).to_be_visible()


def rep_share_prefill(browser, app_url: str, viewport: str, number: str) -> str:
    """What the rep's Share tab of the case puts in To, seen in the rep's own browser."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=app_url, has_touch=viewport != "desktop")
    signed_in(context, app_url, DEMO_REP_EMAIL)
    tab = context.new_page()
    try:
        tab.goto(f"/cases/{number}")
        expect(tab.locator("#case-number")).to_have_text(number)
        tab.get_by_role("tab", name="Share").click()
        expect(tab.locator("#share-recipients")).not_to_have_value("")
        tab.screenshot(path=SHOTS / f"directory-share-prefill-{viewport}.png")
        return tab.locator("#share-recipients").input_value()
    finally:
        context.close()


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_manager_adds_a_facility_puts_the_second_billing_contact_first_and_share_prefills_it(page: Page, browser,
                                                                                              app_url, viewport):  # fmt: skip
    suffix = unique_suffix()
    name, ana, bo = f"Harbor View {suffix}", f"ana.{suffix}@harbor.example", f"bo.{suffix}@harbor.example"
    page.goto("/directory")
    expect(page.locator(".facility-row").first).to_be_visible()
    page.locator("#add-facility").click()
    expect(page).to_have_url(re.compile(r"/directory/new"))
    page.locator("#facility-name").fill(name)
    page.locator("#facility-account-number").fill(f"HV-{suffix}")
    page.locator("#facility-address").fill("9 Pier Road\nAstoria, OR 97103")
    page.locator("#facility-time-zone").fill("Mars/Base")
    page.locator("#facility-save").click()
    expect(page.locator(".facility-error")).to_contain_text("not a time zone")
    expect(page.locator("#facility-name")).to_have_value(name)  # nothing typed is lost
    page.locator("#facility-time-zone").fill("America/Los_Angeles")
    page.locator("#facility-save").click()
    expect(page).to_have_url(re.compile(r"/directory/facility/\d+$"))
    expect(page.locator("#facility-title")).to_have_text(name)

    page.locator("#add-contact").click()
    page.locator("#contact-name").fill("Ana First")
    page.locator("#contact-email").fill("ana at harbor")
    page.locator("#contact-save").click()
    expect(page.locator(".contact-error")).to_contain_text("not a valid email address")
    expect(page.locator("#contact-name")).to_have_value("Ana First")
    page.locator("#contact-email").fill(ana)
    page.locator("#contact-save").click()
    expect(page.locator(".contact-row", has_text=ana)).to_be_visible()
    add_contact(page, "Bo Second", bo)
    rows = page.locator(".contact-row")
    expect(rows.nth(0)).to_contain_text("Ana First")
    expect(rows.nth(0)).to_contain_text("First billing contact")
    page.get_by_role("button", name="Move Bo Second up").click()
    expect(rows.nth(0)).to_contain_text("Bo Second")
    expect(rows.nth(0)).to_contain_text("First billing contact")
    expect(rows.nth(1)).to_contain_text("Billing #2")
    page.screenshot(path=SHOTS / f"directory-facility-{viewport}.png", full_page=True)

    assert rep_share_prefill(browser, app_url, viewport, closed_case(facility=name)) == bo


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_search_finds_a_facility_among_many_and_a_deactivated_one_on_request(page: Page, viewport):
    prefix = f"Search {unique_suffix()}"
    names = many_facilities(prefix, 60)
    page.goto("/directory")
    search = page.get_by_label("Search facilities")
    search.fill(prefix)
    search.press("Enter")
    expect(page.locator("#directory-total")).to_have_text("60 facilities")
    expect(page.locator(".facility-row")).to_have_count(25)
    page.locator("#directory-next").click()
    expect(page.locator("#directory-page")).to_have_text("Page 2 of 3")
    expect(page.locator(".facility-row").first).to_contain_text(names[25])
    page.screenshot(path=SHOTS / f"directory-list-{viewport}.png", full_page=True)

    search = page.get_by_label("Search facilities")
    search.fill(f"{prefix} City 042")  # by city
    search.press("Enter")
    expect(page.locator(".facility-row")).to_have_count(1)
    page.get_by_role("link", name=names[41]).click()
    expect(page.locator("#facility-title")).to_have_text(names[41])
    page.locator("#facility-deactivate").click()
    expect(page.locator("#facility-reactivate")).to_be_visible()

    page.goto(f"/directory?q={prefix.replace(' ', '+')}+City+042")
    expect(page.locator("#directory-total")).to_have_text("0 facilities")
    page.get_by_text("Show deactivated").click()
    expect(page).to_have_url(re.compile(r"inactive=1"))
    expect(page.locator(".facility-row", has_text=names[41])).to_contain_text("Deactivated")


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_a_rep_is_refused_the_directory(page: Page):
    page.goto("/directory")
    expect(page.get_by_text("The Directory is for managers.")).to_be_visible()
    expect(page.locator(".facility-row")).to_have_count(0)
    expect(page.locator("#add-facility")).to_have_count(0)
    expect(page.locator("header").get_by_role("link", name="Directory")).to_have_count(0)
    page.goto("/directory/facility/1")
    expect(page.get_by_text("The Directory is for managers.")).to_be_visible()
    expect(page.locator("#facility-save")).to_have_count(0)


def _facility_with_people(page: Page) -> None:
    facility_id, _ = new_facility(billing=("ap@a11y.example", "payables@a11y.example"))
    surgeons.add_surgeon(manager(), facility_id, f"Dr. A11y {unique_suffix()}", "Spine")
    page.goto(f"/directory/facility/{facility_id}")
    expect(page.locator(".contact-row")).to_have_count(2)


def _contact_dialog(page: Page) -> None:
    _facility_with_people(page)
    page.locator("#add-contact").click()
    expect(page.get_by_role("dialog")).to_be_visible()


DIRECTORY_SCREENS = {
    "directory": lambda page: (page.goto("/directory"), expect(page.locator(".facility-row").first).to_be_visible()),
    "directory-new": lambda page: (page.goto("/directory/new"), expect(page.locator("#facility-save")).to_be_visible()),
    "directory-facility": _facility_with_people,
    "directory-contact-dialog": _contact_dialog,
}


@pytest.mark.layout
@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["tablet-portrait", "desktop"], indirect=True)
@pytest.mark.parametrize("screen", list(DIRECTORY_SCREENS))
def test_the_directory_is_accessible(page: Page, screen: str, viewport: str):
    """Each Directory screen's layout at every viewport (tests/e2e/layout.py), as
    tests/e2e/test_accessibility.py checks the other screens."""
    DIRECTORY_SCREENS[screen](page)
    check_layout(page, screen, viewport)