"""PO reminders in the browser: a manager sets a facility's reminder settings in the Directory
(a hostile text refused, the live preview, saved and shown again, the history with a failed
reminder), and a rep pauses one case's reminders with a reason, sees it, and resumes them."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from closeout.domain import clock
from closeout.models import Case, Facility, PoReminder
from closeout.services import contacts
from closeout.services.db import reading, transaction
from tests.e2e.conftest import SHOTS
from tests.factories import closed_case, manager, new_facility

MANAGER = "morgan.lee@closeout.example"
VIEWPORTS = ["tablet-portrait", "desktop"]


def with_history() -> tuple[int, str, str]:
    """A facility with a billing and a purchasing contact, and one case reminded twice (sent, then failed)."""
    facility_id, name = new_facility(billing=("ap@pier.example",))
    contacts.add_contact(manager(), facility_id, {"name": "Buyer", "email": "buyer@pier.example", "is_purchasing": "on"})
    number = closed_case(days_ago=9, facility=name)
    with transaction() as session:
        case_id = session.exec(select(Case.id).where(Case.number == number)).one()
        session.add(PoReminder(case_id=case_id, sent_at=clock.now() - timedelta(days=2), recipient="ap@pier.example",
                               delivery="sent"))  # fmt: skip
        session.add(PoReminder(case_id=case_id, sent_at=clock.now() - timedelta(hours=1), recipient="ap@pier.example",
                               delivery="not sent", status="failed",
                               error="The mail server refused a recipient. Nothing was sent."))  # fmt: skip
    return facility_id, name, number


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_manager_sets_a_facilitys_po_reminders(page: Page, viewport):
    facility_id, name, number = with_history()
    page.goto(f"/directory/facility/{facility_id}")
    card = page.locator("#po-reminders")
    expect(card).to_be_visible()
    expect(page.locator("#reminder-preview")).to_contain_text("Please enter the PO number")
    rows = page.locator(".reminder-history-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Failed")
    expect(rows.nth(0)).to_contain_text("refused a recipient")
    expect(rows.nth(1)).to_contain_text(number)
    expect(card).to_contain_text("buyer@pier.example")  # who "purchasing" reaches today

    text = page.locator("#reminder-text")
    text.fill("Hello {0.__class__} {link}")
    expect(page.locator(".reminder-error")).to_contain_text("{0.__class__} is not a placeholder")
    expect(page.locator("#reminder-preview")).to_contain_text("Fix the text")
    text.fill("Dear {facility},\nplease enter the PO for {sales_order} here: {link}\n— {sender}")
    expect(page.locator("#reminder-preview")).to_contain_text(f"Dear {name},")
    expect(page.locator("#reminder-preview")).to_contain_text("here: https://closeout.example.com/po/")
    expect(page.locator(".reminder-error")).to_have_count(0)

    page.locator("#reminder-days").fill("0")
    page.locator("#reminder-save").click()
    expect(page.locator(".reminder-error")).to_contain_text("1 to 90 days")
    page.locator("#reminder-days").fill("3")
    page.locator("#reminder-recipients-both").click()
    page.locator("#reminders-on").click()
    expect(page.locator("#reminder-days")).to_be_disabled()
    page.locator("#reminder-save").click()
    expect(page.locator("#reminder-notice")).to_contain_text("saved")
    page.screenshot(path=SHOTS / f"reminder-settings-{viewport}.png", full_page=True)

    with reading() as session:
        saved = session.get(Facility, facility_id)
        assert (saved.po_reminders_on, saved.po_reminder_days, saved.po_reminder_recipients) == (False, 3, "both")
        assert saved.po_reminder_text.startswith("Dear {facility},\nplease enter")
    page.reload()
    expect(page.locator("#reminder-text")).to_have_value(saved.po_reminder_text)
    expect(page.locator("#reminders-on")).to_have_attribute("aria-checked", "false")
    expect(page.locator("#reminder-days")).to_have_value("3")
    expect(page.locator("#reminder-recipients-both")).to_have_attribute("aria-checked", "true")


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_a_rep_pauses_a_cases_reminders_with_a_reason(page: Page, viewport):
    number = closed_case(days_ago=9)
    with transaction() as session:  # the scheduled job's attempt the mail server refused
        case_id = session.exec(select(Case.id).where(Case.number == number)).one()
        session.add(PoReminder(case_id=case_id, sent_at=clock.now() - timedelta(hours=1), recipient="ap.ortho@stbrigid.example",
                               delivery="not sent", status="failed", error="The mail server refused a recipient."))  # fmt: skip
    page.goto(f"/cases/{number}")
    expect(page.locator("#case-number")).to_have_text(number)
    page.get_by_role("tab", name="Sign & Submit").click()
    failed = page.locator(".po-reminder-failed")
    expect(failed).to_contain_text("Reminder failed")
    expect(failed).to_contain_text("to ap.ortho@stbrigid.example by the scheduled job")
    expect(failed).to_contain_text("The mail server refused a recipient.")
    page.locator("#pause-po-reminders").click()
    page.locator("#po-pause-input").fill("no")
    page.locator("#po-pause-confirm").click()
    expect(page.locator("#po-pause-error")).to_contain_text("at least 3 characters")
    page.locator("#po-pause-input").fill("The buyer promised the PO by Friday")
    page.locator("#po-pause-confirm").click()
    paused = page.locator("#po-reminders-paused")
    expect(paused).to_contain_text("PO reminders are paused by Dana Reyes")
    expect(paused).to_contain_text("The buyer promised the PO by Friday")
    expect(page.locator("#send-po-reminder")).to_have_count(0)
    paused.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"reminder-paused-{viewport}.png")
    page.reload()
    page.get_by_role("tab", name="Sign & Submit").click()
    expect(page.locator("#po-pause-reason")).to_have_text("The buyer promised the PO by Friday")
    page.locator("#resume-po-reminders").click()
    expect(page.locator("#po-reminders-paused")).to_have_count(0)
    expect(page.locator("#send-po-reminder")).to_be_visible()
