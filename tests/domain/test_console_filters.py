"""The console's filters as URL parameters: they round-trip, bad ones are refused, and any URL
is a view or a clear refusal (the query itself: tests/services/test_console_service.py)."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from closeout.domain.console import ConsoleFilters, parse_filters, to_params
from closeout.domain.errors import DomainError, InvalidInput


def test_filters_round_trip_through_the_url():
    filters = ConsoleFilters(statuses=("closed",), facility_id=2, pending_po_days=14, search="PO-1", sort="billable_total",
                             descending=False, page=3, not_shared=True, date_from=date(2026, 1, 1))  # fmt: skip
    assert parse_filters(to_params(filters)) == filters
    assert to_params(ConsoleFilters()) == {}


@pytest.mark.parametrize("params", [{"status": "lost"}, {"sort": "password_hash"}, {"page": "-1"}, {"from": "yesterday"},
                                    {"from": "2026-05-01", "to": "2026-04-01"}, {"size": "7"}, {"facility": "1; drop"}])  # fmt: skip
def test_bad_filters_are_refused(params):
    with pytest.raises(InvalidInput):
        parse_filters(params)


@settings(max_examples=200, deadline=None)
@given(params=st.dictionaries(st.sampled_from(["status", "facility", "rep", "surgeon", "from", "to", "not_shared",
                                                "pending_over", "q", "sort", "dir", "page", "size"]),
                              st.text(max_size=30), max_size=6))  # fmt: skip
def test_any_console_url_is_a_view_or_a_clear_refusal(params):
    try:
        parse_filters(params)
    except DomainError as refusal:
        assert refusal.message


def test_a_superscript_digit_is_refused_not_a_crash():
    import pytest

    from closeout.domain.console import parse_filters
    from closeout.domain.errors import InvalidInput

    for key in ("facility", "pending_over", "page"):
        with pytest.raises(InvalidInput):
            parse_filters({key: "²"})
