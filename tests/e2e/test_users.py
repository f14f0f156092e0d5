"""User management from the users' side: a manager invites a rep, who sets a password through
the link and is signed in; a deactivated user's open page is signed out on their next action;
a user changes their own password; a rep is kept out of user management."""

import itertools
import os
import re

import pytest
from playwright.sync_api import Page, expect

from closeout.services import auth, invitations, user_admin
from tests.e2e.conftest import SHOTS, VIEWPORTS, signed_in
from tests.e2e.layout import check_layout
from tests.factories import actor_for_email, manager, new_session

MANAGER = "morgan.lee@closeout.example"
PASSWORD, NEW_PASSWORD = "riley's own passphrase", "a brand new passphrase"
_numbers = itertools.count(1)


def new_email(viewport: str) -> str:
    return f"riley.{viewport}.{next(_numbers)}.{os.getpid()}@closeout.example"


def user_with_password(viewport: str, name: str = "Jordan Blake") -> str:
    """A rep who has already set their password through their invitation (made through the services)."""
    email = new_email(viewport)
    issued = user_admin.add_user(manager(), name, email, "sales_rep", [], "http://unused")
    invitations.set_password(issued.url.rsplit("/", 1)[1], PASSWORD)
    return email


def shot(tab: Page, request, step: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    tab.screenshot(path=SHOTS / f"{request.node.name}-{step}.png", full_page=True)


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_manager_invites_a_rep_who_sets_a_password_and_lands_signed_in(
    page: Page, browser, app_url, viewport, mail_server, request
):
    inbox, _ = mail_server
    email = new_email(viewport)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    page.goto("/")
    page.get_by_role("link", name="Users", exact=True).click()
    expect(page.locator(".user-row", has_text="Dana Reyes")).to_be_visible()
    page.locator("#add-user").click()
    page.locator("#new-user-name").fill("Riley Chen")
    page.locator("#new-user-email").fill(email)
    page.get_by_role("checkbox", name="Cascade Surgery Center").click()
    shot(page, request, "add")
    page.locator("#add-user-submit").click()
    expect(page.locator("#invitation-link")).to_have_value(re.compile(r"/invitation/[\w-]{40,}$"))
    expect(page.locator("#invitation-note")).to_contain_text(f"Emailed to {email}")
    page.locator("#copy-invitation-link").click()
    url = page.evaluate("navigator.clipboard.readText()")
    assert url == page.locator("#invitation-link").input_value() and url.startswith(app_url)
    ((_, message),) = [m for m in inbox.messages if m[0] == [email]]
    assert url in message.get_content() and message["Subject"] == "Your Closeout account"
    shot(page, request, "link")
    page.locator("#add-user-done").click()
    row = page.locator(".user-row", has_text=email)
    expect(row).to_contain_text("Invited")
    expect(row).to_contain_text("Cascade Surgery Center")

    context = browser.new_context(viewport=VIEWPORTS[viewport], has_touch=viewport != "desktop")
    newcomer = context.new_page()
    try:
        newcomer.goto(url)
        expect(newcomer.get_by_text("Welcome, Riley Chen")).to_be_visible()
        newcomer.locator("#password").fill("short")
        newcomer.locator("#password-again").fill("short")
        newcomer.locator("#set-password").click()
        expect(newcomer.locator("#invitation-error")).to_contain_text("at least 12 characters")
        newcomer.locator("#password").fill(PASSWORD)
        newcomer.locator("#password-again").fill(PASSWORD)
        shot(newcomer, request, "set-password")
        newcomer.locator("#set-password").click()
        expect(newcomer.locator("#case-search")).to_be_visible()  # home, signed in
        expect(newcomer.locator("#account-link")).to_contain_text("Riley Chen")
        shot(newcomer, request, "signed-in")
        newcomer.goto(url)  # a link works once
        expect(newcomer.locator("#invitation-gone")).to_contain_text("already used")
    finally:
        context.close()
    assert auth.sign_in(email, PASSWORD)[1].name == "Riley Chen"


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_deactivated_users_open_page_is_signed_out_on_their_next_action(page: Page, browser, app_url, viewport, request):
    email = user_with_password(viewport)
    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=app_url, has_touch=viewport != "desktop")
    signed_in(context, app_url, email)
    theirs = context.new_page()
    try:
        theirs.goto("/")
        expect(theirs.locator("#case-search")).to_be_visible()

        page.goto(f"/users/{actor_for_email(email).id}")
        expect(page.locator("#user-heading")).to_have_text("Jordan Blake")
        page.locator("#deactivate-user").click()
        page.locator("#confirm-deactivate").click()
        expect(page.locator("#user-deactivated")).to_be_visible()
        expect(page.get_by_text("Jordan Blake is deactivated and signed out everywhere.")).to_be_visible()
        shot(page, request, "deactivated")

        theirs.get_by_role("link", name="Replenishment").click()  # their next action
        expect(theirs).to_have_url(re.compile(r"/login"))
        theirs.locator("#login-email").fill(email)
        theirs.locator("#login-password").fill(PASSWORD)
        theirs.locator("#login-submit").click()
        expect(theirs.locator("#login-error")).to_have_text("This account is deactivated. Ask a manager to reactivate it.")
    finally:
        context.close()
    page.locator("#reactivate-user").click()
    expect(page.locator("#deactivate-user")).to_be_visible()


@pytest.mark.parametrize("user_email", [""])
@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_a_user_changes_their_own_password(page: Page, app_url, viewport, request):
    email = user_with_password(viewport, name="Casey Moreno")
    signed_in(page.context, app_url, email)
    elsewhere = new_session(actor_for_email(email))  # the same user on another device
    page.goto("/users")
    expect(page.locator("#users-refused")).to_have_text("User management is for managers.")
    page.locator("#account-link").click()
    expect(page).to_have_url(re.compile(r"/account"))
    page.locator("#current-password").fill("not my password at all")
    page.locator("#new-password").fill(NEW_PASSWORD)
    page.locator("#new-password-again").fill(NEW_PASSWORD)
    page.locator("#change-password").click()
    expect(page.locator("#account-error")).to_have_text("The current password is wrong.")
    expect(page.locator("#new-password")).to_have_value(NEW_PASSWORD)  # nothing typed is lost
    page.locator("#current-password").fill(PASSWORD)
    page.locator("#change-password").click()
    expect(page.locator("#account-done")).to_contain_text(
        "Password changed. 2 other session(s) signed out."
    )  # the invitation's and elsewhere
    shot(page, request, "changed")
    with pytest.raises(auth.NotSignedIn):
        auth.actor_for_session(elsewhere)
    page.locator("#sign-out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(NEW_PASSWORD)
    page.locator("#login-submit").click()
    expect(page.locator("#case-search")).to_be_visible()


def _users(page: Page) -> None:
    page.goto("/users")
    expect(page.locator(".user-row").first).to_be_visible()


def _add_dialog(page: Page) -> None:
    _users(page)
    page.locator("#add-user").click()
    expect(page.get_by_role("checkbox").first).to_be_visible()


def _user(page: Page) -> None:
    page.goto(f"/users/{actor_for_email('sam.okafor@closeout.example').id}")
    expect(page.locator("#user-heading")).to_have_text("Sam Okafor")


def _account(page: Page) -> None:
    page.goto("/account")
    expect(page.locator("#change-password")).to_be_visible()


def _invitation(page: Page) -> None:
    issued = user_admin.add_user(manager(), "Avery Quinn", new_email("a11y"), "sales_rep", [], "http://unused")
    page.goto(f"/invitation/{issued.url.rsplit('/', 1)[1]}")
    expect(page.locator("#set-password")).to_be_visible()


A11Y = {"users": (_users, MANAGER), "add-user-dialog": (_add_dialog, MANAGER), "user": (_user, MANAGER),
        "account": (_account, "dana.reyes@closeout.example"), "invitation": (_invitation, "")}  # fmt: skip


@pytest.mark.layout
@pytest.mark.parametrize("user_email", [""])
@pytest.mark.parametrize(("screen", "viewport"), [
    pytest.param(screen, viewport, id=f"{screen}-{viewport}") for screen, (_, email) in A11Y.items()
    for viewport in ("tablet-portrait", "desktop", *(() if email else ("phone",)))  # a public page: on a phone too
], indirect=["viewport"])  # fmt: skip
def test_the_user_screens_are_accessible(page: Page, app_url, screen: str, viewport: str):
    """Each user screen's layout at every viewport (tests/e2e/layout.py), as
    tests/e2e/test_accessibility.py checks every other screen."""
    open_screen, email = A11Y[screen]
    if email:
        signed_in(page.context, app_url, email)
    open_screen(page)
    check_layout(page, screen, viewport)