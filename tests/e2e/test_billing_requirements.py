"""What a facility requires before Submit for Billing, and the UDI on the screen, the sales
order and the managers' line export, from the user's side (issue 14 §2, §3)."""

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from closeout.domain.udi import udi_hri
from closeout.services import device_lines, directory
from tests.e2e.conftest import SHOTS
from tests.factories import demo_rep, manager, new_case, sign_both
from tests.services.test_billing_requirements_service import requiring

MANAGER = "morgan.lee@closeout.example"
REP_TABLET = pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
MANAGER_DESKTOP = pytest.mark.parametrize("viewport", ["desktop"], indirect=True)


def open_tab(page: Page, number: str, tab: str) -> None:
    page.goto(f"/cases/{number}")
    expect(page.locator("#case-number")).to_have_text(number)
    expect(page.locator(".device-line").first).to_be_visible()
    page.get_by_role("tab", name=tab).click()


@REP_TABLET
def test_a_required_case_number_blocks_submit_until_entered_and_the_pdf_shows_each_udi(page: Page, viewport):
    _, facility = requiring(requires_case_number=True)
    number = new_case(lines=2, facility=facility)
    sign_both(number)
    open_tab(page, number, "Sign & Submit")
    expect(page.locator(".submit-problem")).to_have_count(1)
    expect(page.locator(".submit-problem")).to_contain_text("The facility requires its case number")
    expect(page.locator("#submit-for-billing")).to_be_disabled()
    page.locator(".fix-detail").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"billing-requirements-blocked-{viewport}.png")

    page.locator(".fix-detail").click()  # Edit details opens, the cursor in the missing field
    expect(page.locator("#case-facility_case_number")).to_be_focused()
    page.locator("#case-facility_case_number").fill("OR-2026-4471")
    page.locator("#save-details").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_text("Facility case #")).to_be_visible()
    expect(page.locator(".submit-problem")).to_have_count(0)
    page.screenshot(path=SHOTS / f"billing-requirements-ready-{viewport}.png")
    page.locator("#submit-for-billing").click()
    expect(page.get_by_text("Closed — pending PO").first).to_be_visible()

    lines = device_lines.list_lines(demo_rep(), number).lines
    udis = [udi_hri(line.gtin, line.expiry, line.lot, line.serial) for line in lines]
    assert all(udis) and all(udi.startswith(f"(01){line.gtin}(17)") for udi, line in zip(udis, lines, strict=True))
    page.get_by_role("tab", name="Devices Used").click()
    expect(page.locator(".line-udi")).to_have_text(udis)  # small text on each line card
    page.get_by_role("tab", name="Share").click()
    with page.expect_download() as download:
        page.locator("#share-download").click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages)
    for line, udi in zip(lines, udis, strict=True):
        assert f"UDI-DI {line.gtin}" in text and f"UDI {udi}" in text


@REP_TABLET
def test_a_missing_implant_expiry_links_to_its_line(page: Page, viewport):
    _, facility = requiring(implants_need_expiry=True)
    number = new_case(lines=2, facility=facility)
    second = device_lines.list_lines(demo_rep(), number).lines[1]
    device_lines.update_line(demo_rep(), number, second.id, "expiry", "")
    open_tab(page, number, "Sign & Submit")
    gap = page.locator(".submit-problem", has_text="Line 2")
    expect(gap).to_contain_text("needs its expiry date")
    page.locator(".fix-line").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"billing-requirements-line-gap-{viewport}.png")
    page.locator(".fix-line").click()
    expect(page.get_by_role("tab", name="Devices Used")).to_have_attribute("aria-selected", "true")
    expiry = page.get_by_label("Expiry, line 2", exact=True)
    expect(expiry).to_be_focused()
    expiry.fill("2029-03-31")
    page.get_by_label("Note, line 2", exact=True).click()  # leaving the field saves it (Tab stays inside a date input)
    expect(page.locator("#device-line-2 .line-udi")).to_contain_text("(17)290331")
    page.get_by_role("tab", name="Sign & Submit").click()
    expect(page.locator(".submit-problem", has_text="expiry")).to_have_count(0)


@pytest.mark.parametrize("user_email", [MANAGER])
@MANAGER_DESKTOP
def test_the_manager_sets_requirements_and_exports_the_filtered_lines(page: Page, viewport):
    facility_id, facility = requiring()
    kept = [new_case(lines=2, facility=facility), new_case(lines=1, facility=facility)]
    elsewhere = new_case(lines=1)
    page.goto(f"/directory/facility/{facility_id}")
    box = page.get_by_role("checkbox", name="Surgery time")
    expect(box).not_to_be_checked()
    box.click()
    page.locator("#facility-requirements").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"billing-requirements-facility-{viewport}.png")
    page.locator("#facility-save").click()
    expect(page.locator("#facility-notice")).to_have_text("Saved.")
    assert directory.facility_view(manager(), facility_id).fields.requires_surgery_time
    page.reload()
    expect(page.get_by_role("checkbox", name="Surgery time")).to_be_checked()

    page.goto(f"/console?status=open&facility={facility_id}")
    expect(page.locator(".console-row")).to_have_count(2)
    expect(page.locator("#export-lines-csv")).to_have_attribute("href", re.compile(rf"facility={facility_id}"))
    with page.expect_download() as download:
        page.locator("#export-lines-csv").click()
    header, *rows = list(csv.reader(io.StringIO(download.value.path().read_text())))
    assert header[:6] == ["Case", "Facility", "Surgeon", "Surgery date", "Sales Rep", "REF"]
    assert sorted(r[0] for r in rows) == sorted([kept[0], kept[0], kept[1]]) and elsewhere not in {r[0] for r in rows}
    assert {r[1] for r in rows} == {facility} and all(r[-1].startswith("(01)") for r in rows)
