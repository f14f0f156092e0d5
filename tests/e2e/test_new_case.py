"""New case, Edit details and Cancel, from the user's side."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SHOTS
from tests.factories import actor_for_email, demo_rep, new_facility, product_with
from tests.services.test_new_case_service import covered_facility

MANAGER = "morgan.lee@closeout.example"


def choose(page: Page, field: str, option: str) -> None:
    page.locator(f"#case-{field}").click()
    page.get_by_role("option", name=option, exact=True).click()


def facility_name(facility_id: int) -> str:
    from closeout.models import Facility
    from closeout.services.db import reading

    with reading() as session:
        return session.get(Facility, facility_id).name


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_a_rep_creates_a_case_and_adds_the_first_device_in_under_a_minute(page: Page, viewport):
    facility_id, _ = covered_facility()
    facility = facility_name(facility_id)
    product = product_with(contract=True, facility=facility)
    page.goto("/")
    expect(page.locator(".case-row").first).to_be_visible()
    steps, started = [], time.monotonic()

    def step(what: str) -> None:
        steps.append(f"{time.monotonic() - started:5.1f} s  {what}")

    page.locator("#new-case").tap()
    expect(page.locator("#case-create")).to_be_visible()
    step("New case")
    choose(page, "facility_id", facility)
    step("facility chosen")
    page.locator("#case-new-surgeon").fill("Dr. Amara Nwosu")
    page.locator("#case-add-surgeon").tap()
    expect(page.locator("#case-surgeon_id")).to_contain_text("Dr. Amara Nwosu")
    step("surgeon added on the spot")
    page.locator("#case-procedure").fill("ACL reconstruction")
    page.locator("#case-patient_ref").fill("PT-7781")
    page.locator("#case-surgery_time").fill("07:30")
    step("procedure, patient identifier and time typed (date prefilled: today)")
    page.screenshot(path=SHOTS / f"new-case-form-{viewport}.png", full_page=True)
    page.locator("#case-create").tap()
    expect(page.locator("#case-number")).to_have_text(re.compile(r"CS-\d{4}-\d{6}"))
    step("case created, Devices Used open")
    page.locator("#catalog-search").fill(product.ref)
    page.get_by_role("button", name=f"Add {product.ref}").tap()
    expect(page.locator(".device-line", has_text=product.ref)).to_contain_text("Contract price")
    step("first device added")
    elapsed = time.monotonic() - started
    (SHOTS / f"new-case-timing-{viewport}.txt").write_text("\n".join(steps) + f"\ntotal {elapsed:.1f} s\n")
    print("\n".join(steps))
    assert elapsed < 60, steps
    expect(page.get_by_text("ACL reconstruction")).to_be_visible()
    expect(page.get_by_text("07:30")).to_be_visible()


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_a_refused_detail_is_shown_by_its_field_and_nothing_typed_is_lost(page: Page):
    facility_id, _ = covered_facility(pattern=r"MRN\d{6}")
    page.goto("/new-case")
    choose(page, "facility_id", facility_name(facility_id))
    page.locator("#case-procedure").fill("Lumbar fusion")
    page.locator("#case-patient_ref").fill("John Smith")
    page.locator("#case-create").tap()
    expect(page.locator(".field-error")).to_contain_text("never the patient's name")
    expect(page.locator("#case-procedure")).to_have_value("Lumbar fusion")
    page.locator("#case-patient_ref").fill("PT-0042")
    page.locator("#case-create").tap()
    expect(page.locator(".field-error")).to_contain_text("MRN")
    page.locator("#case-patient_ref").fill("MRN004242")
    page.locator("#case-create").tap()
    expect(page.locator("#case-number")).to_be_visible()


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_manager_creates_a_case_for_a_rep_edits_it_and_cancels_it(page: Page):
    facility_id, _ = covered_facility()
    facility = facility_name(facility_id)
    new_facility()  # another facility to choose from
    page.goto("/new-case")
    choose(page, "facility_id", facility)
    choose(page, "surgeon_id", f"Dr. Test {facility_id}")
    choose(page, "rep_id", demo_rep().name)
    page.locator("#case-procedure").fill("Total shoulder arthroplasty")
    page.locator("#case-patient_ref").fill("PT-5150")
    page.locator("#case-create").click()
    expect(page.locator("#case-number")).to_be_visible()
    number = page.locator("#case-number").inner_text()
    expect(page.get_by_text(demo_rep().name)).to_be_visible()

    page.locator("#edit-details").click()
    expect(page.locator("#case-procedure")).to_have_value("Total shoulder arthroplasty")
    page.locator("#case-procedure").fill("Reverse shoulder arthroplasty")
    page.locator("#case-facility_case_number").fill("OR-2291")
    page.locator("#save-details").click()
    expect(page.get_by_text("Reverse shoulder arthroplasty")).to_be_visible()
    expect(page.get_by_text("OR-2291")).to_be_visible()
    page.screenshot(path=SHOTS / "case-details-edited-desktop.png", full_page=True)

    page.locator("#cancel-case").click()
    page.locator("#confirm-cancel").click()
    expect(page.locator("#cancel-error")).to_contain_text("reason")
    page.locator("#cancel-reason").fill("Surgery postponed by the surgeon")
    page.locator("#confirm-cancel").click()
    expect(page.locator("#case-cancelled")).to_contain_text("Surgery postponed by the surgeon")
    expect(page.locator("#edit-details")).to_have_count(0)
    page.get_by_role("tab", name="Activity").click()
    expect(page.locator(".activity-item", has_text="Case details changed")).to_have_count(1)
    expect(page.locator(".activity-item", has_text="Cancelled")).to_have_count(1)
    page.goto("/")
    page.locator("#case-search").fill(number)
    expect(page.locator(".case-row", has_text=number)).to_contain_text("Cancelled")
    assert actor_for_email(MANAGER).is_manager
