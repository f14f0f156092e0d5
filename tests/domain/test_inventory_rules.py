"""Inventory rules without a database: movements, the ledger's sums, kits, consumption,
counts and par levels."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from closeout.domain.catalog import UsageStatus
from closeout.domain.errors import InvalidInput, NotAllowed
from closeout.domain.inventory import consumption, counts, kits, par
from closeout.domain.inventory.ledger import Move, StockKey, balances, check_move
from closeout.domain.inventory.locations import LocationKind, parse_kind


def test_a_movement_is_a_positive_whole_quantity_between_two_places():
    check_move(Move(StockKey(1, "L"), 3, 1, 2))
    for bad in (0, -1, True, 2.0):
        with pytest.raises(InvalidInput):
            check_move(Move(StockKey(1, "L"), bad, 1, 2))
    with pytest.raises(InvalidInput, match="one unit"):
        check_move(Move(StockKey(1, "", "SN1"), 2, 1, 2))
    with pytest.raises(InvalidInput):
        check_move(Move(StockKey(1), 1, 2, 2))


@given(st.lists(st.tuples(st.integers(1, 3), st.integers(1, 9), st.integers(1, 4), st.integers(1, 4))))
def test_double_entry_sums_to_zero(moves):
    totals = balances(Move(StockKey(p), q, a, b) for p, q, a, b in moves if a != b)
    assert sum(totals.values()) == 0


def test_implanted_used_and_wasted_consume_unused_and_explanted_do_not():
    assert {u for u in UsageStatus if consumption.consumes(u)} == {UsageStatus.IMPLANTED, UsageStatus.USED, UsageStatus.WASTED}


def test_the_source_is_consignment_then_kit_then_trunk():
    c = consumption.Candidate
    found = [c(9, LocationKind.TRUNK, 5), c(7, LocationKind.KIT, 1), c(8, LocationKind.CONSIGNMENT, 0)]
    assert consumption.preferred(found).location_id == 7
    assert consumption.preferred(found, needed=2).location_id == 9
    assert consumption.preferred([]) is None


def test_kit_life_follows_its_table():
    status = kits.KitStatus.AT_WAREHOUSE
    for action in (kits.KitAction.SHIP, kits.KitAction.DELIVER, kits.KitAction.USE, kits.KitAction.RETURN,
                   kits.KitAction.CHECK_IN, kits.KitAction.SHIP):  # fmt: skip
        status = kits.check(status, action)
    assert status == kits.KitStatus.SHIPPED
    with pytest.raises(NotAllowed, match="checked in before"):
        kits.check(kits.KitStatus.IN_USE, kits.KitAction.SHIP)
    assert not kits.allows(kits.KitStatus.AT_WAREHOUSE, kits.KitAction.CHECK_IN)


def test_a_count_tells_missing_extra_and_wrong_lot():
    a, b, other = StockKey(1, "A"), StockKey(1, "B"), StockKey(2, "X")
    lines = {line.key: line for line in counts.compare({a: 2, other: 3}, {b: 2, other: 1, StockKey(3): 1})}
    assert lines[a].difference == lines[b].difference == counts.Difference.WRONG_LOT
    assert lines[other].difference == counts.Difference.MISSING and lines[other].adjustment == -2
    assert lines[StockKey(3)].difference == counts.Difference.EXTRA


def test_par_levels_refill_to_the_max_below_the_min():
    assert par.parse_par("2", "6") == (2, 6)
    with pytest.raises(InvalidInput):
        par.parse_par("5", "2")
    assert (par.refill(1, 2, 6), par.refill(2, 2, 6)) == (5, 0)


def test_virtual_locations_are_not_added_by_hand():
    assert parse_kind("trunk") == LocationKind.TRUNK
    with pytest.raises(InvalidInput):
        parse_kind("patient")
