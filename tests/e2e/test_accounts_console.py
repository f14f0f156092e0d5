"""Accounts and the managers' console, from the user's side."""

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from closeout.seed import DEMO_PASSWORDS
from closeout.services import billing
from closeout.services.auth import COOKIE
from tests.factories import closed_case, demo_rep, new_case

MANAGER = "morgan.lee@closeout.example"


@pytest.mark.parametrize("user_email", [""])  # not signed in
@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_a_rep_signs_in_sees_only_their_cases_and_signs_out(page: Page):
    theirs = new_case(lines=1, rep_email="sam.okafor@closeout.example")
    mine = new_case(lines=1)
    page.goto(f"/cases/{mine}")
    expect(page).to_have_url(re.compile(r"/login/?\?next="))
    page.locator("#login-email").fill("dana.reyes@closeout.example")
    page.locator("#login-password").fill("not-my-password")
    page.locator("#login-submit").click()
    expect(page.locator("#login-error")).to_have_text("The email or password is wrong.")
    page.locator("#login-password").fill(DEMO_PASSWORDS["sales_rep"])
    page.locator("#login-submit").click()
    expect(page.locator("#case-number")).to_have_text(mine)  # back where they were going
    [cookie] = [c for c in page.context.cookies() if c["name"] == COOKIE]  # set by the server, not a script
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert COOKIE not in page.evaluate("document.cookie")  # no page script can read it

    page.goto("/")
    page.locator("#case-search").fill("CS-2026-9")
    expect(page.locator(".case-row", has_text=mine)).to_have_count(1)
    expect(page.locator(".case-row", has_text=theirs)).to_have_count(0)
    page.goto(f"/cases/{theirs}")
    expect(page.locator("#case-not-found")).to_be_visible()
    page.goto("/console")
    expect(page.get_by_text("The console is for managers.")).to_be_visible()

    page.locator("#sign-out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    assert not [c for c in page.context.cookies() if c["name"] == COOKIE]  # cleared by the server
    page.goto(f"/cases/{mine}")
    expect(page).to_have_url(re.compile(r"/login"))


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_manager_filters_exports_opens_read_only_and_reminds(page: Page, app_url, mail_server):
    inbox, _ = mail_server
    old, fresh = closed_case(days_ago=20), closed_case(days_ago=2)
    page.goto("/console")
    expect(page.locator(".console-row").first).to_be_visible()
    field = page.get_by_label("Pending PO over (days)")
    field.fill("14")
    field.press("Tab")
    expect(page).to_have_url(re.compile(r"pending_over=14"))
    expect(page.locator(".console-row", has_text=old)).to_have_count(1)
    expect(page.locator(".console-row", has_text=fresh)).to_have_count(0)
    total = int(page.locator("#console-total").inner_text().split()[0])
    assert total >= 1
    page.reload()  # the filter lives in the URL
    expect(page.get_by_label("Pending PO over (days)")).to_have_value("14")

    with page.expect_download() as download:
        page.locator("#export-csv").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text())))
    assert len(rows) - 1 == total and old in {r[0] for r in rows[1:]} and fresh not in {r[0] for r in rows[1:]}

    page.get_by_role("link", name=old).click()
    expect(page.locator("#case-number")).to_have_text(old)
    expect(page.get_by_text("You see this case read-only")).to_be_visible()
    expect(page.get_by_label("Quantity, line 1", exact=True)).not_to_be_editable()
    page.get_by_role("tab", name="Sign & Submit").click()
    before = len(inbox.messages)
    page.locator("#send-po-reminder").click()
    expect(page.locator(".po-reminder").first).to_contain_text("ap.ortho@stbrigid.example")
    assert len(inbox.messages) == before + 1
    rcpts, message = inbox.messages[-1]
    assert rcpts == ["ap.ortho@stbrigid.example"] and old in message["Subject"]


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_security_headers_on_pages_files_and_the_signing_link(page: Page, app_url):
    for path in ("/", "/login", "/favicon.ico", "/sales-orders/CS-0000-000000.pdf"):
        headers = page.request.get(f"{app_url}{path}").headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert page.request.get(f"{app_url}/sign/some-token").headers["referrer-policy"] == "no-referrer"
    page.goto("/")  # the app still works under its policy
    expect(page.locator("#case-search")).to_be_visible()


def test_the_backend_runs_the_expected_number_of_workers(app_url):
    """Embedded mode: one worker with in-memory state. Scaled out (PostgreSQL + Redis): two
    workers sharing state through Redis, and every test in this run went through them."""
    from tests.conftest import SCALED_OUT
    from tests.harness import worker_pids

    assert len(worker_pids(app_url)) == (2 if SCALED_OUT else 1)  # the supervisor's children


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_enter_applies_a_console_search(page: Page):
    """A manager types a PO number and presses Enter: the list answers at once, the field keeps focus."""
    number = closed_case(days_ago=3)
    billing.enter_purchase_orders(demo_rep(), number, {None: f"PO-ENTER-{number[-4:]}"})
    page.goto("/console")
    expect(page.locator(".console-row").first).to_be_visible()
    search = page.get_by_label("Case, PO, lot or serial")
    search.fill(f"PO-ENTER-{number[-4:]}")
    search.press("Enter")
    expect(page).to_have_url(re.compile(rf"q=PO-ENTER-{number[-4:]}"))
    expect(page.locator(".console-row")).to_have_count(1)
    expect(page.locator(".console-row", has_text=number)).to_have_count(1)
