"""The reason an edited unit price needs, asked on the line itself: when the server answers a
typed price with "why?", the line shows the usual reasons (one tap each) and a field for
another; the typed price is then saved with the reason. Putting the price back, or Cancel,
closes it; nothing is saved until a reason is given.

A mixin of DevicesState (state.py), which provides `rows`, and from EditsMixin (editing.py)
`_acks`, `_due()` and `_send()`."""

import reflex as rx

from ...domain.errors import DomainError, InvalidInput
from .editing import Edit


class PriceReasonsMixin(rx.State, mixin=True):
    _pending_prices: dict[int, str] = {}  # line -> the typed price waiting for its reason

    def _settle_price(self, edit: Edit, outcome: object) -> bool:
        """A price edit answered. True when the answer is "give a reason" (nothing was saved:
        the picker opens on the line, or says why the reason given was refused); otherwise the
        picker closes and the answer is shown as any other."""
        if isinstance(outcome, InvalidInput) and outcome.field == "price_reason":
            price = str(edit.value).strip().removeprefix("$").strip()  # as the picker shows it, after a "$"
            self._pending_prices = {**self._pending_prices, edit.line_id: price}
            self._mark(edit.line_id, price, outcome.message if edit.reason else "")
            return True
        if edit.line_id in self._pending_prices:
            self._pending_prices = {k: v for k, v in self._pending_prices.items() if k != edit.line_id}
            if isinstance(outcome, DomainError):
                self._mark(edit.line_id, "", "")
        return False

    def _mark(self, line_id: int, pending: str, error: str) -> None:
        for row in self.rows:
            if row.id == line_id:
                row.pending_price, row.reason_error = pending, error
        self.rows = list(self.rows)

    @rx.event
    async def choose_reason(self, line_id: int, reason: str):
        """One of the usual reasons tapped: the waiting price is saved with it."""
        return await self._with_reason(line_id, reason)

    @rx.event
    async def type_reason(self, form: dict):
        """Another reason, typed (Enter or Save); the form names its line."""
        line_id = str(form.get("line_id", "")) if isinstance(form, dict) else ""
        if not (line_id.isascii() and line_id.isdigit()) or len(line_id) > 12:
            return None
        return await self._with_reason(int(line_id), form.get("reason", ""))

    async def _with_reason(self, line_id: int, reason: object):
        row = next((r for r in self.rows if r.id == line_id), None)
        price = self._pending_prices.get(line_id)
        if row is None or price is None:
            return None  # nothing waits on that line (an old or crafted event)
        return await self._send(self._due(Edit(line_id, "unit_price", price, row.version or None, str(reason)[:200])))

    @rx.event
    def change_reason(self, line_id: int):
        """Give an edited price another reason: the picker opens for the saved price."""
        row = next((r for r in self.rows if r.id == line_id), None)
        if row is not None and row.price_source == "edited":
            self._pending_prices = {**self._pending_prices, line_id: row.unit_price}
            self._mark(line_id, row.unit_price, "")

    @rx.event
    def cancel_reason(self, line_id: int):
        """Keep the saved price: the typed one goes back to it (the field is drawn again)."""
        self._pending_prices = {k: v for k, v in self._pending_prices.items() if k != line_id}
        key = f"{line_id}:unit_price"
        self._acks = {**self._acks, key: self._acks.get(key, 0) + 1}
        for row in self.rows:
            if row.id == line_id:
                row.acks = {**row.acks, "unit_price": self._acks[key]}
        self._mark(line_id, "", "")
