"""The live watcher of the Devices Used tab: keeps a screen current while another screen
(the rep's tablet, the provider's screen, a manager's desk) changes the case.

A mixin of DevicesState (state.py), which provides `case_number`, `session_token` and
`_fetch()` (the page of lines, read again)."""

import asyncio
import uuid

import reflex as rx

from ...domain.errors import DomainError
from ...services import auth, cases
from ...services.db import DatabaseUnavailable
from ..case_state import CaseState
from ..tab_tasks import OnePerTab, tab_connected

WATCHERS = OnePerTab()  # the live watcher of each tab, in this worker
LIVE_EVERY_SECONDS = 2
LIVE_CHECK_ROUNDS = 15  # every 30 s: is the screen still open?
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

    @rx.event(background=True)
    async def watch(self, me: str):
        """Every 2 s, compare the case's change stamp and re-read what changed. The screen's
        state (with Redis, a round trip and a lock) is touched only when the stamp moved, or
        every 30 s to see whether the screen is still there: the watcher ends when it closed,
        moved on, or a newer load took over. Only the watcher its own load asked for runs (one
        per tab), and only for a signed-in user."""
        async with self:
            number, token = self.case_number, self.session_token
            client = self.router.session.client_token
            if not number or not me or me != self._watching:
                return
            seen = await asyncio.to_thread(self._stamp, number, token)
            if not seen:  # no session, or a case this user may not see
                return
            self._seen = seen
        ticket = WATCHERS.take_over(client)
        try:
            await self._watch(me, number, token, client, ticket, seen)
        finally:
            WATCHERS.finish(client, ticket)

    async def _watch(self, me: str, number: str, token: str, client: str, ticket: object, seen: str):
        for round_ in range(1, LIVE_FOR_SECONDS // LIVE_EVERY_SECONDS):
            await asyncio.sleep(LIVE_EVERY_SECONDS)
            if not WATCHERS.holds(client, ticket):
                return  # a newer load of this tab took over
            stamp = await asyncio.to_thread(self._stamp, number, token)
            if stamp in ("", seen) and round_ % LIVE_CHECK_ROUNDS:
                continue
            if not round_ % LIVE_CHECK_ROUNDS and not await tab_connected(client):
                return
            async with self:
                if self._watching != me or self.case_number != number:
                    return
                if stamp and stamp != self._seen:  # not this screen's own save
                    try:
                        self._fetch()
                        (await self.get_state(CaseState)).refresh(number)
                    except DatabaseUnavailable:
                        continue  # read it again on the next round
                    self._seen = stamp
                seen = self._seen

    @staticmethod
    def _stamp(number: str, token: str) -> str:
        try:
            return cases.last_change(auth.actor_for_session(token), number)
        except (DomainError, DatabaseUnavailable):
            return ""
