"""What changed between two readings of a case's lines (pure), as the one-time signing link's
page tells the provider, and when a link is usable (the services: tests/services/test_signing_links.py)."""

from datetime import date, timedelta
from decimal import Decimal

from closeout.domain.clock import now as utcnow
from closeout.domain.content_changes import LineFacts, changes
from closeout.domain.signing_link import usable


def fact(position=1, **changed) -> LineFacts:
    base = dict(position=position, ref=f"REF-{position}", lot=f"LOT{position}", serial="", expiry=date(2027, 6, 15),
                quantity=1, usage="Implanted", unit_price=Decimal("100.00"), extended=Decimal("100.00"), no_charge=False)
    return LineFacts(**{**base, **changed})  # fmt: skip


# What changed (pure) --------------------------------------------------------------------


def test_no_change_says_nothing():
    lines = {10: fact(1), 11: fact(2)}
    assert changes(lines, dict(lines)) == []


def test_a_changed_field_is_told_with_its_line_ref_and_both_values():
    assert changes({10: fact(3)}, {10: fact(3, lot="LOT9")}) == ["Line 3 (REF REF-3): lot LOT3 → LOT9"]


def test_several_fields_of_one_line_are_told_together():
    before, after = fact(2), fact(2, quantity=2, extended=Decimal("200.00"), serial="SN-1", no_charge=True,
                                  expiry=None, usage="Wasted")  # fmt: skip
    assert changes({5: before}, {5: after}) == [
        "Line 2 (REF REF-2): serial (blank) → SN-1; expiry 2027-06-15 → (blank); quantity 1 → 2; "
        "usage Implanted → Wasted; amount $100.00 → $200.00; no charge off → on"
    ]


def test_added_and_removed_lines_in_line_order():
    before = {1: fact(1), 4: fact(4), 7: fact(7)}
    after = {1: fact(1, unit_price=Decimal("90.00"), extended=Decimal("90.00")), 7: fact(7), 12: fact(12)}
    assert changes(before, after) == [
        "Line 1 (REF REF-1): unit price $100.00 → $90.00; amount $100.00 → $90.00",
        "Line 4 removed (REF REF-4)",
        "Line 12 added (REF REF-12)",
    ]


def test_a_reused_line_id_with_another_product_is_a_removal_and_an_addition():
    before, after = {4: fact(4)}, {4: fact(4, ref="OTHER-9", lot="")}
    assert changes(before, after) == ["Line 4 removed (REF REF-4)", "Line 4 added (REF OTHER-9)"]


def test_a_revoked_link_is_not_usable():
    now = utcnow()
    assert usable(now + timedelta(minutes=1), None, now)
    assert not usable(now + timedelta(minutes=1), None, now, revoked_at=now)
    assert not usable(now + timedelta(minutes=1), now, now)
    assert not usable(now, None, now)
