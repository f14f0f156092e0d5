"""The Purchase Order part of Sign & Submit: one PO for the case or one per manufacturer, and
the PO reminders sent (or failed) while it is missing; pausing them: reminder_pause.py.

A mixin of SignState (state.py), which provides `_actor()`, `session_token`, `case_number`,
`_fetch()` and `_refresh_page()`."""

import asyncio

import reflex as rx

from ...domain.errors import DomainError
from ...domain.lifecycle import CaseStatus
from ...services import auth, billing, reminders, views
from ..base import origin
from .cards import EnteredPO, MakerPO, ReminderShown
from .po_entered import entered


class PurchaseOrderMixin(rx.State, mixin=True):
    po_mode: str = "all"
    po_all: str = ""
    makers: list[MakerPO] = []
    po_numbers: dict[str, str] = {}
    po_error: str = ""
    reminders: list[ReminderShown] = []  # newest first
    entered_pos: list[EnteredPO] = []  # every PO on the case, with who entered it

    def _show_purchase_orders(self, tab: views.SignTab) -> None:
        pos = tab.purchase_orders
        self.makers = [MakerPO(mid, name, next((p.number for p in pos if p.manufacturer_id == mid), ""))
                       for mid, name in tab.manufacturers.items()]  # fmt: skip
        self.po_all = next((p.number for p in pos if p.manufacturer_id is None), "")
        self.po_mode = "each" if pos and not self.po_all else "all"
        self.po_numbers = {str(m.id): m.number for m in self.makers}
        self.entered_pos = [entered(p) for p in pos]
        self.reminders = [ReminderShown(r.sent_at.isoformat(), r.recipient, r.delivery, r.status, r.error, r.sent_by)
                          for r in tab.reminders]  # fmt: skip
        self._show_pause(tab.reminder_pause)  # ReminderPauseMixin (reminder_pause.py)

    @rx.event
    def set_po_mode(self, mode: str):
        self.po_mode = "each" if mode == "each" else "all"
        self.po_error = ""

    @rx.event
    def set_po_all(self, value: str):
        self.po_all = value[:60]

    @rx.event
    def set_po_for(self, maker_id: str, value: str):
        self.po_numbers = {**self.po_numbers, maker_id: value[:60]}

    @rx.event
    def save_po(self):
        if self.po_mode == "all":
            numbers = {None: self.po_all}
        else:
            numbers = {int(k): v for k, v in self.po_numbers.items() if v.strip()}
        try:
            result = billing.enter_purchase_orders(self._actor(), self.case_number, numbers)
        except DomainError as refusal:
            self.po_error = refusal.message
            return None
        self.po_error = ""
        done = "The case is Completed." if result is CaseStatus.COMPLETED else "Saved; a PO is still missing."
        return [rx.toast.success(f"Purchase Order saved. {done}"), *self._refresh_page()]

    @rx.event
    async def remind(self):
        """The email (with its PDF) is built and sent off the event loop. A failure is shown
        here and kept in the list below (services/reminders.py)."""
        try:
            sent = await asyncio.to_thread(_remind, self.session_token, self.case_number, origin(self))
        except DomainError as refusal:
            self._fetch()
            return rx.toast.error(refusal.message)
        self._fetch()
        return rx.toast.success(f"PO reminder sent to {sent.recipient} ({sent.delivery}).")


def _remind(token: str, number: str, browser_origin: str):
    return reminders.send_reminder(auth.actor_for_session(token), number, browser_origin)
