"""Saving one edit of a line, at once, and showing what the server made of it: saved (the
line and the totals in place, no reload), changed meanwhile on another screen, or refused
(next to its field, or as a toast).

A mixin of DevicesState (state.py), which provides `rows`, `case_number`, `session_token`,
`_set_totals()` and `_fetch_or_none()`; an outage hands the edit to KeptEditsMixin
(`_kept`, `_keep()`), LiveMixin takes this screen's own change as seen (`_saw_own()`), and
PriceReasonsMixin asks for the reason an edited price needs (`_pending_prices`, `_settle_price()`)."""

import asyncio
from dataclasses import dataclass

import reflex as rx

from ...domain.errors import DomainError, InvalidInput
from ...services import auth, device_lines
from ...services.db import DatabaseUnavailable
from ...services.device_lines import LineChange
from ..base import route_tail
from .rows import FIELDS, LineRow, line_row


@dataclass
class Edit:
    """One field of one line, as the screen sent it; `expected` is the line version it showed."""

    line_id: int
    field: str
    value: str | bool
    expected: int | None
    reason: str = ""  # why an edited unit price differs (ignored for other fields)


class EditsMixin(rx.State, mixin=True):
    _saved_versions: dict[int, int] = {}  # line -> the version this screen's last save made
    _acks: dict[str, int] = {}  # "line:field" -> saves this screen has seen answered

    @rx.event
    async def save(self, line_id: int, field_name: str, value: str | bool, version: int = 0):
        """`version` is the line's version this screen showed: an edit made meanwhile on another
        screen wins, and this one says so and shows the fresh values."""
        # Events leave the browser before the previous save's answer arrives: a version this
        # screen itself produced is not "someone else's" change.
        edit = self._due(Edit(line_id, field_name, value, version or None))
        if self._unchanged(edit):
            return None  # leaving a field without changing it saves nothing
        return await self._send(edit)

    async def _send(self, edit: Edit):
        """Save an edit now, or keep it behind those waiting for the database."""
        if self._kept:  # edits wait behind those the database could not take yet, in order
            return self._keep(edit)
        # After a reconnect the page's load may still be queued behind this edit: the case is
        # the one in the URL (the service checks it is the rep's).
        number = self.case_number or route_tail(self)
        try:
            change = await asyncio.to_thread(self._store, self.session_token, number, edit)
        except DatabaseUnavailable:
            return self._keep(edit)
        return self._settle(edit, change)

    def _due(self, edit: Edit) -> Edit:
        """An edit as it goes out: a line version that an earlier save of this screen produced
        (answered or kept) is not someone else's change."""
        expected = max(edit.expected or 0, self._saved_versions.get(edit.line_id, 0)) or None
        return Edit(edit.line_id, edit.field, edit.value, expected, edit.reason)

    def _unchanged(self, edit: Edit) -> bool:
        """Whether `edit` holds what the line already shows (or what a kept edit will save)."""
        kept = [k.value for k in self._kept if (k.line_id, k.field) == (edit.line_id, edit.field)]
        row = next((r for r in self.rows if r.id == edit.line_id), None)
        if row is None or edit.field not in FIELDS or row.errors.get(edit.field):
            return False
        current = kept[-1] if kept else getattr(row, edit.field)
        if isinstance(current, bool) or isinstance(edit.value, bool):
            return current == edit.value
        return str(edit.value).strip() == str(current)

    @staticmethod
    def _store(token: str, number: str, edit: Edit) -> LineChange | DomainError:
        """The save itself, off the event loop (a locked database waits here, not the worker).
        A refusal comes back as a value; only an outage raises."""
        try:
            return device_lines.update_line(auth.actor_for_session(token), number, edit.line_id, edit.field,
                                            edit.value, edit.expected, price_reason=edit.reason)  # fmt: skip
        except DomainError as refusal:
            return refusal

    def _settle(self, edit: Edit, outcome: LineChange | DomainError):
        """Show what the server made of one edit: saved, stale, refused, or (a price) asking why."""
        if edit.field == "unit_price" and self._settle_price(edit, outcome):
            return None
        if isinstance(outcome, device_lines.StaleEdit):
            fresh = self._line_row(outcome.fresh)
            fresh.errors = {**fresh.errors, edit.field: outcome.message} if edit.field in FIELDS else fresh.errors
            self.rows = [fresh if r.id == edit.line_id else r for r in self.rows]
            return rx.toast.warning(outcome.message)
        if isinstance(outcome, DomainError):
            return self._refused(edit.line_id, outcome)
        self._saved_versions = {**self._saved_versions, edit.line_id: outcome.line.version}
        self._apply(outcome, edit.field)
        return None

    def _apply(self, change: LineChange, field_name: str = ""):
        """Put the saved line (and the new totals) in place without reloading the page."""
        self._set_totals(change.totals, change.line_count)
        self._saw_own(change.stamps)
        self.prices_edited = change.prices_edited
        if change.line is not None:
            if field_name in FIELDS:
                key = f"{change.line.id}:{field_name}"
                self._acks = {**self._acks, key: self._acks.get(key, 0) + 1}
            fresh = self._line_row(change.line)
            self.rows = [fresh if r.id == change.line.id else r for r in self.rows]

    def _refused(self, line_id: int, refusal: DomainError):
        """Show a refusal next to the field, or as a toast with a fresh list."""
        if isinstance(refusal, InvalidInput) and refusal.field in FIELDS:
            for row in self.rows:
                if row.id == line_id:
                    row.errors = {**row.errors, refusal.field: refusal.message}
            self.rows = list(self.rows)
            return None
        self._fetch_or_none()
        return rx.toast.error(refusal.message)

    def _line_row(self, view: device_lines.LineView) -> LineRow:
        """A saved line as this screen shows it, with the saves it has seen answered (and a
        typed price still waiting for its reason)."""
        row = line_row(view, self._acks)
        row.pending_price = self._pending_prices.get(view.id, "")
        return row
