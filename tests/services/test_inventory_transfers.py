"""Transfers: in transit shows nowhere else; the receiver accepts or declines, partly, with a reason."""

import pytest

from closeout.domain.errors import InvalidInput, NotAllowed, NotFound
from closeout.domain.inventory.ledger import StockKey
from closeout.domain.inventory.locations import LocationKind
from closeout.services.db import reading
from closeout.services.inventory import ledger, transfers
from tests.factories import actor_for_email, demo_rep, manager
from tests.inventory import consignment, product_ids, stocked, trunk, warehouse

OTHER_REP = "sam.okafor@closeout.example"


def on_hand(location, key):
    with reading() as session:
        return ledger.on_hand(session, location, key)


def in_transit(key):
    with reading() as session:
        return ledger.on_hand(session, ledger.virtual(session, LocationKind.IN_TRANSIT), key)


def test_warehouse_to_consignment_is_in_transit_until_accepted():
    store, shelf, product = warehouse(), consignment(), product_ids(1)[0]
    key = StockKey(product, "T-1")
    stocked(store, product, 5, lot="T-1")
    before = in_transit(key)
    tid = transfers.send(manager(), store, shelf, [{"product_id": product, "lot": "T-1", "quantity": 3}])
    assert (on_hand(store, key), on_hand(shelf, key), in_transit(key) - before) == (2, 0, 3)
    incoming = transfers.transfers(demo_rep(), "incoming")
    assert tid in {t.id for t in incoming} and next(t for t in incoming if t.id == tid).may_decide
    assert transfers.decide(demo_rep(), tid) == transfers.TransferStatus.ACCEPTED
    assert (on_hand(shelf, key), in_transit(key) - before) == (3, 0)
    with pytest.raises(NotAllowed, match="already"):
        transfers.decide(demo_rep(), tid)


def test_a_partial_decline_needs_a_reason_and_goes_back_to_the_sender():
    store, shelf, product = warehouse(), consignment(), product_ids(1)[0]
    key = StockKey(product, "T-2")
    stocked(store, product, 4, lot="T-2")
    tid = transfers.send(manager(), store, shelf, [(product, "T-2", "", 4)])
    line = transfers.transfer(demo_rep(), tid).lines[0]
    with pytest.raises(InvalidInput, match="why"):
        transfers.decide(demo_rep(), tid, {line.id: 1})
    assert transfers.decide(demo_rep(), tid, {line.id: 1}, {line.id: "damaged boxes"}) == "partly accepted"
    assert (on_hand(shelf, key), on_hand(store, key)) == (1, 3)
    assert transfers.transfer(manager(), tid).lines[0].decline_reason == "damaged boxes"
    with reading() as session:
        assert ledger.ledger_mismatches(session, [store, shelf]) == []


def test_rep_to_rep_the_receiver_decides_not_the_sender():
    other = actor_for_email(OTHER_REP)
    mine, theirs, product = trunk(), trunk(other), product_ids(1)[0]
    stocked(mine, product, 2, lot="T-3")
    tid = transfers.send(demo_rep(), mine, theirs, [(product, "T-3", "", 2)])
    with pytest.raises(NotAllowed, match="receiving rep"):
        transfers.decide(demo_rep(), tid)
    assert transfers.decide(other, tid) == "accepted"
    assert on_hand(theirs, StockKey(product, "T-3")) == 2


def test_a_rep_cannot_send_from_a_location_they_do_not_cover_nor_more_than_is_there():
    store, mine, product = warehouse(), trunk(), product_ids(1)[0]
    stocked(store, product, 1, lot="T-4")
    with pytest.raises(NotFound):
        transfers.send(demo_rep(), store, mine, [(product, "T-4", "", 1)])
    stocked(mine, product, 1, lot="T-4")
    with pytest.raises(InvalidInput, match="only 1"):
        transfers.send(demo_rep(), mine, store, [(product, "T-4", "", 2)])
    assert on_hand(mine, StockKey(product, "T-4")) == 1
