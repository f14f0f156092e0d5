"""Scan to add: what a keyboard-wedge scanner types (GS1 or HIBC), added as a line or filling
one in; an expired device asks first, an unknown one offers the catalog search.

A mixin of DevicesState (state.py), which provides `actor()`, `case_number`,
`_show_line()` (the page holding a line) and the `search_products` event."""

import reflex as rx

from ...domain.errors import DomainError
from ...services import scanning


class ScanMixin(rx.State, mixin=True):
    scan_error: str = ""
    scan_search: str = ""  # what to look for in the catalog when the label's product is not known
    scan_pending: str = ""  # a label of an expired device, added once the rep confirms
    scan_question: str = ""

    @rx.event
    def scan(self, form: dict):
        """What the keyboard-wedge scanner typed, ending with Enter (the form submits)."""
        return self._scanned(str(form.get("scan", ""))[:300])

    @rx.event
    def confirm_scan(self):
        return self._scanned(self.scan_pending, confirm_expired=True)

    @rx.event
    def cancel_scan(self):
        self.scan_pending = self.scan_question = ""

    @rx.event
    def search_instead(self):
        return type(self).search_products(self.scan_search)

    def _scanned(self, raw: str, confirm_expired: bool = False):
        self.scan_error = self.scan_search = ""
        try:
            outcome = scanning.scan(self.actor(), self.case_number, raw, confirm_expired)
        except scanning.ScanRefused as refusal:
            self.scan_error, self.scan_search = refusal.message, refusal.search
            return None
        except DomainError as refusal:
            self.scan_error = refusal.message
            return None
        if outcome.status == "confirm_expired":
            self.scan_pending, self.scan_question = raw, outcome.message
            return None
        self.scan_pending = self.scan_question = ""
        change = outcome.change
        # A label that completes a line shows that line; a new line is last.
        self._show_line(change.line_count, change.line.position if outcome.status == "completed" else 0)
        return rx.toast.success(outcome.message)
