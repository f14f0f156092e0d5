"""Loaner kits: requested for a case, shipped, returned and checked in by what came back;
the difference becomes the case's usage (confirmed by its rep) or a recorded loss."""

from datetime import timedelta

import pytest

from closeout.domain import clock
from closeout.domain.errors import InvalidInput, NotAllowed
from closeout.domain.inventory.kits import KitStatus
from closeout.domain.inventory.ledger import StockKey
from closeout.services import billing, device_lines
from closeout.services.db import reading
from closeout.services.inventory import consumption, kits, ledger
from tests.factories import demo_rep, manager, new_case, sign_both, unique_suffix
from tests.inventory import product_ids, stocked, warehouse


def full_kit():
    """A kit with 2 screws (one lot) and one serialised plate, stocked."""
    screw, plate = product_ids(2)
    serial = f"PL-{unique_suffix()}"
    kit_id = kits.create_kit(manager(), f"K-{unique_suffix()}", "Spine set", warehouse(),
                             [(screw, 2, ""), {"product_id": plate, "serial": serial}])  # fmt: skip
    location = next(k for k in kits.kits(manager()) if k.id == kit_id).location_id
    stocked(location, screw, 2, lot="SCR-1")
    stocked(location, plate, 1, serial=serial)
    return kit_id, location, StockKey(screw, "SCR-1"), StockKey(plate, "", serial)


def out_for(kit_id, number):
    kits.request_for_case(demo_rep(), kit_id, number)
    kits.ship(manager(), kit_id)
    kits.advance(demo_rep(), kit_id, "deliver")
    kits.advance(demo_rep(), kit_id, "use in the case")
    kits.advance(demo_rep(), kit_id, "return")


def on_hand(location, key):
    with reading() as session:
        return ledger.on_hand(session, location, key)


def test_a_kit_goes_out_for_a_case_and_checks_in_with_usage_and_loss():
    kit_id, location, screws, plate = full_kit()
    number = new_case(lines=1)
    out_for(kit_id, number)
    missing = kits.check_in_preview(demo_rep(), kit_id, [(plate.product_id, "", plate.serial, 1)])  # no screw came back
    assert [(d.product_id, d.missing) for d in missing] == [(screws.product_id, 2)]
    kits.check_in(demo_rep(), kit_id, [(plate.product_id, "", plate.serial, 1)], {(screws.product_id, "SCR-1", ""): 1})
    view = next(k for k in kits.kits(manager()) if k.id == kit_id)
    assert (view.status, view.case_number, view.on_hand) == (KitStatus.CHECKED_IN, "", 1)
    assert on_hand(location, screws) == 0 and on_hand(location, plate) == 1
    lines = device_lines.list_lines(demo_rep(), number).lines
    added = [line for line in lines if line.lot == "SCR-1"]
    assert len(added) == 1 and added[0].quantity == 1  # the other screw is a recorded loss
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)  # the kit line was consumed at check-in: not twice
    assert consumption.line_sources(demo_rep(), number)[added[0].id].consumed


def test_the_kit_table_refuses_out_of_order_steps_and_a_second_case():
    kit_id, *_ = full_kit()
    with pytest.raises(NotAllowed):
        kits.advance(manager(), kit_id, "return")
    with pytest.raises(NotAllowed, match="Request the kit"):
        kits.ship(manager(), kit_id)
    kits.request_for_case(demo_rep(), kit_id, new_case(lines=1))
    with pytest.raises(NotAllowed, match="already requested"):
        kits.request_for_case(demo_rep(), kit_id, new_case(lines=1))
    with pytest.raises(NotAllowed):
        kits.ship(demo_rep(), kit_id)


def test_scanning_back_what_the_kit_never_held_is_refused():
    kit_id, _, screws, _ = full_kit()
    out_for(kit_id, new_case(lines=1))
    with pytest.raises(InvalidInput, match="not in this kit"):
        kits.check_in_preview(demo_rep(), kit_id, [(screws.product_id, "SCR-1", "", 3)])


def test_an_overdue_kit_is_listed_and_its_rep_reminded_once_a_day():
    kit_id, *_ = full_kit()
    number = new_case(lines=1)
    kits.request_for_case(demo_rep(), kit_id, number, due_back=clock.today() - timedelta(days=1))
    kits.ship(manager(), kit_id)
    assert kit_id in {k.id for k in kits.overdue(manager())}
    assert kit_id in {k.id for k in kits.overdue(demo_rep())}
    first = [r for r in kits.remind_overdue() if r.kit_number.startswith("K-")]
    assert any(r.rep_email == demo_rep().email for r in first)
    again = kits.remind_overdue()
    assert not any(r.kit_number == next(k.number for k in kits.kits(manager()) if k.id == kit_id) for r in again)


def test_the_hourly_housekeeping_reminds_overdue_kits_and_logs_a_failed_run(monkeypatch, caplog):
    import logging

    from closeout.jobs import schedule

    def broken():
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(schedule, "remind_overdue", broken)
    with caplog.at_level(logging.INFO, logger="closeout"):
        done = schedule.housekeeping()
    assert "hourly job failed: overdue loaner kits reminded" in caplog.text
    assert "old offline sync answers forgotten" in done  # the other jobs ran all the same
    monkeypatch.setattr(schedule, "remind_overdue", lambda: [])
    assert "overdue loaner kits reminded" in schedule.housekeeping()
    monkeypatch.setenv("CLOSEOUT_INVENTORY", "off")
    assert "overdue loaner kits reminded" not in schedule.housekeeping()  # no stock kept: no job