"""Day one of a real rep company (issue 13, "Done means"), on a fresh empty database: the first
manager is made by command; the manager keeps the Directory, imports the catalog and a
contract price list, and invites a rep; the rep sets a password from the invitation, creates
a case on a tablet, adds a device at the contract price in force on the surgery date, signs,
submits, and Share prefills the billing contact the manager put first.

It starts an app of its own, so it runs in a pytest process of its own (tests/suites.py runs
it after the browser suite): two apps started from one project folder share its build and
its state files."""

import re
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa
from biip.checksums import gs1_standard_check_digit
from playwright.sync_api import Page, expect

from tests.conftest import PG_SERVER, RUN_DIR, SCALED_OUT
from tests.e2e.conftest import SHOTS, VIEWPORTS
from tests.e2e.test_sign_submit import sign_on_pad
from tests.harness import ROOT, SERVERS, project_env, run_cli, running_app

EMAIL, NAME, PASSWORD = "avery.stone@northwind.example", "Avery Stone", "first manager's passphrase"
REP_PASSWORD = "rep's own long passphrase"
PRODUCTS = "REF,Description,Manufacturer,GTIN,HIBC labeler code,Single use,List price\n"
PRICES = "Price list,Facility account,REF,Manufacturer,Contract price,Effective from,Effective to\n"


def gtin(body: str) -> str:
    return body + str(gs1_standard_check_digit(body))


@pytest.fixture(scope="module")
def empty_database():
    """A database built by the migrations, left empty by the seed with the demo data off."""
    if SCALED_OUT:
        name = f"closeout_day_one_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = f"{PG_SERVER}/{name}"
    else:
        url = f"sqlite:///{RUN_DIR}/day-one.db"
    run_cli("reflex", "db", "migrate", env={"REFLEX_DB_URL": url})
    said = run_cli(sys.executable, "-m", "closeout.seed", env={"REFLEX_DB_URL": url, "CLOSEOUT_DEMO_DATA": "off"})
    assert "create-manager" in said
    yield url
    if SCALED_OUT:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def create_first_manager(url: str) -> str:
    """`python -m closeout.admin create-manager`, the password typed at its prompt (twice)."""
    done = subprocess.run(
        [sys.executable, "-m", "closeout.admin", "create-manager", "--email", EMAIL, "--name", NAME],
        input=f"{PASSWORD}\n{PASSWORD}\n", capture_output=True, text=True, cwd=ROOT,
        env=project_env(REFLEX_DB_URL=url), start_new_session=True,  # no terminal: the prompt reads stdin
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def fresh_app(empty_database, mail_server):
    if SERVERS:
        pytest.skip("another app runs from this folder: run `python -m pytest tests/e2e/test_day_one.py` on its own")
    create_first_manager(empty_database)
    _, port = mail_server
    with running_app(empty_database, RUN_DIR / "day-one-app.log", CLOSEOUT_DEMO_DATA="off", CLOSEOUT_PO_REMINDERS="off",
                     CLOSEOUT_SMTP_HOST="127.0.0.1", CLOSEOUT_SMTP_PORT=str(port), CLOSEOUT_SMTP_SECURITY="none") as url:  # fmt: skip
        yield url


def screen(browser, url: str, viewport: str):
    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=url, has_touch=viewport != "desktop")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    return context, tab, errors


def sign_in(tab: Page, email: str, password: str) -> None:
    tab.goto("/login")
    tab.locator("#login-email").fill(email)
    tab.locator("#login-password").fill(password)
    tab.locator("#login-submit").click()
    expect(tab.locator("#case-search")).to_be_visible()


def add_facility(tab: Page, name: str, account: str) -> None:
    tab.goto("/directory")
    expect(tab.get_by_text("0 facilities")).to_be_visible()  # nothing but what the manager adds
    tab.locator("#add-facility").click()
    tab.locator("#facility-name").fill(name)
    tab.locator("#facility-account-number").fill(account)
    tab.locator("#facility-address").fill("400 Harbor Blvd\nSeattle, WA 98101")
    tab.locator("#facility-time-zone").fill("America/Los_Angeles")
    tab.locator("#facility-save").click()
    expect(tab.locator("#facility-title")).to_have_text(name)
    for contact, email in (("Pat Payables", "payables@harbor.example"), ("Quinn Billing", "quinn@harbor.example")):
        tab.locator("#add-contact").click()
        tab.locator("#contact-name").fill(contact)
        tab.locator("#contact-email").fill(email)
        tab.locator("#contact-save").click()
        expect(tab.locator(".contact-row", has_text=email)).to_be_visible()
    tab.get_by_role("button", name="Move Quinn Billing up").click()
    expect(tab.locator(".contact-row").nth(0)).to_contain_text("Quinn Billing")
    expect(tab.locator(".contact-row").nth(0)).to_contain_text("First billing contact")


def import_file(tab: Page, kind: str, path, text: str) -> None:
    path.write_text(text)
    tab.locator(f"#{kind}-import input[type=file]").set_input_files(str(path))


def import_catalog_and_prices(tab: Page, tmp_path, account: str) -> None:
    tab.goto("/catalog")
    tab.get_by_role("tab", name="Manufacturers").click()
    tab.locator("#maker-name").fill("Northwind Orthopedics")
    tab.locator("#maker-lic").fill("NWO1")
    tab.locator("#maker-add").click()
    expect(tab.locator(".maker-row", has_text="Northwind Orthopedics")).to_be_visible()
    tab.get_by_role("tab", name="Products").click()
    good = (f"NW-100,Femoral stem size 4,Northwind Orthopedics,{gtin('0123456789012')},NWO1,yes,1200.00\n"
            f"NW-200,Acetabular cup 52 mm,Northwind Orthopedics,{gtin('0123456789013')},NWO1,yes,950.00\n")  # fmt: skip
    import_file(tab, "products", tmp_path / "bad.csv", PRODUCTS + good + "NW-300,Liner,Nobody Inc,,,yes,abc\n")
    expect(tab.locator("#products-import-status")).to_have_text("1 row needs fixing: nothing was imported.")
    expect(tab.locator("#products-import .import-error td").first).to_have_text("4")
    expect(tab.locator("#products-total")).to_have_text("0 products")
    import_file(tab, "products", tmp_path / "catalog.csv", PRODUCTS + good)
    expect(tab.locator("#products-import-summary")).to_contain_text("2 new")
    tab.locator("#products-import-commit").click()
    expect(tab.locator("#products-import-status")).to_have_text("Imported.")
    expect(tab.locator("#products-total")).to_have_text("2 products")
    tab.get_by_role("tab", name="Price lists").click()
    rows = (f",{account},NW-100,Northwind Orthopedics,990.00,2026-01-01,2026-06-30\n"
            f",{account},NW-100,Northwind Orthopedics,1010.00,2026-07-01,\n")  # fmt: skip
    import_file(tab, "prices", tmp_path / "prices.csv", PRICES + rows)
    expect(tab.locator("#prices-import-summary")).to_contain_text("2 new")
    tab.locator("#prices-import-commit").click()
    expect(tab.locator("#prices-import-status")).to_have_text("Imported.")


def invite_rep(tab: Page, facility: str) -> str:
    tab.goto("/users")
    tab.locator("#add-user").click()
    tab.locator("#new-user-name").fill("Riley Chen")
    tab.locator("#new-user-email").fill("riley.chen@northwind.example")
    tab.get_by_role("checkbox", name=facility).click()
    tab.locator("#add-user-submit").click()
    expect(tab.locator("#invitation-link")).to_have_value(re.compile(r"/invitation/[\w-]{40,}$"))
    return tab.locator("#invitation-link").input_value()


def rep_closes_a_case(tab: Page, invitation: str, facility: str) -> None:
    tab.goto(invitation)
    tab.locator("#password").fill(REP_PASSWORD)
    tab.locator("#password-again").fill(REP_PASSWORD)
    tab.locator("#set-password").tap()
    expect(tab.locator("#case-search")).to_be_visible()
    tab.locator("#new-case").tap()
    expect(tab.locator("#case-facility_id")).to_contain_text(facility)  # the one facility they cover, chosen
    tab.locator("#case-new-surgeon").fill("Dr. Lena Ortiz")
    tab.locator("#case-add-surgeon").tap()
    expect(tab.locator("#case-surgeon_id")).to_contain_text("Dr. Lena Ortiz")
    tab.locator("#case-procedure").fill("Total hip arthroplasty")
    tab.locator("#case-patient_ref").fill("PT-0001")
    tab.locator("#case-create").tap()
    expect(tab.locator("#case-number")).to_have_text(re.compile(r"CS-2026-000001"))  # the company's first case
    tab.locator("#catalog-search").fill("NW-100")
    tab.get_by_role("button", name="Add NW-100").tap()
    line = tab.locator(".device-line", has_text="NW-100")
    expect(line).to_contain_text("Contract price")
    expect(tab.get_by_label("Unit price, line 1", exact=True)).to_have_value("990.00")  # in force on Jun 15, 2026
    tab.get_by_label("Lot, line 1", exact=True).fill("LOT-7781")
    tab.get_by_label("Lot, line 1", exact=True).press("Tab")
    tab.get_by_role("tab", name="Sign & Submit").tap()
    sign_on_pad(tab, "sales_rep", "Sales Rep", secret=REP_PASSWORD)  # the new rep's own password
    sign_on_pad(tab, "provider_rep", "Provider Representative", "RN Carla Mendes")
    tab.locator("#submit-for-billing").tap()
    expect(tab.get_by_text("Closed — pending PO").first).to_be_visible()


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)  # in the PostgreSQL pass too
def test_day_one_on_an_empty_database(browser, fresh_app, tmp_path, viewport):
    facility, account = "Harbor Regional Hospital", "HRH-0001"
    manager, desk, manager_errors = screen(browser, fresh_app, "desktop")
    rep, tablet, rep_errors = screen(browser, fresh_app, viewport)
    try:
        sign_in(desk, EMAIL, PASSWORD)
        add_facility(desk, facility, account)
        import_catalog_and_prices(desk, tmp_path, account)
        invitation = invite_rep(desk, facility)
        rep_closes_a_case(tablet, invitation, facility)
        tablet.keyboard.press("Escape")  # the replenishment offer, if any, is not today's business
        tablet.get_by_role("tab", name="Share").tap()
        expect(tablet.locator("#share-recipients")).to_have_value("quinn@harbor.example")
        tablet.screenshot(path=SHOTS / f"day-one-share-{viewport}.png", full_page=True)
    finally:
        desk.screenshot(path=SHOTS / "day-one-manager.png", full_page=True)
        manager.close()
        rep.close()
    assert not manager_errors and not rep_errors
