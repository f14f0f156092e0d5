"""Scan to add: what a keyboard-wedge scanner types (GS1 or HIBC), added as a line or filling
one in; an expired device asks first, an unknown one offers the catalog search. What the
tablet's camera decodes (camera.py) is made into the same text and takes the same path.

A mixin of DevicesState (state.py), which provides `_actor()`, `case_number`,
`_show_line()` (the page holding a line) and the `search_products` event."""

import reflex as rx

from ...domain import camera
from ...domain.errors import DomainError
from ...services import scanning


class ScanMixin(rx.State, mixin=True):
    scan_error: str = ""
    scan_search: str = ""  # what to look for in the catalog when the label's product is not known
    scan_pending: str = ""  # a label of an expired device, added once the rep confirms
    scan_question: str = ""
    scan_note: str = ""  # what the last scan did, shown in the camera sheet
    scan_accepted: int = 0  # scans that added or completed a line: the camera beeps on each
    camera_problem: str = ""  # why the camera did not open

    @rx.event
    def scan(self, form: dict):
        """What the keyboard-wedge scanner typed, ending with Enter (the form submits)."""
        return self._scanned(str(form.get("scan", ""))[:300])

    @rx.event
    def camera_read(self, text: str, symbology: str):
        """What the camera's decoder read: as a wedge would type it, then the wedge's path."""
        try:
            raw = camera.wedge_text(str(symbology), str(text))
        except DomainError as refusal:
            self.scan_error, self.scan_search, self.scan_note = refusal.message, "", ""
            return None
        return self._scanned(raw)

    @rx.event
    def camera_opened(self, opening: bool):
        if opening:
            self.camera_problem = self.scan_error = self.scan_search = self.scan_note = ""

    @rx.event
    def camera_trouble(self, name: str):
        self.camera_problem = camera.camera_problem(str(name)[:40])

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
        self.scan_error = self.scan_search = self.scan_note = ""
        try:
            outcome = scanning.scan(self._actor(), self.case_number, raw, confirm_expired)
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
        self.scan_note, self.scan_accepted = outcome.message, self.scan_accepted + 1
        change = outcome.change
        # A label that completes a line shows that line; a new line is last.
        self._show_line(change.line_count, change.line.position if outcome.status == "completed" else 0)
        return rx.toast.success(outcome.message)
