"""A facility's PO reminder settings on its Directory page, with a live preview of the email's
text, and its reminder history (sent and failed), a page at a time. Saved through
services/reminder_settings.py (audited there)."""

from dataclasses import dataclass

import reflex as rx

from ...domain.errors import DomainError, InvalidInput
from ...domain.reminder_text import STANDARD_TEXT, preview
from ...services import reminder_settings
from ...services.reminder_history import PAGE_SIZE
from ..base import route_tail
from .facility_state import FacilityState


@dataclass
class ReminderItem:
    case_number: str
    sent_at: str  # ISO UTC, shown in local time
    recipient: str
    status: str  # sent | failed
    delivery: str
    error: str
    sent_by: str  # "" for the scheduled job


class RemindersState(FacilityState):
    rem_on: bool = True
    rem_days: str = "7"
    rem_recipients: str = "billing"
    rem_text: str = STANDARD_TEXT  # "" is never shown: the standard text is, to edit from
    rem_preview: str = ""
    rem_errors: dict[str, str] = {}
    rem_notice: str = ""
    rem_billing: str = ""  # who "billing" reaches today
    rem_purchasing: list[str] = []
    history: list[ReminderItem] = []
    history_total: int = 0
    history_page: int = 1

    @rx.var
    def history_pages(self) -> int:
        return max(1, -(-self.history_total // PAGE_SIZE))

    def _read(self, page: int, settings: bool = True) -> None:
        """The card's one read; paging the history leaves the settings as typed."""
        view = reminder_settings.facility_settings(self._actor(), route_tail(self), page)
        s = view.settings
        if settings:
            self.rem_on, self.rem_days, self.rem_recipients = s.po_reminders_on, str(s.po_reminder_days), s.po_reminder_recipients
            self.rem_text = s.po_reminder_text or STANDARD_TEXT
            self.rem_preview, _ = preview(self.rem_text, self.values.get("name", ""))
        self.rem_billing, self.rem_purchasing = view.billing, view.purchasing
        self.history = [ReminderItem(r.case_number, r.sent_at.isoformat(), r.recipient, r.status, r.delivery, r.error, r.sent_by)
                        for r in view.history]  # fmt: skip
        self.history_total, self.history_page = view.total, page

    @rx.event
    def load_reminders(self):
        self.rem_errors, self.rem_notice, self.history = {}, "", []
        try:
            self._read(1)
        except DomainError:
            return  # the page shows the refusal (FacilityState.load)

    @rx.event
    def set_rem_on(self, on: bool):
        self.rem_on, self.rem_notice = bool(on), ""

    @rx.event
    def set_rem_days(self, value: str):
        self.rem_days, self.rem_notice = str(value)[:6], ""

    @rx.event
    def set_rem_recipients(self, value: str):
        self.rem_recipients, self.rem_notice = str(value)[:20], ""

    def _show_text(self, value: str) -> None:
        self.rem_text, self.rem_notice = str(value)[:4000], ""
        shown, error = preview(self.rem_text, self.values.get("name", ""))
        self.rem_preview = shown
        self.rem_errors = {**{k: v for k, v in self.rem_errors.items() if k != "po_reminder_text"},
                           **({"po_reminder_text": error} if error else {})}  # fmt: skip

    @rx.event
    def set_rem_text(self, value: str):
        """Typed: the preview follows (or says what is wrong)."""
        self._show_text(value)

    @rx.event
    def use_standard_text(self):
        self._show_text(STANDARD_TEXT)

    @rx.event
    def save_reminders(self):
        form = {"po_reminders_on": "on" if self.rem_on else "off", "po_reminder_days": self.rem_days,
                "po_reminder_recipients": self.rem_recipients, "po_reminder_text": self.rem_text}  # fmt: skip
        self.rem_errors, self.rem_notice = {}, ""
        try:
            reminder_settings.update_settings(self._actor(), self.facility_id, form)
            self._read(self.history_page)
        except InvalidInput as refusal:
            self.rem_errors = {refusal.field: refusal.message}
            return None
        except DomainError as refusal:
            self.rem_errors = {"form": refusal.message}
            return None
        self.rem_notice = "PO reminder settings saved."
        return None

    @rx.event
    def show_history_page(self, step: int):
        page = min(max(1, self.history_page + int(step)), self.history_pages)
        try:
            self._read(page, settings=False)
        except DomainError as refusal:
            return rx.toast.error(refusal.message)
        return None
