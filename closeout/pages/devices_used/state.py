"""Devices Used state: the page of lines, the totals, the catalog search. Every change
is saved at once through services.device_lines; refusals land next to their field."""

import asyncio
import uuid
from dataclasses import dataclass, field

import reflex as rx

from ...domain.catalog import PriceSource, UsageStatus
from ...domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from ...domain.money import format_usd
from ...domain.pricing import Totals
from ...domain.validation import FIELD_LABELS
from ...services import auth, cases, catalog, device_lines, scanning
from ...services.db import DatabaseUnavailable
from ...services.device_lines import LineChange, LineView
from ..base import AuthState, route_tail
from ..case_state import CaseState
from ..health import HealthState
from ..tab_tasks import OnePerTab, tab_connected

PAGE_SIZE = 25
WATCHERS = OnePerTab()  # the live watcher of each tab, in this worker
LIVE_EVERY_SECONDS = 2
LIVE_CHECK_ROUNDS = 15  # every 30 s: is the screen still open?
RETRY_EVERY_SECONDS = 2
LIVE_FOR_SECONDS = 4 * 3600  # a case page left open for a whole list of cases
USAGE_OPTIONS = [s.value for s in UsageStatus]
PRICE_LABELS = {
    PriceSource.CONTRACT: "Contract price",
    PriceSource.LIST: "List price",
    PriceSource.EDITED: "Price edited",
}
FIELDS = tuple(FIELD_LABELS)


@dataclass
class LineRow:
    id: int = 0
    position: int = 0
    ref: str = ""
    description: str = ""
    manufacturer: str = ""
    lot: str = ""
    serial: str = ""
    expiry: str = ""
    quantity: str = ""
    usage_status: str = ""
    unit_price: str = ""
    unit_price_display: str = ""
    price_source: str = ""
    price_label: str = ""
    no_charge: bool = False
    note: str = ""
    extended: str = ""
    excluded: str = ""
    expired: bool = False
    scan_warning: str = ""
    version: int = 1
    errors: dict[str, str] = field(default_factory=lambda: dict.fromkeys(FIELDS, ""))
    # How many times the server has saved each field from this screen: part of the field's
    # key, so every answer re-renders the field (and clears its "not saved yet" mark).
    acks: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))


@dataclass
class KeptEdit:
    """An edit the database could not take yet (down or locked); saved in order once it can."""

    line_id: int
    field: str
    value: str | bool
    expected: int | None


@dataclass
class Subtotal:
    manufacturer: str
    amount: str


@dataclass
class ProductRow:
    id: int
    ref: str
    description: str
    manufacturer: str
    gtin: str
    price: str
    price_label: str


def _excluded(view: LineView) -> str:
    if view.usage_status == UsageStatus.UNUSED:
        return "Unused — not billed"
    return "No charge" if view.no_charge else ""


def _extended(view: LineView) -> str:
    if view.billable:
        return format_usd(view.extended)
    return "Not billed" if view.usage_status == UsageStatus.UNUSED else "N/C"


def _row(view: LineView) -> LineRow:
    return LineRow(
        view.id,
        view.position,
        view.ref,
        view.description,
        view.manufacturer,
        view.lot,
        view.serial,
        view.expiry.isoformat() if view.expiry else "",
        str(view.quantity),
        view.usage_status.value,
        str(view.unit_price),
        format_usd(view.unit_price),
        view.price_source.value,
        PRICE_LABELS[view.price_source],
        view.no_charge,
        view.note,
        _extended(view),
        _excluded(view),
        view.expired,
        view.scan_warning,
        view.version,
    )


class DevicesState(AuthState):
    case_number: str = ""
    rows: list[LineRow] = []
    page: int = 1
    matching: int = 0
    line_count: int = 0
    filter_text: str = ""
    editable: bool = True
    subtotals: list[Subtotal] = []
    grand_total: str = "$0.00"
    billable_lines: int = 0
    excluded_note: str = ""
    product_query: str = ""
    hits: list[ProductRow] = []
    remove_id: int = 0
    remove_label: str = ""
    scan_error: str = ""
    read_only_reason: str = ""
    _saved_versions: dict[int, int] = {}
    _acks: dict[str, int] = {}  # "line:field" -> saves this screen has seen answered
    _kept: list[KeptEdit] = []
    _retrying: bool = False
    waiting: int = 0  # edits kept on this screen until the database is back
    _watching: str = ""  # the id of the watcher keeping this screen fresh
    _seen: str = ""  # the case's change stamp when this screen last read it
    scan_search: str = ""
    scan_pending: str = ""
    scan_question: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.matching // PAGE_SIZE))

    def _set_totals(self, totals: Totals, line_count: int):
        self.line_count = line_count
        self.subtotals = [Subtotal(m, format_usd(a)) for m, a in totals.by_manufacturer]
        self.grand_total = format_usd(totals.grand_total)
        self.billable_lines = totals.billable_lines
        left_out = []
        if totals.no_charge_lines:
            left_out.append(f"{totals.no_charge_lines} no-charge")
        if totals.unused_lines:
            left_out.append(f"{totals.unused_lines} unused")
        self.excluded_note = f"Not billed: {' and '.join(left_out)} line(s)." if left_out else ""

    def _fetch(self):
        page = device_lines.list_lines(self.actor(), self.case_number, self.page, PAGE_SIZE, self.filter_text)
        if not page.lines and self.page > 1 and page.matching:
            self.page = max(1, -(-page.matching // PAGE_SIZE))
            page = device_lines.list_lines(self.actor(), self.case_number, self.page, PAGE_SIZE, self.filter_text)
        self.rows = [self._with_acks(_row(v)) for v in page.lines]
        self.matching, self.editable = page.matching, page.editable
        if page.editable:
            self.read_only_reason = ""
        elif self.is_manager:
            self.read_only_reason = "You see this case read-only: its sales rep edits Devices Used."
        else:
            self.read_only_reason = "This case has been submitted: Devices Used is read-only."
        self._set_totals(page.totals, page.line_count)

    def _with_acks(self, row: LineRow) -> LineRow:
        row.acks = {name: self._acks.get(f"{row.id}:{name}", 0) for name in FIELDS}
        return row

    def _apply(self, change: LineChange, field_name: str = ""):
        """Put the saved line (and the new totals) in place without reloading the page; a
        change stamped right after the one this screen had seen is its own, not news."""
        self._set_totals(change.totals, change.line_count)
        if self._seen and self._seen == change.stamps[0]:
            self._seen = change.stamps[1]
        if change.line is not None:
            if field_name in FIELDS:
                key = f"{change.line.id}:{field_name}"
                self._acks = {**self._acks, key: self._acks.get(key, 0) + 1}
            fresh = self._with_acks(_row(change.line))
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

    @rx.event
    def load(self):
        self.case_number = route_tail(self)
        self.page, self.filter_text, self.product_query, self.hits = 1, "", "", []
        self._saved_versions = {}
        self._watching = uuid.uuid4().hex  # this load's watcher; an older one stops
        try:
            self._fetch()
        except NotFound:
            self.rows, self.matching = [], 0
        return DevicesState.watch(self._watching)

    @rx.event(background=True)
    async def watch(self, me: str):
        """Keep this screen current while another screen (the rep's tablet, the provider's
        screen, a manager's desk) changes the case: every 2 s, compare the case's change stamp
        and re-read what changed. The screen's state (with Redis, a round trip and a lock) is
        touched only when the stamp moved, or every 30 s to see whether the screen is still
        there: the watcher ends when it closed, moved on, or a newer load took over. Only the
        watcher its own load asked for runs (one per tab), and only for a signed-in user."""
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

    @rx.event
    def refresh(self):
        """Back on the tab: the same page and filter, fresh from the database."""
        self._fetch_or_none()

    def _fetch_or_none(self):
        try:
            self._fetch()
        except NotFound:
            self.rows, self.matching = [], 0

    @rx.event
    async def save(self, line_id: int, field_name: str, value: str | bool, version: int = 0):
        """`version` is the line's version this screen showed: an edit made meanwhile on another
        screen wins, and this one says so and shows the fresh values."""
        # Events leave the browser before the previous save's answer arrives: a version this
        # screen itself produced is not "someone else's" change.
        expected = max(version, self._saved_versions.get(line_id, 0)) or None
        edit = KeptEdit(line_id, field_name, value, expected)
        if self._unchanged(edit):
            return None  # leaving a field without changing it saves nothing
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

    def _unchanged(self, edit: KeptEdit) -> bool:
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
    def _store(token: str, number: str, edit: KeptEdit) -> LineChange | DomainError:
        """The save itself, off the event loop (a locked database waits here, not the worker).
        A refusal comes back as a value; only an outage raises."""
        try:
            return device_lines.update_line(auth.actor_for_session(token), number, edit.line_id, edit.field,
                                            edit.value, edit.expected)  # fmt: skip
        except DomainError as refusal:
            return refusal

    def _settle(self, edit: KeptEdit, outcome: LineChange | DomainError):
        """Show what the server made of one edit: saved, stale, or refused."""
        if isinstance(outcome, device_lines.StaleEdit):
            fresh = self._with_acks(_row(outcome.fresh))
            fresh.errors = {**fresh.errors, edit.field: outcome.message} if edit.field in FIELDS else fresh.errors
            self.rows = [fresh if r.id == edit.line_id else r for r in self.rows]
            return rx.toast.warning(outcome.message)
        if isinstance(outcome, DomainError):
            return self._refused(edit.line_id, outcome)
        self._saved_versions = {**self._saved_versions, edit.line_id: outcome.line.version}
        self._apply(outcome, edit.field)
        return None

    def _due(self, edit: KeptEdit) -> KeptEdit:
        """A kept edit as it goes out: a line version that an earlier kept edit of this screen
        produced is not someone else's change."""
        expected = max(edit.expected or 0, self._saved_versions.get(edit.line_id, 0)) or None
        return KeptEdit(edit.line_id, edit.field, edit.value, expected)

    def _keep(self, edit: KeptEdit):
        """The database is down or locked: keep the edit (its field stays marked "not saved
        yet"), raise the banner, and save it as soon as the database is back."""
        self._kept = [*self._kept, edit]
        self.waiting = len(self._kept)
        return [HealthState.outage, DevicesState.retry_kept]

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

    @rx.event
    def set_filter(self, text: str):
        self.filter_text, self.page = text[:60], 1
        self._fetch()

    @rx.event
    def go_to_page(self, page: int):
        self.page = min(max(1, int(page)), self.page_count)
        self._fetch()

    @rx.event
    def search_products(self, text: str):
        self.product_query = text[:60]
        try:
            found = catalog.search_products(self.actor(), self.case_number, self.product_query)
        except NotFound:
            found = []
        self.hits = [
            ProductRow(h.id, h.ref, h.description, h.manufacturer, h.gtin, format_usd(h.price), PRICE_LABELS[h.price_source])
            for h in found
        ]

    @rx.event
    def add_product(self, product_id: int):
        try:
            change = device_lines.add_line(self.actor(), self.case_number, product_id)
        except DomainError as refusal:
            return rx.toast.error(refusal.message)
        self.filter_text, self.product_query, self.hits = "", "", []
        self.matching = change.line_count
        self.page = self.page_count  # the new line is last
        self._fetch()
        return rx.toast.success(f"Added line {change.line.position}: {change.line.ref}")

    @rx.event
    def ask_remove(self, line_id: int):
        row = next((r for r in self.rows if r.id == line_id), None)
        if row is not None:
            self.remove_id, self.remove_label = row.id, f"line {row.position} ({row.ref} {row.description})"

    @rx.event
    def cancel_remove(self):
        self.remove_id, self.remove_label = 0, ""

    @rx.event
    def confirm_remove(self):
        line_id, label = self.remove_id, self.remove_label
        self.remove_id, self.remove_label = 0, ""
        try:
            device_lines.remove_line(self.actor(), self.case_number, line_id)
        except (NotFound, NotAllowed) as refusal:
            self._fetch()
            return rx.toast.error(refusal.message)
        self._fetch()
        return rx.toast.success(f"Removed {label}")

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
        position = outcome.change.line.position
        self.filter_text, self.matching = "", outcome.change.line_count
        self.page = max(1, -(-position // PAGE_SIZE)) if outcome.status == "completed" else self.page_count
        self._fetch()
        return rx.toast.success(outcome.message)

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
        return DevicesState.search_products(self.scan_search)
