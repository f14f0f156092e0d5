"""The offline sync's pure rules: reading a queued change, stale or not, and whether an
offline signature still vouches for the case's lines."""

from datetime import date
from decimal import Decimal

import pytest

from closeout.domain.errors import DomainError, InvalidInput
from closeout.domain.signing import SignerRole
from closeout.domain.sync import (
    SALES_REP_OFFLINE,
    Add,
    BadChange,
    Edit,
    EditOutcome,
    Kind,
    Remove,
    Scan,
    Sign,
    change_id_of,
    edit_outcome,
    own_steps,
    parse_change,
    rebased,
    vouches_for,
    wanted_values,
)

ID = "0b7e4a52-3f0c-4d8e-9a55-2a1d4c1e9f10"


def change(**fields):
    return {"id": ID, "case": "CS-2026-000123", "made_at": "2026-06-15T09:30:00Z", **fields}


def test_an_edit_becomes_a_typed_value_with_its_fields_in_the_order_they_are_applied():
    parsed = parse_change(change(kind="edit", line_id=55, version=3, fields={"lot": "LOT9", "quantity": 2}))
    assert isinstance(parsed, Edit)
    assert (parsed.kind, parsed.line_id, parsed.version) == (Kind.EDIT, 55, 3)
    assert parsed.fields == (("quantity", 2), ("lot", "LOT9"))
    assert parsed.made_at.isoformat() == "2026-06-15T09:30:00+00:00"


def test_an_expiry_of_null_clears_it():
    parsed = parse_change(change(kind="edit", line_id=1, version=1, fields={"expiry": None}))
    assert parsed.fields == (("expiry", ""),) and wanted_values(parsed.fields) == {"expiry": None}


def test_add_scan_remove_and_sign():
    assert isinstance(parse_change(change(kind="add", product_id=3)), Add)
    add = parse_change(change(kind="add", product_id=3, fields={"lot": "L1"}))
    assert add.fields == (("lot", "L1"),)
    scan = parse_change(change(kind="scan", raw="]d20100884838026318\x1d10LOT", symbology="gs1-128"))
    assert isinstance(scan, Scan) and scan.raw.endswith("10LOT") and not scan.confirm_expired
    assert isinstance(parse_change(change(kind="remove", line_id=5, version=2)), Remove)
    sign = parse_change(change(kind="sign", role="provider_rep", signer_name="Carla Mendes", title="RN",
                               image="data:image/png;base64,xx", lines=[[55, 3], [56, 1]]))  # fmt: skip
    assert isinstance(sign, Sign) and sign.role is SignerRole.PROVIDER
    assert sign.lines == frozenset({(55, 3), (56, 1)})


@pytest.mark.parametrize(
    "bad, words",
    [
        ({"kind": "edit", "line_id": 55, "version": 3}, "changes no field"),
        ({"kind": "edit", "line_id": 55, "version": 3, "fields": {"note": "x"}}, "cannot be edited"),
        ({"kind": "edit", "line_id": "55", "version": 3, "fields": {"lot": "A"}}, "line_id"),
        ({"kind": "edit", "line_id": 55, "version": True, "fields": {"lot": "A"}}, "version"),
        ({"kind": "remove", "line_id": 55}, "version"),
        ({"kind": "add"}, "product_id"),
        ({"kind": "scan", "raw": "   "}, "no label text"),
        ({"kind": "teleport"}, "unknown kind"),
        ({"kind": "add", "product_id": 3, "made_at": "yesterday"}, "time"),
        ({"kind": "sign", "role": "provider_rep", "lines": [[1, 2], [1, 3]]}, "line versions"),
        ({"kind": "sign", "role": "provider_rep", "lines": [[1, "2"]]}, "line versions"),
        ({"kind": "sign", "role": "sales_rep", "lines": []}, SALES_REP_OFFLINE),
        ({"kind": "add", "product_id": 3, "case": ""}, "names no case"),
    ],
)
def test_a_change_the_server_cannot_take_is_refused_with_a_reason(bad, words):
    with pytest.raises(BadChange) as refused:
        parse_change(change(**bad))
    assert words in refused.value.message and refused.value.change_id == ID


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"quantity": 0}, "at least 1"),
        ({"quantity": "two"}, "whole number"),
        ({"usage_status": "Lost"}, "Usage status must be one of"),
        ({"no_charge": "yes"}, "No charge must be on or off"),
        ({"expiry": "31/03/2027"}, "like 2027-03-31"),
        ({"unit_price": "abc"}, ""),
    ],
)
def test_bad_values_are_refused_in_the_apps_own_words(fields, words):
    with pytest.raises(InvalidInput) as refused:
        parse_change(change(kind="edit", line_id=1, version=1, fields=fields))
    assert words in refused.value.message


@pytest.mark.parametrize("raw", [None, "x", {"id": "short"}, {"id": "has space in it!"}, {"id": 12345678}, {"id": "a" * 65}])
def test_a_change_id_must_look_like_one_the_client_made(raw):
    assert change_id_of(raw) == ""
    with pytest.raises(DomainError):
        parse_change(raw)


def test_an_edit_on_the_current_version_applies():
    assert edit_outcome(3, 3, {"lot": "A"}, {"lot": "B"}) is EditOutcome.APPLY


def test_an_edit_on_an_older_version_is_stale_unless_the_server_already_holds_its_values():
    current = {"lot": "A", "quantity": 2, "unit_price": Decimal("990.00"), "expiry": date(2027, 1, 1)}
    assert edit_outcome(3, 4, {"lot": "B"}, current) is EditOutcome.STALE
    assert edit_outcome(3, 4, {"lot": "A", "quantity": 2}, current) is EditOutcome.UNCHANGED
    assert edit_outcome(3, 4, {"unit_price": Decimal("990")}, current) is EditOutcome.UNCHANGED
    assert edit_outcome(3, 4, {"expiry": date(2027, 1, 2)}, current) is EditOutcome.STALE


def test_wanted_values_are_stored_types():
    fields = (("usage_status", "Implanted"), ("quantity", "2"), ("unit_price", "12.5"), ("price_reason", " Bulk  deal "))
    assert wanted_values(fields) == {"usage_status": "Implanted", "quantity": 2, "unit_price": Decimal("12.50"),
                                     "price_reason": "Bulk deal"}  # fmt: skip


def test_a_signature_vouches_only_for_exactly_the_lines_it_saw():
    seen = frozenset({(55, 3), (56, 1)})
    assert vouches_for(seen, frozenset({(56, 1), (55, 3)}))
    assert not vouches_for(seen, frozenset({(55, 4), (56, 1)}))  # a line changed
    assert not vouches_for(seen, frozenset({(55, 3)}))  # a line removed
    assert not vouches_for(seen, frozenset({(55, 3), (56, 1), (57, 1)}))  # a line added


def test_an_edit_counts_as_made_on_the_current_version_when_only_the_users_own_synced_edits_moved_it():
    assert rebased(3, 3, {}) == 3
    assert rebased(3, 5, {3: 4, 4: 5}) == 5  # two earlier offline edits of the same line, synced first
    assert rebased(3, 6, {3: 4, 4: 5}) == 5  # then someone else: still stale
    assert rebased(3, 5, {4: 5}) == 3  # someone else first
    assert rebased(3, 9, {3: 4, 4: 3}) in (3, 4)  # a loop in crafted answers ends


def test_an_answer_that_moved_no_version_is_no_step_whatever_order_the_answers_come_in():
    saved = [(3, 3), (3, 4), (4, 5)]  # an edit to the value the line held, then two real ones
    for answers in (saved, saved[::-1], [saved[1], saved[0], saved[2]]):
        assert rebased(3, 5, own_steps(answers)) == 5


def test_a_change_made_longer_ago_than_its_answer_is_kept_is_too_old():
    from datetime import UTC, datetime, timedelta

    from closeout.domain.sync import ANSWERS_KEPT, TOO_OLD, too_old

    now = datetime(2026, 6, 15, 12, tzinfo=UTC)
    assert TOO_OLD < ANSWERS_KEPT and not too_old(None, now)
    assert too_old(now - TOO_OLD - timedelta(seconds=1), now) and not too_old(now - TOO_OLD + timedelta(hours=1), now)
    assert too_old((now - TOO_OLD - timedelta(days=1)).replace(tzinfo=None), now)  # a time without a zone is UTC
