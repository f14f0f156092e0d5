"""The rules of user management (domain/users.py): roles, covered facilities as a form sends
them, the last active manager, who can take over open cases, and when a link works. No database."""

from datetime import UTC, datetime, timedelta

import pytest

from closeout.domain.errors import InvalidInput, NotAllowed
from closeout.domain.users import (
    can_manage,
    check_keeps_a_manager,
    check_reassign,
    coverage_applies,
    invitation_expiry,
    invitation_usable,
    parse_facility_ids,
    parse_role,
)

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def test_a_role_is_a_sales_rep_or_a_manager():
    assert parse_role(" manager ") == "manager" and parse_role("sales_rep") == "sales_rep"
    for raw in ("", "admin", None, "Manager"):
        with pytest.raises(InvalidInput, match="Sales Rep or Manager"):
            parse_role(raw)


def test_facility_ids_come_deduplicated_and_sorted_and_junk_is_refused():
    assert parse_facility_ids(["3", 1, "3", " 2 "]) == [1, 2, 3]
    assert parse_facility_ids(None) == [] and parse_facility_ids("") == [] and parse_facility_ids("4") == [4]
    with pytest.raises(InvalidInput):
        parse_facility_ids(["1", "one"])
    with pytest.raises(InvalidInput, match="At most"):
        parse_facility_ids(list(range(501)))


def test_coverage_applies_to_reps_only():
    assert coverage_applies("sales_rep") and not coverage_applies("manager")


@pytest.mark.parametrize(("was", "stays", "count", "refused"), [
    (True, False, 1, True),  # the last one deactivated or demoted
    (True, False, 2, False),  # another manager remains
    (True, True, 1, False),  # still a manager
    (False, False, 0, False),  # not a manager at all
])  # fmt: skip
def test_the_last_active_manager_stays(was, stays, count, refused):
    if refused:
        with pytest.raises(NotAllowed, match="Morgan Lee is the last active manager"):
            check_keeps_a_manager("Morgan Lee", was, stays, count)
    else:
        check_keeps_a_manager("Morgan Lee", was, stays, count)


def test_only_an_active_manager_who_has_set_a_password_counts_as_one():
    assert can_manage("manager", True, True)
    assert not can_manage("manager", True, False)  # invited, never signed in
    assert not can_manage("manager", False, True) and not can_manage("sales_rep", True, True)
    with pytest.raises(NotAllowed, match="who has set a password"):
        check_keeps_a_manager("Morgan Lee", True, False, 1)


@pytest.mark.parametrize(("to_id", "role", "active", "message"), [
    (None, None, False, "Choose the sales rep"),
    (7, "sales_rep", True, "different sales rep"),
    (8, "manager", True, "active sales rep"),
    (8, "sales_rep", False, "active sales rep"),
])  # fmt: skip
def test_open_cases_go_only_to_another_active_rep(to_id, role, active, message):
    with pytest.raises(InvalidInput, match=message):
        check_reassign(7, to_id, role, active)
    check_reassign(7, 8, "sales_rep", True)


def test_a_link_works_until_it_expires_and_only_once():
    expires = invitation_expiry(NOW, 7)
    assert expires == NOW + timedelta(days=7)
    assert invitation_usable(expires, None, None, NOW)
    assert not invitation_usable(expires, None, None, expires)  # expired at the instant
    assert not invitation_usable(expires, NOW, None, NOW)  # used
    assert not invitation_usable(expires, None, NOW, NOW)  # replaced or its user deactivated
