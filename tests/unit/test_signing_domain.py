"""Signer names, signature images, PO numbers and the content fingerprint."""

from datetime import date
from decimal import Decimal

import pytest

from closeout.domain import clock
from closeout.domain.errors import InvalidInput
from closeout.domain.fingerprint import SignedLine, content_fingerprint
from closeout.domain.purchase_order import parse_po_number, uncovered
from closeout.domain.signing import parse_signature_png, parse_signer_name
from closeout.domain.signing_link import matches, token_hash, usable
from tests.factories import signature_data_url


def line(**changes):
    base = dict(line_id=1, ref="AS-0101", lot="L1", serial="", expiry=date(2027, 1, 1), quantity=1,
                usage_status="Implanted", unit_price=Decimal("10.00"), no_charge=False)  # fmt: skip
    return SignedLine(**{**base, **changes})


def test_fingerprint_is_stable_and_order_independent():
    a, b = line(), line(line_id=2, ref="X")
    assert content_fingerprint([a, b]) == content_fingerprint([b, a])
    assert len(content_fingerprint([a])) == 64


@pytest.mark.parametrize("change", [
    {"quantity": 2}, {"unit_price": Decimal("10.01")}, {"lot": "L2"}, {"serial": "S"}, {"no_charge": True},
    {"usage_status": "Wasted"}, {"expiry": None}])  # fmt: skip
def test_any_change_to_a_line_changes_the_fingerprint(change):
    assert content_fingerprint([line()]) != content_fingerprint([line(**change)])


def test_adding_or_removing_a_line_changes_the_fingerprint():
    assert content_fingerprint([line()]) != content_fingerprint([line(), line(line_id=2)])


@pytest.mark.parametrize("raw", ["", " ", "A", "x" * 81, "1234", "Dana\x00Reyes", "Dana 🙂"])
def test_bad_signer_names(raw):
    with pytest.raises(InvalidInput):
        parse_signer_name(raw)


def test_good_signer_names():
    assert parse_signer_name("  Carla   Mendes ") == "Carla Mendes"
    assert parse_signer_name("Dr. Anne-Marie O'Neil") == "Dr. Anne-Marie O'Neil"


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "hello",
        "data:image/png;base64,",
        "data:image/jpeg;base64,AAAA",
        "data:image/png;base64,QUJD",
        "data:image/png;base64," + "A" * 500_000,
    ],
)
def test_bad_signature_images(raw):
    with pytest.raises(InvalidInput):
        parse_signature_png(raw)


def test_a_drawn_signature_is_png_bytes():
    assert parse_signature_png(signature_data_url()).startswith(b"\x89PNG")


@pytest.mark.parametrize("raw", ["", "   ", "P" * 41, "PO\n12", "PO\x0712"])
def test_bad_po_numbers(raw):
    with pytest.raises(InvalidInput):
        parse_po_number(raw)


def test_po_numbers_and_coverage():
    assert parse_po_number("  PO-2026-0042 ") == "PO-2026-0042"
    assert parse_po_number("P" * 40) == "P" * 40
    assert uncovered({1, 2}, {1}) == {2}
    assert uncovered({1, 2}, {None}) == set()


def test_signing_tokens_are_compared_by_hash_and_expire():
    from datetime import timedelta

    now = clock.now()
    assert matches(token_hash("abc"), "abc") and not matches(token_hash("abc"), "abd")
    assert usable(now + timedelta(minutes=1), None, now)
    assert not usable(now - timedelta(seconds=1), None, now)
    assert not usable(now + timedelta(minutes=1), now, now)
