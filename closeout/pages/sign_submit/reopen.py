"""Reopening a closed case, with a reason (its signatures are set aside).

A mixin of SignState (state.py), which provides `_actor()`, `case_number` and `_refresh_page()`."""

import asyncio

import reflex as rx

from ...domain.errors import DomainError, InvalidInput
from ...services import reopening


class ReopenMixin(rx.State, mixin=True):
    reopen_open: bool = False
    reopen_reason: str = ""
    reopen_error: str = ""

    @rx.event
    def open_reopen(self):
        self.reopen_open, self.reopen_reason, self.reopen_error = True, "", ""

    @rx.event
    def close_reopen(self):
        self.reopen_open = False

    @rx.event
    def set_reopen_reason(self, value: str):
        self.reopen_reason = value[:300]

    @rx.event
    async def confirm_reopen(self):
        """In a thread: a correction renders and keeps the whole sales order PDF."""
        try:
            await asyncio.to_thread(reopening.reopen, self._actor(), self.case_number, self.reopen_reason)
        except InvalidInput as refusal:
            self.reopen_error = refusal.message
            return None
        except DomainError as refusal:
            self.reopen_open = False
            return rx.toast.error(refusal.message)
        self.reopen_open = False
        return [rx.toast.success("Case reopened; signatures set aside."), *self._refresh_page()]
