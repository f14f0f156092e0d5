"""Pausing a Closed case's PO reminders with a reason (its rep or a manager), and resuming them.

A mixin of SignState (state.py), which provides `_actor()`, `case_number` and `_fetch()`;
PurchaseOrderMixin shows the pause with the reminders (`_show_pause`)."""

import reflex as rx

from ...domain.errors import DomainError, InvalidInput
from ...services import reminder_settings


class ReminderPauseMixin(rx.State, mixin=True):
    reminders_paused: bool = False
    pause_reason: str = ""
    paused_by: str = ""
    paused_at: str = ""  # ISO UTC, shown in local time
    pause_open: bool = False
    pause_draft: str = ""
    pause_error: str = ""

    def _show_pause(self, pause: reminder_settings.Pause | None) -> None:
        self.reminders_paused = pause is not None
        self.pause_reason = pause.reason if pause else ""
        self.paused_by = pause.paused_by if pause else ""
        self.paused_at = pause.paused_at.isoformat() if pause else ""

    @rx.event
    def open_pause(self):
        self.pause_open, self.pause_draft, self.pause_error = True, "", ""

    @rx.event
    def set_pause_open(self, is_open: bool):
        self.pause_open = bool(is_open)

    @rx.event
    def set_pause_draft(self, value: str):
        self.pause_draft = str(value)[:400]

    @rx.event
    def confirm_pause(self):
        try:
            reminder_settings.pause(self._actor(), self.case_number, self.pause_draft)
        except InvalidInput as refusal:
            self.pause_error = refusal.message
            return None
        except DomainError as refusal:
            self.pause_open = False
            return rx.toast.error(refusal.message)
        self.pause_open, self.pause_error = False, ""
        self._fetch()
        return rx.toast.success("PO reminders paused for this case.")

    @rx.event
    def resume_reminders(self):
        try:
            reminder_settings.resume(self._actor(), self.case_number)
        except DomainError as refusal:
            return rx.toast.error(refusal.message)
        self._fetch()
        return rx.toast.success("PO reminders resumed: the next one goes by the facility's settings.")
