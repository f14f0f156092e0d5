"""A case consumes stock at Submit for Billing, puts it back on reopen or cancel, and two
reps taking the last unit at once: one wins, the other is told plainly."""

import threading

import pytest
from sqlmodel import select

from closeout.domain.errors import InvalidInput, NotFound
from closeout.domain.inventory.consumption import NOT_FROM_INVENTORY
from closeout.domain.inventory.ledger import StockKey
from closeout.models import DeviceLine, StockMovement
from closeout.services import billing, case_edits, device_lines, reopening
from closeout.services.db import reading, transaction
from closeout.services.inventory import consumption, ledger
from tests.factories import demo_rep, manager, new_case, sign_both
from tests.inventory import consignment, stocked, trunk, warehouse


def _line(number):
    return device_lines.list_lines(demo_rep(), number).lines[0]


def _key(number) -> StockKey:
    with reading() as session:
        line = session.exec(select(DeviceLine).where(DeviceLine.id == _line(number).id)).one()
        return StockKey(line.product_id, line.lot, line.serial)


def sourced_case(shelf: int, quantity_in_stock: int = 1, usage: str = "Implanted") -> str:
    """A one-line case whose device is on `shelf` (stocked here), the line sourced from it, signed."""
    number = new_case(lines=1)
    line = _line(number)
    if usage != "Implanted":
        device_lines.update_line(demo_rep(), number, line.id, "usage_status", usage)
    key = _key(number)
    if quantity_in_stock:
        stocked(shelf, key.product_id, quantity_in_stock, lot=key.lot)
    consumption.set_source(demo_rep(), number, line.id, shelf)
    sign_both(number)
    return number


def on_hand(location, key):
    with reading() as session:
        return ledger.on_hand(session, location, key)


def test_submit_takes_the_device_from_its_source_and_reopen_puts_it_back():
    shelf = consignment()
    number = sourced_case(shelf, quantity_in_stock=3)
    key = _key(number)
    billing.submit_for_billing(demo_rep(), number)
    assert on_hand(shelf, key) == 2
    assert consumption.line_sources(demo_rep(), number)[_line(number).id].consumed
    reopening.reopen(demo_rep(), number, "wrong device scanned")
    assert on_hand(shelf, key) == 3
    with reading() as session:
        moves = session.exec(select(StockMovement).where(StockMovement.case_id.in_(
            select(DeviceLine.case_id).where(DeviceLine.id == _line(number).id))).order_by(StockMovement.id)).all()  # fmt: skip
        assert [m.reason for m in moves] == ["consumed", "consumption reversed"]
        assert moves[1].reverses_id == moves[0].id  # a reverse movement, nothing deleted
        assert ledger.ledger_mismatches(session, [shelf]) == []
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)  # submitted again: taken again, once
    assert on_hand(shelf, key) == 2
    reopening.reopen(demo_rep(), number, "the device was not used after all")
    device_lines.remove_line(demo_rep(), number, _line(number).id)  # its movements keep the line's id as history
    assert on_hand(shelf, key) == 3


def test_unused_and_explanted_lines_take_nothing():
    for usage in ("Unused", "Explanted"):
        shelf = consignment()
        number = sourced_case(shelf, quantity_in_stock=1, usage=usage)
        billing.submit_for_billing(demo_rep(), number)
        assert on_hand(shelf, _key(number)) == 1


def test_a_source_that_no_longer_holds_the_device_refuses_the_submit_whole():
    shelf = consignment()
    number = sourced_case(shelf, quantity_in_stock=0)
    with pytest.raises(InvalidInput, match="Line 1: .*only 0.*not from inventory"):
        billing.submit_for_billing(demo_rep(), number)
    assert device_lines.list_lines(demo_rep(), number).lines  # still open, nothing half-saved
    from closeout.services import cases

    assert cases.case_header(demo_rep(), number).status == "open"
    consumption.set_source(demo_rep(), number, _line(number).id, None)  # bill-only: from the hospital's stock
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    assert consumption.line_sources(demo_rep(), number)[_line(number).id].name == NOT_FROM_INVENTORY


def test_a_manager_cancelling_a_submitted_case_puts_the_stock_back_and_an_open_cancel_takes_nothing():
    shelf = consignment()
    number = sourced_case(shelf, quantity_in_stock=1)
    billing.submit_for_billing(demo_rep(), number)
    assert on_hand(shelf, _key(number)) == 0
    case_edits.cancel_case(manager(), number, "entered twice")
    assert on_hand(shelf, _key(number)) == 1
    other = sourced_case(shelf, quantity_in_stock=0)
    case_edits.cancel_case(demo_rep(), other, "surgery postponed")
    assert on_hand(shelf, _key(number)) == 1


def test_with_inventory_off_submit_takes_nothing(monkeypatch):
    shelf = consignment()
    number = sourced_case(shelf, quantity_in_stock=1)
    monkeypatch.setenv("CLOSEOUT_INVENTORY", "off")
    billing.submit_for_billing(demo_rep(), number)
    assert on_hand(shelf, _key(number)) == 1


def test_only_the_cases_own_locations_can_be_a_source_and_the_preferred_comes_first():
    number = new_case(lines=1)
    line, key = _line(number), _key(number)
    car, shelf, store = trunk(), consignment(), warehouse()
    stocked(car, key.product_id, 1, lot=key.lot)
    stocked(shelf, key.product_id, 1, lot=key.lot)
    with pytest.raises(NotFound):
        consumption.set_source(demo_rep(), number, line.id, store)
    options = consumption.sources(demo_rep(), number, line.id)
    holding = [o for o in options if o.on_hand >= 1]
    assert holding[0].kind == "consignment" and car in {o.location_id for o in holding}
    assert consumption.match_sources(demo_rep(), number) == 1
    assert consumption.line_sources(demo_rep(), number)[line.id].location_id == holding[0].location_id


def test_two_reps_taking_the_last_unit_at_once_one_wins_the_other_is_told():
    shelf = consignment()
    first = sourced_case(shelf, quantity_in_stock=1)
    second = new_case(lines=1)
    consumption.set_source(demo_rep(), second, _line(second).id, shelf)
    sign_both(second)
    assert _key(first) == _key(second)
    start, results = threading.Barrier(2), {}

    def submit(number):
        start.wait()
        try:
            billing.submit_for_billing(demo_rep(), number)
            results[number] = "submitted"
        except InvalidInput as refusal:
            results[number] = refusal.message

    threads = [threading.Thread(target=submit, args=(n,)) for n in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values())[-1] == "submitted"
    assert sum(r == "submitted" for r in results.values()) == 1
    assert "only 0" in [r for r in results.values() if r != "submitted"][0]
    assert on_hand(shelf, _key(first)) == 0
    with transaction() as session:
        assert ledger.ledger_mismatches(session, [shelf]) == []
