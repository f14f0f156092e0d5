"""The Devices Used state's events, sent over the app's real socket as a browser sends them
(tests/socket_client.py): saving an edit (stale, quick, unchanged), edits kept through a
database outage, the live watcher, and scanning. Nothing here reaches into the state: what
a test sees is what a screen would be sent."""

import asyncio
import json
import time
from datetime import timedelta

import pytest

from closeout.domain import clock
from closeout.services import device_lines
from tests.factories import demo_rep, new_case, new_session, product_with
from tests.socket_client import Screen, run, state_names

OUTAGE_SECONDS = 30  # a save waits out SQLite's busy timeout (5 s) before it is kept


@pytest.fixture(scope="module")
def names():
    from closeout.pages.health import HealthState

    return {**state_names(), "health": HealthState.get_full_name()}


def rows(names: dict, merged: dict) -> list[dict]:
    """The page of lines the server last sent in `merged` ([] if it sent none)."""
    return merged.get(names["devices"], {}).get("rows_rx_state_", [])


def line_shows(names: dict, line_id: int, **expected):
    """A `done` test: the last page of lines sent shows `line_id` with these values (or
    values for which `check(value)` holds)."""

    def done(merged: dict) -> bool:
        row = next((r for r in rows(names, merged) if r["id"] == line_id), None)
        return row is not None and all(check(row[key]) if callable(check) else row[key] == check
                                       for key, check in expected.items())  # fmt: skip

    return done


def toasted(text: str):
    """A `done` test: a message with `text` was sent (after the delta it goes with)."""
    return lambda merged: text in json.dumps(merged["__events__"])


def both(*dones):
    return lambda merged: all(done(merged) for done in dones)


async def opened(app_url: str, names: dict, number: str, token: str) -> tuple[Screen, dict]:
    """A tab on the case page, hydrated and loaded: (the screen, its first line as sent)."""
    screen = Screen(app_url, f"/cases/{number}", names)
    merged = await screen.open(token, done=screen.filled("devices", "rows"))
    return screen, rows(names, merged)[0]


def save(line: dict, field: str, value, version: int | None = None) -> dict:
    return {"line_id": line["id"], "field_name": field, "value": value,
            "version": line["version"] if version is None else version}  # fmt: skip


async def emit(screen: Screen, handler: str, payload: dict) -> None:
    """Send an event without waiting for its answer (a browser does not wait either)."""
    await screen.sio.emit("event", screen.event(f"{screen.names['devices']}.{handler}", payload), namespace="/_event")


def drain(screen: Screen) -> None:
    """Forget what the server sent so far (what follows is the answer to what comes next)."""
    while not screen.updates.empty():
        screen.updates.get_nowait()


async def settled(screen: Screen) -> dict:
    """Wait until the events sent before have been handled (one tab's events run in order):
    everything the server sent meanwhile, merged."""
    sent = time.perf_counter()
    await screen.sio.emit("event", screen.event(screen.names["noop"], {"value": True}), namespace="/_event")
    _, merged = await screen.answer(sent, screen.has("root", "is_hydrated", True))
    return merged


def test_a_stale_screen_is_told_and_shown_the_fresh_values(app_url, names):
    number, token = new_case(lines=1), new_session(demo_rep())

    async def story():
        tablet, line = await opened(app_url, names, number, token)
        desk, desk_line = await opened(app_url, names, number, token)
        await desk.send(names["save"], save(desk_line, "quantity", "2"), line_shows(names, line["id"], quantity="2"))
        # The tablet still shows version 1 (whatever its watcher has sent it since).
        told = both(line_shows(names, line["id"], errors=lambda e: e["quantity"] != ""), toasted("someone else"))
        _, answer = await tablet.send(names["save"], save(line, "quantity", "5", version=line["version"]), told)
        await tablet.close()
        await desk.close()
        return next(r for r in rows(names, answer) if r["id"] == line["id"]), answer

    shown, answer = run(story())
    assert shown["quantity"] == "2"
    assert "changed by someone else" in shown["errors"]["quantity"]
    assert "changed by someone else" in json.dumps(answer["__events__"])  # and a toast says so
    assert device_lines.list_lines(demo_rep(), number).lines[0].quantity == 2


def test_a_screens_own_quick_edits_do_not_trip_over_each_other(app_url, names):
    number, token = new_case(lines=1), new_session(demo_rep())

    async def story():
        tablet, line = await opened(app_url, names, number, token)
        sent = time.perf_counter()
        await emit(tablet, "save", save(line, "lot", "L-1"))
        await emit(tablet, "save", save(line, "serial", "S-1"))  # sent before the first answer arrived
        await tablet.answer(sent, line_shows(names, line["id"], lot="L-1", serial="S-1"), refuse_toasts=True)
        await tablet.close()

    run(story())
    saved = device_lines.list_lines(demo_rep(), number).lines[0]
    assert (saved.lot, saved.serial) == ("L-1", "S-1")


def test_leaving_a_field_unchanged_saves_nothing(app_url, names):
    number, token = new_case(lines=1), new_session(demo_rep())

    async def story():
        tablet, line = await opened(app_url, names, number, token)
        await settled(tablet)
        drain(tablet)
        await emit(tablet, "save", save(line, "lot", line["lot"]))
        await emit(tablet, "save", save(line, "lot", f"  {line['lot']} "))  # the same, as typed
        answers = await settled(tablet)
        await tablet.close()
        return line, answers

    line, answers = run(story())
    assert device_lines.list_lines(demo_rep(), number).lines[0].version == line["version"]
    assert names["devices"] not in answers and not answers["__events__"]  # the screen is sent nothing either


def test_while_the_database_is_down_edits_are_kept_in_order_not_dropped(app_url, names, database_outage):
    number, token = new_case(lines=1), new_session(demo_rep())

    async def story():
        tablet, line = await opened(app_url, names, number, token)
        with database_outage():
            # The save waits out the outage, then the edit is kept and the banner raised.
            kept_and_told = both(tablet.has("devices", "waiting", 1), tablet.has("health", "database_down", True))
            await asyncio.wait_for(tablet.send(names["save"], save(line, "lot", "KEPT-1"), kept_and_told), OUTAGE_SECONDS)
            # The next waits behind the first, even if it could go; the same again keeps nothing new.
            await tablet.send(names["save"], save(line, "lot", "KEPT-2"), tablet.has("devices", "waiting", 2))
            await emit(tablet, "save", save(line, "lot", "KEPT-2"))
            again = await settled(tablet)
        # Once the database is back the kept edits are saved in order, with no further event
        # from the screen: the first kept edit started the retries.
        saved = both(toasted("kept changes saved"), tablet.has("devices", "waiting", 0))
        _, back = await tablet.answer(time.perf_counter(), saved)
        await tablet.close()
        return line, again, back

    line, again, back = run(story())
    assert "waiting_rx_state_" not in again.get(names["devices"], {})
    assert "The database is back: 2 kept changes saved." in json.dumps(back["__events__"])  # not 3
    assert line_shows(names, line["id"], lot="KEPT-2")(back)
    assert device_lines.list_lines(demo_rep(), number).lines[0].lot == "KEPT-2"


def test_the_watcher_shows_another_screens_change_unasked(app_url, names):
    number, token = new_case(lines=1), new_session(demo_rep())

    async def story():
        tablet, line = await opened(app_url, names, number, token)  # the load starts the watcher
        desk, _ = await opened(app_url, names, number, new_session(demo_rep()))  # another screen of the case
        await asyncio.sleep(1.0)  # the watcher has read the case's change stamp
        while not tablet.updates.empty():
            tablet.updates.get_nowait()
        sent = time.perf_counter()
        await desk.send(names["save"], save(line, "lot", "ELSEWHERE-1"), desk.has("devices", "line_count"))
        took, _ = await tablet.answer(sent, line_shows(names, line["id"], lot="ELSEWHERE-1"))
        await tablet.close()
        await desk.close()
        return took

    assert run(story()) < 2.0  # pushed by the change signal, not polled


def test_scanning_adds_asks_about_expired_devices_and_offers_the_catalog(app_url, names):
    number, token, product = new_case(lines=0), new_session(demo_rep()), product_with(contract=True)
    scan = f"{names['devices']}.scan"

    async def story():
        tablet = Screen(app_url, f"/cases/{number}", names)
        await tablet.open(token, done=tablet.has("devices", "case_number", number))
        _, unknown = await tablet.send(
            scan, {"form": {"scan": "(01)00614141000128(10)NOPE"}}, tablet.filled("devices", "scan_error")
        )
        _, searched = await tablet.send(f"{names['devices']}.search_instead", {}, tablet.filled("devices", "product_query"))
        expired = f"(01){product.gtin}(17){clock.today() - timedelta(days=10):%y%m%d}(10)OLD1"
        _, asked = await tablet.send(scan, {"form": {"scan": expired}}, tablet.filled("devices", "scan_question"))
        _, added = await tablet.send(f"{names['devices']}.confirm_scan", {}, tablet.has("devices", "line_count", 1))
        await tablet.close()
        return unknown, searched, asked, added

    unknown, searched, asked, added = run(story())
    devices = names["devices"]
    assert "not in the catalog" in unknown[devices]["scan_error_rx_state_"]
    assert searched[devices]["product_query_rx_state_"] == unknown[devices]["scan_search_rx_state_"] != ""
    assert "expired" in asked[devices]["scan_question_rx_state_"]
    row = added[devices]["rows_rx_state_"][0]
    assert (row["ref"], row["lot"]) == (product.ref, "OLD1")
    assert added[devices]["scan_question_rx_state_"] == ""
    assert device_lines.list_lines(demo_rep(), number).line_count == 1
