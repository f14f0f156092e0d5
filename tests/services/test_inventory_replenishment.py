"""Replenishment that refills: a case's consumption becomes a draft order, picked at the
warehouse and shipped as a transfer; receiving it fulfils the case's request. Par levels
suggest orders for every location under its min."""

import pytest

from closeout.domain.errors import NotAllowed
from closeout.domain.inventory.ledger import StockKey
from closeout.services import billing, replenishment
from closeout.services.db import reading
from closeout.services.inventory import consumption, ledger, transfers
from closeout.services.inventory import replenishment_orders as orders
from tests.factories import demo_rep, manager, new_case, sign_both
from tests.inventory import consignment, product_ids, stocked, warehouse
from tests.services.test_inventory_consumption import _key, _line


def test_a_case_submitted_with_request_replenishment_refills_its_consignment():
    shelf, store = consignment(), warehouse()
    number = new_case(lines=1)
    key = _key(number)
    stocked(shelf, key.product_id, 1, lot=key.lot)
    stocked(store, key.product_id, 5, lot="NEWER")
    consumption.set_source(demo_rep(), number, _line(number).id, shelf)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number, request_replenishment=True)
    request_id = replenishment.request(demo_rep(), number, [(key.product_id, 1)], "OR core", "2026-06-20")
    drafted = [o for o in orders.orders(demo_rep()) if o.case_number == number]
    assert len(drafted) == 1 and drafted[0].location_id == shelf and drafted[0].lines[0][3] == 1
    orders.edit_order(demo_rep(), drafted[0].id, [(key.product_id, 2)])  # editable while a draft
    picks = orders.pick_list(manager(), drafted[0].id, store)
    assert [(p.lot, p.take) for p in picks] == [("NEWER", 2)]
    with pytest.raises(NotAllowed):
        orders.edit_order(demo_rep(), drafted[0].id, [(key.product_id, 3)])
    tid = orders.ship_order(manager(), drafted[0].id, [(p.product_id, p.lot, p.serial, p.take) for p in picks])
    transfers.decide(demo_rep(), tid)
    with reading() as session:
        assert ledger.on_hand(session, shelf, StockKey(key.product_id, "NEWER")) == 2
    assert next(o for o in orders.orders(manager()) if o.id == drafted[0].id).status == "received"
    assert next(r for r in replenishment.requests(demo_rep(), number) if r.id == request_id).status == "fulfilled"


def test_below_par_suggests_the_refill_counting_what_is_on_its_way():
    shelf, store, product = consignment(), warehouse(), product_ids(1)[0]
    orders.set_par(manager(), shelf, product, 3, 8)
    stocked(shelf, product, 1, lot="P-1")
    ours = [s for s in orders.below_par(demo_rep()) if s.location_id == shelf]
    assert [(s.on_hand, s.order_quantity) for s in ours] == [(1, 7)]
    stocked(store, product, 4, lot="P-1")
    transfers.send(manager(), store, shelf, [(product, "P-1", "", 4)])
    assert not [s for s in orders.below_par(manager()) if s.location_id == shelf]  # 1 + 4 coming ≥ min
    with pytest.raises(NotAllowed):
        orders.set_par(demo_rep(), shelf, product, 1, 2)
