"""What each facility requires before Submit for Billing (domain/readiness.py): the default is
every facility's rule (an implanted or explanted line needs a lot or serial number), each
requirement is its own flag, and every gap says where it is fixed."""

from datetime import date, time

import pytest

from closeout.domain.catalog import UsageStatus
from closeout.domain.readiness import (
    NO_LINES,
    REQUIREMENT_FIELDS,
    CaseFacts,
    FacilityRequirements,
    LineFacts,
    Missing,
    NotReady,
    billing_gaps,
    line_problems,
    listed,
    parse_requirements,
)

COMPLETE = CaseFacts("FC-123", "PT-0001", "Total knee arthroplasty", time(7, 30))
BLANK = CaseFacts("", "", "", None)
IMPLANTED, USED, EXPLANTED = UsageStatus.IMPLANTED, UsageStatus.USED, UsageStatus.EXPLANTED


def line(position=1, usage=IMPLANTED, lot="L1", serial="S1", expiry=date(2028, 1, 1)) -> LineFacts:
    return LineFacts(position, f"REF-{position}", usage, lot, serial, expiry)


def test_by_default_only_traceability_counts():
    rules = FacilityRequirements()
    assert billing_gaps(rules, BLANK, [line(lot="L1", serial="", expiry=None)]) == []
    assert billing_gaps(rules, BLANK, [line(usage=USED, lot="", serial="")]) == []
    gaps = billing_gaps(rules, BLANK, [line(1, lot="", serial=""), line(2, EXPLANTED, lot="", serial="")])
    assert gaps == [Missing("Line 1 (REF-1) needs a lot or serial number.", "lot", 1),
                    Missing("Line 2 (REF-2) needs a lot or serial number.", "lot", 2)]  # fmt: skip
    assert line_problems([line(3, lot="", serial="")]) == ["Line 3 (REF-3) needs a lot or serial number."]


@pytest.mark.parametrize("flag, field", [("requires_case_number", "facility_case_number"), ("requires_patient_ref", "patient_ref"),
                                         ("requires_procedure", "procedure"), ("requires_surgery_time", "surgery_time")])  # fmt: skip
def test_each_required_case_detail_links_to_its_field(flag, field):
    rules = FacilityRequirements(**{flag: True})
    [gap] = billing_gaps(rules, BLANK, [line()])
    assert (gap.field, gap.line) == (field, 0) and "Edit details" in gap.text
    assert billing_gaps(rules, COMPLETE, [line()]) == []


def test_case_details_come_first_and_every_one_is_named():
    rules = FacilityRequirements(requires_case_number=True, requires_surgery_time=True, implants_need_expiry=True)
    gaps = billing_gaps(rules, BLANK, [line(1, expiry=None)])
    assert [(g.field, g.line) for g in gaps] == [("facility_case_number", 0), ("surgery_time", 0), ("expiry", 1)]
    assert gaps[0].text == "The facility requires its case number: enter it in Edit details."


@pytest.mark.parametrize("flag, field, words", [("implants_need_lot", "lot", "lot number"),
                                                ("implants_need_serial", "serial", "serial number"),
                                                ("implants_need_expiry", "expiry", "expiry date")])  # fmt: skip
def test_each_implant_requirement_is_its_own_flag(flag, field, words):
    rules = FacilityRequirements(**{flag: True})
    bare = line(7, **{field: None if field == "expiry" else ""})
    [gap] = billing_gaps(rules, COMPLETE, [bare])
    assert gap == Missing(f"Line 7 (REF-7) needs its {words}: the facility requires it on every implant.", field, 7)
    assert billing_gaps(rules, COMPLETE, [line(7, usage=USED, **{field: None if field == "expiry" else ""})]) == []


def test_one_gap_per_line_naming_all_it_lacks():
    rules = FacilityRequirements(implants_need_lot=True, implants_need_serial=True, implants_need_expiry=True)
    [gap] = billing_gaps(rules, COMPLETE, [line(2, lot="", serial="", expiry=None)])
    assert gap.text == "Line 2 (REF-2) needs its lot number, serial number and expiry date: the facility requires them on every implant."
    assert (gap.field, gap.line) == ("lot", 2)


def test_an_explanted_line_keeps_only_the_traceability_rule():
    rules = FacilityRequirements(implants_need_expiry=True, implants_need_serial=True)
    assert billing_gaps(rules, COMPLETE, [line(usage=EXPLANTED, serial="", expiry=None)]) == []


def test_no_lines_and_a_required_detail():
    rules = FacilityRequirements(requires_case_number=True)
    assert billing_gaps(rules, BLANK, [])[-1] == NO_LINES
    assert len(billing_gaps(rules, BLANK, [])) == 2


def test_ticked_boxes_of_a_form():
    assert parse_requirements({}) == FacilityRequirements()
    ticked = parse_requirements({"requires_case_number": "on", "implants_need_expiry": "on", "implants_need_lot": ""})
    assert ticked == FacilityRequirements(requires_case_number=True, implants_need_expiry=True)
    assert parse_requirements(dict.fromkeys(REQUIREMENT_FIELDS, "on")) == FacilityRequirements(*[True] * 7)
    assert parse_requirements({"requires_procedure": "yes please"}) == FacilityRequirements()  # only a ticked box's value


def test_a_long_list_is_cut_with_a_count_and_the_refusal_carries_all():
    gaps = [Missing(f"Line {i} (R) needs a lot or serial number.", "lot", i) for i in range(1, 1501)]
    shown = listed(gaps)
    assert len(shown) == 21 and shown[-1].text == "…and 1,480 more gaps like these." and shown[-1].line == 0
    refusal = NotReady(gaps)
    assert refusal.missing == gaps and refusal.message.startswith("Line 1 (R)") and refusal.message.endswith("like these.")
    assert listed(gaps[:20]) == gaps[:20]
