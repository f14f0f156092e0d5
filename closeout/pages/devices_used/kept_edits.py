"""Edits the database could not take yet (down, or locked): kept on the screen, in order, and
saved once it is back; the field stays marked "not saved yet" until then.

A mixin of DevicesState (state.py), which provides `session_token`, `case_number`, and from
EditsMixin (editing.py) `_due()`, `_store()` and `_settle()`: a kept edit is saved as any
other once it goes out."""

import asyncio

import reflex as rx

from ...domain.errors import DomainError
from ...services.db import DatabaseUnavailable
from ..health import HealthState
from .editing import Edit

RETRY_EVERY_SECONDS = 2


class KeptEditsMixin(rx.State, mixin=True):
    _kept: list[Edit] = []
    _retrying: bool = False
    waiting: int = 0  # edits kept on this screen until the database is back

    def _keep(self, edit: Edit):
        """Keep the edit, raise the banner, and save it as soon as the database is back."""
        self._kept = [*self._kept, edit]
        self.waiting = len(self._kept)
        return [HealthState.outage, type(self).retry_kept]

    @rx.event(background=True)
    async def retry_kept(self):
        """Every 2 s, save the kept edits in order until none is left."""
        async with self:
            if self._retrying:
                return
            self._retrying = True
        saved, told = 0, []
        while True:
            await asyncio.sleep(RETRY_EVERY_SECONDS)
            async with self:
                if not self._kept:
                    break
                edit, token, number = self._due(self._kept[0]), self.session_token, self.case_number
            try:
                outcome = await asyncio.to_thread(self._store, token, number, edit)
            except DatabaseUnavailable:
                continue
            async with self:
                self._kept = self._kept[1:]
                self.waiting = len(self._kept)
                told.append(self._settle(edit, outcome))
                saved += not isinstance(outcome, DomainError)
        async with self:
            self._retrying = False
        for toast in told:
            if toast is not None:
                yield toast
        if saved:
            changes = "1 kept change" if saved == 1 else f"{saved} kept changes"
            yield rx.toast.success(f"The database is back: {changes} saved.", id="kept-saved")
