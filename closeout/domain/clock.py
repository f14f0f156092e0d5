"""The one clock of the app. Everything that asks "now" or "today" asks here, so a test (or
a demo) can fix the date: `CLOSEOUT_CLOCK` is an ISO instant the clock shows at the moment
`CLOSEOUT_CLOCK_SINCE` (Unix seconds; default: when this process first reads the clock),
and from there it runs on at real speed. Unset, it is the real clock. Several processes given
the same pair (the tests and the app server they start) tell the same time."""

import os
import time
from datetime import UTC, date, datetime, timedelta

_offset: timedelta | None = None


def _configured_offset() -> timedelta:
    shown = os.environ.get("CLOSEOUT_CLOCK", "").strip()
    if not shown:
        return timedelta(0)
    at = datetime.fromisoformat(shown.replace("Z", "+00:00"))
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    since = float(os.environ.get("CLOSEOUT_CLOCK_SINCE", "") or time.time())
    return at - datetime.fromtimestamp(since, UTC)


def now() -> datetime:
    """The current instant, timezone-aware UTC."""
    global _offset
    if _offset is None:
        _offset = _configured_offset()
    return datetime.now(UTC) + _offset


def today() -> date:
    """Today's date in UTC (surgery dates and expiries are plain dates)."""
    return now().date()


def set_now(moment: datetime | None) -> None:
    """Show `moment` from now on (None: back to the configured clock). For tests."""
    global _offset
    _offset = None if moment is None else moment - datetime.now(UTC)
