"""Where is it: stock by location with filters and paging, where is lot X (in stock, in
transit, in cases), a serial's life, what expires within 30/60/90 days."""

from datetime import timedelta

import pytest

from closeout.domain import clock
from closeout.domain.errors import NotAllowed, NotFound
from closeout.services import billing, device_lines
from closeout.services.inventory import consumption, queries, transfers
from tests.factories import demo_rep, manager, new_case, sign_both, unique_suffix
from tests.inventory import consignment, product_ids, stocked, warehouse
from tests.services.test_inventory_consumption import _key, _line


def test_a_locations_stock_pages_and_filters_on_the_server():
    store = warehouse()
    a, b = product_ids(2)
    for i in range(7):
        stocked(store, a, 1, lot=f"PG-{i}")
    stocked(store, b, 2, lot="PG-X")
    first = queries.stock(manager(), store, page=1, page_size=5)
    assert (first.total, len(first.rows)) == (8, 5)
    assert len(queries.stock(manager(), store, page=2, page_size=5).rows) == 3
    assert [r.quantity for r in queries.stock(manager(), store, lot="PG-X").rows] == [2]
    with pytest.raises(NotFound):
        queries.stock(demo_rep(), store)


def test_where_is_lot_answers_stock_transit_and_the_cases_that_used_it():
    shelf, store = consignment(), warehouse()
    number = new_case(lines=1)
    line = _line(number)
    lot = f"WHERE-{unique_suffix()}"  # a lot of its own: the factories' lots are in every test case
    device_lines.update_line(demo_rep(), number, line.id, "lot", lot, line.version)
    key = _key(number)
    stocked(shelf, key.product_id, 2, lot=lot)
    stocked(store, key.product_id, 3, lot=lot)
    transfers.send(manager(), store, shelf, [(key.product_id, lot, "", 1)])
    consumption.set_source(demo_rep(), number, _line(number).id, shelf)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    found = queries.where_is_lot(manager(), lot, key.product_id)
    assert {(r.location_id, r.quantity) for r in found.in_stock} >= {(shelf, 1), (store, 2)}
    assert any(t.to_location == next(r.location for r in found.in_stock if r.location_id == shelf) for t in found.in_transit)
    assert number in {line.case_number for line in found.case_lines}
    mine = queries.where_is_lot(demo_rep(), lot, key.product_id)
    assert store not in {r.location_id for r in mine.in_stock} and number in {c.case_number for c in mine.case_lines}


def test_a_serials_life_is_its_movements():
    store, shelf, product = warehouse(), consignment(), product_ids(1)[0]
    serial = f"LIFE-{unique_suffix()}"
    stocked(store, product, 1, serial=serial)
    tid = transfers.send(manager(), store, shelf, [(product, "", serial, 1)])
    transfers.decide(demo_rep(), tid)
    assert [m.reason for m in queries.serial_history(manager(), product, serial)] == ["receipt", "shipped", "accepted"]
    assert queries.where_is_serial(demo_rep(), serial).in_stock[0].location_id == shelf
    with pytest.raises(NotAllowed):
        queries.serial_history(demo_rep(), product, serial)


def test_stock_expiring_within_30_60_90_days_per_location():
    shelf, product = consignment(), product_ids(1)[0]
    today = clock.today()
    for days, lot in ((-1, "EX-0"), (10, "EX-10"), (45, "EX-45"), (80, "EX-80"), (200, "EX-200")):
        stocked(shelf, product, 1, lot=lot, expiry=today + timedelta(days=days))
    summary = next(s for s in queries.expiring_summary(demo_rep()) if s.location_id == shelf)
    assert (summary.expired, summary.within) == (1, {30: 1, 60: 2, 90: 3})
    assert [r.lot for r in queries.expiring(demo_rep(), 60, shelf)] == ["EX-0", "EX-10", "EX-45"]
