"""Creating a case, editing an Open case's details and cancelling, through the services
against the real database: access, validation, case numbers under concurrency, audit."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.errors import InvalidInput, NotAllowed, NotFound
from closeout.domain.lifecycle import CaseStatus
from closeout.models import AuditEvent, Case, FacilitySurgeon, Surgeon
from closeout.services import case_edits, case_numbers, cases, new_case
from closeout.services.db import reading, transaction
from tests.factories import actor_for_email, closed_case, demo_rep, manager, new_facility

OTHER_REP = "sam.okafor@closeout.example"


def covered_facility(rep_email: str = "dana.reyes@closeout.example", pattern: str = "") -> tuple[int, int]:
    """A new facility the rep covers, with one surgeon: (facility id, surgeon id)."""
    facility_id, _ = new_facility(pattern=pattern, reps=(rep_email,))
    with transaction() as session:
        surgeon = Surgeon(name=f"Dr. Test {facility_id}")
        session.add(surgeon)
        session.flush()
        session.add(FacilitySurgeon(facility_id=facility_id, surgeon_id=surgeon.id))
        return facility_id, surgeon.id


def form(facility: int, surgeon: int, **changes) -> dict:
    return {
        "facility_id": str(facility), "surgeon_id": str(surgeon), "procedure": "Total hip arthroplasty",
        "surgery_date": clock.today().isoformat(), "surgery_time": "07:30", "patient_ref": "PT-0042",
        "facility_case_number": "OR-77", "rep_id": "", **changes,
    }  # fmt: skip


def audit_rows(number: str) -> list[AuditEvent]:
    with reading() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        return session.exec(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)).all()


def test_a_rep_creates_a_case_for_themself_and_it_is_audited():
    facility_id, surgeon_id = covered_facility()
    number = new_case.create_case(demo_rep(), form(facility_id, surgeon_id))
    header = cases.case_header(demo_rep(), number)
    assert number.startswith(f"CS-{clock.today().year}-")
    assert (header.status, header.procedure, header.patient_ref) == (CaseStatus.OPEN, "Total hip arthroplasty", "PT-0042")
    assert (header.surgery_time.strftime("%H:%M"), header.facility_case_number, header.rep) == ("07:30", "OR-77", demo_rep().name)
    (row,) = audit_rows(number)
    assert row.action == "case created" and row.after["patient_ref"] == "PT-0042" and row.user_id == demo_rep().id


def test_a_manager_creates_a_case_for_a_rep():
    facility_id, surgeon_id = covered_facility(OTHER_REP)
    sam = actor_for_email(OTHER_REP)
    number = new_case.create_case(manager(), form(facility_id, surgeon_id, rep_id=str(sam.id)))
    assert cases.case_header(sam, number).rep == sam.name
    with pytest.raises(NotFound):
        cases.case_header(demo_rep(), number)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"patient_ref": "John Smith"}, "patient_ref"),
        ({"patient_ref": ""}, "patient_ref"),
        ({"procedure": " "}, "procedure"),
        ({"surgery_date": "2026-02-30"}, "surgery_date"),
        ({"surgery_time": "25:00"}, "surgery_time"),
        ({"surgeon_id": "abc"}, "surgeon_id"),
        ({"facility_case_number": "x" * 41}, "facility_case_number"),
    ],
)
def test_bad_details_are_refused_by_field_and_nothing_is_created(changes, field):
    facility_id, surgeon_id = covered_facility()
    with reading() as session:
        before = session.exec(select(Case.id)).all()
    with pytest.raises(InvalidInput) as refusal:
        new_case.create_case(demo_rep(), form(facility_id, surgeon_id, **changes))
    assert refusal.value.field == field
    with reading() as session:
        assert session.exec(select(Case.id)).all() == before


def test_crafted_forms_are_refused():
    facility_id, surgeon_id = covered_facility()
    uncovered, _ = new_facility(reps=())
    other_facility, other_surgeon = covered_facility()
    sam = actor_for_email(OTHER_REP)
    with pytest.raises(NotAllowed, match="for themself"):
        new_case.create_case(demo_rep(), form(facility_id, surgeon_id, rep_id=str(sam.id)))
    with pytest.raises(InvalidInput) as refusal:
        new_case.create_case(demo_rep(), form(uncovered, surgeon_id))
    assert refusal.value.field == "facility_id"
    with pytest.raises(InvalidInput) as refusal:  # a surgeon of another facility
        new_case.create_case(demo_rep(), form(facility_id, other_surgeon))
    assert refusal.value.field == "surgeon_id"
    with pytest.raises(InvalidInput) as refusal:  # a manager is not a rep to assign
        new_case.create_case(manager(), form(other_facility, other_surgeon, rep_id=str(manager().id)))
    assert refusal.value.field == "rep_id"


def test_the_facility_pattern_for_patient_identifiers_applies():
    facility_id, surgeon_id = covered_facility(pattern=r"MRN\d{6}")
    with pytest.raises(InvalidInput, match="pattern"):
        new_case.create_case(demo_rep(), form(facility_id, surgeon_id, patient_ref="PT-0042"))
    assert new_case.create_case(demo_rep(), form(facility_id, surgeon_id, patient_ref="MRN004211"))


def test_case_numbers_stay_unique_when_many_screens_create_at_once():
    facility_id, surgeon_id = covered_facility()
    made, failed = [], []

    def create():
        try:
            made.append(new_case.create_case(demo_rep(), form(facility_id, surgeon_id)))
        except Exception as error:  # noqa: BLE001  (the test reports every failure)
            failed.append(repr(error))

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed and len(set(made)) == 8


def test_the_counter_skips_numbers_already_taken():
    with transaction() as session:
        year = 2031  # a year no other test uses
        session.add(Case(number=f"{case_numbers.prefix(year)}000007", facility_id=1, surgeon_id=1, procedure="x",
                         surgery_date=clock.today(), patient_ref="PT-1", rep_id=demo_rep().id))  # fmt: skip
        session.flush()
        assert case_numbers.allocate(session, year) == f"{case_numbers.prefix(year)}000008"
        session.add(Case(number=f"{case_numbers.prefix(year)}000009", facility_id=1, surgeon_id=1, procedure="x",
                         surgery_date=clock.today(), patient_ref="PT-1", rep_id=demo_rep().id))  # fmt: skip
        session.flush()
        assert case_numbers.allocate(session, year) == f"{case_numbers.prefix(year)}000010"
        session.rollback()


def test_editing_an_open_case_is_audited_with_before_and_after():
    facility_id, surgeon_id = covered_facility()
    number = new_case.create_case(demo_rep(), form(facility_id, surgeon_id))
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    case_edits.edit_details(demo_rep(), number, form(facility_id, surgeon_id, surgery_date=tomorrow, patient_ref="PT-0043"))
    header = cases.case_header(demo_rep(), number)
    assert (header.surgery_date.isoformat(), header.patient_ref) == (tomorrow, "PT-0043")
    row = audit_rows(number)[-1]
    assert row.action == "details changed"
    assert row.before == {"surgery_date": clock.today().isoformat(), "patient_ref": "PT-0042"}
    assert row.after == {"surgery_date": tomorrow, "patient_ref": "PT-0043"}
    assert case_edits.edit_details(demo_rep(), number, form(facility_id, surgeon_id, surgery_date=tomorrow,
                                                            patient_ref="PT-0043")) == 0  # fmt: skip
    assert len(audit_rows(number)) == 2  # nothing changed: no row


def test_a_submitted_case_keeps_its_details():
    number = closed_case()
    with pytest.raises(NotAllowed, match="no longer be changed"):
        case_edits.edit_details(demo_rep(), number, {})


def test_cancel_needs_a_reason_and_is_final():
    facility_id, surgeon_id = covered_facility()
    number = new_case.create_case(demo_rep(), form(facility_id, surgeon_id))
    with pytest.raises(InvalidInput):
        case_edits.cancel_case(demo_rep(), number, "  ")
    case_edits.cancel_case(demo_rep(), number, "Surgery postponed")
    header = cases.case_header(demo_rep(), number)
    assert (header.status, header.cancel_reason, header.cancelled_by) == (CaseStatus.CANCELLED, "Surgery postponed", demo_rep().name)
    assert audit_rows(number)[-1].after == {"status": "cancelled", "reason": "Surgery postponed"}
    with pytest.raises(NotAllowed, match="cancelled"):
        case_edits.edit_details(demo_rep(), number, {})
    with pytest.raises(NotAllowed, match="cancelled"):
        case_edits.cancel_case(manager(), number, "again")


def test_only_a_manager_cancels_a_closed_case():
    number = closed_case()
    with pytest.raises(NotAllowed, match="Only a manager"):
        case_edits.cancel_case(demo_rep(), number, "Wrong facility")
    case_edits.cancel_case(manager(), number, "Wrong facility")
    assert cases.case_header(manager(), number).status is CaseStatus.CANCELLED


def test_a_rep_cannot_touch_another_reps_case():
    facility_id, surgeon_id = covered_facility(OTHER_REP)
    number = new_case.create_case(actor_for_email(OTHER_REP), form(facility_id, surgeon_id))
    with pytest.raises(NotFound):
        case_edits.cancel_case(demo_rep(), number, "not mine")
    with pytest.raises(NotFound):
        case_edits.edit_details(demo_rep(), number, form(facility_id, surgeon_id))


def test_a_new_surgery_date_reprices_catalog_priced_lines_to_the_contract_price_then_in_force():
    from decimal import Decimal

    from closeout.models import Facility, PriceListItem, Product
    from closeout.services import device_lines
    from tests.factories import unique_suffix

    facility_id, surgeon_id = covered_facility()
    today = clock.today()
    with transaction() as session:
        price_list_id = session.get(Facility, facility_id).price_list_id
        products = [Product(ref=f"RP-{unique_suffix()}", description="Repricing test screw", manufacturer_id=1,
                            list_price=Decimal("100.00")) for _ in range(2)]  # fmt: skip
        session.add_all(products)
        session.flush()
        for product in products:
            session.add(PriceListItem(price_list_id=price_list_id, product_id=product.id, price=Decimal("80.00"),
                                      effective_from=today - timedelta(days=30), effective_to=today + timedelta(days=9)))
            session.add(PriceListItem(price_list_id=price_list_id, product_id=product.id, price=Decimal("70.00"),
                                      effective_from=today + timedelta(days=10)))  # fmt: skip
        ids = [p.id for p in products]
    number = new_case.create_case(demo_rep(), form(facility_id, surgeon_id))
    contract = device_lines.add_line(demo_rep(), number, ids[0])
    typed = device_lines.add_line(demo_rep(), number, ids[1])
    lines = {line.id: line for line in device_lines.list_lines(demo_rep(), number).lines}
    assert lines[contract.line.id].unit_price == Decimal("80.00")
    device_lines.set_price(demo_rep(), number, typed.line.id, "75.00", "Price agreed with the facility",
                           lines[typed.line.id].version)
    later = (today + timedelta(days=10)).isoformat()
    assert case_edits.edit_details(demo_rep(), number, form(facility_id, surgeon_id, surgery_date=later)) == 1
    lines = {line.id: line for line in device_lines.list_lines(demo_rep(), number).lines}
    assert lines[contract.line.id].unit_price == Decimal("70.00")
    assert lines[typed.line.id].unit_price == Decimal("75.00")  # a typed price stays
    assert "1 line price" in audit_rows(number)[-1].summary


def test_an_edit_checks_only_what_changes_against_the_directory():
    from closeout.services import directory

    facility_id, surgeon_id = covered_facility()
    number = new_case.create_case(demo_rep(), form(facility_id, surgeon_id))
    directory.set_active(manager(), facility_id, False)
    case_edits.edit_details(demo_rep(), number, form(facility_id, surgeon_id, procedure="Revision hip arthroplasty"))
    assert cases.case_header(demo_rep(), number).procedure == "Revision hip arthroplasty"


def test_changing_the_patient_or_the_rep_sets_the_signatures_aside():
    from closeout.services import signatures
    from tests.factories import sign_both

    facility_id, surgeon_id = covered_facility()
    number = new_case.create_case(demo_rep(), form(facility_id, surgeon_id))
    sign_both(number)
    case_edits.edit_details(demo_rep(), number, form(facility_id, surgeon_id, surgery_time="09:15"))
    assert len(signatures.signatures_of(demo_rep(), number)) == 2  # the time is not what they signed for
    case_edits.edit_details(demo_rep(), number, form(facility_id, surgeon_id, patient_ref="PT-0099"))
    assert signatures.signatures_of(demo_rep(), number) == {}


def test_a_manager_gives_a_case_only_to_a_rep_who_covers_the_facility():
    facility_id, surgeon_id = covered_facility()  # covered by Dana only
    sam = actor_for_email(OTHER_REP)
    with pytest.raises(InvalidInput, match="does not cover"):
        new_case.create_case(manager(), form(facility_id, surgeon_id, rep_id=str(sam.id)))


def test_cancelling_revokes_live_signing_links():
    from closeout.services import signing_links

    facility_id, surgeon_id = covered_facility()
    number = new_case.create_case(demo_rep(), form(facility_id, surgeon_id))
    link = signing_links.issue(demo_rep(), number)
    case_edits.cancel_case(demo_rep(), number, "Surgery postponed")
    with pytest.raises(NotFound):
        signing_links.open_link(link.token)
