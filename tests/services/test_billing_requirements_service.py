"""What a facility requires before Submit for Billing, through the services: the manager sets
it in the Directory (audited, before and after), the Sign & Submit read lists each gap with
where it is fixed, and Submit for Billing refuses until every gap is filled."""

from dataclasses import asdict

import pytest
from sqlmodel import select

from closeout.domain.errors import NotAllowed
from closeout.domain.lifecycle import CaseStatus
from closeout.domain.readiness import NotReady
from closeout.models import AuditEvent, FacilitySurgeon
from closeout.services import billing, case_edits, device_lines, directory, views
from closeout.services.db import reading, transaction
from tests.factories import demo_rep, manager, new_case, new_facility, sign_both

CASE_FLAGS = ("requires_case_number", "requires_patient_ref", "requires_procedure", "requires_surgery_time")


def facility_form(facility_id: int, **flags: bool) -> dict:
    """The facility's details as its form sends them, with these boxes ticked (the others not)."""
    fields = asdict(directory.facility_view(manager(), facility_id).fields)
    form = {k: ("none" if v is None else str(v)) for k, v in fields.items() if not isinstance(v, bool)}
    return {**form, **{name: "on" for name, ticked in flags.items() if ticked}}


def requiring(**flags: bool) -> tuple[int, str]:
    """A facility (its surgeon 1 linked, so Edit details takes the case) that requires `flags`."""
    facility_id, name = new_facility()
    with transaction() as session:
        session.add(FacilitySurgeon(facility_id=facility_id, surgeon_id=1))
    directory.update_facility(manager(), facility_id, facility_form(facility_id, **flags))
    return facility_id, name


def edit(number: str, **changes: str) -> None:
    """The rep saves Edit details with these fields changed."""
    current, _ = case_edits.details_for_edit(demo_rep(), number)
    form = {k: ("" if v is None else v.strftime("%H:%M") if k == "surgery_time" else str(v)) for k, v in asdict(current).items()}
    case_edits.edit_details(demo_rep(), number, {**form, **changes})


def test_a_new_facility_requires_nothing_more_and_the_manager_sets_it_audited():
    facility_id, _ = new_facility()
    assert not any(getattr(directory.facility_view(manager(), facility_id).fields, f) for f in CASE_FLAGS)
    directory.update_facility(manager(), facility_id, facility_form(facility_id, requires_case_number=True,
                                                                      implants_need_expiry=True))  # fmt: skip
    saved = directory.facility_view(manager(), facility_id).fields
    assert saved.requires_case_number and saved.implants_need_expiry and not saved.implants_need_lot
    with reading() as session:
        row = session.exec(select(AuditEvent).where(AuditEvent.entity == "facility", AuditEvent.entity_id == facility_id)
                           .order_by(AuditEvent.id.desc())).first()  # fmt: skip
    assert row.before == {"requires_case_number": False, "implants_need_expiry": False}
    assert row.after == {"requires_case_number": True, "implants_need_expiry": True}
    assert "requires case number" in row.summary
    directory.update_facility(manager(), facility_id, facility_form(facility_id))  # every box unticked again
    assert not directory.facility_view(manager(), facility_id).fields.requires_case_number


def test_a_new_facility_can_be_created_with_its_requirements():
    facility_id, _ = new_facility()
    form = {**facility_form(facility_id), "account_number": f"NEW-{facility_id}", "requires_surgery_time": "on"}
    created = directory.create_facility(manager(), form)
    assert directory.facility_view(manager(), created).fields.requires_surgery_time


def test_a_rep_cannot_change_what_a_facility_requires():
    facility_id, _ = new_facility()
    with pytest.raises(NotAllowed):
        directory.update_facility(demo_rep(), facility_id, facility_form(facility_id, requires_case_number=True))


def test_the_sign_tab_lists_each_gap_with_where_it_is_fixed():
    _, name = requiring(requires_case_number=True, requires_surgery_time=True, implants_need_serial=True)
    number = new_case(lines=2, facility=name)  # Implanted, lot but no serial, no case number or time
    problems = views.sign_tab(demo_rep(), number).problems
    assert [(p.field, p.line) for p in problems[:4]] == [("facility_case_number", 0), ("surgery_time", 0), ("serial", 1), ("serial", 2)]
    assert "requires its case number" in problems[0].text
    assert problems[2].text == f"Line 1 ({device_lines.list_lines(demo_rep(), number).lines[0].ref}) needs its serial number: the facility requires it on every implant."
    assert any("signature is missing" in p.text for p in problems)  # signatures still listed, without a link
    assert billing.problems_of(demo_rep(), number)[0] == problems[0].text


def test_submit_is_refused_until_the_facility_case_number_is_entered():
    _, name = requiring(requires_case_number=True)
    number = new_case(lines=1, facility=name)
    sign_both(number)
    with pytest.raises(NotReady) as refusal:
        billing.submit_for_billing(demo_rep(), number)
    assert [(m.field, m.line) for m in refusal.value.missing] == [("facility_case_number", 0)]
    assert "requires its case number" in refusal.value.message
    edit(number, facility_case_number="OR-2026-4471")
    assert views.sign_tab(demo_rep(), number).problems == []
    assert billing.submit_for_billing(demo_rep(), number) is CaseStatus.CLOSED


def test_implant_fields_the_facility_requires_block_submit_until_filled():
    _, name = requiring(implants_need_lot=True, implants_need_expiry=True)
    number = new_case(lines=1, facility=name)
    line = device_lines.list_lines(demo_rep(), number).lines[0]
    device_lines.update_line(demo_rep(), number, line.id, "expiry", "")
    sign_both(number)
    with pytest.raises(NotReady) as refusal:
        billing.submit_for_billing(demo_rep(), number)
    assert [(m.field, m.line) for m in refusal.value.missing] == [("expiry", 1)]
    device_lines.update_line(demo_rep(), number, line.id, "usage_status", "Used")  # not an implant: not required
    assert [m.field for m in views.sign_tab(demo_rep(), number).problems] == ["", ""]  # both signatures, now stale


def test_a_facility_with_no_requirement_keeps_todays_rule():
    number = new_case(lines=1)
    line = device_lines.list_lines(demo_rep(), number).lines[0]
    device_lines.update_line(demo_rep(), number, line.id, "expiry", "")
    sign_both(number)
    assert billing.submit_for_billing(demo_rep(), number) is CaseStatus.CLOSED
