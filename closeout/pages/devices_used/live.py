"""The live watcher of the Devices Used tab: keeps a screen current while another screen
(the rep's tablet, the provider's screen, a manager's desk) changes the case, pushed by the
case's change signal instead of polled.

A mixin of DevicesState (state.py), which provides `case_number`, `session_token` and
`_fetch()` (the page of lines, read again)."""

import time
import uuid
from contextlib import aclosing

import reflex as rx

from ...domain.errors import DomainError
from ...services.db import DatabaseUnavailable
from ..case_state import LIVE_TABS, CaseState
from ..live import RESYNC, changes_of
from ..tab_tasks import OnePerTab, tab_connected

WATCHERS = OnePerTab()  # the live watcher of each tab, in this worker
# The stamp of each tab's own last save, in this worker (a tab's events and its watcher run in
# the worker its socket is connected to): the watcher recognises its screen's own change
# without taking the state's lock (on Redis: a load and a write of the whole state).
OWN_SAVES: dict[str, str] = {}
QUIET_CHECK_SECONDS = 30  # after this long without a change: is the screen still open?
LIVE_FOR_SECONDS = 4 * 3600  # a case page left open for a whole list of cases


class LiveMixin(rx.State, mixin=True):
    _watching: str = ""  # the id of the watcher keeping this screen fresh
    _seen: str = ""  # the case's change stamp when this screen last read it

    def _start_watching(self):
        """For a load: a new watcher id (an older watcher stops), and the event that starts it."""
        self._watching = uuid.uuid4().hex
        return type(self).watch(self._watching)

    def _saw_own(self, stamps: tuple[str, str]) -> None:
        """A change stamped right after the one this screen had seen is its own, not news."""
        if self._seen and self._seen == stamps[0]:
            self._seen = stamps[1]
            OWN_SAVES[self.router.session.client_token] = stamps[1]

    @rx.event(background=True)
    async def watch(self, me: str):
        """Wait for the case's change signal (services/changes.py) and re-read what another
        screen changed: no database query while nothing changes. Every 30 s of quiet it checks
        (without the database) that the tab is still there; it ends when the tab closed, moved
        on, or a newer load took over. Only the watcher its own load asked for runs (one per
        tab), and only for a signed-in user who may see the case."""
        async with self:
            number, seen = self.case_number, self._seen
            client = self.router.session.client_token
            if not number or not me or me != self._watching or not seen:
                return  # not this load's watcher, or its read found no case this user may see
        ticket = WATCHERS.take_over(client)
        try:
            await self._watch(me, number, client, ticket, seen)
        finally:
            if WATCHERS.finish(client, ticket):
                OWN_SAVES.pop(client, None)

    async def _watch(self, me: str, number: str, client: str, ticket: object, seen: str):
        until = time.monotonic() + LIVE_FOR_SECONDS
        async with aclosing(changes_of(number, seen, heartbeat=QUIET_CHECK_SECONDS)) as stamps:
            async for stamp in stamps:
                if not await self._on_signal(stamp, me, number, client, ticket, until):
                    return

    async def _on_signal(self, stamp: str | None, me: str, number: str, client: str, ticket: object, until: float) -> bool:
        """One wake-up: re-read on news, check the tab on quiet; False once there is nothing to watch."""
        if not WATCHERS.holds(client, ticket) or time.monotonic() > until:
            return False  # a newer load of this tab took over, or the page was left open for hours
        if stamp is None:
            return await tab_connected(client)
        if stamp == OWN_SAVES.get(client):
            return True  # this screen's own save, already shown
        async with self:
            if self._watching != me or self.case_number != number:
                return False
            if stamp == RESYNC or stamp != self._seen:  # not this screen's own save
                try:
                    self._fetch()
                    header = await self.get_state(CaseState)
                    header._refresh_header(number)
                    for open_tab in LIVE_TABS.get(header.tab, ()):  # Sign & Submit: Completed by a buyer, paid
                        (await self.get_state(open_tab))._case_changed(number)
                except DatabaseUnavailable:
                    return True  # the next signal (or resync) reads it again
                except DomainError:
                    return False  # signed out, or the case is no longer this user's
                self._seen = "" if stamp == RESYNC else stamp
        return True
