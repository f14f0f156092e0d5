"""The Devices Used state's handlers, in-process (as the benchmark drives them): a screen
showing an old version of a line gets 'changed by someone else' and the fresh values."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from reflex.state import State

import closeout.closeout  # noqa: F401  (registers the app's states)
from closeout.pages.base import AuthState
from closeout.pages.devices_used.state import DevicesState
from closeout.services import device_lines
from closeout.services.db import DatabaseUnavailable
from tests.factories import demo_rep, new_case, new_session


def screen(number: str) -> DevicesState:
    root = State(_reflex_internal_init=True)
    root._get_state_from_cache(AuthState).session_token = new_session(demo_rep())
    devices = root._get_state_from_cache(DevicesState)
    devices.case_number = number
    devices._fetch()
    return devices


def save(devices: DevicesState, *args):
    """The async handler, on a loop of its own (Playwright's sync API may hold this thread's)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, DevicesState.event_handlers["save"].fn(devices, *args)).result()


def test_a_stale_screen_is_told_and_shown_the_fresh_values():
    number = new_case(lines=1)
    tablet, desk = screen(number), screen(number)
    row = tablet.rows[0]
    save(desk, row.id, "quantity", "2", desk.rows[0].version)
    save(tablet, row.id, "quantity", "5", row.version)  # the tablet still shows version 1
    assert tablet.rows[0].quantity == "2"
    assert "changed by someone else" in tablet.rows[0].errors["quantity"]
    assert device_lines.list_lines(demo_rep(), number).lines[0].quantity == 2


def test_a_screens_own_quick_edits_do_not_trip_over_each_other():
    number = new_case(lines=1)
    tablet = screen(number)
    row = tablet.rows[0]
    save(tablet, row.id, "lot", "L-1", row.version)
    save(tablet, row.id, "serial", "S-1", row.version)  # sent before the first answer arrived
    saved = device_lines.list_lines(demo_rep(), number).lines[0]
    assert (saved.lot, saved.serial) == ("L-1", "S-1")


def test_leaving_a_field_unchanged_saves_nothing():
    number = new_case(lines=1)
    tablet = screen(number)
    row = tablet.rows[0]
    save(tablet, row.id, "lot", row.lot, row.version)
    assert device_lines.list_lines(demo_rep(), number).lines[0].version == row.version


def test_while_the_database_is_down_an_edit_is_kept_in_order_not_dropped(monkeypatch):
    number = new_case(lines=1)
    tablet = screen(number)
    row = tablet.rows[0]

    def down(*args, **kwargs):
        raise DatabaseUnavailable()

    monkeypatch.setattr(device_lines, "update_line", down)
    events = save(tablet, row.id, "lot", "KEPT-1", row.version)
    assert tablet.waiting == 1 and [k.value for k in tablet._kept] == ["KEPT-1"]
    assert {e.fn.__name__ for e in events} == {"outage", "retry_kept"}  # the banner, and the retries
    save(tablet, row.id, "lot", "KEPT-2", row.version)  # waits behind the first, even if it could go
    save(tablet, row.id, "lot", "KEPT-2", row.version)  # the same again: nothing new to keep
    assert [k.value for k in tablet._kept] == ["KEPT-1", "KEPT-2"]
    monkeypatch.undo()
    for kept in list(tablet._kept):  # what retry_kept does once the database is back
        due = tablet._due(kept)
        assert tablet._settle(due, DevicesState._store(tablet.session_token, number, due)) is None
    assert device_lines.list_lines(demo_rep(), number).lines[0].lot == "KEPT-2"
