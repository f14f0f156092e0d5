"""The ledger: stock at a location is the sum of its movements, and the stock table always
says so; stock never goes below zero and a serial exists once."""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from closeout.domain.errors import InvalidInput, NotAllowed, NotFound
from closeout.domain.inventory.ledger import Move, Reason, StockKey
from closeout.domain.inventory.locations import LocationKind
from closeout.services.db import reading, transaction
from closeout.services.inventory import ledger, locations, stock, transfers
from tests.factories import demo_rep, manager, new_facility, unique_suffix
from tests.inventory import consignment, product_ids, stocked, trunk, warehouse


def test_a_receipt_puts_stock_at_the_location_and_the_books_balance():
    where, product = warehouse(), product_ids(1)[0]
    stocked(where, product, 5, lot="L-1")
    with reading() as session:
        assert ledger.on_hand(session, where, StockKey(product, "L-1")) == 5
        assert ledger.ledger_mismatches(session, [where]) == []


def test_stock_never_goes_below_zero():
    where, product = warehouse(), product_ids(1)[0]
    stocked(where, product, 2, lot="L-2")
    with pytest.raises(InvalidInput, match="only 2"), transaction() as session:
        ledger.move(session, manager(), Move(StockKey(product, "L-2"), 3, where, ledger.virtual(session, LocationKind.LOSS)),
                    Reason.KIT_LOSS)  # fmt: skip
    with reading() as session:
        assert ledger.on_hand(session, where, StockKey(product, "L-2")) == 2


def test_a_serial_exists_once_in_the_company():
    first, second, product = warehouse(), warehouse(), product_ids(1)[0]
    serial = f"SN-{unique_suffix()}"
    stocked(first, product, 1, serial=serial)
    with pytest.raises(InvalidInput, match="a serial exists once"):
        stocked(second, product, 1, serial=serial)
    with pytest.raises(InvalidInput, match="one unit"):
        stocked(second, product, 2, serial=f"{serial}-B")


def test_only_a_manager_adds_locations_and_a_rep_sees_only_what_they_cover():
    with pytest.raises(NotAllowed):
        locations.create_location(demo_rep(), "warehouse", "Mine")
    mine, store, shelf = trunk(), warehouse(), consignment()
    elsewhere = consignment(new_facility(reps=())[1])
    seen = {view.id for view in locations.locations(demo_rep())}
    assert {mine, shelf} <= seen and not {store, elsewhere} & seen
    with pytest.raises(NotFound):
        stock.receive(demo_rep(), store, product_ids(1)[0], 1)
    assert locations.locations(manager(), "warehouse")[0].kind == LocationKind.WAREHOUSE


class Books(RuleBasedStateMachine):
    """Any mix of receipts, moves between locations, consumption and losses, transfers sent and
    accepted or declined (partly): after each step,
    every location's stock table equals the sum of its movements, and equals a model kept here."""

    @initialize()
    def setup(self):
        self.places = [warehouse(), warehouse(), consignment(), trunk()]
        self.products = product_ids(2)
        self.model: dict[tuple[int, StockKey], int] = {}
        self.pending: list[tuple] = []  # transfers in transit, not yet decided
        self.serials = 0

    @rule(place=st.integers(0, 3), product=st.integers(0, 1), lot=st.sampled_from(["A", "B"]), quantity=st.integers(1, 4))
    def receive(self, place, product, lot, quantity):
        key = StockKey(self.products[product], lot)
        stocked(self.places[place], key.product_id, quantity, lot=lot)
        self.model[(self.places[place], key)] = self.model.get((self.places[place], key), 0) + quantity

    @rule(place=st.integers(0, 3), product=st.integers(0, 1))
    def receive_serial(self, place, product):
        self.serials += 1
        key = StockKey(self.products[product], "", f"PROP-{unique_suffix()}-{self.serials}")
        stocked(self.places[place], key.product_id, 1, serial=key.serial)
        self.model[(self.places[place], key)] = 1

    @rule(source=st.integers(0, 3), dest=st.sampled_from([0, 1, 2, 3, "patient", "loss", "in_transit"]),
          pick=st.integers(0, 50), quantity=st.integers(1, 5))  # fmt: skip
    def move(self, source, dest, pick, quantity):
        held = sorted(k for (loc, k), q in self.model.items() if loc == self.places[source] and q > 0)
        if not held:
            return
        key = held[pick % len(held)]
        have = self.model[(self.places[source], key)]
        with transaction() as session:
            to = self.places[dest] if isinstance(dest, int) else ledger.virtual(session, LocationKind(dest))
        if to == self.places[source]:
            return
        try:
            with transaction() as session:
                ledger.move(session, manager(), Move(key, quantity, self.places[source], to), Reason.SHIP)
        except InvalidInput:
            assert quantity > have or (key.serial and quantity != 1)
            return
        assert quantity <= have
        self.model[(self.places[source], key)] = have - quantity
        if isinstance(dest, int) or dest == "in_transit":
            self.model[(to, key)] = self.model.get((to, key), 0) + quantity

    @rule(source=st.integers(0, 3), dest=st.integers(0, 3), pick=st.integers(0, 50), quantity=st.integers(1, 3))
    def send_transfer(self, source, dest, pick, quantity):
        held = sorted(k for (loc, k), q in self.model.items() if loc == self.places[source] and q > 0)
        if not held or source == dest:
            return
        key = held[pick % len(held)]
        have = self.model[(self.places[source], key)]
        try:
            tid = transfers.send(manager(), self.places[source], self.places[dest],
                                 [(key.product_id, key.lot, key.serial, quantity)])  # fmt: skip
        except InvalidInput:
            assert quantity > have or (key.serial and quantity != 1)
            return
        self.model[(self.places[source], key)] = have - quantity
        self.pending.append((tid, self.places[source], self.places[dest], key, quantity))

    @rule(keep=st.integers(0, 3))
    def decide_transfer(self, keep):
        if not self.pending:
            return
        tid, source, dest, key, quantity = self.pending.pop(0)
        line = transfers.transfer(manager(), tid).lines[0]
        kept = min(keep, quantity)
        transfers.decide(manager(), tid, {line.id: kept}, {line.id: "not needed here"})
        self.model[(dest, key)] = self.model.get((dest, key), 0) + kept
        self.model[(source, key)] = self.model.get((source, key), 0) + quantity - kept

    @invariant()
    def books_balance(self):
        if not hasattr(self, "places"):
            return
        with reading() as session:
            assert ledger.ledger_mismatches(session, self.places) == []
            for (loc, key), quantity in self.model.items():
                if loc in self.places:
                    assert ledger.on_hand(session, loc, key) == quantity


Books.TestCase.settings = settings(max_examples=12, stateful_step_count=15, deadline=None,
                                   suppress_health_check=list(HealthCheck))  # fmt: skip
test_any_mix_of_movements_keeps_the_stock_table_equal_to_the_ledger = Books.TestCase


def test_a_label_scanned_into_a_location_receives_one_unit_with_its_lot_and_expiry():
    from datetime import date

    from sqlmodel import select

    from closeout.models import Product

    shelf = consignment()
    with reading() as session:
        product = session.exec(select(Product).where(Product.gtin.is_not(None)).order_by(Product.id)).first()
    received = stock.scan_into(demo_rep(), shelf, f"01{product.gtin}17280131" + "10SCAN-1")
    assert (received.product_id, received.lot, received.expiry, received.quantity) == (product.id, "SCAN-1", date(2028, 1, 31), 1)
    stock.scan_into(demo_rep(), shelf, f"01{product.gtin}17280131" + "10SCAN-1")
    with reading() as session:
        assert ledger.on_hand(session, shelf, StockKey(product.id, "SCAN-1")) == 2
    with pytest.raises(InvalidInput):
        stock.scan_into(demo_rep(), shelf, "garbage")
