"""Devices Used through the service layer, against the real (migrated) database."""

from decimal import Decimal

import pytest
from sqlmodel import select

from closeout.domain.catalog import PriceSource
from closeout.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from closeout.models import AuditEvent, Case, DeviceLine
from closeout.services import audit, cases, catalog, device_lines
from closeout.services.db import reading, transaction
from tests.factories import actor_for_email, demo_rep, new_case, product_with

D = Decimal


def lines_of(number):
    return device_lines.list_lines(demo_rep(), number, page_size=200).lines


def snapshot(number):
    """Everything stored about the case's lines and audit rows, to prove nothing changed."""
    with reading() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        rows = session.exec(select(DeviceLine).where(DeviceLine.case_id == case.id).order_by(DeviceLine.id)).all()
        events = session.exec(select(AuditEvent).where(AuditEvent.case_id == case.id)).all()
        return [r.model_dump() for r in rows], len(events), case.updated_at


def test_editing_quantity_saves_audits_and_updates_totals():
    number = new_case(lines=2)
    first = lines_of(number)[0]
    change = device_lines.update_line(demo_rep(), number, first.id, "quantity", "3")
    assert change.line.quantity == 3
    assert change.line.extended == first.unit_price * 3
    assert change.totals.grand_total == sum(line.extended for line in lines_of(number))
    event = audit.activity(demo_rep(), number)[0]
    assert event.action == "line edited" and event.who == "Dana Reyes"
    assert event.before["quantity"] == 1 and event.after["quantity"] == 3
    assert "quantity 1 → 3" in event.summary


def test_a_typed_price_is_marked_edited_and_kept_exact():
    number = new_case(lines=1)
    line = lines_of(number)[0]
    change = device_lines.set_price(demo_rep(), number, line.id, "1234.57", "Trade-in / credit")
    assert change.line.price_source is PriceSource.EDITED and change.line.unit_price == D("1234.57")
    device_lines.update_line(demo_rep(), number, line.id, "quantity", "7")
    assert lines_of(number)[0].extended == D("8641.99")
    event = audit.activity(demo_rep(), number)[1]
    assert event.before == {"unit_price": str(line.unit_price), "price_source": line.price_source.value, "price_reason": ""}
    assert event.after == {"unit_price": "1234.57", "price_source": "edited", "price_reason": "Trade-in / credit"}


def test_typing_back_the_contract_price_clears_price_edited():
    number = new_case(lines=0)
    product = product_with(contract=True)
    added = device_lines.add_line(demo_rep(), number, product.id).line
    assert added.price_source is PriceSource.CONTRACT
    device_lines.set_price(demo_rep(), number, added.id, "1.00", "Trade-in / credit")
    back = device_lines.update_line(demo_rep(), number, added.id, "unit_price", str(added.unit_price)).line
    assert back.price_source is PriceSource.CONTRACT


def test_adding_a_product_without_contract_uses_the_list_price():
    number = new_case(lines=0)
    product = product_with(contract=False)
    change = device_lines.add_line(demo_rep(), number, product.id)
    assert (change.line.unit_price, change.line.price_source) == (product.list_price, PriceSource.LIST)
    assert change.line.position == 1 and change.line_count == 1
    assert audit.activity(demo_rep(), number)[0].action == "line added"


def test_catalog_search_finds_by_ref_description_and_gtin_with_facility_price():
    number = new_case(lines=0)
    product = product_with(contract=True)
    for text in (product.ref, product.description.split(",")[0], product.gtin[-8:]):
        hits = catalog.search_products(demo_rep(), number, text)
        assert product.id in [h.id for h in hits]
    hit = next(h for h in catalog.search_products(demo_rep(), number, product.ref) if h.id == product.id)
    assert hit.price_source is PriceSource.CONTRACT and hit.price < product.list_price


def test_removing_a_line_is_audited_with_what_it_was():
    number = new_case(lines=2)
    line = lines_of(number)[1]
    change = device_lines.remove_line(demo_rep(), number, line.id)
    assert change.line is None and change.line_count == 1
    event = audit.activity(demo_rep(), number)[0]
    assert event.action == "line removed" and event.before["product"] == line.ref


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("quantity", "0"),
        ("quantity", "2.5"),
        ("unit_price", "-1"),
        ("unit_price", "1000000.01"),
        ("unit_price", "9.999"),
        ("expiry", "2027-13-01"),
        ("lot", "x" * 41),
        ("serial", "A\x00B"),
        ("usage_status", "Stolen"),
        ("case_id", 1),
        ("unit_price", 12.5),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(field, raw):
    number = new_case(lines=2)
    before = snapshot(number)
    line = lines_of(number)[0]
    with pytest.raises(InvalidInput) as refusal:
        device_lines.update_line(demo_rep(), number, line.id, field, raw)
    assert refusal.value.message
    assert snapshot(number) == before


def test_a_line_of_another_case_or_a_missing_line_is_not_found():
    number, other = new_case(lines=1), new_case(lines=1)
    foreign = lines_of(other)[0]
    before = snapshot(other)
    for line_id in (foreign.id, 10**9, "1"):
        with pytest.raises(NotFound):
            device_lines.update_line(demo_rep(), number, line_id, "quantity", "2")
    assert snapshot(other) == before


def test_a_missing_case_or_product_is_not_found():
    with pytest.raises(NotFound):
        device_lines.update_line(demo_rep(), "CS-0000-000000", 1, "quantity", "2")
    number = new_case(lines=0)
    with pytest.raises(NotFound):
        device_lines.add_line(demo_rep(), number, 10**9)
    assert snapshot(number)[0] == []


def test_another_reps_case_is_not_found_and_untouched():
    theirs = new_case(lines=1, rep_email="sam.okafor@closeout.example")
    line_id = device_lines.list_lines(actor_for_email("sam.okafor@closeout.example"), theirs).lines[0].id
    before = snapshot(theirs)
    with pytest.raises(NotFound):
        cases.case_header(demo_rep(), theirs)
    with pytest.raises(NotFound):
        device_lines.update_line(demo_rep(), theirs, line_id, "quantity", "5")
    assert snapshot(theirs) == before
    assert cases.case_header(actor_for_email("morgan.lee@closeout.example"), theirs).number == theirs


@pytest.mark.parametrize("status", ["closed", "completed"])
def test_a_submitted_case_refuses_every_edit(status):
    number = new_case(lines=1, status=status)
    line = lines_of(number)[0]
    before = snapshot(number)
    for attempt in (
        lambda: device_lines.update_line(demo_rep(), number, line.id, "quantity", "9"),
        lambda: device_lines.add_line(demo_rep(), number, product_with(contract=True).id),
        lambda: device_lines.remove_line(demo_rep(), number, line.id),
    ):
        with pytest.raises(NotAllowed):
            attempt()
    assert snapshot(number) == before
    assert device_lines.list_lines(demo_rep(), number).editable is False


def test_an_unchanged_value_writes_no_audit_row():
    number = new_case(lines=1)
    line = lines_of(number)[0]
    before = snapshot(number)[1]
    device_lines.update_line(demo_rep(), number, line.id, "lot", line.lot)
    assert snapshot(number)[1] == before


def test_a_case_holds_at_most_1500_lines():
    number = new_case(lines=1)
    with transaction() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        template = session.exec(select(DeviceLine).where(DeviceLine.case_id == case.id)).one()
        session.add_all(DeviceLine(**{**template.model_dump(exclude={"id"}), "position": p}) for p in range(2, 1501))
        product_id = template.product_id
    with pytest.raises(DomainError, match="at most 1,500"):
        device_lines.add_line(demo_rep(), number, product_id)


def test_filter_and_pages_reach_every_line():
    number = new_case(lines=30)
    page = device_lines.list_lines(demo_rep(), number, page=2, page_size=25)
    assert page.matching == 30 and [v.position for v in page.lines] == list(range(26, 31))
    found = device_lines.list_lines(demo_rep(), number, text="LOT17")
    assert [v.lot for v in found.lines] == ["LOT17"]


def test_search_cases_by_number_facility_and_surgeon_newest_first():
    number = new_case(lines=0, facility="Lakeside Regional Hospital")
    assert [c.number for c in cases.search_cases(demo_rep(), number)[0]] == [number]
    rows, total = cases.search_cases(demo_rep(), "Lakeside", limit=200)
    assert number in [c.number for c in rows] and all(c.facility.startswith("Lakeside") for c in rows)
    dates = [c.surgery_date for c in rows]
    assert dates == sorted(dates, reverse=True)
    assert all(c.rep == "Dana Reyes" for c in cases.search_cases(demo_rep(), "", limit=500)[0])


def test_two_screens_editing_one_line_do_not_overwrite_each_other():
    number = new_case(lines=1)
    seen = lines_of(number)[0]  # both screens show version 1
    first = device_lines.update_line(demo_rep(), number, seen.id, "quantity", "2", seen.version)
    assert first.line.version == seen.version + 1
    with pytest.raises(device_lines.StaleEdit) as stale:
        device_lines.update_line(demo_rep(), number, seen.id, "quantity", "5", seen.version)
    assert "changed by someone else" in stale.value.message and stale.value.fresh.quantity == 2
    assert lines_of(number)[0].quantity == 2
    again = device_lines.update_line(demo_rep(), number, seen.id, "quantity", "5", stale.value.fresh.version)
    assert again.line.quantity == 5


def test_an_edit_racing_submit_for_billing_is_refused_once_submitted():
    from closeout.services import billing
    from tests.factories import sign_both

    number = new_case(lines=1)
    line = lines_of(number)[0]
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    with pytest.raises(NotAllowed):
        device_lines.update_line(demo_rep(), number, line.id, "quantity", "3", line.version)
