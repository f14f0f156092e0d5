"""Price edits under control, through the services against the migrated database: the
permission a manager grants (and a crafted event cannot get round), the reason, and the
case's "prices edited" flag (what they add up to: test_price_reporting_service.py)."""

from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlmodel import select

from closeout.domain.catalog import PriceSource
from closeout.domain.errors import InvalidInput, NotAllowed
from closeout.models import AuditEvent, Case, DeviceLine
from closeout.services import audit, device_lines, price_permissions, users
from closeout.services.db import reading
from tests.factories import actor_for_email, demo_rep, manager, new_case

D = Decimal
SAM = "sam.okafor@closeout.example"
REASON = "Price agreed with the facility"


def sam():
    return actor_for_email(SAM)


def lines_of(number, actor=None):
    return device_lines.list_lines(actor or demo_rep(), number, page_size=200).lines


def stored(number):
    """The case's flag, its lines as stored, and its audit row count."""
    with reading() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        rows = session.exec(select(DeviceLine).where(DeviceLine.case_id == case.id).order_by(DeviceLine.id)).all()
        events = session.exec(select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.case_id == case.id)).one()
        return case.prices_edited, [r.model_dump() for r in rows], events


def test_the_demo_grants_price_edits_to_dana_only():
    assert users.user_detail(manager(), demo_rep().id).may_edit_prices is True
    assert users.user_detail(manager(), sam().id).may_edit_prices is False
    assert device_lines.list_lines(demo_rep(), new_case(lines=0)).may_edit_prices is True
    assert device_lines.list_lines(sam(), new_case(lines=0, rep_email=SAM)).may_edit_prices is False


def test_without_the_permission_every_way_to_set_a_price_is_refused_and_nothing_changes():
    number = new_case(lines=2, rep_email=SAM)
    line = lines_of(number, sam())[0]
    before = stored(number)
    for attempt in (
        lambda: device_lines.set_price(sam(), number, line.id, "1.00", REASON),
        lambda: device_lines.update_line(sam(), number, line.id, "unit_price", "1.00"),  # as a crafted event sends it
        lambda: device_lines.update_line(sam(), number, line.id, "unit_price", "1.00", line.version, price_reason=REASON),
    ):
        with pytest.raises(NotAllowed, match="may not change unit prices") as refusal:
            attempt()
        assert "manager" in refusal.value.message
    assert stored(number) == before
    device_lines.update_line(sam(), number, line.id, "unit_price", str(line.unit_price))  # the price in force: no edit
    assert stored(number) == before
    assert device_lines.update_line(sam(), number, line.id, "no_charge", True).line.no_charge  # still available


def test_with_the_permission_an_edited_price_needs_a_reason_and_nothing_is_saved_without_one():
    number = new_case(lines=1)
    line = lines_of(number)[0]
    before = stored(number)
    for reason in ("", "  ", "ok", "x" * 121, "bell\x07"):
        with pytest.raises(InvalidInput) as refusal:
            device_lines.set_price(demo_rep(), number, line.id, "1.00", reason)
        assert refusal.value.field == "price_reason"
    with pytest.raises(InvalidInput) as refusal:
        device_lines.update_line(demo_rep(), number, line.id, "unit_price", "1.00")
    assert refusal.value.field == "price_reason"
    assert stored(number) == before


def test_the_reason_is_stored_shown_and_audited_with_before_and_after():
    number = new_case(lines=2)
    line = lines_of(number)[1]
    change = device_lines.set_price(demo_rep(), number, line.id, "12.34", f"  {REASON} ", line.version)
    saved = change.line
    assert (saved.unit_price, saved.price_source, saved.price_reason) == (D("12.34"), PriceSource.EDITED, REASON)
    assert saved.price_in_force == line.unit_price and saved.version == line.version + 1
    assert change.prices_edited is True and device_lines.list_lines(demo_rep(), number).prices_edited is True
    event = audit.activity(demo_rep(), number)[0]
    assert event.action == "line edited" and REASON in event.summary
    assert event.before == {"unit_price": str(line.unit_price), "price_source": line.price_source.value, "price_reason": ""}
    assert event.after == {"unit_price": "12.34", "price_source": "edited", "price_reason": REASON}

    again = device_lines.set_price(demo_rep(), number, line.id, "12.34", "")  # the same price again keeps its reason
    assert again.line.price_reason == REASON and again.line.version == saved.version
    other = device_lines.set_price(demo_rep(), number, line.id, "12.34", "Trade-in / credit").line
    assert other.price_reason == "Trade-in / credit"
    assert audit.activity(demo_rep(), number)[0].before["price_reason"] == REASON


def test_a_stale_price_edit_is_refused_and_keeps_the_other_screens_change():
    number = new_case(lines=1)
    seen = lines_of(number)[0]
    device_lines.update_line(demo_rep(), number, seen.id, "quantity", "2", seen.version)
    with pytest.raises(device_lines.StaleEdit):
        device_lines.set_price(demo_rep(), number, seen.id, "5.00", REASON, seen.version)
    assert lines_of(number)[0].price_source is not PriceSource.EDITED


def test_the_flag_follows_edits_reverts_and_removals():
    number = new_case(lines=2)
    first, second = lines_of(number)
    assert stored(number)[0] is False
    device_lines.set_price(demo_rep(), number, first.id, "1.00", REASON)
    device_lines.set_price(demo_rep(), number, second.id, "2.00", REASON)
    assert stored(number)[0] is True
    back = device_lines.set_price(demo_rep(), number, first.id, str(first.unit_price), REASON)  # back to the contract
    assert (back.line.price_source, back.line.price_reason, back.prices_edited) == (first.price_source, "", True)
    assert [r["catalog_price"] for r in stored(number)[1]] == [None, second.unit_price]
    assert device_lines.remove_line(demo_rep(), number, second.id).prices_edited is False
    assert stored(number)[0] is False


def test_a_manager_grants_and_revokes_the_permission_audited_and_it_counts_from_the_next_save():
    number = new_case(lines=1, rep_email=SAM)
    line = lines_of(number, sam())[0]
    with pytest.raises(NotAllowed):
        price_permissions.set_price_permission(demo_rep(), sam().id, True)
    with pytest.raises(InvalidInput):
        price_permissions.set_price_permission(manager(), sam().id, "yes")
    try:
        assert price_permissions.set_price_permission(manager(), sam().id, True) is True
        assert price_permissions.set_price_permission(manager(), sam().id, True) is False  # no change, no audit row
        assert device_lines.set_price(sam(), number, line.id, "9.99", REASON).line.price_reason == REASON
        with reading() as session:
            events = session.exec(select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == sam().id,
                                                           AuditEvent.action == "price permission changed")).all()  # fmt: skip
        assert [(e.before, e.after) for e in events][-1] == ({"may_edit_prices": False}, {"may_edit_prices": True})
    finally:
        price_permissions.set_price_permission(manager(), sam().id, False)
    with pytest.raises(NotAllowed):
        device_lines.set_price(sam(), number, line.id, "8.88", REASON)
    assert device_lines.set_price(sam(), number, line.id, str(line.unit_price), "").line.price_source is line.price_source
