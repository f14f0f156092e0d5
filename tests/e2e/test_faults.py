"""Faults from the rep's side: a backend worker killed mid-edit, the database unreachable
(PostgreSQL) or locked (SQLite), a tablet losing its Wi-Fi. Whatever happens, a field the
screen shows as saved is in the database, and a field that is not says so."""

import os
import re
import signal
import time

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from closeout.services import device_lines
from tests.conftest import SCALED_OUT
from tests.factories import demo_rep, new_case
from tests.harness import worker_pids

RECOVERY_MS = 45_000
# The kill and the outage tests are about data, not layout: one viewport is enough (and a
# worker killed again within seconds of its respawn would look like a crash loop to Granian).
one_viewport = pytest.mark.parametrize("viewport", ["tablet-landscape"])


def open_case(page: Page, number: str) -> None:
    page.goto(f"/cases/{number}")
    expect(page.locator(".device-line")).to_have_count(len(device_lines.list_lines(demo_rep(), number).lines))


def lot(page: Page, line: int):
    return page.get_by_label(f"Lot, line {line}", exact=True)


def saved_lots(number: str) -> dict[int, str]:
    return {view.position: view.lot for view in device_lines.list_lines(demo_rep(), number).lines}


def shown_as_saved(page: Page, line: int) -> bool:
    return lot(page, line).get_attribute("data-unsaved") is None


def watch_for_offline_banner(page: Page) -> None:
    """Remember whether the offline banner ever showed (it may show for a second only)."""
    page.evaluate("""() => {
        window.__sawOffline = false;
        new MutationObserver(() => {
            if (document.getElementById('offline-banner')?.checkVisibility()) window.__sawOffline = true;
        }).observe(document.documentElement, {attributes: true, childList: true, subtree: true});
    }""")


def drop_frames_with(page: Page, marker: str) -> list[WebSocketRoute]:
    """Route the page's websocket through the test; on the first connection, a frame carrying
    `marker` never reaches the server (it was in flight when the connection died). The
    connections made so far are returned, the first one first."""
    sockets: list[WebSocketRoute] = []

    def relay(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        first = not sockets
        sockets.append(ws)
        ws.on_message(lambda message: None if first and marker in str(message) else server.send(message))

    page.route_web_socket(re.compile(r"/_event"), relay)
    return sockets


@one_viewport
def test_a_worker_killed_mid_edit_loses_no_edit_shown_as_saved(page: Page, app_url):
    number = new_case(lines=3)
    sockets = drop_frames_with(page, "KILL-2")
    open_case(page, number)
    lot(page, 1).fill("KILL-1")
    lot(page, 1).press("Tab")
    expect(page.locator(".device-line").first.locator(".unsaved-note")).to_be_hidden()
    watch_for_offline_banner(page)

    lot(page, 2).fill("KILL-2")
    lot(page, 2).press("Tab")  # on its way to the server when every worker dies
    for pid in worker_pids(app_url):
        os.kill(pid, signal.SIGKILL)

    # Granian respawns the workers; the page reconnects by itself, having said it was offline,
    # reads its lines again (the new worker's state) and sends the edit that died with the old
    # one: the line still holds what the edit replaced.
    page.wait_for_function("window.__sawOffline", timeout=RECOVERY_MS)
    expect(page.locator("#offline-banner")).to_be_hidden(timeout=RECOVERY_MS)
    # The line may be drawn anew from the server first (LOT2, no mark) and then typed in again.
    expect(lot(page, 2)).to_have_value("KILL-2", timeout=RECOVERY_MS)
    expect(page.locator(".device-line").nth(1).locator(".unsaved-note")).to_be_hidden(timeout=RECOVERY_MS)
    lot(page, 3).fill("KILL-3")
    lot(page, 3).press("Tab")
    expect(page.locator(".device-line").nth(2).locator(".unsaved-note")).to_be_hidden(timeout=RECOVERY_MS)

    assert len(sockets) > 1
    saved = saved_lots(number)
    assert saved == {1: "KILL-1", 2: "KILL-2", 3: "KILL-3"}
    for line in (1, 2, 3):
        assert shown_as_saved(page, line) and lot(page, line).input_value() == saved[line]
    expect(page.locator("#lost-changes")).to_have_count(0)
    page.screenshot(path=f"test-artifacts/sent-again-after-the-worker-{'postgres' if SCALED_OUT else 'sqlite'}.png")


def test_an_edit_replaced_meanwhile_on_another_screen_is_named_not_overwritten(page: Page):
    """The edit dies with the connection and, before the tablet is back, another screen changes
    the same field: the tablet names its edit in a notice and overwrites nothing."""
    number = new_case(lines=1)
    wifi = {"up": True}
    sockets: list[WebSocketRoute] = []

    def through_the_air(ws: WebSocketRoute) -> None:
        if not wifi["up"]:
            ws.close()
            return
        server = ws.connect_to_server()
        sockets.append(ws)

        def upstream(message) -> None:
            if "MINE-1" in str(message) and len(sockets) == 1:
                wifi["up"] = False  # the Wi-Fi drops as the edit goes out
                ws.close()
            else:
                server.send(message)

        ws.on_message(upstream)

    page.route_web_socket(re.compile(r"/_event"), through_the_air)
    open_case(page, number)
    lot(page, 1).fill("MINE-1")
    lot(page, 1).press("Tab")
    expect(page.locator("#offline-banner")).to_be_visible()
    line = device_lines.list_lines(demo_rep(), number).lines[0]
    device_lines.update_line(demo_rep(), number, line.id, "lot", "THEIRS-1", line.version)
    wifi["up"] = True
    expect(page.locator("#offline-banner")).to_be_hidden(timeout=RECOVERY_MS)
    expect(page.locator("#lost-changes")).to_contain_text("Lot, line 1: MINE-1", timeout=RECOVERY_MS)
    assert saved_lots(number)[1] == "THEIRS-1"


@one_viewport
def test_while_the_database_is_down_edits_are_kept_and_saved_when_it_is_back(page: Page, database_outage):
    number = new_case(lines=2)
    open_case(page, number)
    card = page.locator(".device-line").first
    with database_outage():
        lot(page, 1).fill("OUTAGE-1")
        lot(page, 1).press("Tab")
        expect(page.locator("#database-banner")).to_be_visible(timeout=RECOVERY_MS)
        expect(page.locator("#kept-changes")).to_contain_text("1 change is kept on this screen")
        expect(card.locator(".unsaved-note")).to_be_visible()
        lot(page, 2).fill("OUTAGE-2")  # made during the outage: waits behind the first
        lot(page, 2).press("Tab")
        expect(page.locator("#kept-changes")).to_contain_text("2 changes are kept", timeout=RECOVERY_MS)
        page.screenshot(path=f"test-artifacts/database-down-{'postgres' if SCALED_OUT else 'sqlite'}.png")
    expect(page.locator("#kept-changes")).to_have_count(0, timeout=RECOVERY_MS)
    expect(page.locator(".unsaved-note").first).to_be_hidden()
    expect(page.locator("#database-banner")).to_have_count(0, timeout=RECOVERY_MS)
    assert saved_lots(number) == {1: "OUTAGE-1", 2: "OUTAGE-2"}


@pytest.mark.parametrize("viewport", ["tablet-landscape", "tablet-portrait"])  # the banner on both tablet layouts
def test_a_tablet_that_loses_its_wifi_says_so_and_saves_once_back(page: Page):
    number = new_case(lines=1)
    wifi = {"up": True}
    sockets: list[WebSocketRoute] = []

    def through_the_air(ws: WebSocketRoute) -> None:
        if not wifi["up"]:
            ws.close()
            return
        ws.connect_to_server()
        sockets.append(ws)

    page.route_web_socket(re.compile(r"/_event"), through_the_air)
    open_case(page, number)
    wifi["up"] = False
    for ws in sockets:
        ws.close()
    expect(page.locator("#offline-banner")).to_be_visible()
    lot(page, 1).fill("OFFLINE-1")
    lot(page, 1).press("Tab")
    expect(page.locator(".device-line").first.locator(".unsaved-note")).to_be_visible()
    time.sleep(1)
    assert saved_lots(number)[1] != "OFFLINE-1"
    page.screenshot(path=f"test-artifacts/offline-{page.viewport_size['width']}x{page.viewport_size['height']}.png")

    wifi["up"] = True
    expect(page.locator("#offline-banner")).to_be_hidden(timeout=RECOVERY_MS)
    expect(page.locator(".device-line").first.locator(".unsaved-note")).to_be_hidden(timeout=RECOVERY_MS)
    assert saved_lots(number)[1] == "OFFLINE-1"


# Once in about a dozen runs under load the line's field was drawn again from the server after
# the reconnect (its "not saved yet" mark gone with it), and the edit was named as lost instead
# of being sent again: a reconnect rehydrates and reloads the page, and the recovery relied on a
# mark that a redraw wipes. It now compares what the server holds with what the edit replaced
# (assets/screen.js), so a redraw no longer matters.
def test_an_edit_lost_in_transit_is_sent_again_once_back(page: Page):
    number = new_case(lines=1)
    sockets: list[WebSocketRoute] = []

    def drops_the_edit(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        sockets.append(ws)

        def upstream(message) -> None:
            if "TRANSIT-1" in str(message) and len(sockets) == 1:
                ws.close()  # the Wi-Fi drops as the edit goes out: it never arrives
            else:
                server.send(message)

        ws.on_message(upstream)

    page.route_web_socket(re.compile(r"/_event"), drops_the_edit)
    open_case(page, number)
    lot(page, 1).fill("TRANSIT-1")
    lot(page, 1).press("Tab")
    expect(page.locator(".device-line").first.locator(".unsaved-note")).to_be_hidden(timeout=RECOVERY_MS)
    assert len(sockets) > 1 and saved_lots(number)[1] == "TRANSIT-1"
